# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
"""Returns in each state, of web, marketplace and store orders.

Requests go through the return policy as the portal and the store counter send them;
the goods come back through Odoo's return transfers, are graded into stock and
refunded by credit notes, all by the returns' own methods. Only the carrier's return
label is written as data (the return shipment, its label on the return transfer, its
tracking events), as the parcels are: no carrier is called.
"""

from datetime import timedelta

from odoo import api, fields, models

# (sales channel type, state the return reaches): every state of a return, each
# channel's orders returned in three of them. Returns of web and marketplace orders
# come back by carrier with a return label, those of store orders are dropped off at
# the store that sold them.
RETURN_PLAN = (
    ("web", "requested"),
    ("web", "awaiting"),
    ("web", "refunded"),
    ("marketplace", "received"),
    ("marketplace", "inspected"),
    ("marketplace", "refused"),
    ("store", "awaiting"),
    ("store", "inspected"),
    ("store", "refunded"),
)
# The channels whose orders to return are made first: those sold from a given place,
# then the web's, which routing sends from wherever stock is left
RETURNED_CHANNEL_ORDER = ("store", "marketplace", "web")
# The reason of the return per state it reaches: a reason that needs a manager's
# approval keeps a request waiting (or has it refused)
RETURN_REASONS = {
    "requested": "omni_returns.omni_return_reason_not_as_described",
    "refused": "omni_returns.omni_return_reason_not_as_described",
    "awaiting": "omni_returns.omni_return_reason_wrong_size",
    "received": "omni_returns.omni_return_reason_changed_mind",
    "inspected": "omni_returns.omni_return_reason_defective",
    "refunded": "omni_returns.omni_return_reason_changed_mind",
}
REFUSAL = "The photos show the item used and worn: it cannot be taken back as new."
# The carrier of the return labels, by its key in the dataset's carriers
RETURN_CARRIER = "mondialrelay_relay"
# The grades the units of a line take in turn: most resell as new
GRADES = ("a", "b", "a", "d")
STATE_ORDER = ("requested", "awaiting", "received", "inspected", "refunded")
# A return parcel's journey, by carrier type (see JOURNEYS): from a relay point near
# the customer to the warehouse
RETURN_JOURNEYS = {
    "omni_mondialrelay": (
        (0, "80", "label_created", "COLIS ENREGISTRE PAR L'EXPEDITEUR", "origin"),
        (20, "81", "picked_up", "PRISE EN CHARGE AU POINT RELAIS", "relay"),
        (32, "81", "in_transit", "COLIS EN COURS D'ACHEMINEMENT", "hub"),
        (48, "82", "delivered", "COLIS LIVRE AU DESTINATAIRE", "destination"),
    ),
}


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [
            self._generate_return_carrier_rules,
            self._generate_returns,
        ]

    @api.model
    def _demo_external_ids(self, dataset):
        """The returns are ``demo_return_<n>``, in the order of RETURN_PLAN."""
        return {
            **super()._demo_external_ids(dataset),
            **{
                f"demo_return_{index}": rma
                for index, rma in enumerate(dataset.get("returns", ()), start=1)
            },
        }

    @api.model
    def _journey_steps(self, carrier, kind):
        if kind == "return" and carrier.delivery_type in RETURN_JOURNEYS:
            return RETURN_JOURNEYS[carrier.delivery_type]
        return super()._journey_steps(carrier, kind)

    @api.model
    def _generate_return_carrier_rules(self, dataset):
        """Return labels go by Mondial Relay: customers drop parcels at a relay point."""
        carrier = dataset["carriers_by_key"].get(RETURN_CARRIER)
        if not carrier:
            return
        dataset["carrier_rules"] |= self.env["omni.carrier.rule"].create(
            {
                "name": f"{dataset['prefix']} Returns through relay points",
                "sequence": 5,
                "company_id": dataset["company"].id,
                "shipment_kind": "return",
                "action": "carrier",
                "carrier_id": carrier.id,
            }
        )

    # Orders returned -------------------------------------------------------------

    @api.model
    def _returned_order_source(self, dataset, channel, index):
        """The warehouse an order of ``channel`` to return is sold from."""
        if channel.omni_channel_type == "store":
            stores = dataset["stores"]
            return stores[index % len(stores)]
        return dataset["distribution_centers"][:1]

    @api.model
    def _generate_returned_orders(self, dataset, plan):
        """An order per entry of ``plan``, delivered and invoiced: [order or None]. The
        orders of each channel are made in turn, those sold from a given place first:
        routed web orders then take what is left."""
        channels = {channel.omni_channel_type: channel for channel in dataset["channels"]}
        result = [None] * len(plan)
        for kind in RETURNED_CHANNEL_ORDER:
            channel = channels.get(kind)
            entries = [index for index, (of_kind, _state) in enumerate(plan) if of_kind == kind]
            if not (channel and entries):
                continue
            budgets, vals_by_entry = {}, {}
            for index in entries:
                warehouse = self._returned_order_source(dataset, channel, index)
                if warehouse not in budgets:
                    budgets[warehouse] = self._shipping_budget(dataset, channel, warehouse)
                vals = self._prepare_shipped_order_vals(dataset, channel, budgets[warehouse])
                # invoiced in the company's currency: a pricelist of the customer's
                # country may be in a currency not active in the database
                vals.update(warehouse_id=warehouse.id, pricelist_id=False)
                if vals["order_line"]:
                    vals_by_entry[index] = vals
            orders = self._deliver_and_invoice(
                self.env["sale.order"].create(list(vals_by_entry.values()))
            )
            for index, order in zip(vals_by_entry, orders, strict=True):
                result[index] = order if order.invoice_ids else None
        return result

    @api.model
    def _deliver_and_invoice(self, orders):
        """Confirm ``orders``, deliver those whose stock is there and invoice them."""
        orders.action_confirm()
        pickings = orders.picking_ids.filtered(
            lambda picking: picking.picking_type_code == "outgoing"
        )
        if pickings:
            pickings.action_assign()
        self._send_pickings(pickings.filtered(self._is_fully_reserved))
        delivered = orders.filtered(
            lambda order: order.picking_ids and all(p.state == "done" for p in order.picking_ids)
        )
        if delivered:
            delivered._create_invoices().action_post()
        return orders

    # Returns ------------------------------------------------------------------------

    @api.model
    def _prepare_return_lines(self, dataset, order, state):
        """What is returned of ``order``: its first line, every unit delivered."""
        line = order.order_line.filtered(lambda line: line.qty_delivered > 0)[:1]
        return [
            {
                "sale_line": line,
                "quantity": line.qty_delivered,
                "reason": self.env.ref(RETURN_REASONS[state]),
            }
        ]

    @api.model
    def _generate_returns(self, dataset):
        """A return of each entry of RETURN_PLAN, taken to its state."""
        # a dataset without orders (benchmarks) has no returns either
        params = dataset["params"]
        plan = RETURN_PLAN if params["orders"] and params.get("returns", True) else ()
        orders = self._generate_returned_orders(dataset, plan)
        returns = self.env["omni.return"]
        for (kind, state), order in zip(plan, orders, strict=True):
            if order:
                returns |= self._generate_return(dataset, order, kind, state)
        dataset["returned_orders"] = self.env["sale.order"].union(*filter(None, orders))
        dataset["returns"] = returns
        # A-graded units are sold again at once
        dataset["stock_pools"]._ats_refresh()

    @api.model
    def _generate_return(self, dataset, order, kind, state):
        lines = self._prepare_return_lines(dataset, order, state)
        Return = self.env["omni.return"]
        if kind == "store":
            rma = Return._create_request(order, lines, "store", store=order.warehouse_id)
        elif state in ("requested", "refused"):
            rma = Return._create_request(order, lines, "portal")
        else:
            rma = Return.create(Return._prepare_request(order, lines, "portal", method="label"))
            rma._log_request()
            self._approve_with_label(dataset, rma, delivered=state != "awaiting")
        if state == "refused":
            rma._refuse(REFUSAL)
        reached = STATE_ORDER.index(state) if state in STATE_ORDER else 0
        if reached >= STATE_ORDER.index("received"):
            rma._receive()
        if reached >= STATE_ORDER.index("inspected"):
            rma._grade(self._prepare_return_gradings(rma))
        if reached >= STATE_ORDER.index("refunded"):
            rma._refund()
        return rma

    @api.model
    def _prepare_return_gradings(self, rma):
        """[(line, grade, units)]: each unit received graded, in turn by GRADES."""
        gradings = []
        for line in rma.line_ids:
            for unit in range(int(line.qty_received)):
                grade = self.env.ref(f"omni_returns.omni_return_grade_{GRADES[unit % len(GRADES)]}")
                gradings.append((line, grade, 1.0))
        return gradings

    # Return labels, as data --------------------------------------------------------

    @api.model
    def _approve_with_label(self, dataset, rma, delivered=False):
        """Approve ``rma`` as a logistics manager does, its return label written as data:
        the return transfers, the carrier's return shipment with its label and its
        tracking events (up to the warehouse when ``delivered``), the customer told."""
        carrier = dataset["carriers_by_key"].get(RETURN_CARRIER) or dataset["carriers"][:1]
        rma.write(
            {
                "state": "approved",
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        pickings = rma._create_return_pickings()
        Shipment = self.env["omni.shipment"]
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        stage = "delivered" if delivered else "label_created"
        for picking in pickings:
            original = picking.return_id.carrier_tracking_ref or None
            shipment = Shipment.create(
                Shipment._prepare_shipment_vals(picking, carrier, "return", original)
            )
            number = len(dataset.get("return_shipments", ())) + 1
            dataset["return_shipments"] = dataset.get("return_shipments", Shipment) | shipment
            start = now - timedelta(hours=self._journey_hours(carrier, stage, "return") + 3)
            shipment.write(
                {
                    **self._prepare_shipped_vals(dataset, shipment, 500 + number),
                    "attempt_date": start,
                }
            )
            shipment._omni_attach_label(self._demo_label(shipment), "pdf")
            picking.write(
                {"carrier_id": carrier.id, "carrier_tracking_ref": shipment.tracking_number}
            )
            self._generate_tracking_events(dataset, shipment, stage, start)
        rma.write({"state": "awaiting", "carrier_id": carrier.id})
        rma._notify("approved")
