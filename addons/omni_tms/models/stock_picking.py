import logging

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from .omni_carrier_selection import NoCarrierQuote

_logger = logging.getLogger(__name__)

STAGE_SELECTION = [
    ("label_created", "Label created"),
    ("picked_up", "Picked up"),
    ("in_transit", "In transit"),
    ("out_for_delivery", "Out for delivery"),
    ("delivered", "Delivered"),
    ("exception", "Exception"),
    ("returned", "Returned to sender"),
]


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ("stock.picking", "omni.shipping.document")

    omni_carrier_rule_id = fields.Many2one(
        "omni.carrier.rule",
        string="Carrier Rule",
        copy=False,
        readonly=True,
        help="Rule that chose the carrier; it chooses again at validation, with the real "
        "weight. Choosing a carrier by hand removes it.",
    )
    omni_carrier_note = fields.Char(string="Carrier Choice", copy=False, readonly=True)
    omni_carrier_quote_ids = fields.One2many(
        "omni.carrier.quote",
        "picking_id",
        string="Carrier Quotes",
        readonly=True,
        groups="sales_team.group_sale_salesman,stock.group_stock_user",
    )
    omni_shipment_ids = fields.One2many(
        "omni.shipment",
        "picking_id",
        string="Carrier Shipments",
        readonly=True,
        groups="stock.group_stock_user",
    )
    omni_tracking_event_ids = fields.One2many(
        "omni.tracking.event",
        "picking_id",
        string="Tracking Events",
        readonly=True,
        groups="stock.group_stock_user",
    )
    omni_tracking_stage = fields.Selection(
        STAGE_SELECTION, string="Tracking Stage", copy=False, readonly=True, index=True
    )
    omni_delivered_date = fields.Datetime(string="Delivered On", copy=False, readonly=True)
    omni_is_connector = fields.Boolean(related="carrier_id.omni_is_connector")

    def write(self, vals):
        if "carrier_id" in vals and not self.env.context.get("omni_carrier_selection"):
            vals = {**vals, "omni_carrier_rule_id": False}
        return super().write(vals)

    # Shipment (omni.shipping.document) ------------------------------------------------

    def _omni_sale_order(self):
        return self.sale_id

    def _omni_sender(self):
        return self.picking_type_id.warehouse_id.partner_id or self.company_id.partner_id

    def _omni_recipient(self):
        return self.partner_id

    def _omni_parcels(self):
        """One parcel per package, plus the products not packed."""
        packages = self.move_line_ids.result_package_id
        weights = packages.sudo()._get_weight(self.id) if packages else {}
        parcels = [
            self._omni_parcel(
                package.shipping_weight or weights[package], package.package_type_id, package.name
            )
            for package in packages
        ]
        if self.weight_bulk:
            parcels.append(self._omni_parcel(self.weight_bulk, reference=self.name))
        if not parcels:
            parcels.append(self._omni_parcel(self.shipping_weight or self._get_estimated_weight()))
        return parcels

    def _omni_package_types(self):
        return self.move_line_ids.result_package_id.package_type_id

    def _omni_promised_date(self):
        return self.sale_id.commitment_date if self.sale_id else self.date_deadline

    # Carrier choice -------------------------------------------------------------------

    def action_omni_choose_carrier(self):
        """Choose the carrier by the carrier rules, with the packed weight."""
        for picking in self:
            if picking.carrier_tracking_ref:
                raise UserError(
                    self.env._(
                        "%(picking)s already has a label (%(tracking)s): cancel it first.",
                        picking=picking.name,
                        tracking=picking.carrier_tracking_ref,
                    )
                )
            picking._omni_apply_carrier_choice(picking._omni_select_carrier())
        return True

    def _omni_select_carrier(self):
        """The carrier the carrier rules choose for this delivery, with its packed
        weight (see ``omni.carrier.selection._omni_select``)."""
        self.ensure_one()
        return self.env["omni.carrier.selection"]._omni_select(
            self._omni_shipping_data(), "packing", self.sale_id, self
        )

    def _omni_apply_carrier_choice(self, result):
        self.ensure_one()
        changed = result["carrier"] != self.carrier_id
        self.with_context(omni_carrier_selection=True).write(
            {
                "carrier_id": result["carrier"].id,
                "omni_carrier_rule_id": result["rule"].id,
                "omni_carrier_note": result["note"],
            }
        )
        self.message_post(
            body=self.env._("Carrier changed at packing. %(note)s", note=result["note"])
            if changed
            else result["note"]
        )

    def _omni_choose_carriers_at_packing(self):
        """Deliveries whose carrier a rule chose get it chosen again with the real
        weight. Carriers that fail to quote do not block: the carrier stays."""
        for picking in self.filtered(
            lambda p: (
                p.omni_carrier_rule_id
                and p.picking_type_code == "outgoing"
                and not p.carrier_tracking_ref
            )
        ):
            try:
                result = picking._omni_select_carrier()
            except NoCarrierQuote as error:
                _logger.info("Carrier of %s kept: %s", picking.name, error)
                picking.message_post(
                    body=Markup("%s<br/>%s")
                    % (self.env._("The carrier was kept: no carrier could quote."), str(error))
                )
                continue
            picking._omni_apply_carrier_choice(result)

    def _action_done(self):
        self._omni_choose_carriers_at_packing()
        return super()._action_done()

    # Labels ---------------------------------------------------------------------------

    def action_omni_create_label(self):
        """Create the carrier's label now, before the delivery is validated; validating
        it later keeps this label."""
        for picking in self:
            if not picking.carrier_id.omni_is_connector:
                raise UserError(
                    self.env._(
                        "%(carrier)s does not create labels from Odoo.",
                        carrier=picking.carrier_id.name or self.env._("No carrier"),
                    )
                )
            if not picking.carrier_tracking_ref:
                picking.send_to_shipper()
        return True

    def _omni_label_attachments(self):
        """The labels of these pickings' carrier shipments (not of their returns)."""
        return (
            self.env["omni.shipment"]
            .search(
                [
                    ("picking_id", "in", self.ids),
                    ("kind", "=", "outbound"),
                    ("state", "=", "done"),
                ],
                order="picking_id, id",
            )
            .label_attachment_id
        )
