import datetime as dt
from collections import defaultdict
from dataclasses import replace

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import order_rules, promise, routing

# How far ahead public holidays are read.
HOLIDAY_HORIZON_DAYS = 120
INCOMING_STATES = ("waiting", "confirmed", "partially_available", "assigned")


class OmniPromiseService(models.AbstractModel):
    """Delivery promise: when a cart, a quotation or an order reaches its customer.

    Gathers in a few queries what the promise engine needs from the same place routing
    looks: the candidates of the routing rule that would take the order (or the
    order's warehouse when no rule applies, or its pickup store), their stock, their
    orders of the day against their capacity, their working calendars and public
    holidays, their handling time and, when the transport add-on is installed, the
    carrier services picking up there (cut-off, transit table). Routing's own engine
    tells which candidates would ship each line; the promise engine dates it.
    """

    _name = "omni.promise.service"
    _description = "Delivery Promise"

    # Entry points ------------------------------------------------------------------

    @api.model
    def _promise_order(self, order, now=None):
        """The engine's ``Promise`` for a sale ``order`` (quotation or confirmed)."""
        order.ensure_one()
        return self._promise_orders(order, now)[order]

    @api.model
    def _promise_orders(self, orders, now=None):
        """{order: the engine's ``Promise``} of sale ``orders``: what orders of the same
        company, pool, routing rule, warehouse, pickup store and carrier share (sites,
        their stock, calendars, carriers) is read once for all of them, on the stock
        they find together."""
        if not orders:
            return {}
        orders = orders.sudo()
        now = now or fields.Datetime.now()
        items = self._orders_items(orders)
        Rule = self.env["omni.routing.rule"]
        rules = Rule.sudo()._rules_for_orders(
            orders.filtered(lambda order: order.id and not order.omni_pickup_store_id)
        )
        groups = defaultdict(list)
        for order in orders:
            carrier = order.carrier_id if "carrier_id" in order._fields else None
            key = (
                order.company_id,
                order.team_id.omni_stock_pool_id,
                rules.get(order, Rule)[:1],
                order.warehouse_id,
                order.omni_pickup_store_id,
                carrier,
            )
            groups[key].append(order)
        promises = {}
        for (company, pool, rule, warehouse, store, carrier), group in groups.items():
            products = self.env["product.product"].browse(
                {item[1] for order in group for item in items[order.id] if item[1]}
            )
            context = self._promise_context(
                company, pool, products, rule, warehouse, store, carrier, now
            )
            for order in group:
                promises[order] = self._promise_items(
                    context, items[order.id], order.partner_shipping_id
                )
        return promises

    @api.model
    def _orders_items(self, orders):
        """{order id: [(line id, product id, quantity in the product's unit, label)]} of
        the orders' storable lines, in one query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT line.order_id, line.id, line.product_id,
                       line.product_uom_qty / line_uom.factor * product_uom.factor,
                       COALESCE(product.default_code, template.name->>%(lang)s,
                                template.name->>'en_US')
                  FROM sale_order_line line
                  JOIN product_product product ON product.id = line.product_id
                  JOIN product_template template ON template.id = product.product_tmpl_id
                  JOIN uom_uom line_uom ON line_uom.id = line.product_uom
                  JOIN uom_uom product_uom ON product_uom.id = template.uom_id
                 WHERE line.order_id = ANY(%(orders)s) AND line.display_type IS NULL
                   AND template.is_storable
                 ORDER BY line.order_id, line.sequence, line.id
                """,
                orders=[order_id for order_id in orders.ids if order_id],
                lang=self.env.lang or "en_US",
            )
        )
        items = defaultdict(list)
        for order_id, *item in self.env.cr.fetchall():
            items[order_id].append(tuple(item))
        return items

    @api.model
    def _promise_cart(self, company, channel, items, partner, store=None, carrier=None, now=None):
        """The engine's ``Promise`` for a cart that is no order yet: ``items`` are
        (key, product or empty, quantity, label), ``partner`` a (new) record with the
        destination's country and zip."""
        rules = self.env["omni.routing.rule"]
        if not store:
            rules = self._cart_rules(company, channel, items, partner)
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        return self._promise(
            company,
            channel.omni_stock_pool_id,
            [(key, product.id or None, quantity, label) for key, product, quantity, label in items],
            partner,
            rules,
            warehouse,
            store or self.env["stock.warehouse"],
            carrier,
            now,
        )

    @api.model
    def _cart_rules(self, company, channel, items, partner):
        """The company's routing rules a cart would match (rules filtering orders with
        a domain need an order: they are left out)."""
        products = self.env["product.product"].browse(
            [product.id for _key, product, _qty, _label in items if product]
        )
        facts = order_rules.OrderFacts(
            channel_id=channel.id,
            country_id=partner.country_id.id,
            zip=partner.zip or "",
            amount=sum(
                product.lst_price * quantity for _key, product, quantity, _label in items if product
            ),
            is_company=partner.is_company,
            categ_ids=frozenset(
                int(ancestor)
                for path in set(products.categ_id.mapped("parent_path"))
                for ancestor in path.split("/")[:-1]
            ),
        )
        Rule = self.env["omni.routing.rule"].sudo()
        specs = [spec for spec, domain in Rule._order_rules(company.id) if not domain]
        return Rule.browse([spec.id for spec in order_rules.matching_rules(specs, facts)])

    # Gathering -------------------------------------------------------------------

    @api.model
    def _promise(self, company, pool, items, partner, rules, warehouse, store, carrier, now):
        now = now or fields.Datetime.now()
        products = self.env["product.product"].browse(
            {product for _key, product, _qty, _label in items if product}
        )
        context = self._promise_context(
            company, pool, products, rules[:1], warehouse, store, carrier, now
        )
        return self._promise_items(context, items, partner)

    @api.model
    def _promise_context(self, company, pool, products, rule, warehouse, store, carrier, now):
        """What promising ``products`` from the places of ``rule`` (or ``warehouse``,
        or the pickup ``store``) reads: the sites, their stock, calendars, carriers."""
        if store:
            warehouses = store | (store.omni_resupply_warehouse_id or warehouse)
        else:
            warehouses = rule._candidate_warehouses() if rule else warehouse
        warehouses = warehouses.sudo()
        respect_buffers = pool and (not rule or rule.respect_buffers)
        stock = (
            pool._get_ats_by_warehouse(products)
            if respect_buffers
            else self.env["omni.routing.service"]._free_stock(warehouses, products)
        )
        rows = self._site_rows(warehouses)
        return {
            "now": now,
            "rule": rule,
            "store": store,
            "warehouses": warehouses,
            "products": products,
            "rows": rows,
            "sites": self._engine_sites(rows, products, stock, company, carrier, now),
        }

    @api.model
    def _promise_items(self, context, items, partner):
        """The engine's ``Promise`` of ``items`` (key, product id, quantity, label) for
        ``partner``, from the places ``context`` read."""
        rule, store, sites = context["rule"], context["store"], context["sites"]
        lines = tuple(
            promise.Line(key, product, quantity, label) for key, product, quantity, label in items
        )
        needed = defaultdict(float)
        for line in lines:
            needed[line.product] += line.quantity
        if any(
            sum(site.stock.get(product, 0.0) for site in sites) < quantity
            for product, quantity in needed.items()
            if product
        ):
            if "sites_incoming" not in context:
                context["sites_incoming"] = self._with_incoming(sites, context["products"])
            sites = context["sites_incoming"]
        sources = {}
        if rule and not store and len(context["warehouses"]) > 1:
            sources = self._routing_sources(
                lines, sites, context["rows"], partner, rule, context["products"]
            )
        country = partner.country_id.code if partner and partner.country_id else None
        return promise.promise(
            promise.Request(
                lines=lines,
                sites=tuple(sites),
                now=context["now"],
                country=country,
                zip=(partner.zip or "") if partner else "",
                pickup_store=store.id if store else None,
                sources=sources,
            )
        )

    @api.model
    def _site_rows(self, warehouses):
        """{warehouse_id: what the promise and routing read of the site}, one query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT w.id, w.name, w.omni_is_store AS is_store,
                       COALESCE(w.omni_handling_hours, 0) AS handling_hours,
                       COALESCE(w.omni_daily_order_capacity, 0) AS capacity,
                       COALESCE(w.omni_resupply_days, 0) AS resupply_days,
                       COALESCE(w.omni_routing_priority, 0) AS priority,
                       COALESCE(w.omni_shipping_base_cost, 0) AS base_cost,
                       COALESCE(w.omni_shipping_cost_per_kg, 0) AS cost_per_kg,
                       COALESCE(w.omni_shipping_cost_per_km, 0) AS cost_per_km,
                       work.id AS calendar_id, w.omni_opening_hours_id AS opening_id,
                       work.tz AS calendar_tz, opening.tz AS opening_tz,
                       company_partner.tz AS company_tz,
                       site.partner_latitude AS latitude, site.partner_longitude AS longitude
                  FROM stock_warehouse w
                  JOIN res_company company ON company.id = w.company_id
                  JOIN res_partner company_partner ON company_partner.id = company.partner_id
             LEFT JOIN resource_calendar work
                    ON work.id = COALESCE(w.omni_work_calendar_id, company.resource_calendar_id)
             LEFT JOIN resource_calendar opening ON opening.id = w.omni_opening_hours_id
             LEFT JOIN res_partner site ON site.id = w.partner_id
                 WHERE w.id = ANY(%s)
                 ORDER BY w.sequence, w.id
                """,
                warehouses.ids,
            )
        )
        return {row["id"]: row for row in self.env.cr.dictfetchall()}

    @api.model
    def _engine_sites(self, rows, products, stock, company, carrier, now):
        capacity_left = self._capacity_left(rows)
        calendar_ids = {row["calendar_id"] for row in rows.values()} | {
            row["opening_id"] for row in rows.values()
        }
        calendars = self._engine_calendars(
            self.env["resource.calendar"].browse(sorted(filter(None, calendar_ids))), company, now
        )
        services = self._engine_services(list(rows), company, carrier)
        return [
            promise.Site(
                key=warehouse_id,
                name=row["name"],
                stock={
                    product: max(stock.get((product, warehouse_id), 0.0), 0.0)
                    for product in products.ids
                },
                tz=(row["is_store"] and row["opening_tz"])
                or row["calendar_tz"]
                or row["company_tz"]
                or "UTC",
                calendar=calendars.get(row["calendar_id"]),
                handling_hours=row["handling_hours"],
                capacity=capacity_left.get(warehouse_id),
                services=services.get(warehouse_id, ()),
                is_store=row["is_store"],
                opening_hours=calendars.get(row["opening_id"]),
                resupply_days=row["resupply_days"],
            )
            for warehouse_id, row in rows.items()
        ]

    @api.model
    def _capacity_left(self, rows):
        """{warehouse_id: orders it can still take today} of sites with a capacity."""
        limited = self.env["stock.warehouse"].browse(
            [warehouse_id for warehouse_id, row in rows.items() if row["capacity"]]
        )
        if not limited:
            return {}
        today = self.env["omni.routing.service"]._orders_routed_today(limited)
        return {
            warehouse_id: rows[warehouse_id]["capacity"] - today.get(warehouse_id, 0)
            for warehouse_id in limited.ids
        }

    @api.model
    def _engine_calendars(self, calendars, company, now):
        """{calendar_id: promise.Calendar}: attendances and public holidays (time off
        for everyone of the calendar or of its whole company), in two queries."""
        if not calendars:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT calendar_id, dayofweek, hour_from, hour_to
                  FROM resource_calendar_attendance
                 WHERE calendar_id = ANY(%s) AND display_type IS NULL
                   AND day_period != 'lunch' AND resource_id IS NULL
                   AND COALESCE(week_type, '0') = '0'
                """,
                calendars.ids,
            )
        )
        hours = defaultdict(lambda: defaultdict(list))
        for calendar_id, dayofweek, hour_from, hour_to in self.env.cr.fetchall():
            hours[calendar_id][int(dayofweek)].append((hour_from, hour_to))
        self.env.cr.execute(
            SQL(
                """
                SELECT l.calendar_id, l.date_from, l.date_to
                  FROM resource_calendar_leaves l
                 WHERE l.resource_id IS NULL
                   AND l.date_to >= %(start)s AND l.date_from <= %(end)s
                   AND (l.calendar_id = ANY(%(calendars)s)
                        OR (l.calendar_id IS NULL
                            AND (l.company_id = %(company)s OR l.company_id IS NULL)))
                """,
                start=now - dt.timedelta(days=1),
                end=now + dt.timedelta(days=HOLIDAY_HORIZON_DAYS),
                calendars=calendars.ids,
                company=company.id,
            )
        )
        leaves = self.env.cr.fetchall()
        tzs = dict(calendars.mapped(lambda calendar: (calendar.id, calendar.tz)))
        holidays = defaultdict(set)
        for calendar_id in calendars.ids:
            for leave_calendar, date_from, date_to in leaves:
                if leave_calendar not in (calendar_id, None):
                    continue
                day = promise.to_local(date_from, tzs[calendar_id]).date()
                last = promise.to_local(date_to, tzs[calendar_id]).date()
                while day <= last:
                    holidays[calendar_id].add(day)
                    day += dt.timedelta(days=1)
        return {
            calendar_id: promise.Calendar(
                {day: tuple(sorted(slots)) for day, slots in hours[calendar_id].items()},
                frozenset(holidays[calendar_id]),
            )
            for calendar_id in calendars.ids
        }

    @api.model
    def _engine_services(self, warehouse_ids, company, carrier=None):
        """{warehouse_id: (promise.Service, ...)}: the carrier services with a pickup
        cut-off at the site or a transit table, from the transport add-on when it is
        installed (none otherwise: the promise then says no carrier picks up)."""
        if "omni.carrier.cutoff" not in self.env:
            return {}
        cutoffs = self.env["omni.carrier.cutoff"].sudo()._omni_cutoffs(warehouse_ids)
        transit = self.env["omni.carrier.transit"].sudo()._omni_transit_by_carrier(company.id)
        carrier_ids = set(transit).union(*(set(rows) for rows in cutoffs.values()))
        if carrier:
            carrier_ids &= {carrier.id}
        carrier_ids = sorted(carrier_ids)
        names = {
            row["id"]: row["name"]
            for row in self.env["delivery.carrier"].sudo().browse(carrier_ids).read(["name"])
        }
        tables = {
            carrier_id: tuple(
                promise.TransitRow(country, prefix, days)
                for country, prefix, days in transit.get(carrier_id, ())
            )
            for carrier_id in carrier_ids
        }
        # sites sharing a cut-off share the service
        services = {}
        result = {}
        for warehouse_id in warehouse_ids:
            site_cutoffs = cutoffs.get(warehouse_id, {})
            site_services = []
            for carrier_id in carrier_ids:
                hour, tz = site_cutoffs.get(carrier_id, (None, None))
                key = (carrier_id, hour, tz)
                if key not in services:
                    services[key] = promise.Service(
                        key=carrier_id,
                        name=names[carrier_id],
                        cutoff=hour,
                        transit=tables[carrier_id],
                        tz=tz,
                    )
                site_services.append(services[key])
            result[warehouse_id] = tuple(site_services)
        return result

    @api.model
    def _with_incoming(self, sites, products):
        """``sites`` with the stock expected in them (receipts, transfers), in one query."""
        warehouse_ids = [site.key for site in sites]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.product_id, d.warehouse_id, m.date, m.product_qty
                  FROM stock_move m
                  JOIN stock_location d ON d.id = m.location_dest_id
                  JOIN stock_location s ON s.id = m.location_id
                 WHERE m.state IN %(states)s AND d.usage = 'internal'
                   AND d.warehouse_id = ANY(%(warehouses)s)
                   AND s.warehouse_id IS DISTINCT FROM d.warehouse_id
                   AND m.product_id = ANY(%(products)s)
                 ORDER BY m.date
                """,
                states=INCOMING_STATES,
                warehouses=warehouse_ids,
                products=products.ids,
            )
        )
        incoming = defaultdict(lambda: defaultdict(list))
        for product_id, warehouse_id, date, quantity in self.env.cr.fetchall():
            incoming[warehouse_id][product_id].append((date, quantity))
        return [
            replace(
                site,
                incoming={product: tuple(rows) for product, rows in incoming[site.key].items()},
            )
            for site in sites
        ]

    @api.model
    def _routing_sources(self, lines, sites, rows, partner, rule, products):
        """{line key: (warehouse ids)} routing's engine would ship each line from."""
        routing_lines = [
            routing.Line(key=line.key, product=line.product, quantity=line.quantity)
            for line in lines
            if line.product and line.quantity > 0
        ]
        if rule.mode == "cost" or rule.min_split_value:
            weights = dict(products.mapped(lambda p: (p.id, p.weight)))
            values = dict(products.mapped(lambda p: (p.id, p.lst_price)))
            routing_lines = [
                replace(
                    line,
                    unit_weight=weights.get(line.product, 0.0),
                    unit_value=values.get(line.product, 0.0),
                )
                for line in routing_lines
            ]
        candidates = [
            routing.Candidate(
                key=site.key,
                name=site.name,
                latitude=rows[site.key]["latitude"],
                longitude=rows[site.key]["longitude"],
                stock=site.stock,
                priority=rows[site.key]["priority"],
                capacity=site.capacity,
                shipping=routing.ShippingCost(
                    base=rows[site.key]["base_cost"],
                    per_kg=rows[site.key]["cost_per_kg"],
                    per_km=rows[site.key]["cost_per_km"],
                ),
            )
            for site in sites
        ]
        destination = None
        if partner and (partner.partner_latitude or partner.partner_longitude):
            destination = (partner.partner_latitude, partner.partner_longitude)
        decision = routing.route(routing_lines, candidates, destination, rule._engine_policy())
        sources = defaultdict(list)
        for allocation in decision.allocations:
            sources[allocation.line].append(allocation.candidate)
        return {key: tuple(keys) for key, keys in sources.items()}

    # Wording -----------------------------------------------------------------------

    @api.model
    def _reason_text(self, reason):
        """A sentence saying what a ``promise.Reason`` means and what to do."""
        details = reason.details
        texts = {
            promise.UNKNOWN_PRODUCT: lambda: self.env._(
                "%(line)s: unknown product.", line=details.get("line")
            ),
            promise.BAD_QUANTITY: lambda: self.env._(
                "%(line)s: the quantity must be a positive number.", line=details.get("line")
            ),
            promise.OUT_OF_STOCK: lambda: self.env._(
                "%(line)s: out of stock everywhere and none expected.", line=details.get("line")
            ),
            promise.FROM_INCOMING: lambda: self.env._(
                "%(line)s: promised from stock expected soon.", line=details.get("line")
            ),
            promise.NO_DESTINATION: lambda: self.env._(
                "No delivery country: set the delivery address."
            ),
            promise.NO_CARRIER: lambda: self.env._(
                "No carrier picks up at %(site)s: set a carrier cut-off there.",
                site=details.get("site"),
            ),
            promise.NO_CUTOFF: lambda: self.env._(
                "Carrier %(service)s has no pickup cut-off at %(site)s: set one.",
                service=details.get("service"),
                site=details.get("site"),
            ),
            promise.NO_TRANSIT: lambda: self.env._(
                "Carrier %(service)s has no transit time to %(zone)s: add it to its transit table.",
                service=details.get("service"),
                zone=" ".join(filter(None, [details.get("country"), details.get("zip")])),
            ),
            promise.NO_CALENDAR_SLOT: lambda: self.env._(
                "%(site)s has no working hours in the next weeks: check its working "
                "hours and holidays.",
                site=details.get("site"),
            ),
            promise.STORE_CLOSED: lambda: self.env._(
                "Store %(store)s has no opening hours in the next weeks.",
                store=details.get("store"),
            ),
            promise.NO_STORE: lambda: self.env._("The pickup store is unknown."),
            promise.EMPTY_CART: lambda: self.env._("Nothing to deliver: the cart is empty."),
        }
        return texts[reason.code]() if reason.code in texts else reason.code

    @api.model
    def _reasons_text(self, reasons):
        return "\n".join(dict.fromkeys(self._reason_text(reason) for reason in reasons))
