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
        order = order.sudo()
        items = [
            (
                line.id,
                line.product_id.id,
                line.product_uom._compute_quantity(line.product_uom_qty, line.product_id.uom_id),
                line.product_id.display_name,
            )
            for line in order.order_line
            if not line.display_type and line.product_id.is_storable
        ]
        store = order.omni_pickup_store_id
        rules = self.env["omni.routing.rule"]
        if not store and order.id:
            rules = rules.sudo()._rules_for_orders(order).get(order, rules)
        partner = order.partner_shipping_id
        carrier = order.carrier_id if "carrier_id" in order._fields else None
        return self._promise(
            order.company_id,
            order.team_id.omni_stock_pool_id,
            items,
            partner,
            rules,
            order.warehouse_id,
            store,
            carrier,
            now,
        )

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
        rule = rules[:1]
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
        sites = self._engine_sites(warehouses, products, stock, company, carrier, now)
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
            sites = self._with_incoming(sites, products)
        sources = {}
        if rule and not store and len(warehouses) > 1:
            sources = self._routing_sources(lines, sites, warehouses, partner, rule, products)
        country = partner.country_id.code if partner and partner.country_id else None
        return promise.promise(
            promise.Request(
                lines=lines,
                sites=tuple(sites),
                now=now,
                country=country,
                zip=(partner.zip or "") if partner else "",
                pickup_store=store.id if store else None,
                sources=sources,
            )
        )

    @api.model
    def _engine_sites(self, warehouses, products, stock, company, carrier, now):
        capacity_left = self._capacity_left(warehouses)
        calendars = warehouses.mapped(lambda w: w._omni_work_calendar()) | (
            warehouses.omni_opening_hours_id
        )
        engine_calendars = self._engine_calendars(calendars, company, now)
        services = self._engine_services(warehouses, company, carrier)
        sites = []
        for warehouse in warehouses:
            calendar = warehouse._omni_work_calendar()
            opening = warehouse.omni_opening_hours_id
            tz = (
                (warehouse.omni_is_store and opening.tz)
                or calendar.tz
                or company.partner_id.tz
                or "UTC"
            )
            sites.append(
                promise.Site(
                    key=warehouse.id,
                    name=warehouse.name,
                    stock={
                        product: max(stock.get((product, warehouse.id), 0.0), 0.0)
                        for product in products.ids
                    },
                    tz=tz,
                    calendar=engine_calendars.get(calendar.id),
                    handling_hours=warehouse.omni_handling_hours,
                    capacity=capacity_left.get(warehouse.id),
                    services=services.get(warehouse.id, ()),
                    is_store=warehouse.omni_is_store,
                    opening_hours=engine_calendars.get(opening.id) if opening else None,
                    resupply_days=warehouse.omni_resupply_days,
                )
            )
        return sites

    @api.model
    def _capacity_left(self, warehouses):
        """{warehouse_id: orders it can still take today} of sites with a capacity."""
        limited = warehouses.filtered("omni_daily_order_capacity")
        if not limited:
            return {}
        today = self.env["omni.routing.service"]._orders_routed_today(limited)
        return {
            warehouse.id: warehouse.omni_daily_order_capacity - today.get(warehouse.id, 0)
            for warehouse in limited
        }

    @api.model
    def _engine_calendars(self, calendars, company, now):
        """{calendar_id: promise.Calendar}: attendances and public holidays (time off
        for everyone of the calendar or of its whole company), in two queries."""
        if not calendars:
            return {}
        hours = defaultdict(lambda: defaultdict(list))
        attendances = (
            self.env["resource.calendar.attendance"]
            .sudo()
            .search_read(
                [
                    ("calendar_id", "in", calendars.ids),
                    ("display_type", "=", False),
                    ("day_period", "!=", "lunch"),
                    ("resource_id", "=", False),
                ],
                ["calendar_id", "dayofweek", "hour_from", "hour_to", "week_type"],
                load=None,
            )
        )
        for attendance in attendances:
            if attendance["week_type"] == "1":
                continue  # two-week calendars: the first week stands for both
            hours[attendance["calendar_id"]][int(attendance["dayofweek"])].append(
                (attendance["hour_from"], attendance["hour_to"])
            )
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_read(
                [
                    ("resource_id", "=", False),
                    ("date_to", ">=", now - dt.timedelta(days=1)),
                    ("date_from", "<=", now + dt.timedelta(days=HOLIDAY_HORIZON_DAYS)),
                    "|",
                    ("calendar_id", "in", calendars.ids),
                    "&",
                    ("calendar_id", "=", False),
                    ("company_id", "in", [company.id, False]),
                ],
                ["calendar_id", "date_from", "date_to"],
                load=None,
            )
        )
        holidays = defaultdict(set)
        for calendar in calendars:
            for leave in leaves:
                if leave["calendar_id"] not in (calendar.id, None, False):
                    continue
                day = promise.to_local(leave["date_from"], calendar.tz).date()
                last = promise.to_local(leave["date_to"], calendar.tz).date()
                while day <= last:
                    holidays[calendar.id].add(day)
                    day += dt.timedelta(days=1)
        return {
            calendar.id: promise.Calendar(
                {day: tuple(sorted(slots)) for day, slots in hours[calendar.id].items()},
                frozenset(holidays[calendar.id]),
            )
            for calendar in calendars
        }

    @api.model
    def _engine_services(self, warehouses, company, carrier=None):
        """{warehouse_id: (promise.Service, ...)}: the carrier services with a pickup
        cut-off at the site or a transit table, from the transport add-on when it is
        installed (none otherwise: the promise then says no carrier picks up)."""
        if "omni.carrier.cutoff" not in self.env:
            return {}
        cutoffs = self.env["omni.carrier.cutoff"].sudo()._omni_cutoffs(warehouses.ids)
        transit = self.env["omni.carrier.transit"].sudo()._omni_transit_by_carrier(company.id)
        carrier_ids = set(transit).union(*(set(rows) for rows in cutoffs.values()))
        if carrier:
            carrier_ids &= {carrier.id}
        names = dict(
            self.env["delivery.carrier"]
            .sudo()
            .browse(sorted(carrier_ids))
            .mapped(lambda c: (c.id, c.name))
        )
        result = {}
        for warehouse in warehouses:
            site_cutoffs = cutoffs.get(warehouse.id, {})
            services = []
            for carrier_id in sorted(carrier_ids):
                hour, tz = site_cutoffs.get(carrier_id, (None, None))
                services.append(
                    promise.Service(
                        key=carrier_id,
                        name=names[carrier_id],
                        cutoff=hour,
                        transit=tuple(
                            promise.TransitRow(country, prefix, days)
                            for country, prefix, days in transit.get(carrier_id, ())
                        ),
                        tz=tz,
                    )
                )
            result[warehouse.id] = tuple(services)
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
    def _routing_sources(self, lines, sites, warehouses, partner, rule, products):
        """{line key: (warehouse ids)} routing's engine would ship each line from."""
        Routing = self.env["omni.routing.service"]
        sites_by_id = {site.key: site for site in sites}
        routing_sites = Routing._sites(warehouses)
        weights = {product.id: product.weight for product in products}
        values = {product.id: product.lst_price for product in products}
        routing_lines = [
            routing.Line(
                key=line.key,
                product=line.product,
                quantity=line.quantity,
                unit_weight=weights.get(line.product, 0.0),
                unit_value=values.get(line.product, 0.0),
            )
            for line in lines
            if line.product and line.quantity > 0
        ]
        candidates = [
            routing.Candidate(
                key=warehouse_id,
                name=site["name"],
                latitude=site["coordinates"][0],
                longitude=site["coordinates"][1],
                stock=sites_by_id[warehouse_id].stock,
                priority=site["priority"],
                capacity=sites_by_id[warehouse_id].capacity,
                shipping=site["shipping"],
            )
            for warehouse_id, site in routing_sites.items()
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
