import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .omni_carrier_rule import SERVICE_LEVELS

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ("sale.order", "omni.shipping.document")

    omni_service_level = fields.Selection(
        SERVICE_LEVELS,
        string="Service Level",
        compute="_compute_omni_service_level",
        store=True,
        readonly=False,
        help="Delivery service the customer chose; carrier rules can depend on it. A "
        "pickup point chosen at checkout makes it a relay-point delivery.",
    )
    omni_carrier_rule_id = fields.Many2one(
        "omni.carrier.rule", string="Carrier Rule", copy=False, readonly=True
    )
    omni_carrier_note = fields.Char(string="Carrier Choice", copy=False, readonly=True)
    omni_carrier_quote_ids = fields.One2many(
        "omni.carrier.quote",
        "order_id",
        string="Carrier Quotes",
        readonly=True,
        groups="sales_team.group_sale_salesman,stock.group_stock_user",
    )

    @api.depends("pickup_location_data")
    def _compute_omni_service_level(self):
        for order in self:
            if order.pickup_location_data:
                order.omni_service_level = "relay"
            elif not order.omni_service_level or order.omni_service_level == "relay":
                order.omni_service_level = "standard"

    # Shipment (omni.shipping.document) ------------------------------------------------

    def _omni_sale_order(self):
        return self

    def _omni_sender(self):
        return self.warehouse_id.partner_id or self.company_id.partner_id

    def _omni_recipient(self):
        return self.partner_shipping_id

    def _omni_parcels(self):
        """One parcel of the order's estimated weight: it is packed later."""
        return [self._omni_parcel(self.shipping_weight or self._get_estimated_weight())]

    def _omni_value_date(self):
        return fields.Date.to_date(self.date_order) or super()._omni_value_date()

    # Carrier choice -------------------------------------------------------------------

    def _omni_select_carrier(self):
        """The carrier the carrier rules choose for this order (see
        ``omni.carrier.selection._omni_select``)."""
        self.ensure_one()
        return self.env["omni.carrier.selection"]._omni_select(
            self._omni_shipping_data(), "order", self
        )

    def action_omni_choose_carrier(self):
        """Choose the carrier by the carrier rules and set the delivery line."""
        for order in self:
            if order.state not in ("draft", "sent", "sale"):
                raise UserError(
                    self.env._(
                        "%(order)s is %(state)s: only quotations and confirmed orders get a "
                        "carrier.",
                        order=order.name,
                        state=dict(order._fields["state"]._description_selection(self.env))[
                            order.state
                        ],
                    )
                )
            order._omni_apply_carrier_choice(order._omni_select_carrier())
        return True

    def _omni_apply_carrier_choice(self, result):
        """Set the delivery line through Odoo's own mechanism and record why."""
        self.ensure_one()
        self.with_context(omni_carrier_selection=True).set_delivery_line(
            result["carrier"], result["price"]
        )
        self.write(
            {
                "omni_carrier_rule_id": result["rule"].id,
                "omni_carrier_note": result["note"],
                "delivery_message": result["warning"],
                "recompute_delivery_price": False,
            }
        )
        self.message_post(body=result["note"])

    def _action_confirm(self):
        self._omni_choose_carrier_on_confirm()
        return super()._action_confirm()

    def _omni_choose_carrier_on_confirm(self):
        """Orders without delivery line get a carrier by the rules when the company asks
        for it; a problem is noted on the order and never stops the confirmation."""
        orders = self.filtered(
            lambda o: (
                o.company_id.omni_carrier_rules_on_confirm
                and not o.delivery_set
                and not o.is_all_service
            )
        )
        for order in orders:
            try:
                result = order._omni_select_carrier()
            except UserError as error:
                _logger.info("No carrier chosen for %s: %s", order.name, error)
                order.message_post(
                    body=Markup("%s<br/>%s")
                    % (self.env._("No carrier was chosen by the carrier rules:"), str(error))
                )
                continue
            order._omni_apply_carrier_choice(result)

    # Pickup points (carriers with <type>_use_locations) -------------------------------

    omni_use_pickup_locations = fields.Boolean(
        string="Delivered to a Pickup Point",
        compute="_compute_omni_use_pickup_locations",
        help="The order's carrier delivers to pickup points (relay points) the customer chooses.",
    )
    omni_pickup_location = fields.Char(
        string="Pickup Point",
        compute="_compute_omni_pickup_location",
        help="Pickup point chosen for the order: it becomes the delivery address when the "
        "order is confirmed.",
    )

    @api.depends("carrier_id.delivery_type")
    def _compute_omni_use_pickup_locations(self):
        for order in self:
            carrier = order.carrier_id
            order.omni_use_pickup_locations = bool(
                carrier and getattr(carrier, f"{carrier.delivery_type}_use_locations", False)
            )

    @api.depends("pickup_location_data")
    def _compute_omni_pickup_location(self):
        for order in self:
            data = order.pickup_location_data or {}
            parts = [
                data.get("name"),
                data.get("street"),
                " ".join(filter(None, (data.get("zip_code"), data.get("city")))),
            ]
            label = ", ".join(part for part in parts if part)
            order.omni_pickup_location = f"{label} ({data['id']})" if data.get("id") else False

    def action_omni_choose_pickup_location(self):
        """Open the search of the carrier's pickup points near the delivery address."""
        self.ensure_one()
        partner = self.partner_shipping_id
        wizard = self.env["omni.pickup.location.wizard"].create(
            {
                "order_id": self.id,
                "zip_code": partner.zip or "",
                "country_id": (partner.country_id or self.company_id.country_id).id,
            }
        )
        return wizard.action_search()
