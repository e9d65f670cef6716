# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
"""Shipped deliveries with their labels and tracking events, and a failed shipment.

Written as data: no carrier is called. Each shipment is recorded as the carrier flow
records it (``omni.shipment`` with our reference, the label attached to the delivery,
the carrier's tracking events), with numbers of the carrier's own format and events in
its own words, so the demo shows what a real day of shipping leaves behind.
"""

import io
from datetime import timedelta

from reportlab.graphics.barcode import code128
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas

from odoo import Command, api, fields, models

from odoo.addons.omni_tms.connector import CarrierError
from odoo.addons.omni_tms.models.omni_shipment import MAX_AUTOMATIC_ATTEMPTS

from .omni_demo_generator_oms import LINE_MAX_QTY

SHIPPING_PARAMS = {
    # shipments on their way, on the test carriers (the fake test carrier server
    # answers the tracking of numbers it does not know with no event)
    "shipments_in_transit": 3,
    # shipments whose label creation failed, waiting for someone to retry them
    "shipments_failed": 1,
}
# A parcel's journey per carrier type, in the carrier's words: (hours after the label,
# carrier code, stage, description, where: origin, hub, relay or destination).
JOURNEYS = {
    "omni_test": (
        (0, "LC", "label_created", "Label created", "origin"),
        (5, "PU", "picked_up", "Picked up at the warehouse", "origin"),
        (15, "IT", "in_transit", "Arrived at the sorting hub", "hub"),
        (27, "OD", "out_for_delivery", "Out for delivery", "destination"),
        (31, "DL", "delivered", "Delivered to the recipient", "destination"),
    ),
    "omni_chronopost": (
        (0, "DC", "label_created", "Envoi en cours de préparation chez l'expéditeur", "origin"),
        (18, "PC", "picked_up", "Envoi pris en charge par Chronopost", "origin"),
        (22, "TS", "in_transit", "Envoi en transit", "hub"),
        (30, "MD", "out_for_delivery", "Envoi en cours de livraison", "destination"),
        (34, "D", "delivered", "Livraison effectuée", "destination"),
    ),
    "omni_mondialrelay": (
        (0, "80", "label_created", "COLIS ENREGISTRE PAR L'EXPEDITEUR", "origin"),
        (20, "81", "picked_up", "PRISE EN CHARGE EN AGENCE", "origin"),
        (30, "81", "in_transit", "COLIS EN COURS D'ACHEMINEMENT", "hub"),
        (44, "81", "out_for_delivery", "DISPONIBLE AU POINT RELAIS", "relay"),
        (60, "82", "delivered", "COLIS LIVRE AU DESTINATAIRE", "relay"),
    ),
    "omni_sendcloud": (
        (0, "announced", "label_created", "Announced", "origin"),
        (6, "shipment-collected", "picked_up", "Parcel collected by the carrier", "origin"),
        (16, "sorted", "in_transit", "Sorted at the distribution centre", "hub"),
        (26, "out-for-delivery", "out_for_delivery", "Out for delivery", "destination"),
        (30, "delivered", "delivered", "Delivered", "destination"),
    ),
}
# Where each carrier sorts parcels, and the relay point a relay parcel waits at
HUBS = {
    "omni_test": "Hub Paris-Nord",
    "omni_chronopost": "Chilly-Mazarin",
    "omni_mondialrelay": "Agence Lyon Corbas",
    "omni_sendcloud": "Hub Roissy",
}
RELAY_POINT = "TABAC DE LA MAIRIE"
# Tracking number formats, by carrier type, of the n-th demo parcel: apart from the
# numbers the fake carrier servers give, so a label created during the demo never
# takes one of them
TRACKING_FORMATS = {
    "omni_test": "OTD{n:08d}",
    "omni_chronopost": "XW{n:09d}FR",
    "omni_mondialrelay": "9{n:07d}",
    "omni_sendcloud": "3SDEMO{n:09d}",
}
# The failure of a label creation, as the carrier's connector words it
DEMO_FAILURE = {
    "code": "1",
    "message": "{carrier} refused the shipment (error 1: Service momentanément "
    "indisponible): system error of the service: try again later.",
    "carrier": "chronopost_13",
}
# The stages the shipments in transit stop at, in turn
IN_TRANSIT_STAGES = ("in_transit", "out_for_delivery", "picked_up")


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [self._generate_shipments]

    @api.model
    def _demo_external_ids(self, dataset):
        """The shipments are ``demo_shipment_<n>``, the failed ones
        ``demo_shipment_failed_<n>``."""
        names = super()._demo_external_ids(dataset)
        for key, prefix in (
            ("shipments", "demo_shipment"),
            ("failed_shipments", "demo_shipment_failed"),
        ):
            names.update(
                {
                    f"{prefix}_{index}": shipment
                    for index, shipment in enumerate(dataset.get(key, ()), start=1)
                }
            )
        return names

    @api.model
    def _shipping_params(self, dataset):
        return {**SHIPPING_PARAMS, **dataset["params"]}

    # Plan -------------------------------------------------------------------

    @api.model
    def _shipment_plan(self, dataset):
        """[(carrier, stage the parcel reached, or "error")]: a delivered parcel per
        carrier, parcels on their way on the test carriers, failed label creations."""
        params = self._shipping_params(dataset)
        carriers = dataset["carriers_by_key"]
        test_carriers = [
            carrier for carrier in carriers.values() if carrier.delivery_type == "omni_test"
        ]
        failing = carriers.get(DEMO_FAILURE["carrier"]) or test_carriers[0]
        plan = [(carrier, "delivered") for carrier in carriers.values()]
        plan += [
            (test_carriers[index % len(test_carriers)], IN_TRANSIT_STAGES[index % 3])
            for index in range(params["shipments_in_transit"])
        ]
        plan += [(failing, "error")] * params["shipments_failed"]
        return plan

    # Orders to ship -----------------------------------------------------------

    @api.model
    def _shipping_budget(self, dataset, channel, warehouse):
        """{product: units} the orders of ``channel`` may take from ``warehouse``: its
        free stock, within what the channel's pool may sell."""
        products = dataset["products"].with_context(warehouse_id=warehouse.id)
        pool = channel.omni_stock_pool_id
        sellable = pool._get_ats(products) if pool else {}
        return {
            product: min(product.free_qty, sellable.get(product.id, product.free_qty))
            for product in products
        }

    @api.model
    def _prepare_shipped_order_vals(self, dataset, channel, budget):
        """An order of ``channel`` taking what is left in ``budget``, updated."""
        rng = dataset["rng"]
        vals = self._prepare_order_vals(dataset, channel)
        left = [product for product, units in budget.items() if units >= 1]
        lines = []
        for product in rng.sample(left, min(rng.randint(1, 3), len(left))):
            quantity = min(rng.randint(1, LINE_MAX_QTY), int(budget[product]))
            budget[product] -= quantity
            lines.append(Command.create({"product_id": product.id, "product_uom_qty": quantity}))
        vals["order_line"] = lines
        return vals

    @api.model
    def _generate_shipped_orders(self, dataset, count):
        """``count`` marketplace orders (sourced from the central DC) confirmed, their
        deliveries ready: the parcels of the demo."""
        channel = dataset["channels"].filtered(
            lambda team: team.omni_channel_type == "marketplace"
        )[:1]
        warehouse = dataset["distribution_centers"][:1]
        if not (count and channel):
            return self.env["sale.order"]
        budget = self._shipping_budget(dataset, channel, warehouse)
        vals_list = []
        for _order in range(count):
            vals = self._prepare_shipped_order_vals(dataset, channel, budget)
            if vals["order_line"]:
                vals_list.append(vals)
        orders = self.env["sale.order"].create(vals_list)
        orders.action_confirm()
        return orders

    # Shipments ----------------------------------------------------------------

    @api.model
    def _generate_shipments(self, dataset):
        """Deliveries shipped by each carrier, delivered or on their way, with their
        label and tracking events; failed label creations waiting for a retry."""
        # a dataset without orders (benchmarks) ships nothing
        plan = self._shipment_plan(dataset) if dataset["params"]["orders"] else []
        orders = self._generate_shipped_orders(dataset, len(plan))
        pickings = orders.picking_ids.filtered(
            lambda picking: picking.picking_type_code == "outgoing"
        ).sorted("id")
        if pickings:
            pickings.action_assign()
        ready = pickings.filtered(self._is_fully_reserved)
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        shipped, failed = [], []
        Shipment = self.env["omni.shipment"]
        for index, ((carrier, stage), picking) in enumerate(zip(plan, ready, strict=False)):
            shipment = Shipment.create(
                Shipment._prepare_shipment_vals(picking, carrier, "outbound", None)
            )
            if stage == "error":
                shipment.write(self._prepare_failed_shipment_vals(dataset, shipment))
                picking.carrier_id = carrier
                failed.append(shipment)
                continue
            # delivered parcels arrived over the last days, the others are on their way
            days_ago = index % 5 if stage == "delivered" else 0
            start = now - timedelta(hours=self._journey_hours(carrier, stage) + 2 + 24 * days_ago)
            self._ship_picking(dataset, picking, shipment, index + 1, start)
            self._generate_tracking_events(dataset, shipment, stage, start)
            shipped.append(shipment)
        dataset["shipped_orders"] = orders
        # the pools publish what they sell once the parcels left
        dataset["stock_pools"]._ats_refresh()
        dataset["shipments"] = Shipment.union(*shipped)
        dataset["failed_shipments"] = Shipment.union(*failed)

    @api.model
    def _journey_steps(self, carrier, kind):
        """The steps of a parcel's journey with ``carrier`` (see JOURNEYS); ``kind``:
        outbound or return."""
        return JOURNEYS.get(carrier.delivery_type, JOURNEYS["omni_test"])

    @api.model
    def _journey(self, carrier, stage, kind="outbound"):
        """The steps of ``carrier``'s journey up to ``stage``."""
        steps = self._journey_steps(carrier, kind)
        reached = [step[2] for step in steps].index(stage)
        return steps[: reached + 1]

    @api.model
    def _journey_hours(self, carrier, stage, kind="outbound"):
        return self._journey(carrier, stage, kind)[-1][0]

    @api.model
    def _prepare_shipped_vals(self, dataset, shipment, number):
        carrier = shipment.carrier_id
        tracking = TRACKING_FORMATS.get(carrier.delivery_type, "OTD{n:08d}").format(n=number + 100)
        connector = carrier._omni_connector()
        weight = shipment.picking_id.shipping_weight or shipment.picking_id.weight
        return {
            "state": "done",
            "carrier_reference": f"{dataset['prefix']}-{tracking}",
            "tracking_number": tracking,
            "tracking_url": connector.tracking_url(tracking) if connector else False,
            "price": round(4.5 + 0.6 * weight, 2),
            "label_format": "pdf",
        }

    @api.model
    def _ship_picking(self, dataset, picking, shipment, number, start):
        """Record ``shipment`` as created by its carrier at ``start`` with its label,
        then send ``picking`` (its tracking reference set: no carrier is called)."""
        shipment.write(
            {**self._prepare_shipped_vals(dataset, shipment, number), "attempt_date": start}
        )
        shipment._omni_attach_label(self._demo_label(shipment), "pdf")
        picking.write(
            {
                "carrier_id": shipment.carrier_id.id,
                "carrier_tracking_ref": shipment.tracking_number,
                "carrier_price": shipment.price,
            }
        )
        self._send_pickings(picking)
        picking.date_done = start + timedelta(hours=1)

    @api.model
    def _prepare_failed_shipment_vals(self, dataset, shipment):
        carrier = shipment.carrier_id
        error = CarrierError(
            DEMO_FAILURE["message"].format(carrier=carrier.name),
            code=DEMO_FAILURE["code"],
            retryable=True,
        )
        # automatic retries are over: the failure waits on Omni's overview for
        # someone to retry it (the demo's fake carrier servers then create the label)
        return {
            "state": "error",
            "error_code": error.code,
            "error_message": str(error.message),
            "retryable": error.retryable,
            "outcome_unknown": False,
            "attempt_count": MAX_AUTOMATIC_ATTEMPTS,
        }

    # Tracking -------------------------------------------------------------------

    @api.model
    def _event_location(self, shipment, where):
        """Where: the warehouse's city, the carrier's hub, a relay point near the
        customer or the customer's city (the other way round for a return)."""
        picking = shipment.picking_id
        warehouse_city = picking.picking_type_id.warehouse_id.partner_id.city
        customer_city = picking.partner_id.city
        if shipment.kind == "return":
            warehouse_city, customer_city = customer_city, warehouse_city
        return {
            "origin": warehouse_city,
            "hub": HUBS.get(shipment.carrier_id.delivery_type, ""),
            "relay": f"{RELAY_POINT}, {picking.partner_id.city}",
            "destination": customer_city,
        }[where] or ""

    @api.model
    def _prepare_tracking_event_vals(self, shipment, step, start):
        hours, code, stage, description, where = step
        date = start + timedelta(hours=hours)
        return {
            "shipment_id": shipment.id,
            "tracking_number": shipment.tracking_number,
            "uid": f"{shipment.tracking_number}-{code}-{date:%Y%m%d%H%M}",
            "stage": stage,
            "code": code,
            "description": description,
            "location": self._event_location(shipment, where),
            "event_date": date,
            "source": "poll",
        }

    @api.model
    def _generate_tracking_events(self, dataset, shipment, stage, start):
        """The carrier's events of ``shipment`` up to ``stage``, and the stage and
        delivery date they give the shipment and its delivery (customers are not
        notified of demo events)."""
        events = self.env["omni.tracking.event"].create(
            [
                self._prepare_tracking_event_vals(shipment, step, start)
                for step in self._journey(shipment.carrier_id, stage, shipment.kind)
            ]
        )
        latest = events.sorted("event_date")[-1]
        delivered = latest.event_date if latest.stage == "delivered" else False
        shipment.write(
            {
                "tracking_stage": latest.stage,
                "delivered_date": delivered,
                "last_poll_date": fields.Datetime.now(),
            }
        )
        shipment.picking_id.write(
            {"omni_tracking_stage": latest.stage, "omni_delivered_date": delivered}
        )

    # Labels ------------------------------------------------------------------------

    @api.model
    def _demo_label(self, shipment):
        """A 4x6 in PDF label: carrier, sender, recipient, tracking barcode."""
        picking = shipment.picking_id
        sender = picking.picking_type_id.warehouse_id.partner_id or picking.company_id.partner_id
        recipient = picking.partner_id
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=(4 * inch, 6 * inch), invariant=True)
        pdf.setTitle(f"{shipment.carrier_id.name} {shipment.tracking_number}")
        top = 6 * inch - 36
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(18, top, shipment.carrier_id.name[:40])
        for offset, (title, partner) in enumerate((("FROM", sender), ("TO", recipient))):
            lines = [
                partner.name or "",
                partner.street or "",
                f"{partner.zip or ''} {partner.city or ''}".strip(),
                partner.country_id.name or "",
            ]
            y = top - 36 - offset * 120
            pdf.setFont("Helvetica-Bold", 9)
            pdf.drawString(18, y, title)
            pdf.setFont("Helvetica", 12 if title == "TO" else 10)
            for row, line in enumerate(lines, start=1):
                pdf.drawString(18, y - row * 16, line[:45])
        pdf.setFont("Helvetica", 9)
        pdf.drawString(18, 150, f"{picking.name}  {shipment.name}")
        barcode = code128.Code128(shipment.tracking_number, barHeight=60, barWidth=1.2)
        barcode.drawOn(pdf, 10, 70)
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(18, 50, shipment.tracking_number)
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()
