from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from .omni_routing_allocation import ALLOCATION_READERS
from .omni_routing_product_lock import SELL_RESTARTS


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_ship_together = fields.Boolean(
        string="Ship Together",
        help="Routing ships all the lines of the order marked so from one location.",
    )
    omni_allocation_ids = fields.One2many(
        "omni.routing.allocation",
        "order_line_id",
        string="Sourcing",
        copy=False,
        groups=ALLOCATION_READERS,
    )

    @api.onchange("product_id", "product_uom_qty", "product_uom")
    def _onchange_omni_ats_warning(self):
        """Warn when the order asks for more of the product than its channel's pool
        may sell."""
        pool = self.order_id.team_id.omni_stock_pool_id
        product = self.product_id
        if not (pool and product.is_storable and self.product_uom_qty > 0):
            return None
        lines = self.order_id.order_line.filtered(lambda line: line.product_id == product)
        ordered = sum(lines._omni_ordered_quantities().values())
        available = pool._get_ats(product).get(product.id, 0.0)
        if float_compare(ordered, available, precision_rounding=product.uom_id.rounding) <= 0:
            return None
        return {"warning": self._omni_ats_warning(pool, product, ordered, available)}

    def _omni_ats_warning(self, pool, product, ordered, available):
        message = self.env._(
            "Channel %(channel)s can sell %(available)s %(uom)s of %(product)s (stock pool "
            "%(pool)s); this order asks for %(ordered)s.",
            channel=self.order_id.team_id.name,
            available=available,
            uom=product.uom_id.name,
            product=product.display_name,
            pool=pool.name,
            ordered=ordered,
        )
        if pool.block_oversell:
            message += "\n" + self.env._(
                "The order cannot be confirmed with this quantity: lower it, or have the "
                "pool replenished first."
            )
        return {"title": self.env._("Not enough available to sell"), "message": message}

    def _omni_ordered_quantities(self):
        """{line: ordered quantity in the product's unit} of the storable lines that
        take goods out; a line giving goods back (negative quantity) frees nothing for
        the others."""
        return {
            line: line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
            )
            for line in self
            if line.product_id.is_storable and not line.display_type and line.product_uom_qty > 0
        }

    def _action_launch_stock_rule(self, previous_product_uom_qty=False):
        context = self.env.context
        if not (context.get("skip_procurement") or context.get("omni_ats_checked")):
            self._omni_check_available_to_sell(previous_product_uom_qty)
        held = self.filtered(
            lambda line: line.order_id.omni_routing_state in ("held", "queued", "planned")
        )
        return super(SaleOrderLine, self - held)._action_launch_stock_rule(previous_product_uom_qty)

    def _omni_check_available_to_sell(self, previous_product_uom_qty=False, confirming=False):
        """Refuse to send out more than the available to sell of the pools that block
        overselling, whichever warehouse ships it: what these lines are about to
        procure (at confirmation, or when a confirmed order gets more) is compared
        with their channel's pool, whose figures stay locked until the transaction
        ends (a transaction that waited there for another seller and had written
        nothing yet checks again on a newer snapshot, see
        ``omni.routing.product.lock._lock_selling``). With ``omni_ats_counted`` in
        the context, the lines' units are already counted by their pools (orders
        queued or held by routing): launching them changes nothing others may sell,
        so the check takes no lock. With ``omni_ats_committed``, the lines' own
        orders are left out of the figures (being confirmed, they may already count
        as queued): the check locks and reads through a side transaction
        (``omni.routing.product.lock._sell_side``) that sees what other sellers
        committed, so none of them is retried."""
        demand = defaultdict(lambda: defaultdict(float))
        to_procure = self._omni_quantities_to_procure(previous_product_uom_qty, confirming)
        for line, quantity in to_procure.items():
            demand[line.order_id.team_id.omni_stock_pool_id][line.product_id] += quantity
        if not demand:
            return
        products = self.env["product.product"].union(*(line.product_id for line in to_procure))
        Lock = self.env["omni.routing.product.lock"]
        side = None
        if self.env.context.get("omni_ats_committed"):
            side = Lock._sell_side()
        if side:
            Lock._lock(products, purpose="sell", cr=side.cr)
        elif not self.env.context.get("omni_ats_counted"):
            restarts = self.env.context.get("omni_sell_restarts", 0)
            if not Lock._lock_selling(products, may_restart=restarts < SELL_RESTARTS):
                # started again on a newer snapshot: everything is read again
                return self.with_context(
                    omni_sell_restarts=restarts + 1
                )._omni_check_available_to_sell(previous_product_uom_qty, confirming)
        shortages = []
        for pool, quantities in demand.items():
            pool_products = self.env["product.product"].union(*quantities)
            if side:
                # what others committed, less what this transaction sold before
                available = pool._get_ats(pool_products, cr=side.cr)
                for product in pool_products:
                    available[product.id] = (
                        available.get(product.id, 0.0) - side.sold[(pool.id, product.id)]
                    )
            else:
                available = pool._get_ats(pool_products)
            for product, ordered in quantities.items():
                ats = available.get(product.id, 0.0)
                if float_compare(ordered, ats, precision_rounding=product.uom_id.rounding) > 0:
                    shortages.append((pool, product, ordered, ats))
        if shortages:
            raise UserError(self.order_id._omni_shortage_message(shortages))
        if side:
            self._omni_sold_through_side(side, demand)

    def _omni_sold_through_side(self, side, demand):
        """Count ``demand`` ({pool: {product: quantity}}) as sold by the transaction
        ``side`` serves."""
        for pool, quantities in demand.items():
            for product, quantity in quantities.items():
                side.sold[(pool.id, product.id)] += quantity

    def _omni_quantities_to_procure(self, previous_product_uom_qty=False, confirming=False):
        """{line: quantity in the product's unit} that the procurement of these lines,
        confirmed (or being confirmed) and of channels whose pool blocks overselling,
        is about to send out: what they order beyond what their moves already take."""
        lines = self.filtered(
            lambda line: (
                (confirming or (line.state == "sale" and not line.order_id.locked))
                and line.order_id.team_id.omni_stock_pool_id.block_oversell
            )
        )
        result = {}
        for line, ordered in lines._omni_ordered_quantities().items():
            procured = line.product_uom._compute_quantity(
                line._get_qty_procurement(previous_product_uom_qty),
                line.product_id.uom_id,
                raise_if_failure=False,
            )
            quantity = ordered - procured
            if float_compare(quantity, 0, precision_rounding=line.product_id.uom_id.rounding) > 0:
                result[line] = quantity
        return result

    def _create_procurements(self, product_qty, procurement_uom, origin, values):
        """One procurement per location routing chose for this line, in that location's
        warehouse; the rest (backorders included) follows Odoo's standard sourcing."""
        allocations = self.omni_allocation_ids.filtered(
            lambda allocation: allocation.state == "planned"
        )
        if not allocations:
            return super()._create_procurements(product_qty, procurement_uom, origin, values)
        product_uom = self.product_id.uom_id
        remaining = procurement_uom._compute_quantity(product_qty, product_uom)
        procurements = []
        for allocation in allocations:
            quantity = min(allocation.quantity, remaining)
            if float_is_zero(quantity, precision_rounding=product_uom.rounding):
                continue
            remaining -= quantity
            procurements += super()._create_procurements(
                quantity, product_uom, origin, dict(values, warehouse_id=allocation.warehouse_id)
            )
        allocations.sudo().state = "procured"
        if not float_is_zero(remaining, precision_rounding=product_uom.rounding):
            procurements += super()._create_procurements(remaining, product_uom, origin, values)
        return procurements
