import logging
from collections import defaultdict

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, formatLang

from ..engine import LayoutError
from ..engine import wave_rules as rule_engine
from ..engine.waves import WaveLimits, WaveOrder, arrival_batches, plan_waves
from ..tools import bulk_update

_logger = logging.getLogger(__name__)

ORDER_TYPES = [
    ("any", "Any order"),
    ("single_unit", "Single-unit orders"),
    ("single_line", "Single-line orders"),
    ("multi_line", "Multi-line orders"),
    ("b2b", "B2B orders"),
    ("priority", "Priority orders"),
    ("click_collect", "Click & collect (store orders)"),
    ("carrier", "By carrier"),
    ("zone", "By zone"),
]
RELEASE_MODES = [
    ("manual", "Manually"),
    ("fixed_times", "At fixed times"),
    ("cutoff", "Before the carrier cut-off"),
]
LIMIT_FIELDS = ("max_orders", "max_lines", "max_units", "max_weight", "max_volume", "totes")


class OmniWaveRule(models.Model):
    """Which open orders of a warehouse go into waves together, how big a wave may be
    and when the waves are released. An order goes to the first rule (by sequence)
    whose conditions it meets; the rule's waves are built to keep pick routes short."""

    _name = "omni.wave.rule"
    _inherit = "omni.rule.mixin"
    _description = "Wave Rule"
    _check_company_auto = True

    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, index=True, check_company=True, tracking=True
    )
    order_type = fields.Selection(ORDER_TYPES, required=True, default="any", tracking=True)
    carrier_ids = fields.Many2many(
        "delivery.carrier",
        string="Carriers",
        help="Only orders shipped with these carriers; empty for any carrier.",
    )
    cutoff_time = fields.Float(
        "Carrier Cut-off",
        help="Time of day the carrier collects the parcels, in the company's time zone.",
    )
    zone_location_id = fields.Many2one(
        "stock.location",
        "Zone",
        domain="[('usage', '=', 'internal')]",
        check_company=True,
        help="Only orders picked entirely within this location and its sub-locations.",
    )
    max_orders = fields.Integer(tracking=True)
    max_lines = fields.Integer(tracking=True)
    max_units = fields.Float(tracking=True)
    max_weight = fields.Float("Max Weight (kg)", tracking=True)
    max_volume = fields.Float("Max Volume (m³)", digits=(16, 3), tracking=True)
    totes = fields.Integer(
        "Totes per Cart",
        tracking=True,
        help="Cluster picking: each order of the wave gets a tote of the cart, so this "
        "also limits the orders of a wave.",
    )
    release_mode = fields.Selection(RELEASE_MODES, required=True, default="manual", tracking=True)
    release_times = fields.Char(
        help="Times of day the waves are released, comma-separated, e.g. 08:00, 13:30.",
    )
    release_lead_minutes = fields.Integer(
        "Release Before Cut-off (min)",
        default=90,
        help="How long before the carrier cut-off the waves are released.",
    )
    last_release_date = fields.Datetime("Last Release", readonly=True, copy=False)
    last_release_length = fields.Float(
        "Route Length of Last Release (m)", digits=(16, 1), readonly=True, copy=False
    )
    last_arrival_length = fields.Float(
        "Same Orders in Arrival Order (m)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Total route length of the orders of the last release, grouped in arrival "
        "order with the same limits and routed optimally.",
    )
    last_saved_length = fields.Float(
        "Metres Saved by Last Release", digits=(16, 1), readonly=True, copy=False
    )
    wave_ids = fields.One2many("stock.picking.batch", "omni_wave_rule_id", "Waves")
    wave_count = fields.Integer("Waves Released", compute="_compute_wave_count")

    @api.depends("wave_ids")
    def _compute_wave_count(self):
        counts = dict(
            self.env["stock.picking.batch"]._read_group(
                [("omni_wave_rule_id", "in", self.ids)], ["omni_wave_rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.wave_count = counts.get(rule, 0)

    # Checks -----------------------------------------------------------------

    @api.constrains("warehouse_id", *LIMIT_FIELDS)
    def _check_limits(self):
        for rule in self:
            if any(rule[name] < 0 for name in LIMIT_FIELDS):
                raise ValidationError(
                    self.env._("Wave rule %(rule)s: limits cannot be negative.", rule=rule.name)
                )
            if not any(rule[name] for name in LIMIT_FIELDS):
                raise ValidationError(
                    self.env._(
                        "Wave rule %(rule)s has no limit: set at least one of max orders, "
                        "lines, units, weight, volume or totes per cart, or a wave would "
                        "take every open order.",
                        rule=rule.name,
                    )
                )

    @api.constrains("order_type", "carrier_ids", "zone_location_id", "warehouse_id")
    def _check_type_conditions(self):
        for rule in self:
            if rule.order_type == "carrier" and not rule.carrier_ids:
                raise ValidationError(
                    self.env._(
                        "Wave rule %(rule)s groups orders by carrier: choose its carriers.",
                        rule=rule.name,
                    )
                )
            if rule.order_type == "zone" and not rule.zone_location_id:
                raise ValidationError(
                    self.env._(
                        "Wave rule %(rule)s groups orders by zone: choose the zone.",
                        rule=rule.name,
                    )
                )
            zone = rule.zone_location_id
            if zone and zone.warehouse_id != rule.warehouse_id:
                raise ValidationError(
                    self.env._(
                        "The zone %(zone)s of wave rule %(rule)s is not in %(warehouse)s.",
                        zone=zone.display_name,
                        rule=rule.name,
                        warehouse=rule.warehouse_id.display_name,
                    )
                )

    @api.constrains("release_mode", "release_times", "cutoff_time", "release_lead_minutes")
    def _check_release(self):
        for rule in self:
            try:
                hours = rule_engine.parse_times(rule.release_times)
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "Wave rule %(rule)s: %(time)s is not a time of day; write times "
                        "such as 08:00, 13:30.",
                        rule=rule.name,
                        time=error.args[0],
                    )
                ) from error
            if rule.release_mode == "fixed_times" and not hours:
                raise ValidationError(
                    self.env._(
                        "Wave rule %(rule)s releases at fixed times: give them, e.g. 08:00, 13:30.",
                        rule=rule.name,
                    )
                )
            if rule.release_mode == "cutoff" and not 0 < rule.cutoff_time < 24:
                raise ValidationError(
                    self.env._(
                        "Wave rule %(rule)s releases before the carrier cut-off: give the "
                        "cut-off time.",
                        rule=rule.name,
                    )
                )
            if rule.release_lead_minutes < 0:
                raise ValidationError(
                    self.env._(
                        "Wave rule %(rule)s: the release lead time cannot be negative.",
                        rule=rule.name,
                    )
                )

    # Engine input -----------------------------------------------------------

    def _engine_limits(self):
        self.ensure_one()
        return WaveLimits(**{name: self[name] for name in LIMIT_FIELDS})

    def _engine_rule(self):
        self.ensure_one()
        return rule_engine.WaveRule(
            **self._rule_base_vals(),
            order_type=self.order_type,
            carrier_ids=frozenset(self.carrier_ids.ids),
            zone_path=self.zone_location_id.parent_path or "",
        )

    def _open_picking_type(self):
        """The operation a wave of this warehouse picks: the pick step, or the delivery
        when the warehouse ships in one step."""
        warehouse = self.warehouse_id
        if warehouse.delivery_steps != "ship_only" and warehouse.pick_type_id:
            return warehouse.pick_type_id
        return warehouse.out_type_id

    @api.model
    def _fetch_open_orders(self, picking_type):
        """Reserved transfers of ``picking_type`` in no wave nor in a batch somebody
        took (Odoo's automatic batches nobody took give their transfers up for waves),
        with what the rules and the batching engine read of them, in two queries:
        ``{picking_id: (facts, order)}``."""
        self.env.flush_all()
        store_partners = SQL("SELECT partner_id FROM stock_warehouse WHERE partner_id IS NOT NULL")
        self.env.cr.execute(
            SQL(
                """
                SELECT picking.id, picking.priority = '1', partner.country_id, partner.zip,
                       COALESCE(commercial.is_company, FALSE), picking.carrier_id,
                       sale.team_id,
                       COALESCE(sale.amount_untaxed / NULLIF(sale.currency_rate, 0), 0),
                       picking.partner_id IN (%(stores)s),
                       COUNT(move.id), COALESCE(SUM(move.product_qty), 0),
                       COALESCE(SUM(move.product_qty * product.weight), 0),
                       COALESCE(SUM(move.product_qty * product.volume), 0)
                  FROM stock_picking picking
                  JOIN stock_move move ON move.picking_id = picking.id
                                      AND move.state NOT IN ('done', 'cancel')
                  JOIN product_product product ON product.id = move.product_id
             LEFT JOIN res_partner partner ON partner.id = picking.partner_id
             LEFT JOIN res_partner commercial ON commercial.id = partner.commercial_partner_id
             LEFT JOIN sale_order sale ON sale.id = picking.sale_id
             LEFT JOIN stock_picking_batch batch ON batch.id = picking.batch_id
                 WHERE picking.picking_type_id = %(type)s AND picking.state = 'assigned'
                   AND (batch.id IS NULL OR (batch.is_wave IS NOT TRUE AND batch.user_id IS NULL
                                             AND batch.state IN ('draft', 'in_progress')))
                 GROUP BY picking.id, partner.id, commercial.id, sale.id
                 ORDER BY picking.scheduled_date, picking.id
                """,
                stores=store_partners,
                type=picking_type.id,
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return {}
        self.env.cr.execute(
            SQL(
                """
                SELECT line.picking_id, location.parent_path, location.omni_aisle,
                       location.omni_aisle_position::float8
                  FROM stock_move_line line
                  JOIN stock_location location ON location.id = line.location_id
                 WHERE line.picking_id = ANY(%s)
                """,
                [row[0] for row in rows],
            )
        )
        paths, picks = defaultdict(list), defaultdict(list)
        for picking_id, path, aisle, position in self.env.cr.fetchall():
            paths[picking_id].append(path)
            if aisle:
                picks[picking_id].append((aisle, position or 0.0))
        orders = {}
        for rank, row in enumerate(rows):
            picking_id = row[0]
            facts = rule_engine.OrderFacts(
                priority=row[1],
                country_id=row[2],
                zip=row[3] or "",
                is_company=row[4],
                carrier_id=row[5],
                channel_id=row[6],
                amount=row[7],
                store_order=row[8],
                lines=row[9],
                units=row[10],
                location_paths=tuple(paths[picking_id]),
            )
            order = WaveOrder(
                key=picking_id,
                picks=tuple(picks[picking_id]),
                lines=row[9],
                units=row[10],
                weight=row[11],
                volume=row[12],
                rank=rank,
            )
            orders[picking_id] = (facts, order)
        return orders

    def _store_order_ids(self, picking_ids):
        """Transfers of click & collect orders known to the store workflow, when it is
        installed."""
        if "omni.store.order" not in self.env or not picking_ids:
            return set()
        self.env["omni.store.order"].flush_model(["picking_id"])
        self.env.cr.execute(
            SQL(
                "SELECT picking_id FROM omni_store_order WHERE picking_id = ANY(%s)",
                list(picking_ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _orders_of_rule(self):
        """{picking_id: WaveOrder} of the open orders this rule takes: those whose first
        matching rule of the warehouse is this one."""
        self.ensure_one()
        orders = self._fetch_open_orders(self._open_picking_type())
        stores = self._store_order_ids(orders)
        rules = self.search(
            [("warehouse_id", "=", self.warehouse_id.id), ("company_id", "=", self.company_id.id)]
        )
        specs = [rule._engine_rule() for rule in rules]
        mine = {}
        for picking_id, (facts, order) in orders.items():
            if picking_id in stores:
                facts = rule_engine.OrderFacts(**{**facts.__dict__, "store_order": True})
            match = rule_engine.WAVE_RULES.select_rule(specs, facts)
            if match.rule and match.rule.id == self.id:
                mine[picking_id] = order
        return mine

    # Release ----------------------------------------------------------------

    def action_release_waves(self):
        """Release waves now, whatever the schedule says."""
        self.check_access("write")
        self.env["stock.picking.batch"].check_access("create")
        messages = []
        for rule in self:
            waves = rule._release_waves()
            messages.append(rule._release_message(waves))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Waves released"),
                "message": "\n".join(messages),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _release_message(self, waves):
        if not waves:
            return self.env._("%(rule)s: no open order to release.", rule=self.name)
        return self.env._(
            "%(rule)s: %(waves)s wave(s), %(orders)s order(s), %(length)s m of pick routes, "
            "%(saved)s m less than in arrival order.",
            rule=self.name,
            waves=len(waves),
            orders=len(waves.picking_ids),
            length=formatLang(self.env, self.last_release_length, digits=1),
            saved=formatLang(self.env, self.last_saved_length, digits=1),
        )

    def _release_waves(self, now=None):
        """Group the open orders this rule takes into waves, create them as Odoo wave
        transfers, plan their routes and replenish their pick faces. Returns the waves."""
        self.ensure_one()
        orders = self._orders_of_rule()
        Batch = self.env["stock.picking.batch"]
        now = now or fields.Datetime.now()
        if not orders:
            self.last_release_date = now
            return Batch
        groups, lengths = self._group_orders(list(orders.values()))
        waves = Batch
        Picking = self.env["stock.picking"]
        automatic = Picking.browse(list(orders)).batch_id
        for keys in groups:
            pickings = Picking.browse(keys)
            waves |= self._create_wave(pickings)
        automatic.filtered(lambda batch: not batch.picking_ids).unlink()
        waves._omni_compute_routes()
        self.write(
            {
                "last_release_date": now,
                "last_release_length": lengths[0],
                "last_arrival_length": lengths[1],
                "last_saved_length": lengths[1] - lengths[0],
            }
        )
        self.env["omni.pick.face"]._replenish_for_waves(waves)
        return waves

    def _group_orders(self, orders):
        """Waves of ``orders`` as lists of picking ids, and (route length, arrival-order
        route length)."""
        layout = (
            self.env["omni.warehouse.layout"]
            .sudo()
            .search([("warehouse_id", "=", self.warehouse_id.id)])
        )
        limits = self._engine_limits()
        if not layout:
            return [[order.key for order in wave] for wave in arrival_batches(orders, limits)], (
                0.0,
                0.0,
            )
        try:
            plan = plan_waves(layout._engine_layout(), orders, limits)
        except LayoutError as error:
            raise UserError(
                self.env._(
                    "Waves of %(rule)s cannot be built: %(error)s", rule=self.name, error=error
                )
            ) from error
        return [list(wave) for wave in plan.waves], (plan.length, plan.arrival_length)

    def _prepare_wave_vals(self, pickings):
        return {
            "is_wave": True,
            "picking_type_id": pickings.picking_type_id[:1].id,
            "company_id": self.company_id.id,
            "description": self.name,
            "omni_wave_rule_id": self.id,
        }

    def _create_wave(self, pickings):
        """One wave of ``pickings``, filled by Odoo's wave transfer API, their totes
        numbered in the order given."""
        Batch = self.env["stock.picking.batch"].with_context(omni_defer_route=True)
        wave = Batch.create(self._prepare_wave_vals(pickings))
        pickings.move_line_ids.with_context(omni_defer_route=True)._add_to_wave(wave)
        if wave.state == "draft":
            wave.action_confirm()
        bulk_update(pickings, {"omni_tote": list(range(1, len(pickings) + 1))})
        return wave.with_context(omni_defer_route=False)

    # Schedule ---------------------------------------------------------------

    def _local_now(self, now):
        tz = pytz.timezone(self.company_id.partner_id.tz or self.env.user.tz or "UTC")
        return pytz.utc.localize(now).astimezone(tz).replace(tzinfo=None), tz

    def _release_hours(self):
        self.ensure_one()
        if self.release_mode == "fixed_times":
            return rule_engine.parse_times(self.release_times)
        if self.release_mode == "cutoff":
            return [rule_engine.cutoff_release_hour(self.cutoff_time, self.release_lead_minutes)]
        return []

    def _is_release_due(self, now):
        """Whether a release time of the rule passed since its last release."""
        self.ensure_one()
        local_now = self._local_now(now)[0]
        last = self.last_release_date and self._local_now(self.last_release_date)[0]
        return bool(rule_engine.release_due(self._release_hours(), last or None, local_now))

    @api.model
    def _cron_release_waves(self):
        self.search([("release_mode", "!=", "manual")])._release_due_waves()

    def _release_due_waves(self, now=None):
        """Release the waves of the rules whose release time has come."""
        now = now or fields.Datetime.now()
        for rule in self.filtered(lambda rule: rule._is_release_due(now)):
            waves = rule._release_waves(now=now)
            _logger.info("Wave rule %s released %s wave(s)", rule.id, len(waves))
