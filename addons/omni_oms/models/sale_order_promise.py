# pylint: disable=consider-merging-classes-inherited
# The delivery promise in files of its own, beside the routing and store ones.
from odoo import fields, models
from odoo.tools import format_date

PROMISE_STATUS = [
    ("none", "No promise"),
    ("pending", "Pending"),
    ("kept", "Kept"),
    ("broken", "Broken"),
]
BREAK_STAGES = [
    ("routing", "Routing"),
    ("warehouse", "Preparation"),
    ("store", "Store"),
    ("carrier", "Carrier"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_promise_date = fields.Date(
        string="Promised Date",
        copy=False,
        readonly=True,
        help="The day the customer was promised the order: delivered, or ready at the "
        "pickup store for click & collect. Stored at confirmation (in peak mode, when "
        "the order is routed, seconds later).",
    )
    omni_promise_kind = fields.Selection(
        [("delivery", "Delivery"), ("collect", "Ready for pickup")],
        string="Promise For",
        copy=False,
        readonly=True,
    )
    omni_promise_ship_date = fields.Date(
        string="Promised Shipping Date",
        copy=False,
        readonly=True,
        help="The last day the order must leave for the promise to hold.",
    )
    omni_promise_note = fields.Text(string="No Promise Because", copy=False, readonly=True)
    omni_promise_status = fields.Selection(
        PROMISE_STATUS,
        string="Promise",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        index=True,
    )
    omni_promise_done_date = fields.Datetime(
        string="Delivered or Ready On", copy=False, readonly=True
    )
    omni_promise_break_stage = fields.Selection(
        BREAK_STAGES, string="Broken At", copy=False, readonly=True
    )
    omni_promise_break_cause = fields.Char(string="Broken Because", copy=False, readonly=True)

    def action_omni_promise(self):
        """Compute the promise of these quotations now (confirmation computes it again)."""
        self._omni_promise_store()
        return True

    def _omni_promise_store(self):
        promises = self.env["omni.promise.service"]._promise_orders(self)
        for order in self:
            result = promises[order.sudo()]
            order.sudo().write(order._prepare_omni_promise_vals(result))
            lines = {line.key: line for line in result.lines}
            for line in order.order_line:
                line_promise = lines.get(line.id)
                line.sudo().omni_promise_date = line_promise.date if line_promise else False

    def _prepare_omni_promise_vals(self, result):
        self.ensure_one()
        if not result.promised:
            return {
                "omni_promise_date": False,
                "omni_promise_ship_date": False,
                "omni_promise_kind": result.kind,
                "omni_promise_status": "none",
                "omni_promise_note": self.env["omni.promise.service"]._reasons_text(result.reasons),
            }
        return {
            "omni_promise_date": result.date,
            "omni_promise_ship_date": max(
                (line.ship_date for line in result.lines if line.ship_date), default=False
            ),
            "omni_promise_kind": result.kind,
            "omni_promise_status": "pending",
            "omni_promise_note": False,
        }

    # Kept or broken --------------------------------------------------------------------

    def _omni_promise_settle(self, done_date, stage=None, cause=None):
        """Record that these orders reached their customer (or their pickup store) at
        ``done_date``: the promise is kept when it is not later than the promised day,
        otherwise broken with the stage and cause (found when not given)."""
        for order in self.filtered(lambda o: o.omni_promise_status in ("pending", "broken")):
            vals = {"omni_promise_done_date": done_date}
            if order._omni_local_date(done_date) <= order.omni_promise_date:
                if order.omni_promise_status == "pending":
                    vals["omni_promise_status"] = "kept"
            else:
                found_stage, found_cause = order._omni_promise_break(done_date)
                vals.update(
                    omni_promise_status="broken",
                    omni_promise_break_stage=stage or found_stage,
                    omni_promise_break_cause=cause or found_cause,
                )
            order.sudo().write(vals)

    def _omni_local_date(self, moment):
        return fields.Date.context_today(self.with_context(tz=self._omni_promise_tz()), moment)

    def _omni_promise_tz(self):
        return (
            self.partner_shipping_id.tz
            or self.warehouse_id.omni_work_calendar_id.tz
            or self.company_id.partner_id.tz
            or "UTC"
        )

    def _omni_promise_break(self, done_date):
        """(stage, cause) of a promise broken by an order done at ``done_date``: routing
        sent it elsewhere, it left late, or the carrier (or the store) was late."""
        self.ensure_one()
        order = self.sudo()
        if order.omni_allocation_ids.filtered(lambda a: a.state == "released"):
            return "routing", self.env._(
                "Re-routed: a location gave the order back and another one shipped it."
            )
        late_ship = self._omni_late_shipping()
        if late_ship:
            return "warehouse", self.env._(
                "Left late: %(picking)s was done on %(done)s, due by %(due)s.",
                picking=late_ship.name,
                done=format_date(self.env, self._omni_local_date(late_ship.date_done)),
                due=format_date(self.env, order.omni_promise_ship_date),
            )
        if order.omni_promise_kind == "collect":
            return "store", self.env._(
                "Ready at the store on %(done)s, promised for %(promised)s.",
                done=format_date(self.env, self._omni_local_date(done_date)),
                promised=format_date(self.env, order.omni_promise_date),
            )
        return "carrier", self.env._(
            "Delivered on %(done)s, promised for %(promised)s: the carrier was late.",
            done=format_date(self.env, self._omni_local_date(done_date)),
            promised=format_date(self.env, order.omni_promise_date),
        )

    def _omni_late_shipping(self):
        """The first outgoing transfer done after the promised shipping day, if any."""
        self.ensure_one()
        if not self.omni_promise_ship_date:
            return self.env["stock.picking"]
        done = self.sudo().picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing" and p.date_done
        )
        return done.filtered(
            lambda p: self._omni_local_date(p.date_done) > self.omni_promise_ship_date
        )[:1]


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    omni_promise_date = fields.Date(string="Promised Date", copy=False, readonly=True)
