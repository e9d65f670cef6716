import time
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_round

from ..engine import routing

# the routing state a decision gives its order
ROUTING_STATES = {"complete": "routed", "backorder": "backorder", "held": "held"}


class OmniRoutingService(models.AbstractModel):
    """Order routing: where the quantities of confirmed orders ship from.

    Gathers in a few queries what the routing engine needs (order lines, candidate
    locations, their stock and load), runs the engine rule by rule, and writes the
    outcome as data: one decision per order (``omni.routing.decision``, which words it)
    and allocation lines that the orders' procurement follows. Sales orders call
    ``_route`` at confirmation and ``_reroute`` when a location gives quantities back.
    """

    _name = "omni.routing.service"
    _description = "Order Routing"

    @api.model
    def _route(self, orders, reason=None):
        """Decide where the quantities of these confirmed orders not yet sourced ship
        from, with the company's routing rules. Orders no rule applies to (and click &
        collect orders, prepared at their store) are left to Odoo's standard sourcing."""
        orders.check_access("write")
        rules_by_order = (
            self.env["omni.routing.rule"]
            .sudo()
            ._rules_for_orders(orders.filtered(lambda order: not order.omni_pickup_store_id))
        )
        orders = orders.filtered(lambda order: order in rules_by_order)
        if not orders:
            return
        to_route = self._quantities_to_route(orders)
        products = self.env["product.product"].browse(
            {row["product_id"] for rows in to_route.values() for row in rows.values()}
        )
        self.env["omni.routing.product.lock"]._lock(products, purpose="route")
        rules = self.env["omni.routing.rule"].union(*rules_by_order.values())
        context = self._gather(orders, rules, products)
        outcomes = []
        for order in orders:
            started = time.perf_counter()
            outcome = self._route_order(
                order, to_route.get(order, {}), rules_by_order[order], context
            )
            outcome["duration_ms"] = (time.perf_counter() - started) * 1000
            outcomes.append(outcome)
        self._write_outcomes(orders, outcomes, reason)

    @api.model
    def _route_again(self, orders, reason=None):
        """Route held ``orders`` again and send what got routed to the warehouses; an
        order whose pool was sold meanwhile is held with the reason."""
        self._route(orders, reason=reason or self.env._("Routing run again"))
        self._launch_routed(orders)

    @api.model
    def _launch_routed(self, orders):
        """Create the transfers of the ``orders`` not held, whose pools counted their
        units while they waited (held or queued); one the pool cannot serve any more
        (stock lost meanwhile) is held with the shortage."""
        routed = orders.filtered(lambda order: order.omni_routing_state != "held").with_context(
            omni_ats_counted=True
        )
        try:
            with self.env.cr.savepoint():
                routed.order_line._action_launch_stock_rule()
        except UserError:
            for order in routed:
                self._launch_or_hold(order)

    @api.model
    def _route_queued(self, orders):
        """Promise and route ``orders`` confirmed in peak mode, on the stock of now (not
        of their confirmation). They leave the queue first, so that routing counts them
        like the orders routed at confirmation. Those not held then wait for their transfers
        (``_launch_planned``), their units counted at the locations chosen; one held
        keeps its units counted in its pool."""
        # promised on the stock the batch finds, before routing counts them anywhere
        orders._omni_promise_store()
        orders.write({"omni_routing_state": "none"})
        self._route(orders, reason=self.env._("Routed in the background (peak mode)"))
        orders.filtered(lambda order: order.omni_routing_state != "held").write(
            {"omni_routing_state": "planned"}
        )

    @api.model
    def _launch_planned(self, orders):
        """Create the transfers of ``orders`` routed in the background, following their
        routing; one whose stock was lost meanwhile is held with the shortage."""
        statuses = self._latest_decision_statuses(orders)
        by_state = defaultdict(list)
        for order in orders:
            by_state[ROUTING_STATES.get(statuses.get(order.id), "none")].append(order.id)
        for state, order_ids in by_state.items():
            orders.browse(order_ids).write({"omni_routing_state": state})
        self._launch_routed(orders)

    @api.model
    def _latest_decision_statuses(self, orders):
        """{order id: status of its latest routing decision}, in one query."""
        self.env["omni.routing.decision"].flush_model(["order_id", "status"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (order_id) order_id, status
                  FROM omni_routing_decision
                 WHERE order_id = ANY(%s)
              ORDER BY order_id, id DESC
                """,
                orders.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _launch_or_hold(self, order):
        try:
            with self.env.cr.savepoint():
                order.order_line._action_launch_stock_rule()
        except UserError as shortage:
            order.omni_allocation_ids.filtered(
                lambda allocation: allocation.state == "planned"
            ).sudo().unlink()
            order.write({"omni_routing_state": "held", "omni_hold_reason": str(shortage)})

    @api.model
    def _reroute(self, order, moves, reason):
        """Give back to routing what ``moves`` (not done, leaving one source of
        ``order``) were to ship: cancel them, route their quantity again away from the
        locations already tried, and launch the new procurements. Return the new
        allocations (none when the order got held)."""
        moves = moves.filtered(
            lambda move: (
                move.state not in ("done", "cancel") and move.sale_line_id.order_id == order
            )
        )
        if not moves:
            return self.env["omni.routing.allocation"]
        # what the moves give back is sold again below: selling first, as everywhere
        self.env["omni.routing.product.lock"]._lock(moves.product_id, purpose="sell")
        self._release_allocations(order, moves)
        moves._action_cancel()
        before = order.omni_allocation_ids
        self._route(order, reason=reason)
        if order.omni_routing_state != "held":
            moves.sale_line_id._action_launch_stock_rule()
        return order.omni_allocation_ids - before

    # Gathering -------------------------------------------------------------------

    @api.model
    def _quantities_to_route(self, orders):
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
                orders.ids,
            )
        )
        result = defaultdict(dict)
        for row in self.env.cr.dictfetchall():
            missing = float_round(
                row["quantity"] - row["sourced"], precision_rounding=row["rounding"]
            )
            if missing > 0:
                row["quantity"] = missing
                result[orders.browse(row["order_id"])][row["id"]] = row
        return result

    @api.model
    def _gather(self, orders, rules, products):
        """What routing reads once for all these orders: each rule's candidates, the
        candidates' sites, stock left per location, pools' sellable stock per location,
        orders routed today per location."""
        candidates = {rule: rule._candidate_warehouses() for rule in rules}
        warehouses = self.env["stock.warehouse"].union(*candidates.values())
        return {
            "candidates": candidates,
            "sites": self._sites(warehouses),
            "stock": self._free_stock(warehouses, products),
            "pool_stock": {
                pool: pool._get_ats_by_warehouse(products)
                for pool in orders.team_id.omni_stock_pool_id
            },
            "orders_today": self._orders_routed_today(warehouses),
            "taken": defaultdict(float),
        }

    @api.model
    def _sites(self, warehouses):
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

    @api.model
    def _free_stock(self, warehouses, products):
        """{(product_id, warehouse_id): on hand minus what outgoing moves, and orders
        routed in the background whose transfers are not made yet, already claim}."""
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
                    UNION ALL
                    SELECT a.product_id, a.warehouse_id, -a.quantity
                      FROM omni_routing_allocation a
                      JOIN sale_order so ON so.id = a.order_id
                     WHERE a.state = 'planned' AND so.omni_routing_state = 'planned'
                       AND so.state = 'sale' AND a.warehouse_id = ANY(%(warehouses)s)
                       AND a.product_id = ANY(%(products)s)
                ) stock
                GROUP BY product_id, warehouse_id
                """,
                warehouses=warehouses.ids,
                products=products.ids,
            )
        )
        return {(product, warehouse): qty for product, warehouse, qty in self.env.cr.fetchall()}

    @api.model
    def _orders_routed_today(self, warehouses):
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

    # Deciding ----------------------------------------------------------------------

    @api.model
    def _route_order(self, order, quantities, rules, context):
        """Try ``rules`` on ``order``; return the outcome with the allocations' values."""
        Decision = self.env["omni.routing.decision"]
        outcome = {"status": "held", "rule": None, "attempts": [], "allocations": []}
        if not quantities:
            outcome.update(status="complete", reason=self.env._("Nothing left to route."))
            return outcome
        if not order.partner_shipping_id.country_id:
            outcome["reason"] = self.env._(
                "No delivery address: set the delivery address's country, then run routing again."
            )
            return outcome
        excluded = order.omni_allocation_ids.filtered(
            lambda allocation: allocation.state == "released"
        ).warehouse_id
        lines = self._engine_lines(order, quantities)
        for rule in rules:
            candidates = context["candidates"][rule] - excluded
            if not candidates:
                attempt = Decision._attempt_without_candidates(rule)
                outcome["attempts"].append(attempt)
                outcome["reason"] = attempt["outcome"]
            else:
                engine_candidates = self._engine_candidates(order, lines, candidates, rule, context)
                decision = routing.route(
                    lines, engine_candidates, self._destination(order), rule._engine_policy()
                )
                outcome["attempts"].append(Decision._attempt_trace(rule, decision))
                outcome["reason"] = outcome["attempts"][-1]["outcome"]
                if decision.status == "complete" or rule.failure_action == "backorder":
                    self._apply_decision(order, decision, rule, quantities, context, outcome)
                    if decision.unallocated:
                        outcome["reason"] = Decision._backorder_reason(
                            decision, lines, engine_candidates, order.warehouse_id
                        )
                    return outcome
            if rule.failure_action == "hold":
                return outcome
        return outcome

    @api.model
    def _engine_lines(self, order, quantities):
        products = self.env["product.product"].browse(
            {row["product_id"] for row in quantities.values()}
        )
        kits = products.filtered("is_kits").ids if "is_kits" in products._fields else []
        lines = []
        for line_id, row in quantities.items():
            group = None
            if row["omni_ship_together"]:
                group = ("order", order.id)
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

    @api.model
    def _engine_candidates(self, order, lines, warehouses, rule, context):
        pool = order.team_id.omni_stock_pool_id
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

    @api.model
    def _destination(self, order):
        partner = order.partner_shipping_id
        if partner.partner_latitude or partner.partner_longitude:
            return (partner.partner_latitude, partner.partner_longitude)
        return None

    @api.model
    def _apply_decision(self, order, decision, rule, quantities, context, outcome):
        for allocation in decision.allocations:
            product_id = quantities[allocation.line]["product_id"]
            context["taken"][(product_id, allocation.candidate)] += allocation.quantity
            outcome["allocations"].append(
                self._prepare_allocation_vals(
                    order, allocation.line, allocation.candidate, allocation.quantity
                )
            )
        for warehouse_id in {allocation.candidate for allocation in decision.allocations}:
            context["orders_today"][warehouse_id] = context["orders_today"].get(warehouse_id, 0) + 1
        for line_id, quantity in decision.unallocated.items():
            outcome["allocations"].append(
                self._prepare_allocation_vals(
                    order, line_id, order.warehouse_id.id, quantity, state="backorder"
                )
            )
        outcome.update(
            status="complete" if decision.status == "complete" else "backorder",
            rule=rule,
            shipments=decision.shipments,
            estimated_cost=decision.estimated_cost,
            nearest_first=decision.nearest_first,
        )

    # Writing -----------------------------------------------------------------------

    @api.model
    def _write_outcomes(self, orders, outcomes, reason):
        """The decisions and allocations of ``orders``, then their routing state."""
        decisions = (
            self.env["omni.routing.decision"]
            .sudo()
            .create(
                [
                    self.env["omni.routing.decision"]._prepare_decision_vals(order, outcome, reason)
                    for order, outcome in zip(orders, outcomes, strict=True)
                ]
            )
        )
        self.env["omni.routing.allocation"].sudo().create(
            [
                {**vals, "decision_id": decision.id}
                for decision, outcome in zip(decisions, outcomes, strict=True)
                for vals in outcome["allocations"]
            ]
        )
        now = self.env.cr.now()
        for order, decision in zip(orders, decisions, strict=True):
            order.write(
                {
                    "omni_routing_state": ROUTING_STATES[decision.status],
                    "omni_hold_reason": decision.reason if decision.status == "held" else False,
                    "omni_routed_date": now,
                }
            )

    @api.model
    def _prepare_allocation_vals(self, order, line_id, warehouse_id, quantity, state="planned"):
        return {
            "order_id": order.id,
            "order_line_id": line_id,
            "warehouse_id": warehouse_id,
            "quantity": quantity,
            "state": state,
        }

    @api.model
    def _release_allocations(self, order, moves):
        """Mark released what ``moves`` were to ship, so that routing does not send it
        to their locations again."""
        active = {
            (allocation.order_line_id, allocation.warehouse_id): allocation
            for allocation in order.sudo().omni_allocation_ids
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
                self._prepare_allocation_vals(
                    order, move.sale_line_id.id, warehouse.id, quantity, state="released"
                )
            )
        self.env["omni.routing.allocation"].sudo().create(released)
