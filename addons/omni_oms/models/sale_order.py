from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        self._omni_check_available_to_sell()
        return super().action_confirm()

    def _omni_check_available_to_sell(self):
        """Refuse orders of channels whose pool blocks overselling when they ask for
        more than the pool's ATS, all orders being confirmed together."""
        demand = defaultdict(lambda: defaultdict(float))
        for order in self:
            pool = order.team_id.omni_stock_pool_id
            if not pool.block_oversell:
                continue
            for line, quantity in order.order_line._omni_ordered_quantities().items():
                demand[pool][line.product_id] += quantity
        shortages = []
        for pool, quantities in demand.items():
            products = self.env["product.product"].union(*quantities)
            pool._ats_lock(products)
            available = pool._get_ats(products)
            for product, ordered in quantities.items():
                ats = available.get(product.id, 0.0)
                if float_compare(ordered, ats, precision_rounding=product.uom_id.rounding) > 0:
                    shortages.append((pool, product, ordered, ats))
        if shortages:
            raise UserError(self._omni_shortage_message(shortages))

    def _omni_shortage_message(self, shortages):
        lines = [
            self.env._(
                "- %(product)s: %(ordered)s %(uom)s ordered, %(available)s available to sell "
                "in pool %(pool)s",
                product=product.display_name,
                ordered=ordered,
                uom=product.uom_id.name,
                available=available,
                pool=pool.name,
            )
            for pool, product, ordered, available in shortages
        ]
        return "\n".join(
            [
                self.env._(
                    "%(orders)s cannot be confirmed: the stock its channel may sell is short.",
                    orders=", ".join(self.mapped("name")),
                ),
                *lines,
                self.env._("Lower these quantities, or confirm once the pool is replenished."),
            ]
        )
