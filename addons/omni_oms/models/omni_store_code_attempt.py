import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.omni_base.tools import durable_env

_logger = logging.getLogger(__name__)


class OmniStoreCodeAttempt(models.Model):
    """A wrong pickup code given at a store counter.

    Wrong codes are recorded in a transaction of their own, committed at once, so that
    nothing later in the request (a notification that fails, an error) takes them
    back: they lock the order after too many (``omni.store.order``) and throttle the
    staff member looking orders up by code.
    """

    _name = "omni.store.code.attempt"
    _description = "Wrong Pickup Code"
    _order = "create_date desc, id desc"
    _rec_name = "user_id"

    #: Wrong codes a staff member may give within THROTTLE_WINDOW before being stopped.
    MAX_WRONG_CODES_PER_USER = 5
    THROTTLE_WINDOW = timedelta(hours=1)

    user_id = fields.Many2one("res.users", string="Given By", required=True, readonly=True)
    store_order_id = fields.Many2one(
        "omni.store.order", string="Order", readonly=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    step = fields.Selection(
        [("find", "Find by code"), ("hand_over", "Hand over")], required=True, readonly=True
    )
    code_number = fields.Integer(
        readonly=True, help="Which of the codes sent to the customer was being checked."
    )

    @api.model
    def _record(self, step, store_order=None):
        """Record a wrong code given by the current user, committed at once."""
        user = self.env.user
        store_order = store_order or self.env["omni.store.order"]
        vals = self._prepare_attempt_vals(step, store_order)
        with durable_env(self.env, user, store_order) as env:
            env[self._name].create(vals)
        if store_order:
            store_order.invalidate_recordset(["wrong_code_count"])
        _logger.warning(
            "Wrong pickup code given at the counter by user %s (%s, store order %s)",
            user.id,
            step,
            store_order.id or "-",
        )

    @api.model
    def _prepare_attempt_vals(self, step, store_order):
        return {
            "user_id": self.env.uid,
            "store_order_id": store_order.id,
            "company_id": (store_order.company_id or self.env.company).id,
            "step": step,
            "code_number": store_order.pickup_code_count,
        }

    @api.model
    def _user_is_throttled(self):
        """Whether the current user gave too many wrong codes lately."""
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FROM omni_store_code_attempt"
                " WHERE user_id = %s AND create_date >= %s",
                self.env.uid,
                self.env.cr.now() - self.THROTTLE_WINDOW,
            )
        )
        return self.env.cr.fetchone()[0] >= self.MAX_WRONG_CODES_PER_USER

    @api.model
    def _count_by_store_order(self, store_orders):
        """{store order id: wrong codes given against the code last sent for it}."""
        if not store_orders.ids:
            return {}
        store_orders.flush_recordset(["pickup_code_count"])
        self.env.cr.execute(
            SQL(
                """
                SELECT attempt.store_order_id, COUNT(*)
                  FROM omni_store_code_attempt attempt
                  JOIN omni_store_order store_order ON store_order.id = attempt.store_order_id
                 WHERE attempt.store_order_id = ANY(%s)
                   AND attempt.code_number = COALESCE(store_order.pickup_code_count, 0)
                 GROUP BY attempt.store_order_id
                """,
                store_orders.ids,
            )
        )
        return dict(self.env.cr.fetchall())
