import datetime
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.omni_base.tools import let_gather, retried_on_conflict

from ..engine.ats_buffers import POOL_LEVEL, resolve_buffers
from .omni_stock_pool_ats_queue import ALL_COMPANIES
from .shared_reads import shared_read

_logger = logging.getLogger(__name__)

# Confirmed moves that have not happened yet: they will bring stock in or take it out.
OPEN_MOVE_STATES = ("waiting", "confirmed", "partially_available", "assigned")
DIRTY_KEY = "omni_oms.ats_dirty"
# How long (ms) a publication run by the scheduler lets changes gather, counted from
# the oldest queued (system parameter): while orders come in one by one, publishing
# each alone costs several times more per order than publishing them together.
PUBLICATION_WINDOW = ("omni_oms.ats_publication_window_ms", 500)


def _buffer_sql(base, rule):
    """SQL of the units a buffer ``rule`` (columns ``pct``, ``value``) holds back
    from the quantity ``base``: never more than ``base``, nothing from no stock; a
    percentage keeps whole units back (rounded up)."""
    return SQL(
        "CASE WHEN %(base)s <= 0 OR %(rule)s.pct IS NULL THEN 0"
        " ELSE LEAST(%(base)s, CASE WHEN %(rule)s.pct"
        " THEN CEIL(ROUND((%(base)s * %(rule)s.value / 100)::numeric, 6))"
        " ELSE %(rule)s.value END) END",
        base=base,
        rule=rule,
    )


def _round_down_sql(quantity, rounding):
    """SQL of ``quantity`` (float) rounded down to ``rounding``, never below zero; the
    float is first rounded to 6 decimals so that 0.7 / 0.1 makes 7, not 6.99999..."""
    return SQL(
        "(FLOOR(ROUND((GREATEST(%s, 0) / %s)::numeric, 6)) * %s)::float8",
        quantity,
        rounding,
        rounding,
    )


def _int_array(ids):
    """A PostgreSQL array literal of integers: one constant for the planner, however
    many ids (a list parameter would be expanded into one expression per id)."""
    return "{" + ",".join(str(int(id_)) for id_ in ids) + "}"


def _table_sql(columns, rows):
    """SQL of a table of ``rows`` whose ``columns`` are (name, type) pairs."""
    arrays = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return SQL(
        "SELECT * FROM unnest(%s) AS t(%s)",
        SQL(", ").join(
            SQL("%s::%s[]", _int_array(values) if kind == "int" else list(values), SQL(kind))
            for values, (_name, kind) in zip(arrays, columns, strict=True)
        ),
        SQL(", ").join(SQL.identifier(name) for name, _kind in columns),
    )


class OmniStockPool(models.Model):
    """The stock a set of sales channels may sell, and how much of it they may sell.

    Available to sell (ATS) of a product in a pool:

    - per warehouse of the pool: stock on hand minus what confirmed moves will take
      out of the pool (reserved or still waiting for stock), minus the warehouse's
      buffer (which never turns stock into a shortage);
    - summed over the warehouses, shortages of one warehouse included, plus stock
      expected within the incoming horizon, minus what the pool's channels sold that
      ships from outside the pool or is held by routing (their orders are sold on
      the pool's figures wherever they ship from);
    - minus the pool's buffer, never below zero, rounded down to the product's unit.

    Routing and other modules call ``_get_ats``, ``_get_ats_details`` and
    ``_get_ats_by_warehouse`` on whole sets of products.
    """

    _name = "omni.stock.pool"
    _description = "Stock Pool"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    channel_ids = fields.Many2many(
        "crm.team",
        "omni_stock_pool_crm_team_rel",
        "pool_id",
        "team_id",
        string="Sales Channels",
        check_company=True,
        help="Channels that sell this pool's stock. A channel sells from one pool.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Warehouses & Stores",
        check_company=True,
        help="All the stock of these warehouses and stores can be sold.",
    )
    location_ids = fields.Many2many(
        "stock.location",
        string="Locations",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Stock of these locations (and their sub-locations) can be sold too.",
    )
    incoming_days = fields.Integer(
        string="Incoming Horizon (days)",
        help="Also sell the stock expected within this many days (receipts, transfers "
        "from outside the pool). 0: only the stock on hand.",
    )
    block_oversell = fields.Boolean(
        string="Block Orders Above ATS",
        help="Refuse to confirm a sales order of the pool's channels that asks for more "
        "than is available to sell. Otherwise salespeople only get a warning.",
    )
    buffer_ids = fields.One2many(
        "omni.stock.pool.buffer", "pool_id", string="Safety Buffers", copy=True
    )
    ats_product_count = fields.Integer(
        string="Products Available", compute="_compute_ats_product_count"
    )

    # Configuration -----------------------------------------------------------

    @api.constrains("warehouse_ids", "location_ids", "company_id")
    def _check_sources(self):
        for pool in self:
            if not (pool.warehouse_ids or pool.location_ids):
                raise ValidationError(
                    self.env._(
                        "Stock pool %(pool)s sells from nowhere: add at least one warehouse, "
                        "store or location.",
                        pool=pool.name,
                    )
                )
            not_internal = pool.location_ids.filtered(lambda loc: loc.usage != "internal")
            if not_internal:
                raise ValidationError(
                    self.env._(
                        "Stock pool %(pool)s can only sell from internal locations; remove "
                        "%(locations)s.",
                        pool=pool.name,
                        locations=", ".join(not_internal.mapped("complete_name")),
                    )
                )
        self._check_one_company()

    def _check_one_company(self):
        for pool in self:
            foreign = [
                record.display_name
                for record in (*pool.warehouse_ids, *pool.location_ids, *pool.channel_ids)
                if record.company_id and record.company_id != pool.company_id
            ]
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Stock pool %(pool)s belongs to %(company)s: it cannot sell through "
                        "or from %(records)s, of another company.",
                        pool=pool.name,
                        company=pool.company_id.name,
                        records=", ".join(foreign),
                    )
                )

    @api.constrains("incoming_days")
    def _check_incoming_days(self):
        for pool in self.filtered(lambda pool: pool.incoming_days < 0):
            raise ValidationError(
                self.env._(
                    "The incoming horizon of stock pool %(pool)s is %(days)s days: set 0 "
                    "(stock on hand only) or a positive number of days.",
                    pool=pool.name,
                    days=pool.incoming_days,
                )
            )

    @api.constrains("channel_ids", "active")
    def _check_channels(self):
        self._check_one_company()
        self._check_one_pool_per_channel()

    def _check_one_pool_per_channel(self):
        pools = self.search([("channel_ids", "in", self.channel_ids.ids)])
        for channel in self.channel_ids:
            channel_pools = pools.filtered(
                lambda pool, channel=channel: channel in pool.channel_ids
            )
            if len(channel_pools) > 1:
                raise ValidationError(
                    self.env._(
                        "Channel %(channel)s sells from stock pools %(pools)s; a channel "
                        "sells from one pool: remove it from all but one of them.",
                        channel=channel.name,
                        pools=", ".join(channel_pools.mapped("name")),
                    )
                )

    def _compute_ats_product_count(self):
        counts = dict(
            self.env["omni.stock.pool.ats"]._read_group(
                [("pool_id", "in", self.ids), ("qty_ats", ">", 0)], ["pool_id"], ["__count"]
            )
        )
        for pool in self:
            pool.ats_product_count = counts.get(pool, 0)

    @api.model_create_multi
    def create(self, vals_list):
        pools = super().create(vals_list)
        pools._ats_mark_pools_dirty()
        return pools

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals and not vals["active"]:
            self.env["omni.stock.pool.ats"]._unpublish(self)
        if vals.keys() & self._ats_config_fields():
            self._ats_mark_pools_dirty()
        return result

    @api.model
    def _ats_config_fields(self):
        """Fields whose change changes the ATS of every product of the pool."""
        return {"active", "company_id", "warehouse_ids", "location_ids", "incoming_days"}

    def action_view_ats(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omni_oms.omni_stock_pool_ats_action"
        )
        action["domain"] = [("pool_id", "=", self.id)]
        action["context"] = {"search_default_available": 1}
        return action

    # Computation ---------------------------------------------------------------

    def _get_ats(self, products=None, cr=None):
        """ATS of ``products`` (product.product records, all when None) in this pool:
        ``{product_id: quantity}`` in each product's unit. Products without stock,
        demand or incoming in the pool are left out: their ATS is 0. ``cr``: the
        cursor of another transaction to read the stock through (the pool's
        configuration is read in this one)."""
        self.ensure_one()
        cr = cr or self.env.cr
        cr.execute(SQL("SELECT a.product_id, a.ats FROM (%s) a", self._ats_query(products)))
        return dict(cr.fetchall())

    def _get_ats_details(self, products=None):
        """Like ``_get_ats``, with the figures behind each quantity:
        ``{product_id: {"on_hand", "reserved", "outgoing", "incoming", "buffer", "ats"}}``
        (``outgoing``: demand of confirmed moves leaving the pool, reserved or not;
        ``incoming``: expected within the horizon; ``buffer``: units held back)."""
        self.ensure_one()
        self.env.cr.execute(self._ats_query(products))
        rows = self.env.cr.dictfetchall()
        for row in rows:
            del row["pool_id"]
        return {row.pop("product_id"): row for row in rows}

    def _get_ats_by_warehouse(self, products=None):
        """Where the sellable stock is: ``{(product_id, warehouse_id): quantity}``, each
        warehouse's stock minus its outgoing demand and its own buffer (locations outside
        any warehouse come as warehouse ``False``). The pool's buffer and incoming stock
        are not split per warehouse: ``_get_ats`` gives how much the pool may sell."""
        self.ensure_one()
        key = (
            "ats_by_warehouse",
            self.id,
            None if products is None else frozenset(products.ids),
            tuple(self.env.context.get("omni_ats_exclude_orders", ())),
        )
        return shared_read(self.env.cr, key, lambda: self._read_ats_by_warehouse(products))

    def _read_ats_by_warehouse(self, products):
        self.env.cr.execute(self._ats_query(products, by_warehouse=True))
        return {
            (product_id, warehouse_id or False): ats
            for _pool_id, product_id, warehouse_id, ats in self.env.cr.fetchall()
        }

    def _ats_check_access(self):
        """Figures come from SQL on stock: the caller must be allowed to read the pools;
        the configuration is then read as superuser (warehouses, locations, buffers)."""
        if all(isinstance(record_id, int) for record_id in self.ids):
            self.check_access("read")
        return self.sudo()

    def _ats_query(self, products=None, by_warehouse=False):
        """SQL of the ATS of ``products`` (all when None) in these pools, computed from
        stock.quant and stock.move in one statement for all of them: a row per pool and
        product (per pool, product and warehouse ``by_warehouse``), the pool's id
        first. Its parts are ``MATERIALIZED``: each is filtered on the products
        already, and planned on its own they cost a fraction of what planning the
        whole statement as one join does (which otherwise takes longer than running
        it)."""
        pools = self._ats_check_access()
        self.env.flush_all()
        layout = pools._ats_layout(by_warehouse)
        if products is None:
            quant_products = move_products = line_products = allocation_products = SQL("TRUE")
        else:
            product_ids = _int_array(products.ids)
            quant_products = SQL("q.product_id = ANY(%s::int[])", product_ids)
            move_products = SQL("m.product_id = ANY(%s::int[])", product_ids)
            line_products = SQL("sol.product_id = ANY(%s::int[])", product_ids)
            allocation_products = SQL("a.product_id = ANY(%s::int[])", product_ids)
        return SQL(
            """
            WITH pools(id, horizon) AS (%(pools)s),
            loc(pool_id, id, bucket) AS (%(locations)s),
            wh(pool_id, id, bucket) AS (%(warehouses)s),
            chan(pool_id, team_id) AS (%(channels)s),
            %(rule_tables)s,
            stock AS MATERIALIZED (
                SELECT l.pool_id, q.product_id, l.bucket,
                       SUM(q.quantity::float8) AS on_hand,
                       SUM(q.reserved_quantity::float8) AS reserved
                  FROM stock_quant q
                  JOIN loc l ON l.id = q.location_id
                 WHERE q.location_id = ANY(%(location_ids)s::int[]) AND %(quant_products)s
              GROUP BY 1, 2, 3
            ),
            pool_moves AS MATERIALIZED (
                -- leaving a pool: from its locations to a place outside it
                SELECT src.pool_id, m.product_id, src.bucket,
                       m.product_qty::float8 AS outgoing, 0::float8 AS incoming
                  FROM stock_move m
                  JOIN loc src ON src.id = m.location_id
                  LEFT JOIN loc dst
                         ON dst.pool_id = src.pool_id
                        AND dst.id = COALESCE(m.location_final_id, m.location_dest_id)
                 WHERE m.state IN %(open_states)s AND dst.id IS NULL AND %(move_products)s
                 UNION ALL
                -- entering it: counted when expected within its horizon
                SELECT dst.pool_id, m.product_id, dst.bucket, 0::float8 AS outgoing,
                       CASE WHEN m.date <= p.horizon THEN m.product_qty::float8 ELSE 0 END
                       AS incoming
                  FROM stock_move m
                  JOIN loc dst ON dst.id = COALESCE(m.location_final_id, m.location_dest_id)
                  JOIN pools p ON p.id = dst.pool_id
                  LEFT JOIN loc src ON src.pool_id = dst.pool_id AND src.id = m.location_id
                 WHERE m.state IN %(open_states)s AND src.id IS NULL AND %(move_products)s
            ),
            channel_moves AS MATERIALIZED (
                -- what the pools' channels sold and ship from outside the pool
                SELECT c.pool_id, m.product_id, 0 AS bucket,
                       m.product_qty::float8 AS outgoing, 0::float8 AS incoming
                  FROM stock_move m
                  JOIN sale_order_line sol ON sol.id = m.sale_line_id
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN chan c ON c.team_id = so.team_id
                  JOIN stock_location customer ON customer.id = m.location_dest_id
                 WHERE m.state IN %(open_states)s
                   AND so.team_id = ANY(%(channel_ids)s::int[])
                   AND customer.usage = 'customer'
                   AND NOT EXISTS (
                       SELECT 1 FROM loc l WHERE l.pool_id = c.pool_id AND l.id = m.location_id
                   )
                   AND %(move_products)s
            ),
            held_lines AS MATERIALIZED (
                -- what the pools' channels sold on orders held by routing, queued for
                -- it or routed without transfers yet (peak mode), that neither a move
                -- nor a location chosen by routing takes yet
                SELECT c.pool_id, sol.product_id, 0 AS bucket,
                       GREATEST(
                           sol.product_uom_qty / line_uom.factor * product_uom.factor
                           - COALESCE((SELECT SUM(sm.product_qty)
                                         FROM stock_move sm
                                         JOIN stock_location sd ON sd.id = sm.location_dest_id
                                        WHERE sm.sale_line_id = sol.id AND sm.state != 'cancel'
                                          AND sd.usage = 'customer'), 0)
                           - COALESCE((SELECT SUM(a.quantity)
                                         FROM omni_routing_allocation a
                                        WHERE a.order_line_id = sol.id AND a.state = 'planned'
                                          AND so.omni_routing_state = 'planned'), 0),
                           0)::float8 AS outgoing,
                       0::float8 AS incoming
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN chan c ON c.team_id = so.team_id
                  JOIN uom_uom line_uom ON line_uom.id = sol.product_uom
                  JOIN product_product sol_product ON sol_product.id = sol.product_id
                  JOIN product_template sol_template
                       ON sol_template.id = sol_product.product_tmpl_id
                  JOIN uom_uom product_uom ON product_uom.id = sol_template.uom_id
                 WHERE so.state = 'sale'
                   AND so.omni_routing_state IN ('held', 'queued', 'planned')
                   AND NOT so.id = ANY(%(excluded_orders)s::int[])
                   AND so.team_id = ANY(%(channel_ids)s::int[])
                   AND sol.product_uom_qty > 0 AND %(line_products)s
            ),
            planned_allocations AS MATERIALIZED (
                -- what routing gave the pools' locations on orders of any channel (and
                -- the pools' channels gave others) whose transfers are not made yet
                SELECT p.id AS pool_id, a.product_id, COALESCE(wh.bucket, 0) AS bucket,
                       a.quantity::float8 AS outgoing, 0::float8 AS incoming
                  FROM omni_routing_allocation a
                  JOIN sale_order so ON so.id = a.order_id
                 CROSS JOIN pools p
                  LEFT JOIN wh ON wh.pool_id = p.id AND wh.id = a.warehouse_id
                 WHERE a.state = 'planned' AND so.omni_routing_state = 'planned'
                   AND so.state = 'sale' AND NOT so.id = ANY(%(excluded_orders)s::int[])
                   AND (wh.id IS NOT NULL OR EXISTS (
                       SELECT 1 FROM chan c WHERE c.pool_id = p.id AND c.team_id = so.team_id
                   ))
                   AND %(allocation_products)s
            ),
            moves AS MATERIALIZED (
                SELECT pool_id, product_id, bucket,
                       SUM(outgoing) AS outgoing, SUM(incoming) AS incoming
                  FROM (
                      SELECT * FROM pool_moves
                      UNION ALL SELECT * FROM channel_moves
                      UNION ALL SELECT * FROM held_lines
                      UNION ALL SELECT * FROM planned_allocations
                  ) m
              GROUP BY 1, 2, 3
            ),
            buckets AS MATERIALIZED (
                SELECT COALESCE(s.pool_id, m.pool_id) AS pool_id,
                       COALESCE(s.product_id, m.product_id) AS product_id,
                       COALESCE(s.bucket, m.bucket) AS bucket,
                       COALESCE(s.on_hand, 0) AS on_hand, COALESCE(s.reserved, 0) AS reserved,
                       COALESCE(m.outgoing, 0) AS outgoing, COALESCE(m.incoming, 0) AS incoming,
                       COALESCE(s.on_hand, 0) - COALESCE(m.outgoing, 0) AS free
                  FROM stock s
                  FULL JOIN moves m
                         ON m.pool_id = s.pool_id AND m.product_id = s.product_id
                        AND m.bucket = s.bucket
            ),
            held AS (
                SELECT b.*, %(warehouse_buffer)s AS buffer
                  FROM buckets b
                  %(warehouse_rule_join)s
            )
            %(final)s
            """,
            pools=_table_sql([("id", "int"), ("horizon", "timestamp")], layout["pools"]),
            locations=_table_sql(
                [("pool_id", "int"), ("id", "int"), ("bucket", "int")], layout["locations"]
            ),
            warehouses=_table_sql(
                [("pool_id", "int"), ("id", "int"), ("bucket", "int")], layout["warehouses"]
            ),
            channels=_table_sql([("pool_id", "int"), ("team_id", "int")], layout["channels"]),
            location_ids=_int_array({location for _pool, location, _bucket in layout["locations"]}),
            channel_ids=_int_array({team_id for _pool, team_id in layout["channels"]}),
            # orders checked against the figures they are part of (see sale.order)
            excluded_orders=_int_array(self.env.context.get("omni_ats_exclude_orders", ())),
            rule_tables=self._ats_rule_tables_sql(layout["rules"]),
            quant_products=quant_products,
            move_products=move_products,
            line_products=line_products,
            allocation_products=allocation_products,
            open_states=OPEN_MOVE_STATES,
            warehouse_buffer=_buffer_sql(SQL("b.free"), SQL("r")),
            warehouse_rule_join=self._ats_warehouse_rule_join_sql(layout["rules"]),
            final=self._ats_final_sql(by_warehouse),
        )

    def _ats_layout(self, by_warehouse):
        """What the ATS query of these pools reads from their configuration: each
        pool's incoming horizon, locations and warehouses with the bucket their stock
        is counted in, channels, and buffers resolved per level (``{pool key: rules}``).
        A warehouse's stock has a bucket of its own ``by_warehouse`` or when the
        warehouse has buffers; the others of a pool share bucket 0."""
        layout = {"pools": [], "locations": [], "warehouses": [], "channels": [], "rules": {}}
        now = self.env.cr.now()
        # an unsaved pool (a set of warehouses being tried) gets a key of its own
        keys = {
            pool: pool.id if isinstance(pool.id, int) else -index
            for index, pool in enumerate(self, start=1)
        }
        locations = self._ats_locations(keys)
        for pool, key in keys.items():
            rules = layout["rules"][key] = pool._ats_buffer_rules()
            warehouse_levels = {level for level in rules if level is not POOL_LEVEL}
            horizon = None
            if pool.incoming_days:
                horizon = now + datetime.timedelta(days=pool.incoming_days)
            layout["pools"].append((key, horizon))
            warehouse_buckets = {}
            for location_id, warehouse_id in locations.get(key, ()):
                bucket = warehouse_id if by_warehouse or warehouse_id in warehouse_levels else 0
                layout["locations"].append((key, location_id, bucket))
                if warehouse_id:
                    warehouse_buckets[warehouse_id] = bucket
            layout["warehouses"].extend(
                (key, warehouse, bucket) for warehouse, bucket in warehouse_buckets.items()
            )
            layout["channels"].extend((key, team_id) for team_id in pool.channel_ids.ids)
        return layout

    @api.model
    def _ats_rule_tables_sql(self, rules_by_pool):
        """The resolved buffers of the pools (``{pool id: rules}``) as tables the query
        joins on."""
        wh_products, wh_categories, wh_defaults = [], [], []
        pool_products, pool_categories, pool_defaults = [], [], []
        for pool_id, rules in rules_by_pool.items():
            for level, level_rules in rules.items():
                if level is POOL_LEVEL:
                    products, categories, defaults = pool_products, pool_categories, pool_defaults
                    key = (pool_id,)
                else:
                    products, categories, defaults = wh_products, wh_categories, wh_defaults
                    key = (pool_id, level)
                for product_id, rule in level_rules.products.items():
                    products.append((*key, product_id, rule.is_percent, rule.value))
                for categ_id, rule in level_rules.categories.items():
                    categories.append((*key, categ_id, rule.is_percent, rule.value))
                if level_rules.default:
                    rule = level_rules.default
                    defaults.append((*key, rule.is_percent, rule.value))
        pool = [("pool_id", "int")]
        level = [*pool, ("bucket", "int")]
        product, category = [("product_id", "int")], [("categ_id", "int")]
        rule = [("pct", "bool"), ("value", "float8")]
        return SQL(
            "wh_product_rules AS (%s), wh_categ_rules AS (%s), wh_default_rules AS (%s),"
            " pool_product_rules AS (%s), pool_categ_rules AS (%s),"
            " pool_default_rules AS (%s)",
            _table_sql([*level, *product, *rule], wh_products),
            _table_sql([*level, *category, *rule], wh_categories),
            _table_sql([*level, *rule], wh_defaults),
            _table_sql([*pool, *product, *rule], pool_products),
            _table_sql([*pool, *category, *rule], pool_categories),
            _table_sql([*pool, *rule], pool_defaults),
        )

    @api.model
    def _ats_warehouse_rule_join_sql(self, rules_by_pool):
        """Joins giving each (pool, product, bucket) row its warehouse buffer ``r``: the
        product's, else its category's, else the warehouse's; only those the pools
        have."""
        levels = [
            level_rules
            for rules in rules_by_pool.values()
            for level, level_rules in rules.items()
            if level is not POOL_LEVEL
        ]
        joins, candidates = [], []
        if any(level_rules.products for level_rules in levels):
            joins.append(
                SQL(
                    "LEFT JOIN wh_product_rules rp ON rp.pool_id = b.pool_id"
                    " AND rp.bucket = b.bucket AND rp.product_id = b.product_id"
                )
            )
            candidates.append("rp")
        if any(level_rules.categories for level_rules in levels):
            joins.append(
                SQL(
                    """
                    JOIN product_product wpp ON wpp.id = b.product_id
                    JOIN product_template wpt ON wpt.id = wpp.product_tmpl_id
                    LEFT JOIN wh_categ_rules rc ON rc.pool_id = b.pool_id
                          AND rc.bucket = b.bucket AND rc.categ_id = wpt.categ_id
                    """
                )
            )
            candidates.append("rc")
        if any(level_rules.default for level_rules in levels):
            joins.append(
                SQL(
                    "LEFT JOIN wh_default_rules rd"
                    " ON rd.pool_id = b.pool_id AND rd.bucket = b.bucket"
                )
            )
            candidates.append("rd")
        if not candidates:
            return SQL("CROSS JOIN (SELECT NULL::bool AS pct, NULL::float8 AS value) r")
        return SQL(
            "%s CROSS JOIN LATERAL (SELECT COALESCE(%s) AS pct, COALESCE(%s) AS value) r",
            SQL(" ").join(joins),
            SQL(", ").join(SQL.identifier(alias, "pct") for alias in candidates),
            SQL(", ").join(SQL.identifier(alias, "value") for alias in candidates),
        )

    @api.model
    def _ats_final_sql(self, by_warehouse):
        """The last step: per (pool, product, warehouse), or per (pool, product) with
        the pool's buffer; quantities rounded down to the product's unit."""
        if by_warehouse:
            return SQL(
                """
                SELECT h.pool_id, h.product_id, h.bucket AS warehouse_id,
                       %(ats)s AS ats
                  FROM held h
                  JOIN product_product pp ON pp.id = h.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom u ON u.id = pt.uom_id
                 WHERE pt.is_storable
                """,
                ats=_round_down_sql(SQL("h.free - h.buffer"), SQL("u.rounding")),
            )
        return SQL(
            """
            , per_product AS (
                SELECT pool_id, product_id, SUM(on_hand) AS on_hand, SUM(reserved) AS reserved,
                       SUM(outgoing) AS outgoing, SUM(incoming) AS incoming,
                       SUM(buffer) AS buffer, SUM(free - buffer) + SUM(incoming) AS available
                  FROM held
              GROUP BY pool_id, product_id
            )
            SELECT p.pool_id, p.product_id,
                   ROUND(p.on_hand::numeric, 6)::float8 AS on_hand,
                   ROUND(p.reserved::numeric, 6)::float8 AS reserved,
                   ROUND(p.outgoing::numeric, 6)::float8 AS outgoing,
                   ROUND(p.incoming::numeric, 6)::float8 AS incoming,
                   ROUND((p.buffer + pb.qty)::numeric, 6)::float8 AS buffer,
                   %(ats)s AS ats
              FROM per_product p
              JOIN product_product pp ON pp.id = p.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom u ON u.id = pt.uom_id
              LEFT JOIN pool_product_rules rp
                     ON rp.pool_id = p.pool_id AND rp.product_id = p.product_id
              LEFT JOIN pool_categ_rules rc ON rc.pool_id = p.pool_id AND rc.categ_id = pt.categ_id
              LEFT JOIN pool_default_rules rd ON rd.pool_id = p.pool_id
              CROSS JOIN LATERAL (
                  SELECT COALESCE(rp.pct, rc.pct, rd.pct) AS pct,
                         COALESCE(rp.value, rc.value, rd.value) AS value
              ) r
              CROSS JOIN LATERAL (SELECT %(pool_buffer)s AS qty) pb
             WHERE pt.is_storable
            """,
            pool_buffer=_buffer_sql(SQL("p.available"), SQL("r")),
            ats=_round_down_sql(SQL("p.available - pb.qty"), SQL("u.rounding")),
        )

    def _ats_locations(self, keys):
        """{pool key: [(location id, warehouse id or 0)]}: the internal locations of
        these pools (``keys``: {pool: key}), read in one statement."""
        roots = [
            (key, pool.company_id.id, id_)
            for pool, key in keys.items()
            for id_ in pool.location_ids.ids
        ]
        warehouses = [
            (key, pool.company_id.id, id_)
            for pool, key in keys.items()
            for id_ in pool.warehouse_ids.ids
        ]
        if not (roots or warehouses):
            return {}
        columns = [("pool_key", "int"), ("company_id", "int"), ("id", "int")]
        self.env.cr.execute(
            SQL(
                """
                WITH roots AS (
                    SELECT r.pool_key, r.company_id, r.id FROM (%(roots)s) r
                     UNION ALL
                    SELECT w.pool_key, w.company_id, wh.view_location_id
                      FROM (%(warehouses)s) w
                      JOIN stock_warehouse wh ON wh.id = w.id
                )
                SELECT DISTINCT roots.pool_key, l.id, COALESCE(l.warehouse_id, 0)
                  FROM roots
                  JOIN stock_location root ON root.id = roots.id
                  JOIN stock_location l ON l.parent_path LIKE root.parent_path || %(descendants)s
                 WHERE l.usage = 'internal' AND l.active AND l.company_id = roots.company_id
                """,
                roots=_table_sql(columns, roots),
                warehouses=_table_sql(columns, warehouses),
                descendants="%",
            )
        )
        result = defaultdict(list)
        for pool_key, location_id, warehouse_id in self.env.cr.fetchall():
            result[pool_key].append((location_id, warehouse_id))
        return result

    def _ats_buffer_rules(self):
        """The pool's buffers resolved per level (see engine.ats_buffers)."""
        buffers = [buffer._ats_engine_buffer() for buffer in self.buffer_ids]
        categ_ids = [buffer.categ_id for buffer in buffers if buffer.categ_id]
        paths = {}
        if categ_ids:
            categories = self.env["product.category"].search_fetch(
                [("id", "child_of", categ_ids)], ["parent_path"]
            )
            paths = {
                category.id: tuple(int(part) for part in category.parent_path.split("/")[:-1])
                for category in categories
            }
        return resolve_buffers(buffers, paths)

    # Publication: the ATS snapshot kept in step with stock ----------------------

    def _ats_refresh(self, products=None):
        """Publish the ATS of ``products`` of these pools in one statement or, for all
        their products (None), pool by pool (each a statement over its whole stock)."""
        snapshot = self.env["omni.stock.pool.ats"]
        pools = self.filtered("active")
        for batch in pools if products is None else [pools]:
            if batch:
                snapshot._publish(batch, products)
        snapshot.invalidate_model()

    @api.model
    def _ats_mark_dirty(self, products, companies=ALL_COMPANIES):
        """Stock of ``products`` changed in ``companies`` (all when falsy): their ATS
        is queued for publication as the transaction commits."""
        if not products:
            return
        dirty = self._ats_dirty()
        for company_id in companies.ids if companies else [ALL_COMPANIES]:
            dirty["products"][company_id].update(products.ids)

    def _ats_mark_pools_dirty(self):
        """The configuration of these pools changed: all their ATS is queued for
        publication as the transaction commits."""
        if self:
            self._ats_dirty()["pools"].update(self.ids)

    @api.model
    def _ats_dirty(self):
        precommit = self.env.cr.precommit
        if DIRTY_KEY not in precommit.data:
            precommit.data[DIRTY_KEY] = {"products": defaultdict(set), "pools": set()}
            precommit.add(self._ats_queue_dirty)
        return precommit.data[DIRTY_KEY]

    @api.model
    def _ats_queue_dirty(self):
        """Queue what changed in the transaction for publication (see
        ``omni.stock.pool.ats.queue``)."""
        dirty = self.env.cr.precommit.data.pop(DIRTY_KEY, None)
        # without an active pool (Omni's pools unused), there is nothing to publish
        if dirty and self.sudo().with_context(active_test=True).search_count([], limit=1):
            self.env["omni.stock.pool.ats.queue"].sudo()._enqueue(dirty["products"], dirty["pools"])

    @api.model
    def _cron_publish_ats_queue(self):
        """Publish what the transactions committed so far queued, in a few statements
        for all of them; a batch conflicting with another publisher (the hourly
        refresh) is taken again on a new snapshot. Run by the scheduler, it first lets
        the changes coming in gather (see ``PUBLICATION_WINDOW``)."""
        if self.env.context.get("cron_id"):
            self._ats_publication_gather()
        retried_on_conflict(
            self.env,
            self._ats_publish_queue,
            "Omni publication of available to sell",
            pause=0.05,
        )

    @api.model
    def _ats_publication_gather(self):
        """Wait until the oldest queued change has waited the publication window, then
        go on with a new snapshot: the changes committed meanwhile are published
        together. Nothing is written before, nothing is lost."""
        parameter, default = PUBLICATION_WINDOW
        window = int(self.env["ir.config_parameter"].sudo().get_param(parameter, default))
        if window > 0:
            let_gather(self.env, self.env["omni.stock.pool.ats.queue"]._gather_wait(window / 1000))

    @api.model
    def _ats_publish_queue(self):
        """Publish the queued changes, the pools of a company together."""
        pools = self.sudo().with_context(active_test=True)
        products_by_company, pool_ids = self.env["omni.stock.pool.ats.queue"].sudo()._take()
        full_pools = pools.browse(pool_ids).exists()
        full_pools._ats_refresh()
        if not products_by_company:
            return
        domain = [("id", "not in", full_pools.ids)]
        if ALL_COMPANIES not in products_by_company:
            domain.append(("company_id", "in", list(products_by_company)))
        for company, company_pools in pools.search(domain).grouped("company_id").items():
            product_ids = products_by_company.get(company.id, set()) | (
                products_by_company.get(ALL_COMPANIES, set())
            )
            if product_ids:
                company_pools._ats_refresh(self.env["product.product"].browse(product_ids))

    @api.model
    def _cron_refresh_ats(self):
        """Publish every pool again: incoming stock enters the horizon as days pass."""
        pools = self.search([])
        pools._ats_refresh()
        _logger.info("Available to sell published again for %s stock pool(s)", len(pools))
