import threading
import time
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_round

from ..engine import routing
from .omni_routing_allocation import ALLOCATION_READERS
from .omni_store_order import STORE_ORDER_READERS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_routing_state = fields.Selection(
        [
            ("none", "Not routed"),
            ("routed", "Routed"),
            ("backorder", "Partly backordered"),
            ("held", "Held"),
        ],
        string="Routing",
        default="none",
        required=True,
        copy=False,
        index=True,
    )
    omni_hold_reason = fields.Char(string="Held Because", copy=False, readonly=True)
    omni_allocation_ids = fields.One2many(
        "omni.routing.allocation",
        "order_id",
        string="Sourcing",
        copy=False,
        groups=ALLOCATION_READERS,
    )
    omni_decision_ids = fields.One2many(
        "omni.routing.decision",
        "order_id",
        string="Routing Decisions",
        copy=False,
        groups="sales_team.group_sale_salesman,omni_base.group_omni_manager",
    )

    omni_pickup_store_id = fields.Many2one(
        "stock.warehouse",
        string="Pickup Store",
        domain="[('omni_is_store', '=', True), ('omni_click_collect', '=', True), "
        "('company_id', '=', company_id)]",
        check_company=True,
        tracking=True,
        help="Click & collect: the store where the customer collects the order. The order "
        "is prepared there (items it lacks are brought to it), never at another store.",
    )
    omni_store_order_ids = fields.One2many(
        "omni.store.order",
        "sale_order_id",
        string="Store Orders",
        copy=False,
        groups=STORE_ORDER_READERS,
    )

    @api.depends("omni_pickup_store_id")
    def _compute_warehouse_id(self):
        result = super()._compute_warehouse_id()
        for order in self.filtered("omni_pickup_store_id"):
            order.warehouse_id = order.omni_pickup_store_id
        return result

    def write(self, vals):
        if vals.keys() & {"state", "omni_routing_state", "team_id"}:
            self._omni_ats_mark_dirty()
        return super().write(vals)

    def _omni_ats_mark_dirty(self):
        """Orders held by routing count in their pools' available to sell without a
        move: publish it again when that changes."""
        lines = self.filtered("team_id.omni_stock_pool_id").order_line
        self.env["omni.stock.pool"]._ats_mark_dirty(lines.product_id, self.company_id)

    def action_confirm(self):
        self._omni_check_pickup_store()
        # Checked before anything is written; the procurement launched by the
        # confirmation needs no second check.
        self.order_line._omni_check_available_to_sell(confirming=True)
        return super(SaleOrder, self.with_context(omni_ats_checked=True)).action_confirm()

    def _omni_check_pickup_store(self):
        for order in self.filtered("omni_pickup_store_id"):
            store = order.omni_pickup_store_id
            if not (store.omni_is_store and store.omni_click_collect):
                raise UserError(
                    self.env._(
                        "%(order)s: %(store)s does not offer click & collect; choose another "
                        "pickup store or enable the service on it.",
                        order=order.name,
                        store=store.name,
                    )
                )
            store._omni_check_opening_hours()
            if order.warehouse_id != store:
                order.warehouse_id = store

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

    def _action_cancel(self):
        """Cancel the transfers of every warehouse and store preparing these orders,
        including those the canceller may not see (store staff see their own stores'
        only): an order is never left cancelled with a transfer still reserving stock."""
        self.check_access("write")
        pickings = self.sudo().picking_ids
        unseen = pickings - pickings.with_env(self.env)._filtered_access("write")
        unseen.filtered(lambda picking: picking.state not in ("done", "cancel")).action_cancel()
        # the canceller's own view of the transfers, for the standard cancellation
        self.invalidate_recordset(["picking_ids"])
        return super()._action_cancel()

    def _action_confirm(self):
        self._omni_route()
        return super()._action_confirm()

    def action_omni_route(self):
        """Route held orders again and send what got routed to the warehouses."""
        orders = self.filtered(lambda order: order.state == "sale")
        orders._omni_route(reason=self.env._("Routing run again"))
        routed = orders.filtered(lambda o: o.omni_routing_state != "held")
        try:
            with self.env.cr.savepoint():
                routed.order_line._action_launch_stock_rule()
        except UserError:
            # Some orders' pools were sold meanwhile: send the others, hold these.
            for order in routed:
                order._omni_launch_or_hold()
        return True

    def _omni_launch_or_hold(self):
        """Send the routed order to its warehouses, or hold it with the reason when its
        pool cannot sell it any more."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.order_line._action_launch_stock_rule()
        except UserError as shortage:
            self.omni_allocation_ids.filtered(lambda a: a.state == "planned").sudo().unlink()
            self.write({"omni_routing_state": "held", "omni_hold_reason": str(shortage)})

    @api.model
    def _cron_omni_route_held(self, batch_size=200):
        """Route held orders again in batches, each committed on its own, as stock arrives."""
        domain = [("omni_routing_state", "=", "held"), ("state", "=", "sale")]
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        last_id = 0
        while True:
            batch = self.search([*domain, ("id", ">", last_id)], order="id", limit=batch_size)
            if not batch:
                break
            last_id = batch[-1].id
            batch.action_omni_route()
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    def _omni_reroute(self, moves, reason):
        """Give back to routing what ``moves`` (not done, leaving one source of this
        order) were to ship: cancel them, route their quantity again away from the
        locations already tried, and launch the new procurements. Return the new
        allocations (none when the order got held)."""
        self.ensure_one()
        moves = moves.filtered(
            lambda move: move.state not in ("done", "cancel") and move.sale_line_id.order_id == self
        )
        if not moves:
            return self.env["omni.routing.allocation"]
        self._omni_release_allocations(moves)
        moves._action_cancel()
        before = self.omni_allocation_ids
        self._omni_route(reason=reason)
        if self.omni_routing_state != "held":
            moves.sale_line_id._action_launch_stock_rule()
        return self.omni_allocation_ids - before

    def _omni_release_allocations(self, moves):
        """Mark released what ``moves`` were to ship, so that routing does not send it
        to their locations again."""
        active = {
            (allocation.order_line_id, allocation.warehouse_id): allocation
            for allocation in self.sudo().omni_allocation_ids
            if allocation.state != "released"
        }
        released = []
        for move in moves:
            warehouse = move.warehouse_id or move.location_id.warehouse_id
            allocation = active.get((move.sale_line_id, warehouse))
            quantity = move.product_qty
            rounding = move.product_id.uom_id.rounding
            if (
                allocation
                and float_compare(allocation.quantity, quantity, precision_rounding=rounding) > 0
            ):
                allocation.quantity -= quantity
            elif allocation:
                allocation.state = "released"
                continue
            released.append(
                self._prepare_omni_allocation_vals(
                    move.sale_line_id.id, warehouse.id, quantity, state="released"
                )
            )
        self.env["omni.routing.allocation"].sudo().create(released)

    # Routing -----------------------------------------------------------------

    def _omni_route(self, reason=None):
        """Decide where the quantities of these confirmed orders not yet sourced ship
        from, with the company's routing rules. Orders no rule applies to are left to
        Odoo's standard sourcing."""
        self.check_access("write")
        rules_by_order = (
            self.env["omni.routing.rule"]
            .sudo()
            ._rules_for_orders(self.filtered(lambda order: not order.omni_pickup_store_id))
        )
        orders = self.filtered(lambda order: order in rules_by_order)
        if not orders:
            return
        to_route = orders._omni_quantities_to_route()
        products = self.env["product.product"].browse(
            {row["product_id"] for rows in to_route.values() for row in rows.values()}
        )
        self.env["omni.routing.product.lock"]._lock(products)
        rules = self.env["omni.routing.rule"].union(*rules_by_order.values())
        candidates_by_rule = {rule: rule._candidate_warehouses() for rule in rules}
        warehouses = self.env["stock.warehouse"].union(*candidates_by_rule.values())
        context = orders._omni_routing_context(warehouses, products)
        context["candidates"] = candidates_by_rule
        decisions, allocations = [], []
        for order in orders:
            started = time.perf_counter()
            outcome = order._omni_route_one(to_route.get(order, {}), rules_by_order[order], context)
            decision_vals = order._prepare_omni_decision_vals(outcome, reason)
            decision_vals["duration_ms"] = (time.perf_counter() - started) * 1000
            decisions.append(decision_vals)
            allocations.append(outcome["allocations"])
        records = self.env["omni.routing.decision"].sudo().create(decisions)
        allocation_vals = [
            {**vals, "decision_id": decision.id}
            for decision, order_allocations in zip(records, allocations, strict=True)
            for vals in order_allocations
        ]
        self.env["omni.routing.allocation"].sudo().create(allocation_vals)
        for order, decision in zip(orders, records, strict=True):
            order.write(
                {
                    "omni_routing_state": {"complete": "routed"}.get(
                        decision.status, decision.status
                    ),
                    "omni_hold_reason": decision.reason if decision.status == "held" else False,
                }
            )

    def _omni_quantities_to_route(self):
        """{order: {line_id: line figures}} of the storable quantities not yet sourced
        (ordered, in the product's unit, minus what active allocations already send),
        in one query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.id, line.order_id, line.product_id, line.omni_ship_together,
                       line.product_uom_qty / line_uom.factor * product_uom.factor AS quantity,
                       product_uom.rounding, COALESCE(template.weight, 0) AS weight,
                       CASE WHEN line.product_uom_qty > 0
                            THEN line.price_subtotal / line.product_uom_qty
                                 * line_uom.factor / product_uom.factor
                            ELSE 0 END AS unit_value,
                       COALESCE((SELECT SUM(a.quantity) FROM omni_routing_allocation a
                                  WHERE a.order_line_id = line.id AND a.state != 'released'),
                                0) AS sourced
                  FROM sale_order_line line
                  JOIN product_product product ON product.id = line.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                  JOIN uom_uom line_uom ON line_uom.id = line.product_uom
                  JOIN uom_uom product_uom ON product_uom.id = template.uom_id
                 WHERE line.order_id = ANY(%s) AND line.display_type IS NULL
                   AND template.is_storable
                 ORDER BY line.order_id, line.sequence, line.id
                """,
                self.ids,
            )
        )
        result = defaultdict(dict)
        for row in self.env.cr.dictfetchall():
            missing = float_round(
                row["quantity"] - row["sourced"], precision_rounding=row["rounding"]
            )
            if missing > 0:
                row["quantity"] = missing
                result[self.browse(row["order_id"])][row["id"]] = row
        return result

    def _omni_routing_context(self, warehouses, products):
        """What routing reads once for all these orders: stock left per location,
        pools' sellable stock per location, orders routed today per location."""
        return {
            "sites": self._omni_sites(warehouses),
            "stock": self._omni_free_stock(warehouses, products),
            "pool_stock": {
                pool: pool._get_ats_by_warehouse(products)
                for pool in self.team_id.omni_stock_pool_id
            },
            "orders_today": self._omni_orders_routed_today(warehouses),
            "taken": defaultdict(float),
        }

    def _omni_sites(self, warehouses):
        """{warehouse_id: what the engine needs of it}, read in two queries."""
        rows = warehouses.read(
            [
                "name",
                "partner_id",
                "omni_routing_priority",
                "omni_daily_order_capacity",
                "omni_shipping_base_cost",
                "omni_shipping_cost_per_kg",
                "omni_shipping_cost_per_km",
            ],
            load=None,
        )
        partners = self.env["res.partner"].browse(
            row["partner_id"] for row in rows if row["partner_id"]
        )
        coordinates = {
            row["id"]: (row["partner_latitude"], row["partner_longitude"])
            for row in partners.read(["partner_latitude", "partner_longitude"], load=None)
            if row["partner_latitude"] or row["partner_longitude"]
        }
        return {
            row["id"]: {
                "name": row["name"],
                "coordinates": coordinates.get(row["partner_id"], (None, None)),
                "priority": row["omni_routing_priority"],
                "capacity": row["omni_daily_order_capacity"],
                "shipping": routing.ShippingCost(
                    base=row["omni_shipping_base_cost"],
                    per_kg=row["omni_shipping_cost_per_kg"],
                    per_km=row["omni_shipping_cost_per_km"],
                ),
            }
            for row in rows
        }

    def _omni_free_stock(self, warehouses, products):
        """{(product_id, warehouse_id): on hand minus what outgoing moves already claim}."""
        if not warehouses or not products:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT product_id, warehouse_id, SUM(quantity) FROM (
                    SELECT q.product_id, l.warehouse_id, q.quantity
                      FROM stock_quant q
                      JOIN stock_location l ON l.id = q.location_id
                     WHERE l.usage = 'internal' AND l.warehouse_id = ANY(%(warehouses)s)
                       AND q.product_id = ANY(%(products)s)
                    UNION ALL
                    SELECT m.product_id, l.warehouse_id, -m.product_qty
                      FROM stock_move m
                      JOIN stock_location l ON l.id = m.location_id
                      JOIN stock_location d ON d.id = m.location_dest_id
                     WHERE m.state IN ('waiting', 'confirmed', 'partially_available', 'assigned')
                       AND l.usage = 'internal' AND l.warehouse_id = ANY(%(warehouses)s)
                       AND d.warehouse_id IS DISTINCT FROM l.warehouse_id
                       AND m.product_id = ANY(%(products)s)
                ) stock
                GROUP BY product_id, warehouse_id
                """,
                warehouses=warehouses.ids,
                products=products.ids,
            )
        )
        return {(product, warehouse): qty for product, warehouse, qty in self.env.cr.fetchall()}

    def _omni_orders_routed_today(self, warehouses):
        if not warehouses:
            return {}
        # Days are counted in UTC, like the records' creation dates.
        self.env.cr.execute(
            SQL(
                """
                SELECT warehouse_id, COUNT(DISTINCT order_id) FROM omni_routing_allocation
                 WHERE warehouse_id = ANY(%s) AND state != 'released'
                   AND create_date >= date_trunc('day', %s::timestamp)
                 GROUP BY warehouse_id
                """,
                warehouses.ids,
                self.env.cr.now(),
            )
        )
        return dict(self.env.cr.fetchall())

    def _omni_route_one(self, quantities, rules, context):
        """Try ``rules`` on this order; return the outcome with the allocations' values."""
        self.ensure_one()
        outcome = {"status": "held", "rule": None, "attempts": [], "allocations": []}
        if not quantities:
            outcome.update(status="complete", reason=self.env._("Nothing left to route."))
            return outcome
        if not self.partner_shipping_id.country_id:
            outcome["reason"] = self.env._(
                "No delivery address: set the delivery address's country, then run routing again."
            )
            return outcome
        excluded = self.omni_allocation_ids.filtered(lambda a: a.state == "released").warehouse_id
        lines = self._omni_engine_lines(quantities)
        for rule in rules:
            candidates = context["candidates"][rule] - excluded
            if not candidates:
                attempt = {"rule": rule.name, "candidates": []}
                attempt["outcome"] = outcome["reason"] = self.env._(
                    "Rule %(rule)s has no candidate locations left: add warehouses or stores "
                    "to its location groups.",
                    rule=rule.name,
                )
                outcome["attempts"].append(attempt)
            else:
                decision = routing.route(
                    lines,
                    self._omni_engine_candidates(lines, candidates, rule, context),
                    self._omni_destination(),
                    rule._engine_policy(),
                )
                outcome["attempts"].append(self._omni_attempt_trace(rule, decision))
                outcome["reason"] = outcome["attempts"][-1]["outcome"]
                if decision.status == "complete" or rule.failure_action == "backorder":
                    self._omni_apply_decision(decision, rule, quantities, context, outcome)
                    return outcome
            if rule.failure_action == "hold":
                return outcome
        return outcome

    def _omni_engine_lines(self, quantities):
        products = self.env["product.product"].browse(
            {row["product_id"] for row in quantities.values()}
        )
        kits = products.filtered("is_kits").ids if "is_kits" in products._fields else []
        lines = []
        for line_id, row in quantities.items():
            group = None
            if row["omni_ship_together"]:
                group = ("order", self.id)
            elif row["product_id"] in kits:
                group = ("line", line_id)
            lines.append(
                routing.Line(
                    key=line_id,
                    product=row["product_id"],
                    quantity=row["quantity"],
                    unit_weight=row["weight"],
                    unit_value=row["unit_value"],
                    group=group,
                )
            )
        return lines

    def _omni_engine_candidates(self, lines, warehouses, rule, context):
        pool = self.team_id.omni_stock_pool_id
        stock = context["pool_stock"][pool] if pool and rule.respect_buffers else context["stock"]
        taken = context["taken"]
        products = {line.product for line in lines}
        candidates = []
        for warehouse_id in warehouses.ids:
            site = context["sites"][warehouse_id]
            capacity = site["capacity"]
            used = context["orders_today"].get(warehouse_id, 0)
            candidates.append(
                routing.Candidate(
                    key=warehouse_id,
                    name=site["name"],
                    latitude=site["coordinates"][0],
                    longitude=site["coordinates"][1],
                    stock={
                        product: max(
                            stock.get((product, warehouse_id), 0.0)
                            - taken.get((product, warehouse_id), 0.0),
                            0.0,
                        )
                        for product in products
                    },
                    priority=site["priority"],
                    capacity=capacity - used if capacity else None,
                    load=used / capacity if capacity else 0.0,
                    shipping=site["shipping"],
                )
            )
        return candidates

    def _omni_destination(self):
        partner = self.partner_shipping_id
        if partner.partner_latitude or partner.partner_longitude:
            return (partner.partner_latitude, partner.partner_longitude)
        return None

    def _omni_apply_decision(self, decision, rule, quantities, context, outcome):
        for allocation in decision.allocations:
            product_id = quantities[allocation.line]["product_id"]
            context["taken"][(product_id, allocation.candidate)] += allocation.quantity
            outcome["allocations"].append(
                self._prepare_omni_allocation_vals(
                    allocation.line, allocation.candidate, allocation.quantity
                )
            )
        for warehouse_id in {allocation.candidate for allocation in decision.allocations}:
            context["orders_today"][warehouse_id] = context["orders_today"].get(warehouse_id, 0) + 1
        for line_id, quantity in decision.unallocated.items():
            outcome["allocations"].append(
                self._prepare_omni_allocation_vals(
                    line_id, self.warehouse_id.id, quantity, state="backorder"
                )
            )
        outcome.update(
            status="complete" if decision.status == "complete" else "backorder",
            rule=rule,
            shipments=decision.shipments,
            estimated_cost=decision.estimated_cost,
            nearest_first=decision.nearest_first,
        )

    def _prepare_omni_allocation_vals(self, line_id, warehouse_id, quantity, state="planned"):
        return {
            "order_id": self.id,
            "order_line_id": line_id,
            "warehouse_id": warehouse_id,
            "quantity": quantity,
            "state": state,
        }

    def _prepare_omni_decision_vals(self, outcome, reason):
        nearest_first = outcome.get("nearest_first")
        held = outcome["status"] == "held"
        return {
            "order_id": self.id,
            "rule_id": outcome["rule"].id if outcome["rule"] else False,
            "status": outcome["status"],
            "reason": outcome.get("reason") if held else reason,
            "trace": {"attempts": outcome["attempts"]},
            "shipments": outcome.get("shipments", 0),
            "estimated_cost": outcome.get("estimated_cost", 0.0),
            "nearest_first_shipments": nearest_first.shipments if nearest_first else 0,
            "nearest_first_cost": nearest_first.cost if nearest_first else 0.0,
        }

    def _omni_attempt_trace(self, rule, decision):
        return {
            "rule": rule.name,
            "rule_id": rule.id,
            "status": decision.status,
            "outcome": self._omni_decision_summary(decision),
            "candidates": [
                {
                    "name": trace.name,
                    "rank": trace.rank,
                    "distance_km": None
                    if trace.distance_km is None
                    else round(trace.distance_km, 1),
                    "coverage": trace.coverage,
                    "estimated_cost": round(trace.estimated_cost, 2),
                    "load": trace.load,
                    "outcome": self.env._("Ships")
                    if trace.shipped
                    else self._omni_rejection_text(trace.rejection),
                }
                for trace in decision.candidates
            ],
        }

    def _omni_decision_summary(self, decision):
        if decision.status == "complete":
            return self.env._(
                "Routed in %(shipments)s shipment(s), estimated cost %(cost).2f.",
                shipments=decision.shipments,
                cost=decision.estimated_cost,
            )
        return {
            "no_candidate": self.env._("No candidate location."),
            "all_rejected": self.env._("No candidate location can ship this order."),
        }.get(
            decision.reason and decision.reason.code,
            self.env._("The candidate locations cannot ship all of this order."),
        )

    def _omni_rejection_text(self, rejection):
        if rejection is None:
            return self.env._("Not needed")
        details = rejection.details
        texts = {
            "no_coordinates": self.env._("No coordinates to measure the distance"),
            "at_capacity": self.env._("Took its daily order capacity"),
            "no_stock": self.env._("None of the products in stock"),
            "not_whole_order": self.env._("Does not hold the whole order"),
            "no_stock_for_rest": self.env._("Nothing left to ship from it"),
        }
        if rejection.code == "too_far":
            return self.env._(
                "%(distance)s km away, beyond %(limit)s km",
                distance=details["distance_km"],
                limit=details["max_distance_km"],
            )
        if rejection.code == "max_shipments":
            return self.env._(
                "Beyond the maximum of %(limit)s shipments", limit=details["max_shipments"]
            )
        if rejection.code == "split_below_min_value":
            return self.env._(
                "Its share (%(value)s) is below the minimum split value %(minimum)s",
                value=details["value"],
                minimum=details["min_value"],
            )
        return texts.get(rejection.code, rejection.code)
