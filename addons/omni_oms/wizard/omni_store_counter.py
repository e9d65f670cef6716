from odoo import fields, models
from odoo.exceptions import UserError


class OmniStoreCounter(models.TransientModel):
    """The store counter: find a click & collect order by its pickup code (typed or
    scanned from the customer's QR code) and hand it over."""

    _name = "omni.store.counter"
    _description = "Click & Collect Counter"

    code = fields.Char(string="Pickup Code")
    store_order_id = fields.Many2one(
        "omni.store.order", string="Order", domain="[('fulfilment', '=', 'collect')]"
    )
    customer_id = fields.Many2one(related="store_order_id.partner_id")
    item_summary = fields.Text(related="store_order_id.item_summary")
    outcome = fields.Selection(
        [("wrong_code", "Wrong code: do not hand it over"), ("handed_over", "Handed over")],
        readonly=True,
        help="What happened to the last code given at the counter.",
    )

    def action_find(self):
        self.ensure_one()
        code = (self.code or "").strip()
        if not code:
            raise UserError(self.env._("Type or scan the customer's pickup code."))
        Attempt = self.env["omni.store.code.attempt"]
        if Attempt._user_is_throttled():
            raise UserError(
                self.env._(
                    "Too many wrong pickup codes were given from your account in the last "
                    "hour: look the order up by its reference, or ask a logistics manager."
                )
            )
        # The staff member's record rules restrict the search to their stores' orders;
        # only the code comparison runs as superuser, the code being hidden from them.
        visible = self.env["omni.store.order"]._search(
            [("fulfilment", "=", "collect"), ("state", "=", "ready")]
        )
        found = (
            self.env["omni.store.order"]
            .sudo()
            .search([("id", "in", visible), ("pickup_code", "=", code)], limit=1)
        )
        if not found:
            Attempt._record("find")
            raise UserError(
                self.env._(
                    "No order ready for pickup at your stores has the code %(code)s: check it "
                    "with the customer, or look the order up by its reference.",
                    code=code,
                )
            )
        self.store_order_id = found.with_env(self.env)
        return self._reopen()

    def action_hand_over(self):
        """Hand the order over if the code given is its code; the counter shows the
        outcome until the next one."""
        self.ensure_one()
        if not self.store_order_id:
            raise UserError(self.env._("Find the order first, by its pickup code."))
        handed_over = self.store_order_id._hand_over(self.code)
        self.outcome = "handed_over" if handed_over else "wrong_code"
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Counter"),
        }
