from odoo import models


class Website(models.Model):
    _inherit = "website"

    def _omni_promise_destination(self, order=None):
        """Where the shopper's parcel goes: the order's delivery address or the
        shopper's own when it has a country, else the shop company's country."""
        # sudo: only the destination's country and zip are read
        partner = (order.partner_shipping_id if order else self.env.user.partner_id).sudo()
        if partner.country_id and not partner.is_public:
            return partner
        country = self.sudo().company_id.partner_id.country_id
        return self.env["res.partner"].sudo().new({"name": "-", "country_id": country.id})

    def _omni_promise_tz(self):
        return self.env.context.get("tz") or self.sudo().company_id.partner_id.tz or "UTC"

    def _omni_product_promise_text(self, product, quantity=1.0):
        """The promise of ``quantity`` of ``product`` (a variant) shown on its page."""
        self.ensure_one()
        if not product or not product.is_storable:
            return False
        # sudo: shoppers read the promise (a date), not the stock or channel behind it
        Service = self.env["omni.promise.service"].sudo()
        result = Service._promise_cart(
            self.company_id.sudo(),
            self.salesteam_id.sudo(),
            [(product.id, product.sudo(), quantity, product.display_name)],
            self._omni_promise_destination(),
        )
        return Service._promise_text(result, tz=self._omni_promise_tz())

    def _omni_cart_promise_text(self, order):
        """The promise of the cart ``order``: its latest line's date."""
        self.ensure_one()
        if not order:
            return False
        order = order.sudo()
        lines = order.order_line.filtered(
            lambda line: not line.display_type and line.product_id.is_storable
        )
        if not lines:
            return False
        Service = self.env["omni.promise.service"].sudo()
        result = Service._promise_cart(
            self.company_id.sudo(),
            order.team_id or self.salesteam_id.sudo(),
            [
                (
                    line.id,
                    line.product_id,
                    line.product_uom._compute_quantity(
                        line.product_uom_qty, line.product_id.uom_id
                    ),
                    line.product_id.display_name,
                )
                for line in lines
            ],
            self._omni_promise_destination(order),
            store=order.omni_pickup_store_id,
            carrier=order.carrier_id,
        )
        return Service._promise_text(result, tz=self._omni_promise_tz())
