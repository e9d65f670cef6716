import re

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Fewer digits than this cannot name a phone number: the text is an order reference.
PHONE_MIN_DIGITS = 6
MAX_ORDERS_FOUND = 20


class OmniReturnStoreCounter(models.TransientModel):
    """Return in store: a customer brings back items of an order bought on the web or
    in any store. The clerk finds the order (by its reference, or the customer's e-mail
    or phone), takes the items (how many, why, in what state), and the return is
    created for the clerk's store and received there at once; a receipt is printed for
    the customer."""

    _name = "omni.return.store.counter"
    _description = "Return in Store"

    store_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        default=lambda self: self._default_store(),
        domain="[('omni_is_store', '=', True), ('omni_staff_ids', 'in', uid)]",
    )
    lookup = fields.Char(
        string="Order or Customer",
        help="The order's reference, or the customer's e-mail or phone number.",
    )
    candidate_ids = fields.One2many(
        "omni.return.store.counter.order", "wizard_id", string="Orders Found", readonly=True
    )
    sale_order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    partner_id = fields.Many2one(related="sale_order_id.partner_id", string="Customer")
    line_ids = fields.One2many("omni.return.store.counter.line", "wizard_id", string="Items")
    note = fields.Text(string="Customer's Note")
    return_id = fields.Many2one("omni.return", readonly=True)

    @api.model
    def _default_store(self):
        return self.env["stock.warehouse"].search(
            [("omni_is_store", "=", True), ("omni_staff_ids", "in", self.env.uid)], limit=1
        )

    # Finding the order ------------------------------------------------------------

    def action_find(self):
        """Find the confirmed orders with items to return matching the lookup: one is
        taken at once, several are listed to choose from."""
        self.ensure_one()
        lookup = (self.lookup or "").strip()
        if not lookup:
            raise UserError(
                self.env._("Type the order's reference, or the customer's e-mail or phone.")
            )
        orders = self._find_orders(lookup)
        rows = self.env["omni.return"]._returnable_lines(orders=orders, channel="store")
        with_items = {row["order_id"] for row in rows}
        orders = orders.filtered(lambda order: order.id in with_items)
        if not orders:
            raise UserError(
                self.env._(
                    "No confirmed order with items to return matches %(lookup)s: check the "
                    "order reference (as on the invoice or the confirmation e-mail), or the "
                    "customer's e-mail or phone number.",
                    lookup=lookup,
                )
            )
        if len(orders) == 1:
            self._select_order(orders, rows)
        else:
            self.write(
                {
                    "candidate_ids": [Command.clear()]
                    + [Command.create(self._prepare_candidate_vals(order)) for order in orders],
                    "sale_order_id": False,
                    "line_ids": [Command.clear()],
                }
            )
        return self._reopen()

    def _find_orders(self, lookup):
        """The confirmed orders of the clerk's companies (bought anywhere: the clerk
        may not read them otherwise) matching ``lookup`` exactly: a reference, an
        e-mail, or a phone number."""
        Order = self.env["sale.order"].sudo()
        domain = [("state", "=", "sale"), ("company_id", "in", self.env.companies.ids)]
        if "@" in lookup:
            criteria = [("partner_id.email", "=ilike", lookup)]
        elif len(re.sub(r"\D", "", lookup)) >= PHONE_MIN_DIGITS and not re.search(
            r"[A-Za-z]", lookup
        ):
            criteria = [("partner_id", "in", self._partners_by_phone(lookup))]
        else:
            criteria = ["|", ("name", "=ilike", lookup), ("client_order_ref", "=ilike", lookup)]
        return Order.search(domain + criteria, limit=MAX_ORDERS_FOUND)

    @api.model
    def _partners_by_phone(self, phone):
        """The customers whose phone or mobile ends with the digits of ``phone`` (its
        last nine: with or without the country's prefix)."""
        digits = re.sub(r"\D", "", phone)[-9:]
        self.env["res.partner"].flush_model(["phone", "mobile"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE regexp_replace(COALESCE(phone, ''), '\\D', '', 'g') LIKE %(tail)s
                    OR regexp_replace(COALESCE(mobile, ''), '\\D', '', 'g') LIKE %(tail)s
                """,
                tail=f"%{digits}",
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _prepare_candidate_vals(self, order):
        return {
            "order_id": order.id,
            "order_name": order.name,
            "date_order": order.date_order,
            "customer": order.partner_id.display_name,
            "bought_at": order.warehouse_id.name,
        }

    def _select_order(self, order, rows=None):
        """Show the items of ``order`` still returnable (``rows``: its returnable
        lines, read again when not given)."""
        if rows is None:
            rows = self.env["omni.return"]._returnable_lines(orders=order, channel="store")
        Item = self.env["omni.return.store.counter.line"]
        self.write(
            {
                "sale_order_id": order.id,
                "candidate_ids": [Command.clear()],
                "line_ids": [Command.clear()]
                + [
                    Command.create(Item._prepare_item_vals(row))
                    for row in rows
                    if row["order_id"] == order.id
                ],
            }
        )

    # Taking the items --------------------------------------------------------------

    def action_create(self):
        """Create the return of the items taken for the clerk's store and receive it
        there at once."""
        self.ensure_one()
        if self.return_id:
            raise UserError(
                self.env._(
                    "%(rma)s is created already: start a new return.", rma=self.return_id.name
                )
            )
        if not self.sale_order_id:
            raise UserError(self.env._("Find the order first."))
        lines = self.line_ids._request_lines()
        if not lines:
            raise UserError(self.env._("Give the quantity of at least one item returned."))
        Return = self.env["omni.return"]
        verdict = Return._explain_request(self.sale_order_id, lines, "store", store=self.store_id)
        if verdict["accepted"] and verdict["needs_approval"]:
            raise UserError(
                self.env._(
                    "A logistics manager approves returns for the reason given first: keep "
                    "the items aside and create the return from the backend, or choose "
                    "another reason."
                )
            )
        rma = Return._create_request(
            self.sale_order_id, lines, "store", store=self.store_id, note=self.note
        )
        rma._receive()
        self.return_id = rma
        return self._reopen()

    def action_print_receipt(self):
        self.ensure_one()
        return self.env.ref("omni_returns.omni_return_receipt_report").report_action(self.return_id)

    def action_new(self):
        """A new return at the same store."""
        self.ensure_one()
        counter = self.create({"store_id": self.store_id.id})
        return counter._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Return in Store"),
        }


class OmniReturnStoreCounterOrder(models.TransientModel):
    _name = "omni.return.store.counter.order"
    _description = "Return in Store: Order Found"
    _order = "date_order desc, id"

    wizard_id = fields.Many2one("omni.return.store.counter", required=True, ondelete="cascade")
    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    order_name = fields.Char(string="Reference", readonly=True)
    date_order = fields.Datetime(string="Order Date", readonly=True)
    customer = fields.Char(readonly=True)
    bought_at = fields.Char(string="Shipped from", readonly=True)

    def action_choose(self):
        self.ensure_one()
        wizard = self.wizard_id
        wizard._select_order(self.order_id.sudo())
        return wizard._reopen()


class OmniReturnStoreCounterLine(models.TransientModel):
    _name = "omni.return.store.counter.line"
    _inherit = "omni.return.item.mixin"
    _description = "Return in Store: Item"

    wizard_id = fields.Many2one("omni.return.store.counter", required=True, ondelete="cascade")
