# pylint: disable=consider-merging-classes-inherited
# The return model in files by subject: request, receipt, inspection, refund.
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

_logger = logging.getLogger(__name__)


class OmniReturn(models.Model):
    """The goods coming back: Odoo's return transfers, the carrier's return labels, the receipt."""

    _inherit = "omni.return"

    # Return transfers ------------------------------------------------------------------

    def _create_return_pickings(self):
        """Odoo's return of each delivery the lines come from, into the receiving
        warehouse's returns location."""
        self.ensure_one()
        if self.picking_ids:
            return self.picking_ids
        by_delivery = self._moves_to_return()
        pickings = self.env["stock.picking"]
        for delivery, parts in by_delivery.items():
            wizard = (
                self.env["stock.return.picking"]
                .sudo()
                .with_context(omni_return_warehouse_id=self.warehouse_id.id)
                .create({"picking_id": delivery.id})
            )
            wizard.product_return_moves = [Command.clear()] + [
                Command.create(
                    {
                        "move_id": move.id,
                        "product_id": move.product_id.id,
                        "quantity": quantity,
                        "to_refund": True,
                        "omni_return_line_id": line.id,
                    }
                )
                for move, quantity, line in parts
            ]
            picking = wizard._create_return()
            picking.write(self._prepare_return_picking_vals())
            pickings |= picking
        return pickings

    def _prepare_return_picking_vals(self):
        return {"omni_return_id": self.id, "origin": f"{self.name} ({self.sale_order_id.name})"}

    def _moves_to_return(self):
        """{delivery: [(delivered move, quantity in the move's unit, return line)]}: the
        quantities of each line taken from its delivered moves, the latest first, less
        what was returned of them already."""
        self.ensure_one()
        taken = defaultdict(float)
        by_delivery = defaultdict(list)
        for line in self.line_ids:
            moves = (
                line.sale_line_id.sudo()
                .move_ids.filtered(
                    lambda m: (
                        m.state == "done"
                        and m.location_dest_id.usage == "customer"
                        and not m.origin_returned_move_id
                    )
                )
                .sorted(lambda m: (m.date, m.id), reverse=True)
            )
            wanted = line.product_uom_id._compute_quantity(line.quantity, line.product_id.uom_id)
            for move in moves:
                rounding = move.product_uom.rounding
                if float_is_zero(wanted, precision_rounding=rounding):
                    break
                returned = sum(
                    returned_move.product_qty
                    for returned_move in move.returned_move_ids
                    if returned_move.state != "cancel"
                )
                left = move.product_qty - returned - taken[move]
                quantity = min(left, wanted)
                if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0:
                    continue
                taken[move] += quantity
                wanted -= quantity
                by_delivery[move.picking_id].append((move, quantity, line))
            if float_compare(wanted, 0.0, precision_rounding=line.product_id.uom_id.rounding) > 0:
                raise UserError(
                    self.env._(
                        "%(product)s: the deliveries of %(order)s have %(missing)s %(uom)s "
                        "fewer to return than asked; check what was returned already.",
                        product=line.product_id.display_name,
                        order=self.sale_order_id.name,
                        missing=wanted,
                        uom=line.product_id.uom_id.name,
                    )
                )
        return by_delivery

    # Labels and drop-off -----------------------------------------------------------------

    def _send_instructions(self):
        """Send the carrier's return label, or the drop-off instructions; the return
        then awaits the goods. A label the carrier could not create leaves the return
        approved, with an activity to try again."""
        self.ensure_one()
        if self.return_method == "label":
            try:
                with self.env.cr.savepoint():
                    self._create_labels()
            except UserError as error:
                self._report_label_failure(error)
                return False
        self.state = "awaiting"
        self._notify("approved")
        return True

    def action_send_label(self):
        """Create the return label again (after a failure) and send it."""
        self._check_state(("approved", "awaiting"), self.env._("sent a label"))
        for rma in self:
            if rma.return_method != "label":
                raise UserError(
                    self.env._(
                        "%(rma)s is dropped off at %(store)s: it needs no label.",
                        rma=rma.name,
                        store=rma.warehouse_id.name,
                    )
                )
            if rma.state == "awaiting":
                rma._notify("approved")
                continue
            rma._create_labels()
            rma.state = "awaiting"
            rma._notify("approved")
        return True

    def _create_labels(self):
        """The carrier's return label of each return transfer, by the carrier rules for
        returns (else the delivery's carrier)."""
        self.ensure_one()
        for picking in self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
            if picking.return_label_ids:
                continue
            carrier = self._return_carrier(picking)
            delivery = picking.return_id
            carrier.get_return_label(
                picking,
                tracking_number=delivery.carrier_tracking_ref or None,
                origin_date=delivery.date_done,
            )
            shipment = (
                self.env["omni.shipment"]
                .sudo()
                .search(
                    [
                        ("picking_id", "=", picking.id),
                        ("kind", "=", "return"),
                        ("state", "=", "done"),
                    ],
                    limit=1,
                )
            )
            picking.sudo().carrier_tracking_ref = shipment.tracking_number or False
            picking.invalidate_recordset(["return_label_ids"])
            self.carrier_id = carrier

    def _return_carrier(self, picking):
        """The carrier of ``picking``'s return label: the carrier rules for returns
        choose it as for deliveries; without such a rule, the delivery's carrier if it
        makes return labels."""
        selection = (
            self.env["omni.carrier.selection"].sudo().with_context(omni_shipment_kind="return")
        )
        shipment = picking._omni_shipping_data()
        rules = selection._omni_rules(picking.company_id)
        if rules:
            result = selection._omni_select(shipment, "packing", self.sale_order_id, picking)
            picking.sudo().with_context(omni_carrier_selection=True).write(
                {
                    "carrier_id": result["carrier"].id,
                    "omni_carrier_rule_id": result["rule"].id,
                    "omni_carrier_note": result["note"],
                }
            )
            self.message_post(body=result["note"])
            return result["carrier"].sudo()
        carrier = picking.return_id.carrier_id.sudo()
        if not carrier or not carrier.can_generate_return:
            raise UserError(
                self.env._(
                    "No carrier can make the return label of %(picking)s: add a carrier rule "
                    "for returns in Omni > Configuration > Carrier Rules, or have the goods "
                    "dropped off at a store.",
                    picking=picking.name,
                )
            )
        picking.sudo().carrier_id = carrier
        return carrier

    def _report_label_failure(self, error):
        self.ensure_one()
        _logger.info("Return label of %s not created: %s", self.name, error)
        self.message_post(
            body=Markup("%s<br/>%s")
            % (self.env._("The return label could not be created:"), str(error))
        )
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("Send the return label"),
            note=str(error),
            user_id=(self.user_id or self.env.user).id,
        )

    def _label_attachments(self):
        """The return labels of this return (for the e-mail and the portal)."""
        return self.picking_ids.sudo().return_label_ids

    def _update_tracking(self, events):
        """Say on each return the tracking events its return shipments received."""
        stages = dict(events._fields["stage"]._description_selection(self.env))
        for rma in self:
            mine = events.filtered(lambda event, rma=rma: event.picking_id in rma.picking_ids)
            for event in mine.sorted(lambda e: (e.event_date, e.id)):
                description = " (%s)" % event.description if event.description else ""
                rma.message_post(
                    body=self.env._(
                        "Return parcel %(tracking)s: %(stage)s%(description)s",
                        tracking=event.tracking_number,
                        stage=stages.get(event.stage, event.stage),
                        description=description,
                    )
                )

    # Receipt ---------------------------------------------------------------------------

    def action_receive(self):
        """Receive every unit asked for (the return transfers validated in full)."""
        self._check_state(("approved", "awaiting"), self.env._("received"))
        for rma in self:
            rma._receive()
        return True

    def _receive(self, quantities=None):
        """Validate the open return transfers with ``quantities`` ({return line: units,
        in the order line's unit}; all asked for when None) and no backorder."""
        self.ensure_one()
        pickings = self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        if not pickings:
            raise UserError(self.env._("%(rma)s has no return transfer to receive.", rma=self.name))
        left = dict(quantities) if quantities is not None else None
        for move in pickings.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            wanted = move.product_uom_qty
            if left is not None:
                line = move.omni_return_line_id
                asked = line.product_uom_id._compute_quantity(left.get(line, 0.0), move.product_uom)
                wanted = min(asked, wanted)
                left[line] = left.get(line, 0.0) - move.product_uom._compute_quantity(
                    wanted, line.product_uom_id
                )
            move.quantity = wanted
            move.picked = True
        if all(
            float_is_zero(move.quantity, precision_rounding=move.product_uom.rounding)
            for move in pickings.move_ids
        ):
            raise UserError(self.env._("Nothing was received: give the units received."))
        result = pickings.with_context(
            skip_backorder=True,
            picking_ids_not_to_backorder=pickings.ids,
            skip_sms=True,
        ).button_validate()
        if result is not True and pickings.filtered(lambda p: p.state != "done"):
            raise UserError(
                self.env._(
                    "%(pickings)s could not be validated: open them to check their quantities.",
                    pickings=", ".join(pickings.mapped("name")),
                )
            )
        return True

    def _on_pickings_done(self):
        """A return transfer was validated: once none is left open, the goods are
        received (a waiting exchange order is confirmed)."""
        for rma in self.filtered(lambda r: r.state in ("approved", "awaiting")):
            if rma.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
                continue
            rma.state = "received"
            rma.activity_unlink(["mail.mail_activity_data_warning"])
            if rma.exchange_order_id.state in ("draft", "sent"):
                rma._confirm_exchange_order()
            rma._notify("received")
