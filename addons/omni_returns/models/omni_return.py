import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, float_is_zero, format_date

from ..engine import grading as grading_engine
from ..engine import policy as policy_engine
from ..engine import receiving as receiving_engine
from ..engine import refund as refund_engine

_logger = logging.getLogger(__name__)

STATES = [
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("awaiting", "Label Sent / Awaiting Drop-off"),
    ("received", "Received"),
    ("inspected", "Inspected"),
    ("refunded", "Refunded"),
    ("exchanged", "Exchanged"),
    ("closed", "Closed"),
    ("refused", "Refused"),
    ("cancel", "Cancelled"),
]
# The goods are on their way back (or about to be): their quantity cannot be asked for again.
IN_FLIGHT_STATES = ("requested", "approved", "awaiting")
DONE_STATES = ("refunded", "exchanged", "closed", "refused", "cancel")
REQUEST_CHANNELS = [
    ("backend", "Backend"),
    ("portal", "Customer portal"),
    ("store", "Store counter"),
]
MANAGER = "omni_base.group_omni_manager"
# Who reads returns besides the Omni groups: customer service and accountants.
RETURN_READERS = (
    "omni_base.group_omni_store_staff,omni_base.group_omni_warehouse_operator,"
    "sales_team.group_sale_salesman,account.group_account_invoice,"
    "account.group_account_readonly"
)


class ReturnRefused(UserError):
    """The return policy refuses the request; a logistics manager may override it."""


class OmniReturn(models.Model):
    """A return: what a customer sends back of an order, shared by the customer, the
    customer service, the stores and the warehouses.

    Requested (from the backend, the customer portal or a store counter) within the
    return policy that applies, approved (at once, or by a manager for some reasons),
    then the goods come back: with a carrier's return label e-mailed to the customer,
    or dropped off at a store. Odoo's own return transfer brings them into the
    receiving warehouse or store; each unit is graded at inspection and moved where
    its grade says (sellable stock, outlet, repair, scrap, vendor); a credit note
    refunds them from the original invoice lines, or an exchange order sends others.

    The portal and the store counter create requests with ``_create_request`` and list
    what a customer may return with ``_returnable_lines``.
    """

    _name = "omni.return"
    _inherit = ("portal.mixin", "mail.thread", "mail.activity.mixin")
    _description = "Return"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index=True
    )
    state = fields.Selection(
        STATES, required=True, default="requested", readonly=True, tracking=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, default=lambda s: s.env.company
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Order",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="sale_order_id.currency_id", store=True)
    team_id = fields.Many2one("crm.team", string="Sales Channel", readonly=True, index=True)
    channel = fields.Selection(
        REQUEST_CHANNELS, string="Requested From", required=True, readonly=True, index=True
    )
    date_request = fields.Datetime(
        string="Requested On", required=True, readonly=True, default=fields.Datetime.now
    )
    user_id = fields.Many2one(
        "res.users", string="Responsible", tracking=True, default=lambda self: self.env.user
    )
    line_ids = fields.One2many("omni.return.line", "return_id", string="Lines", readonly=True)
    note = fields.Text(string="Customer's Note")

    # Policy ---------------------------------------------------------------------------
    policy_id = fields.Many2one("omni.return.policy", string="Return Policy", readonly=True)
    policy_overridden = fields.Boolean(
        string="Outside the Policy",
        readonly=True,
        help="A logistics manager accepted this return against the return policy.",
    )
    override_note = fields.Text(string="Override Note", readonly=True, tracking=True)
    refusal_reason = fields.Text(readonly=True, tracking=True)
    needs_approval = fields.Boolean(readonly=True)
    approved_uid = fields.Many2one("res.users", string="Approved by", readonly=True)
    approved_date = fields.Datetime(string="Approved On", readonly=True)
    restocking_fee_percent = fields.Float(string="Restocking Fee (%)", readonly=True)
    label_charged = fields.Boolean(
        string="Label Paid by the Customer",
        readonly=True,
        help="The return label's cost is kept from the refund.",
    )

    # Goods coming back ----------------------------------------------------------------
    return_method = fields.Selection(
        [("label", "Carrier label"), ("drop_off", "Drop-off at a store")],
        string="Sent Back by",
        required=True,
        default="label",
        readonly=True,
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Received at",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    is_store = fields.Boolean(related="warehouse_id.omni_is_store", string="At a Store")
    picking_ids = fields.One2many(
        "stock.picking", "omni_return_id", string="Return Transfers", readonly=True
    )
    grading_picking_ids = fields.One2many(
        "stock.picking", "omni_grading_return_id", string="Grading Transfers", readonly=True
    )
    picking_count = fields.Integer(string="Transfers", compute="_compute_picking_count")
    carrier_id = fields.Many2one("delivery.carrier", string="Return Carrier", readonly=True)
    shipment_ids = fields.Many2many(
        "omni.shipment",
        string="Return Shipments",
        compute="_compute_tracking",
        compute_sudo=True,
        groups="stock.group_stock_user",
    )
    tracking_event_ids = fields.Many2many(
        "omni.tracking.event",
        string="Tracking Events",
        compute="_compute_tracking",
        compute_sudo=True,
        groups="stock.group_stock_user",
    )
    tracking_ref = fields.Char(
        string="Tracking Number", compute="_compute_tracking", compute_sudo=True
    )
    tracking_stage = fields.Char(compute="_compute_tracking", compute_sudo=True)
    label_cost = fields.Monetary(
        compute="_compute_tracking",
        compute_sudo=True,
        help="What the carrier charges for the return labels.",
    )
    grading_ids = fields.One2many("omni.return.grading", "return_id", string="Gradings")

    # Refund and exchange ------------------------------------------------------------
    resolution = fields.Selection(
        [("refund", "Refund"), ("exchange", "Exchange")],
        required=True,
        default="refund",
        readonly=True,
        tracking=True,
    )
    exchange_ship_now = fields.Boolean(
        string="Ship Exchange before Receipt",
        readonly=True,
        help="The exchange order ships at once; the refund of the returned goods waits "
        "for them to be received.",
    )
    exchange_order_id = fields.Many2one(
        "sale.order", string="Exchange Order", readonly=True, copy=False, check_company=True
    )
    refund_ids = fields.One2many(
        "account.move",
        "omni_return_id",
        string="Credit Notes",
        readonly=True,
        groups="account.group_account_invoice,account.group_account_readonly," + MANAGER,
    )
    refund_count = fields.Integer(compute="_compute_refund_count", compute_sudo=True)
    amount_refunded = fields.Monetary(compute="_compute_refund_count", compute_sudo=True)
    amount = fields.Monetary(
        string="Value", compute="_compute_amount", store=True, help="Untaxed value returned."
    )
    quantity = fields.Float(
        string="Units", compute="_compute_amount", store=True, digits="Product Unit of Measure"
    )

    _sql_constraints = (("name_company_uniq", "UNIQUE(name, company_id)", "A return is unique."),)

    # Computed ---------------------------------------------------------------------------

    @api.depends("line_ids.amount", "line_ids.quantity")
    def _compute_amount(self):
        for rma in self:
            rma.amount = sum(rma.line_ids.mapped("amount"))
            rma.quantity = sum(rma.line_ids.mapped("quantity"))

    @api.depends("picking_ids", "grading_picking_ids")
    def _compute_picking_count(self):
        for rma in self:
            rma.picking_count = len(rma.picking_ids | rma.grading_picking_ids)

    @api.depends("picking_ids")
    def _compute_tracking(self):
        shipments = self.env["omni.shipment"].search(
            [("picking_id", "in", self.picking_ids.ids), ("kind", "=", "return")]
        )
        for rma in self:
            mine = shipments.filtered(lambda s, rma=rma: s.picking_id in rma.picking_ids)
            done = mine.filtered(lambda s: s.state == "done")
            events = mine.event_ids.sorted(lambda e: (e.event_date, e.id), reverse=True)
            rma.shipment_ids = mine
            rma.tracking_event_ids = events
            rma.tracking_ref = ", ".join(filter(None, done.mapped("tracking_number"))) or False
            stages = dict(events._fields["stage"]._description_selection(self.env))
            rma.tracking_stage = stages.get(events[:1].stage) if events else False
            rma.label_cost = sum(
                shipment.currency_id._convert(
                    shipment.price,
                    rma.currency_id,
                    rma.company_id,
                    fields.Date.context_today(self),
                )
                if shipment.currency_id and rma.currency_id
                else shipment.price
                for shipment in done
            )

    @api.depends("refund_ids.amount_total", "refund_ids.state")
    def _compute_refund_count(self):
        for rma in self:
            refunds = rma.refund_ids.filtered(lambda move: move.state != "cancel")
            rma.refund_count = len(refunds)
            rma.amount_refunded = sum(refunds.mapped("amount_total"))

    def _compute_access_url(self):
        super()._compute_access_url()
        for rma in self:
            rma.access_url = f"/my/returns/{rma.id}"

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for rma in self:
            rma.display_name = rma.name

    # Requests: the API of the backend, the portal and the store counter ----------------

    @api.model
    def _create_request(self, order, lines, channel, **options):
        """Create the return of ``lines`` of ``order`` asked from ``channel`` (backend,
        portal or store) once the return policy accepts it, and approve it at once
        unless a reason needs a manager's approval.

        ``lines``: dicts with ``sale_line`` (or ``product``, found on the order),
        ``quantity`` (in the order line's unit), ``reason``, and optionally
        ``condition``, ``note`` and ``exchange_product``; or (sale line, quantity,
        reason) tuples. ``options``: ``method`` ("label" or "drop_off"), ``store`` (the
        store receiving a drop-off; the counter's store), ``resolution`` ("refund" or
        "exchange"), ``exchange_ship_now``, ``note`` (the customer's), and
        ``override_note``: a logistics manager accepting a request outside the policy.

        Problems of the input (more than delivered, a product not on the order...)
        raise a UserError, refusals of the policy a ReturnRefused (a UserError), both
        saying every problem found; nothing is written then.

        Callers check who may return ``order``: the portal that it is the customer's
        (and calls as superuser), the counter calls as the staff member.
        """
        vals = self._prepare_request(order, lines, channel, **options)
        rma = self.create(vals)
        rma._log_request()
        if rma.needs_approval:
            rma._ask_approval()
        else:
            rma._approve()
        return rma

    @api.model
    def _prepare_request(self, order, lines, channel, **options):
        """The values of the return of ``lines`` of ``order`` asked from ``channel``,
        checked against the return policy (see ``_create_request``)."""
        self.check_access("create")
        order = order.sudo()
        store = options.get("store")
        self._check_channel(channel, store)
        requested = self._normalize_lines(order, lines)
        self.env["sale.order.line"].browse(
            item["sale_line"].id for item in requested if item["sale_line"]
        )._omni_lock_for_return()
        decision, data = self._decide(order, requested, channel)
        override_note = (options.get("override_note") or "").strip()
        self._check_decision(order, decision, requested, data, override_note)
        method = options.get("method") or ("drop_off" if store else "label")
        warehouse = self._receiving_warehouse(order, decision, requested, data, store)
        return self._prepare_request_vals(
            order, channel, requested, decision, warehouse, method, override_note, options
        )

    @api.model
    def _explain_request(self, order, lines, channel, **options):
        """What the return policy says of a request, without creating it (to show it
        before the request is sent): a dict with ``accepted``, ``overridable`` (only
        refusals of the policy, which a manager may override), ``message`` (the
        problems in words), ``needs_approval``, ``label_charged``, ``fee_percent``,
        ``policy`` and ``warehouse`` (receiving the goods)."""
        order = order.sudo()
        store = options.get("store")
        requested = self._normalize_lines(order, lines)
        decision, data = self._decide(order, requested, channel)
        problems = decision.input_problems or decision.refusals
        accepted = not problems
        warehouse = self.env["stock.warehouse"]
        if not decision.input_problems:
            warehouse = self._receiving_warehouse(order, decision, requested, data, store)
        method = options.get("method") or ("drop_off" if store else "label")
        return {
            "accepted": accepted,
            "overridable": bool(problems) and not decision.input_problems,
            "message": self._problems_message(order, problems, requested, data)
            if problems
            else False,
            "needs_approval": decision.needs_approval,
            "label_charged": decision.label_charged and method == "label",
            "fee_percent": decision.fee_percent if decision.fee_lines else 0.0,
            "policy": self.env["omni.return.policy"].browse(decision.policy_id),
            "warehouse": warehouse,
        }

    @api.model
    def _check_channel(self, channel, store):
        if channel not in dict(REQUEST_CHANNELS):
            raise UserError(
                self.env._(
                    "A return is requested from the backend, the portal or a store counter, "
                    "not from %(channel)s.",
                    channel=channel,
                )
            )
        if channel == "store" and not store:
            raise UserError(
                self.env._("A return at a store counter is received there: give the store.")
            )
        if store and not store.omni_is_store:
            raise UserError(
                self.env._(
                    "%(warehouse)s is not a store: returns are dropped off at stores.",
                    warehouse=store.name,
                )
            )
        user = self.env.user
        if (
            channel == "store"
            and not self.env.su
            and not user.has_group(MANAGER)
            and user not in store.sudo().omni_staff_ids
        ):
            raise AccessError(
                self.env._(
                    "You are not on the staff of %(store)s: take returns at your own store.",
                    store=store.name,
                )
            )

    @api.model
    def _normalize_lines(self, order, lines):
        """The request's lines as dicts with ``sale_line`` (empty when not on the
        order), ``quantity``, ``reason``, ``condition``, ``note``, ``exchange_product``
        and ``asked`` (what the caller named)."""
        if not lines:
            raise UserError(self.env._("Say which items are returned, and how many."))
        normalized = []
        for line in lines:
            if not isinstance(line, dict):
                sale_line, quantity, reason, *rest = line
                line = {"sale_line": sale_line, "quantity": quantity, "reason": reason}
                if rest:
                    line["condition"] = rest[0]
            normalized.append(self._normalize_line(order, line))
        return normalized

    @api.model
    def _normalize_line(self, order, line):
        SaleLine = self.env["sale.order.line"].sudo()
        sale_line = line.get("sale_line") or SaleLine
        if isinstance(sale_line, int):
            sale_line = SaleLine.browse(sale_line).exists()
        product = line.get("product") or sale_line.product_id
        if isinstance(product, int):
            product = self.env["product.product"].browse(product).exists()
        if not sale_line and product:
            sale_line = order.order_line.filtered(
                lambda sol: sol.product_id == product and not sol.display_type
            ).sorted(lambda sol: -(sol.qty_delivered - sol.omni_qty_returning))[:1]
        if sale_line.sudo().order_id != order:
            sale_line = SaleLine
        reason = line.get("reason") or self.env["omni.return.reason"]
        if isinstance(reason, int):
            reason = self.env["omni.return.reason"].browse(reason).exists()
        return {
            "sale_line": sale_line.sudo(),
            "asked": product.display_name or sale_line.product_id.display_name or "?",
            "quantity": float(line.get("quantity") or 0.0),
            "reason": reason,
            "condition": line.get("condition") or False,
            "note": line.get("note") or False,
            "exchange_product": line.get("exchange_product") or self.env["product.product"],
        }

    @api.model
    def _decide(self, order, requested, channel):
        """(engine decision, {sale line id: figures}) of returning
        ``requested`` of ``order`` from ``channel``."""
        sale_lines = self.env["sale.order.line"].browse(
            item["sale_line"].id for item in requested if item["sale_line"]
        )
        data = self.env["sale.order.line"]._omni_return_data(
            SQL("sol.id = ANY(%s)", sale_lines.ids or [0])
        )
        facts = self._order_facts(order, channel)
        today = fields.Date.context_today(self)
        asked_before = defaultdict(float)
        engine_lines = []
        for index, item in enumerate(requested):
            row = data.get(item["sale_line"].id)
            engine_lines.append(self._engine_line(index, item, row, asked_before))
            if row:
                asked_before[row["id"]] += item["quantity"]
        policies = self.env["omni.return.policy"].sudo()._policies_for(order.company_id)
        decision = policy_engine.decide(policies._engine_policies(), facts, engine_lines, today)
        return decision, data

    @api.model
    def _order_facts(self, order, channel):
        company = order.company_id
        return policy_engine.OrderFacts(
            channel_id=order.team_id.id or None,
            country_id=order.partner_shipping_id.country_id.id or None,
            zip=order.partner_shipping_id.zip or "",
            amount=self.env["omni.rule.mixin"]._company_amount(
                order.amount_untaxed, order.currency_id, company, order.date_order
            ),
            request_channel=channel,
        )

    @api.model
    def _engine_line(self, key, item, row, asked_before):
        """The engine's facts of the requested ``item`` (``row``: its order line's
        figures, None when not on the order); ``asked_before``: what earlier lines of
        the same request asked of each order line."""
        reason = item["reason"]
        engine_reason = (
            policy_engine.Reason(
                reason.id, defective=reason.is_defective, needs_approval=reason.needs_approval
            )
            if reason
            else None
        )
        if not row:
            return policy_engine.LineFacts(
                key, quantity=item["quantity"], reason=engine_reason, on_order=False
            )
        return policy_engine.LineFacts(
            key,
            product_tmpl_id=row["product_tmpl_id"],
            categ_ids=_categ_ids(row["parent_path"]),
            quantity=item["quantity"],
            returnable=row["returnable"] - asked_before[row["id"]],
            delivered_on=self._delivery_date(row["delivered_at"]),
            reason=engine_reason,
            value=item["quantity"] * row["price_unit"],
        )

    @api.model
    def _delivery_date(self, moment):
        return fields.Date.context_today(self, moment) if moment else None

    @api.model
    def _check_decision(self, order, decision, requested, data, override_note):
        if decision.input_problems:
            raise UserError(self._problems_message(order, decision.input_problems, requested, data))
        if not decision.refusals:
            return
        message = self._problems_message(order, decision.refusals, requested, data)
        if not override_note:
            raise ReturnRefused(
                "\n".join(
                    [
                        message,
                        self.env._(
                            "A logistics manager may accept it anyway, with a note saying why."
                        ),
                    ]
                )
            )
        if not (self.env.su or self.env.user.has_group(MANAGER)):
            raise AccessError(
                self.env._(
                    "Only logistics managers accept returns outside the return policy.\n%(why)s",
                    why=message,
                )
            )

    @api.model
    def _problems_message(self, order, problems, requested, data):
        """The problems found, one per line, in words."""
        heading = self.env._("The return of %(order)s cannot be accepted:", order=order.name)
        return "\n".join(
            [heading]
            + ["- " + self._problem_text(problem, requested, data, order) for problem in problems]
        )

    @api.model
    def _problem_text(self, problem, requested, data, order):
        item = requested[problem.line] if problem.line is not None else None
        product = item and (item["sale_line"].product_id.display_name or item["asked"])
        uom = item and item["sale_line"].product_uom.name
        texts = {
            policy_engine.NOT_ON_ORDER: lambda: self.env._(
                "%(product)s is not on order %(order)s.", product=product, order=order.name
            ),
            policy_engine.NOT_DELIVERED: lambda: self.env._(
                "%(product)s was not delivered yet: it can be returned once delivered.",
                product=product,
            ),
            policy_engine.NO_QUANTITY: lambda: self.env._(
                "%(product)s: give the quantity returned.", product=product
            ),
            policy_engine.NO_REASON: lambda: self.env._(
                "%(product)s: give the reason of the return.", product=product
            ),
            policy_engine.TOO_MANY: lambda: self.env._(
                "%(product)s: %(asked)s %(uom)s asked for, only %(returnable)s %(uom)s "
                "delivered and not returned (or being returned) yet.",
                product=product,
                asked=problem.detail("asked"),
                returnable=problem.detail("returnable"),
                uom=uom,
            ),
            policy_engine.NO_POLICY: lambda: self.env._(
                "no return policy applies to this order (its channel, destination or "
                "amount, or where the request comes from)."
            ),
            policy_engine.NOT_ACCEPTED: lambda: self.env._(
                "the return policy accepts no returns for this order."
            ),
            policy_engine.WINDOW: lambda: self.env._(
                "%(product)s: the %(days)s-day return window ended on %(deadline)s.",
                product=product,
                days=problem.detail("days"),
                deadline=format_date(self.env, problem.detail("deadline")),
            ),
            policy_engine.CATEGORY: lambda: self.env._(
                "%(product)s: its category (%(category)s) cannot be returned.",
                product=product,
                category=item["sale_line"].product_id.categ_id.display_name,
            ),
            policy_engine.PRODUCT: lambda: self.env._(
                "%(product)s cannot be returned.", product=product
            ),
        }
        return texts[problem.code]()

    @api.model
    def _receiving_warehouse(self, order, decision, requested, data, store):
        """The warehouse or store receiving the return, by the policy's mode (a store
        receives what is dropped off there)."""
        policy = self.env["omni.return.policy"].sudo().browse(decision.policy_id)
        original = self._original_warehouse(order, requested)
        mode = policy.receiving_mode or policy_engine.RECEIVE_ORIGINAL
        candidates = self.env["stock.warehouse"]
        if mode == policy_engine.RECEIVE_NEAREST:
            candidates = policy.nearest_warehouse_ids or self.env["stock.warehouse"].sudo().search(
                [("company_id", "=", order.company_id.id)]
            )
        customer = order.partner_shipping_id
        chosen = receiving_engine.choose(
            mode,
            original=original.id,
            fixed=policy.receiving_warehouse_id.id or None,
            sites=[
                receiving_engine.Site(
                    warehouse.id,
                    warehouse.partner_id.partner_latitude or None,
                    warehouse.partner_id.partner_longitude or None,
                )
                for warehouse in candidates
            ],
            customer=(
                customer.partner_latitude or None,
                customer.partner_longitude or None,
            ),
            routes=policy.category_route_ids._engine_routes(),
            lines=[
                receiving_engine.ReturnedLine(
                    _categ_ids(data[item["sale_line"].id]["parent_path"]),
                    item["quantity"] * data[item["sale_line"].id]["price_unit"],
                )
                for item in requested
            ],
            drop_off=store.id if store else None,
        )
        return self.env["stock.warehouse"].browse(chosen.site_id or original.id)

    @api.model
    def _original_warehouse(self, order, requested):
        """The warehouse that shipped most of what is returned."""
        shipped = defaultdict(float)
        for item in requested:
            for move in item["sale_line"].move_ids.filtered(
                lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
            ):
                warehouse = move.warehouse_id or move.location_id.warehouse_id
                shipped[warehouse] += move.product_qty
        if shipped:
            return max(shipped, key=lambda warehouse: (shipped[warehouse], -warehouse.id))
        return order.warehouse_id

    @api.model
    def _prepare_request_vals(
        self, order, channel, requested, decision, warehouse, method, override_note, options
    ):
        approval = set(decision.approval_lines)
        fee_lines = set(decision.fee_lines)
        return {
            "company_id": order.company_id.id,
            "sale_order_id": order.id,
            "partner_id": order.partner_id.id,
            "team_id": order.team_id.id,
            "channel": channel,
            "note": options.get("note") or False,
            "policy_id": decision.policy_id,
            "policy_overridden": bool(decision.refusals),
            "override_note": override_note if decision.refusals else False,
            "needs_approval": bool(approval),
            "restocking_fee_percent": decision.fee_percent if fee_lines else 0.0,
            "label_charged": decision.label_charged and method == "label",
            "return_method": method,
            "warehouse_id": warehouse.id,
            "resolution": options.get("resolution") or "refund",
            "exchange_ship_now": bool(options.get("exchange_ship_now")),
            "line_ids": [
                Command.create(
                    self._prepare_line_vals(index, item, index in approval, index in fee_lines)
                )
                for index, item in enumerate(requested)
            ],
        }

    @api.model
    def _prepare_line_vals(self, index, item, needs_approval, bears_fee):
        return {
            "sequence": index + 1,
            "sale_line_id": item["sale_line"].id,
            "quantity": item["quantity"],
            "reason_id": item["reason"].id,
            "condition": item["condition"],
            "customer_note": item["note"],
            "needs_approval": needs_approval,
            "bears_fee": bears_fee,
            "exchange_product_id": (item["exchange_product"] or item["sale_line"].product_id).id,
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company or self.env.company)
                    .next_by_code("omni.return")
                    or "/"
                )
        return super().create(vals_list)

    def _log_request(self):
        """Say in the chatter what the policy decided."""
        for rma in self:
            parts = [
                self.env._(
                    "Requested from %(channel)s under policy %(policy)s; received at "
                    "%(warehouse)s.",
                    channel=dict(REQUEST_CHANNELS)[rma.channel],
                    policy=rma.policy_id.name or self.env._("(none)"),
                    warehouse=rma.warehouse_id.name,
                )
            ]
            if rma.policy_overridden:
                parts.append(
                    self.env._(
                        "Accepted outside the policy by %(user)s: %(note)s",
                        user=self.env.user.name,
                        note=rma.override_note,
                    )
                )
            if rma.restocking_fee_percent:
                parts.append(
                    self.env._("Restocking fee: %(percent)s%%.", percent=rma.restocking_fee_percent)
                )
            if rma.label_charged:
                parts.append(self.env._("The customer pays the return label."))
            rma.message_post(body=Markup("<br/>").join(parts))

    # Approval --------------------------------------------------------------------------

    def _ask_approval(self):
        summary = self.env._("Approve the return")
        for rma in self:
            reasons = rma.line_ids.filtered("needs_approval").reason_id
            rma.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=self.env._(
                    "%(reasons)s: approve or refuse the return.",
                    reasons=", ".join(reasons.mapped("name")),
                ),
                user_id=rma._approver().id,
            )

    def _approver(self):
        self.ensure_one()
        if self.user_id and self.user_id.has_group(MANAGER):
            return self.user_id
        managers = (
            self.env.ref(MANAGER)
            .sudo()
            .users.filtered(lambda user: not user.share and self.company_id in user.company_ids)
        )
        return managers.sorted("id")[:1] or self.env.user

    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group(MANAGER)):
            raise AccessError(self.env._("Only logistics managers approve or refuse returns."))

    def action_approve(self):
        self._check_manager()
        self._check_state(("requested",), self.env._("approved"))
        self._approve()
        return True

    def _approve(self):
        """Approved: the return transfers are created, then the label is sent or the
        drop-off awaited."""
        self.write(
            {
                "state": "approved",
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for rma in self:
            rma._create_return_pickings()
            if rma.resolution == "exchange":
                rma._create_exchange_order()
            rma._send_instructions()

    def action_refuse(self):
        self._check_manager()
        self._check_state(("requested", "approved", "awaiting"), self.env._("refused"))
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.return.refuse",
            "name": self.env._("Refuse the Return"),
            "view_mode": "form",
            "target": "new",
            "context": {"default_return_ids": self.ids},
        }

    def _refuse(self, reason):
        """Refuse these returns, saying why: their open transfers are cancelled."""
        self._check_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the return is refused: the customer is told."))
        received = self.filtered(lambda rma: rma.picking_ids.filtered(lambda p: p.state == "done"))
        if received:
            raise UserError(
                self.env._(
                    "%(returns)s received goods already: inspect them and close the return "
                    "instead.",
                    returns=", ".join(received.mapped("name")),
                )
            )
        self._cancel_pickings()
        self.write({"state": "refused", "refusal_reason": reason.strip()})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        self._notify("refused")

    def action_cancel(self):
        self._check_state(("requested", "approved", "awaiting"), self.env._("cancelled"))
        if self.picking_ids.filtered(lambda p: p.state == "done"):
            raise UserError(self.env._("Goods were received already: close the return instead."))
        self._cancel_pickings()
        self.write({"state": "cancel"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def _cancel_pickings(self):
        self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")).action_cancel()
        self.exchange_order_id.filtered(
            lambda o: o.state in ("draft", "sent")
        ).sudo()._action_cancel()

    def _check_state(self, states, action):
        wrong = self.filtered(lambda rma: rma.state not in states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(returns)s cannot be %(action)s: it is %(state)s.",
                    returns=", ".join(wrong.mapped("name")),
                    action=action,
                    state=", ".join({labels[rma.state] for rma in wrong}),
                )
            )

    # Return transfers ------------------------------------------------------------------

    def _create_return_pickings(self):
        """Odoo's return of each delivery the lines come from, into the receiving
        warehouse's returns location."""
        self.ensure_one()
        if self.picking_ids:
            return self.picking_ids
        by_delivery = self._moves_to_return()
        pickings = self.env["stock.picking"]
        for delivery, parts in by_delivery.items():
            wizard = (
                self.env["stock.return.picking"]
                .sudo()
                .with_context(omni_return_warehouse_id=self.warehouse_id.id)
                .create({"picking_id": delivery.id})
            )
            wizard.product_return_moves = [Command.clear()] + [
                Command.create(
                    {
                        "move_id": move.id,
                        "product_id": move.product_id.id,
                        "quantity": quantity,
                        "to_refund": True,
                        "omni_return_line_id": line.id,
                    }
                )
                for move, quantity, line in parts
            ]
            picking = wizard._create_return()
            picking.write(self._prepare_return_picking_vals())
            pickings |= picking
        return pickings

    def _prepare_return_picking_vals(self):
        return {"omni_return_id": self.id, "origin": f"{self.name} ({self.sale_order_id.name})"}

    def _moves_to_return(self):
        """{delivery: [(delivered move, quantity in the move's unit, return line)]}: the
        quantities of each line taken from its delivered moves, the latest first, less
        what was returned of them already."""
        self.ensure_one()
        taken = defaultdict(float)
        by_delivery = defaultdict(list)
        for line in self.line_ids:
            moves = (
                line.sale_line_id.sudo()
                .move_ids.filtered(
                    lambda m: (
                        m.state == "done"
                        and m.location_dest_id.usage == "customer"
                        and not m.origin_returned_move_id
                    )
                )
                .sorted(lambda m: (m.date, m.id), reverse=True)
            )
            wanted = line.product_uom_id._compute_quantity(line.quantity, line.product_id.uom_id)
            for move in moves:
                rounding = move.product_uom.rounding
                if float_is_zero(wanted, precision_rounding=rounding):
                    break
                returned = sum(
                    returned_move.product_qty
                    for returned_move in move.returned_move_ids
                    if returned_move.state != "cancel"
                )
                left = move.product_qty - returned - taken[move]
                quantity = min(left, wanted)
                if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0:
                    continue
                taken[move] += quantity
                wanted -= quantity
                by_delivery[move.picking_id].append((move, quantity, line))
            if float_compare(wanted, 0.0, precision_rounding=line.product_id.uom_id.rounding) > 0:
                raise UserError(
                    self.env._(
                        "%(product)s: the deliveries of %(order)s have %(missing)s %(uom)s "
                        "fewer to return than asked; check what was returned already.",
                        product=line.product_id.display_name,
                        order=self.sale_order_id.name,
                        missing=wanted,
                        uom=line.product_id.uom_id.name,
                    )
                )
        return by_delivery

    # Labels and drop-off -----------------------------------------------------------------

    def _send_instructions(self):
        """Send the carrier's return label, or the drop-off instructions; the return
        then awaits the goods. A label the carrier could not create leaves the return
        approved, with an activity to try again."""
        self.ensure_one()
        if self.return_method == "label":
            try:
                with self.env.cr.savepoint():
                    self._create_labels()
            except UserError as error:
                self._report_label_failure(error)
                return False
        self.state = "awaiting"
        self._notify("approved")
        return True

    def action_send_label(self):
        """Create the return label again (after a failure) and send it."""
        self._check_state(("approved", "awaiting"), self.env._("sent a label"))
        for rma in self:
            if rma.return_method != "label":
                raise UserError(
                    self.env._(
                        "%(rma)s is dropped off at %(store)s: it needs no label.",
                        rma=rma.name,
                        store=rma.warehouse_id.name,
                    )
                )
            if rma.state == "awaiting":
                rma._notify("approved", force=True)
                continue
            rma._create_labels()
            rma.state = "awaiting"
            rma._notify("approved")
        return True

    def _create_labels(self):
        """The carrier's return label of each return transfer, by the carrier rules for
        returns (else the delivery's carrier)."""
        self.ensure_one()
        for picking in self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
            if picking.return_label_ids:
                continue
            carrier = self._return_carrier(picking)
            delivery = picking.return_id
            carrier.get_return_label(
                picking,
                tracking_number=delivery.carrier_tracking_ref or None,
                origin_date=delivery.date_done,
            )
            shipment = (
                self.env["omni.shipment"]
                .sudo()
                .search(
                    [
                        ("picking_id", "=", picking.id),
                        ("kind", "=", "return"),
                        ("state", "=", "done"),
                    ],
                    limit=1,
                )
            )
            picking.sudo().carrier_tracking_ref = shipment.tracking_number or False
            picking.invalidate_recordset(["return_label_ids"])
            self.carrier_id = carrier

    def _return_carrier(self, picking):
        """The carrier of ``picking``'s return label: the carrier rules for returns
        choose it as for deliveries; without such a rule, the delivery's carrier if it
        makes return labels."""
        selection = (
            self.env["omni.carrier.selection"].sudo().with_context(omni_shipment_kind="return")
        )
        shipment = picking._omni_shipping_data()
        rules = selection._omni_rules(picking.company_id)
        if rules:
            result = selection._omni_select(shipment, "packing", self.sale_order_id, picking)
            picking.sudo().with_context(omni_carrier_selection=True).write(
                {
                    "carrier_id": result["carrier"].id,
                    "omni_carrier_rule_id": result["rule"].id,
                    "omni_carrier_note": result["note"],
                }
            )
            self.message_post(body=result["note"])
            return result["carrier"].sudo()
        carrier = picking.return_id.carrier_id.sudo()
        if not carrier or not carrier.can_generate_return:
            raise UserError(
                self.env._(
                    "No carrier can make the return label of %(picking)s: add a carrier rule "
                    "for returns in Omni > Configuration > Carrier Rules, or have the goods "
                    "dropped off at a store.",
                    picking=picking.name,
                )
            )
        picking.sudo().carrier_id = carrier
        return carrier

    def _report_label_failure(self, error):
        self.ensure_one()
        _logger.info("Return label of %s not created: %s", self.name, error)
        self.message_post(
            body=Markup("%s<br/>%s")
            % (self.env._("The return label could not be created:"), str(error))
        )
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("Send the return label"),
            note=str(error),
            user_id=(self.user_id or self.env.user).id,
        )

    def _label_attachments(self):
        """The return labels of this return (for the e-mail and the portal)."""
        return self.picking_ids.sudo().return_label_ids

    def _update_tracking(self, events):
        """Say on each return the tracking events its return shipments received."""
        stages = dict(events._fields["stage"]._description_selection(self.env))
        for rma in self:
            mine = events.filtered(lambda event, rma=rma: event.picking_id in rma.picking_ids)
            for event in mine.sorted(lambda e: (e.event_date, e.id)):
                rma.message_post(
                    body=self.env._(
                        "Return parcel %(tracking)s: %(stage)s%(description)s",
                        tracking=event.tracking_number,
                        stage=stages.get(event.stage, event.stage),
                        description=f" ({event.description})" if event.description else "",
                    )
                )

    # Receipt ---------------------------------------------------------------------------

    def action_receive(self):
        """Receive every unit asked for (the return transfers validated in full)."""
        self._check_state(("approved", "awaiting"), self.env._("received"))
        for rma in self:
            rma._receive()
        return True

    def _receive(self, quantities=None):
        """Validate the open return transfers with ``quantities`` ({return line: units,
        in the order line's unit}; all asked for when None) and no backorder."""
        self.ensure_one()
        pickings = self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        if not pickings:
            raise UserError(self.env._("%(rma)s has no return transfer to receive.", rma=self.name))
        for move in pickings.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            line = move.omni_return_line_id
            wanted = move.product_uom_qty
            if quantities is not None:
                wanted = line.product_uom_id._compute_quantity(
                    quantities.get(line, 0.0), move.product_uom
                )
                wanted = min(wanted, move.product_uom_qty)
                quantities = {**quantities, line: quantities.get(line, 0.0) - wanted}
            move.quantity = wanted
            move.picked = True
        if all(
            float_is_zero(move.quantity, precision_rounding=move.product_uom.rounding)
            for move in pickings.move_ids
        ):
            raise UserError(self.env._("Nothing was received: give the units received."))
        result = pickings.with_context(
            skip_backorder=True,
            picking_ids_not_to_backorder=pickings.ids,
            skip_sms=True,
        ).button_validate()
        if result is not True and pickings.filtered(lambda p: p.state != "done"):
            raise UserError(
                self.env._(
                    "%(pickings)s could not be validated: open them to check their quantities.",
                    pickings=", ".join(pickings.mapped("name")),
                )
            )
        return True

    def _on_pickings_done(self):
        """A return transfer was validated: once none is left open, the goods are
        received (a waiting exchange order is confirmed)."""
        for rma in self.filtered(lambda r: r.state in ("approved", "awaiting")):
            if rma.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
                continue
            rma.state = "received"
            rma.activity_unlink(["mail.mail_activity_data_warning"])
            if rma.exchange_order_id.state in ("draft", "sent"):
                rma._confirm_exchange_order()
            rma._notify("received")

    # Inspection and grading -------------------------------------------------------------

    def action_inspect(self):
        """The inspection screen: a grade per line (lines split to grade their units
        differently); goods not received yet are received by the same validation."""
        self._check_state(("approved", "awaiting", "received"), self.env._("inspected"))
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.return.inspect",
            "name": self.env._("Inspect %(rma)s", rma=self.name),
            "view_mode": "form",
            "target": "new",
            "context": {"default_return_id": self.id},
        }

    def _receive_and_grade(self, gradings):
        """Receive what ``gradings`` grade (when not received yet), then grade it: one
        validation for both. ``gradings``: [(return line, grade, units)]."""
        self.ensure_one()
        if self.state in ("approved", "awaiting"):
            received = defaultdict(float)
            for line, _grade, quantity in gradings:
                received[line] += quantity
            self._receive(received)
        return self._grade(gradings)

    def _grade(self, gradings):
        """Grade received units: ``gradings`` is [(return line, grade, units)], every
        unit received of each line named graded at once. The units move at once from
        where they were received to their grades' destinations, by stock moves of
        one transfer; graded to resell, they are sold by the stock pools at once."""
        self.ensure_one()
        self._check_state(("received", "inspected"), self.env._("graded"))
        lines = self.env["omni.return.line"].union(*(line for line, _g, _q in gradings))
        foreign = lines - self.line_ids
        if foreign:
            raise UserError(
                self.env._(
                    "%(lines)s are not lines of %(rma)s.",
                    lines=", ".join(foreign.mapped("display_name")),
                    rma=self.name,
                )
            )
        planned = self._check_gradings(gradings)
        moves = self._graded_moves(planned)
        self.env["omni.return.grading"].create(
            [
                {
                    "line_id": line.id,
                    "grade_id": grade.id,
                    "quantity": quantity,
                    "move_ids": [Command.set(moves.get((line, grade), []))],
                    "location_dest_id": grade._destination(self.warehouse_id).id,
                }
                for line, grade, quantity in self._merged(gradings)
            ]
        )
        if all(
            float_compare(
                line.qty_graded, line.qty_received, precision_rounding=line.product_uom_id.rounding
            )
            >= 0
            for line in self.line_ids.filtered("qty_received")
        ):
            self.state = "inspected"
        return True

    @api.model
    def _merged(self, gradings):
        """``gradings`` with one entry per (line, grade), units summed, none empty."""
        merged = defaultdict(float)
        for line, grade, quantity in gradings:
            merged[(line, grade)] += quantity
        return [(line, grade, qty) for (line, grade), qty in merged.items() if qty > 0]

    def _check_gradings(self, gradings):
        """Check ``gradings`` (see engine.grading) and plan their moves: [PlannedMove]
        in the product's unit, lots and source locations as the ``lot`` keys."""
        engine_gradings = [
            grading_engine.Grading(line.id, grade.id, quantity)
            for line, grade, quantity in gradings
        ]
        lines = self.line_ids
        try:
            grading_engine.check(
                engine_gradings,
                {line.id: line.qty_received for line in lines},
                {line.id for line in lines if line.grading_ids},
            )
        except grading_engine.GradingError as error:
            raise UserError(self._grading_error_text(error)) from error
        by_id = {line.id: line for line in lines}
        in_product_unit = [
            grading_engine.Grading(
                g.line,
                g.grade,
                by_id[g.line].product_uom_id._compute_quantity(
                    g.quantity, by_id[g.line].product_id.uom_id
                ),
            )
            for g in engine_gradings
        ]
        return grading_engine.plan(in_product_unit, self._received_lots())

    def _received_lots(self):
        """{line id: [((location id, lot id), units)]}: where the received units of each
        line are and of which lots, in the product's unit."""
        lots = defaultdict(list)
        for line in self.line_ids:
            for move_line in line.return_move_ids.filtered(
                lambda m: m.state == "done"
            ).move_line_ids:
                lots[line.id].append(
                    (
                        (move_line.location_dest_id.id, move_line.lot_id.id),
                        move_line.quantity_product_uom,
                    )
                )
        return lots

    def _grading_error_text(self, error):
        line = self.env["omni.return.line"].browse(error.line)
        product = line.product_id.display_name
        texts = {
            grading_engine.ALREADY_GRADED: lambda: self.env._(
                "%(product)s was graded already (%(grades)s): a line is graded once.",
                product=product,
                grades=line.grade_summary,
            ),
            grading_engine.NOT_RECEIVED: lambda: self.env._(
                "%(product)s was not received: receive it before grading it.", product=product
            ),
            grading_engine.WRONG_TOTAL: lambda: self.env._(
                "%(product)s: %(graded)s units graded, %(received)s received; grade every "
                "unit received, once.",
                product=product,
                graded=error.details["graded"],
                received=error.details["received"],
            ),
            grading_engine.NEGATIVE: lambda: self.env._(
                "%(product)s: a grade cannot be given to a negative quantity.", product=product
            ),
        }
        return texts[error.code]()

    def _graded_moves(self, planned):
        """Create and validate the moves of ``planned`` units in one transfer from the
        returns location: {(return line, grade): move ids}."""
        warehouse = self.warehouse_id
        lines = {line.id: line for line in self.line_ids}
        grades = self.env["omni.return.grade"].browse({move.grade for move in planned})
        destinations = {grade.id: grade._destination(warehouse) for grade in grades}
        groups = defaultdict(list)
        for move in planned:
            groups[(move.line, move.grade)].append(move)
        if not groups:
            return {}
        source = self.env["stock.location"].browse(planned[0].lot[0])
        picking = self.env["stock.picking"].create(
            self._prepare_grading_picking_vals(source, warehouse)
        )
        vals_list, keys = [], []
        for (line_id, grade_id), parts in groups.items():
            vals_list.append(
                self._prepare_graded_move_vals(
                    picking, lines[line_id], destinations[grade_id], parts
                )
            )
            keys.append((lines[line_id], grades.browse(grade_id)))
        moves = self.env["stock.move"].create(vals_list)
        picking._action_done()
        return {key: [move.id] for key, move in zip(keys, moves, strict=True)}

    def _prepare_grading_picking_vals(self, source, warehouse):
        return {
            "picking_type_id": warehouse.int_type_id.id,
            "location_id": source.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "partner_id": self.partner_id.id,
            "origin": self.env._("Grading of %(rma)s", rma=self.name),
            "omni_grading_return_id": self.id,
            "company_id": self.company_id.id,
        }

    def _prepare_graded_move_vals(self, picking, line, destination, parts):
        product = line.product_id
        return {
            "name": self.env._("%(rma)s: graded", rma=self.name),
            "picking_id": picking.id,
            "product_id": product.id,
            "product_uom": product.uom_id.id,
            "product_uom_qty": sum(part.quantity for part in parts),
            "location_id": parts[0].lot[0],
            "location_dest_id": destination.id,
            "location_final_id": False,
            "picking_type_id": picking.picking_type_id.id,
            "warehouse_id": self.warehouse_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "picked": True,
            "move_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_id": product.uom_id.id,
                        "quantity": part.quantity,
                        "location_id": part.lot[0],
                        "location_dest_id": destination.id,
                        "lot_id": part.lot[1] or False,
                        "company_id": self.company_id.id,
                        "picked": True,
                    }
                )
                for part in parts
            ],
        }

    # Refund -----------------------------------------------------------------------------

    def action_refund(self):
        """Credit the received units from the original invoice lines (less the
        restocking fee and the label when charged), and post the credit notes."""
        self._check_refunder()
        for rma in self:
            rma._refund()
        return self.action_view_refunds() if len(self) == 1 else True

    def _check_refunder(self):
        user = self.env.user
        if not (
            self.env.su
            or user.has_group(MANAGER)
            or user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                self.env._("Only logistics managers and invoicing users refund returns.")
            )

    def _refund(self, post=True):
        self.ensure_one()
        self._check_state(("received", "inspected"), self.env._("refunded"))
        to_refund = self._quantities_to_refund()
        allocations = self._allocate_refund(to_refund)
        Move = self.env["account.move"].sudo()
        vals_list = self._prepare_refund_vals_list(allocations)
        refunds = Move.with_context(default_move_type="out_refund").create(vals_list)
        if post:
            refunds.action_post()
        self.state = "exchanged" if self.resolution == "exchange" else "refunded"
        self.message_post(
            body=self.env._(
                "Refunded by %(refunds)s: %(amount)s.",
                refunds=", ".join(refunds.mapped("name")),
                amount=sum(refunds.mapped("amount_total")),
            )
        )
        self._notify("refunded")
        return refunds

    def _quantities_to_refund(self):
        """{return line: units received and not refunded yet}; a UserError when none."""
        quantities = {}
        for line in self.line_ids:
            left = line.qty_received - line.qty_refunded
            if float_compare(left, 0.0, precision_rounding=line.product_uom_id.rounding) > 0:
                quantities[line] = left
        if not quantities:
            raise UserError(
                self.env._("%(rma)s has nothing received left to refund.", rma=self.name)
            )
        return quantities

    def _allocate_refund(self, quantities):
        """[(return line, invoice line, units)] credited from the posted invoices,
        latest first; a UserError naming what no invoice billed."""
        invoiced = {}
        invoice_lines = {}
        for line in quantities:
            rows = []
            for aml, refundable in self._refundable_invoice_lines(line.sale_line_id):
                invoice_lines[aml.id] = aml
                rows.append(refund_engine.InvoicedLine(aml.id, refundable))
            invoiced[line.id] = rows
        allocations, missing = refund_engine.allocate(
            {line.id: quantity for line, quantity in quantities.items()}, invoiced
        )
        if missing:
            lines = self.env["omni.return.line"].browse(missing)
            raise UserError(
                "\n".join(
                    [
                        self.env._(
                            "%(order)s is not invoiced for what is refunded: invoice the "
                            "order first, or close the return without refund.",
                            order=self.sale_order_id.name,
                        )
                    ]
                    + [
                        self.env._(
                            "- %(product)s: %(missing)s %(uom)s not invoiced.",
                            product=line.product_id.display_name,
                            missing=missing[line.id],
                            uom=line.product_uom_id.name,
                        )
                        for line in lines
                    ]
                )
            )
        lines = {line.id: line for line in quantities}
        return [
            (lines[allocation.line], invoice_lines[allocation.invoice_line], allocation.quantity)
            for allocation in allocations
        ]

    @api.model
    def _refundable_invoice_lines(self, sale_line):
        """[(posted invoice line, units not credited yet in the order line's unit)] of
        ``sale_line``, the latest invoice first."""
        aml_all = sale_line.sudo().invoice_lines.filtered(lambda aml: aml.parent_state != "cancel")
        invoices = aml_all.filtered(
            lambda aml: aml.move_id.move_type == "out_invoice" and aml.parent_state == "posted"
        ).sorted(lambda aml: (aml.move_id.invoice_date or aml.date, aml.id), reverse=True)
        credited = defaultdict(float)
        for aml in aml_all.filtered(lambda aml: aml.move_id.move_type == "out_refund"):
            credited[aml.move_id.reversed_entry_id] += aml.product_uom_id._compute_quantity(
                aml.quantity, sale_line.product_uom
            )
        result = []
        for aml in invoices:
            quantity = aml.product_uom_id._compute_quantity(aml.quantity, sale_line.product_uom)
            used = min(credited[aml.move_id], quantity)
            credited[aml.move_id] -= used
            result.append((aml, quantity - used))
        return result

    def _prepare_refund_vals_list(self, allocations):
        """One credit note per invoice credited; the first one keeps the charges."""
        by_invoice = defaultdict(list)
        for line, aml, quantity in allocations:
            by_invoice[aml.move_id].append((line, aml, quantity))
        goods = fee_base = 0.0
        for line, aml, quantity in allocations:
            value = self._credited_value(aml, line, quantity)
            goods += value
            if line.bears_fee:
                fee_base += value
        invoices = list(by_invoice)
        currency = invoices[0].currency_id
        charges = refund_engine.charges(
            goods,
            fee_base,
            self.restocking_fee_percent,
            self.label_cost if self.label_charged else 0.0,
            rounding=currency.rounding,
        )
        vals_list = []
        for index, invoice in enumerate(invoices):
            vals = self._prepare_refund_vals(invoice)
            vals["invoice_line_ids"] = [
                Command.create(self._prepare_refund_line_vals(aml, line, quantity))
                for line, aml, quantity in by_invoice[invoice]
            ]
            if index == 0:
                vals["invoice_line_ids"] += self._prepare_charge_lines(invoice, charges, fee_base)
            vals_list.append(vals)
        return vals_list

    @api.model
    def _credited_value(self, aml, line, quantity):
        """Untaxed value of ``quantity`` (order line unit) credited on ``aml``."""
        in_aml_unit = line.product_uom_id._compute_quantity(quantity, aml.product_uom_id)
        return in_aml_unit * aml.price_unit * (1 - (aml.discount or 0.0) / 100.0)

    def _prepare_refund_vals(self, invoice):
        return {
            "move_type": "out_refund",
            "partner_id": invoice.partner_id.id,
            "partner_shipping_id": invoice.partner_shipping_id.id,
            "journal_id": invoice.journal_id.id,
            "currency_id": invoice.currency_id.id,
            "fiscal_position_id": invoice.fiscal_position_id.id,
            "invoice_payment_term_id": invoice.invoice_payment_term_id.id,
            "invoice_user_id": invoice.invoice_user_id.id,
            "team_id": invoice.team_id.id,
            "company_id": invoice.company_id.id,
            "invoice_origin": invoice.invoice_origin,
            "reversed_entry_id": invoice.id,
            "ref": self.env._("Return %(rma)s of %(invoice)s", rma=self.name, invoice=invoice.name),
            "omni_return_id": self.id,
        }

    def _prepare_refund_line_vals(self, aml, line, quantity):
        return {
            "product_id": aml.product_id.id,
            "name": aml.name,
            "quantity": line.product_uom_id._compute_quantity(quantity, aml.product_uom_id),
            "product_uom_id": aml.product_uom_id.id,
            "price_unit": aml.price_unit,
            "discount": aml.discount,
            "tax_ids": [Command.set(aml.tax_ids.ids)],
            "account_id": aml.account_id.id,
            "analytic_distribution": aml.analytic_distribution,
            "sale_line_ids": [Command.set(aml.sale_line_ids.ids)],
            "omni_return_line_id": line.id,
        }

    def _prepare_charge_lines(self, invoice, charges, fee_base):
        lines = []
        if charges.fee:
            product = self.policy_id.sudo().restocking_fee_product_id or self.env.ref(
                "omni_returns.product_restocking_fee"
            )
            lines.append(
                Command.create(
                    self._prepare_charge_line_vals(
                        invoice,
                        product,
                        self.env._(
                            "Restocking fee: %(percent)s%% of %(base)s",
                            percent=self.restocking_fee_percent,
                            base=invoice.currency_id.round(fee_base),
                        ),
                        charges.fee,
                    )
                )
            )
        if charges.label:
            lines.append(
                Command.create(
                    self._prepare_charge_line_vals(
                        invoice,
                        self.carrier_id.product_id,
                        self.env._(
                            "Return label: %(carrier)s %(tracking)s",
                            carrier=self.carrier_id.name,
                            tracking=self.tracking_ref or "",
                        ),
                        charges.label,
                    )
                )
            )
        return lines

    def _prepare_charge_line_vals(self, invoice, product, name, amount):
        """A credit note line keeping ``amount`` (untaxed) from the refund."""
        taxes = product.taxes_id._filter_taxes_by_company(invoice.company_id)
        return {
            "product_id": product.id,
            "name": name,
            "quantity": 1.0,
            "price_unit": -amount,
            "tax_ids": [Command.set(invoice.fiscal_position_id.map_tax(taxes).ids)],
        }

    def action_close(self):
        """Close a received return without refund (or after a partial one)."""
        self._check_state(("received", "inspected"), self.env._("closed"))
        self.write({"state": "closed"})
        return True

    # Exchange ---------------------------------------------------------------------------

    def _create_exchange_order(self):
        """The order sending the exchanged items: confirmed (and routed by the order
        management) at once when it ships before the return comes back, else when the
        goods are received."""
        self.ensure_one()
        order = self.env["sale.order"].sudo().create(self._prepare_exchange_order_vals())
        self.exchange_order_id = order
        self.message_post(body=self.env._("Exchange order %(order)s created.", order=order.name))
        if self.exchange_ship_now:
            self._confirm_exchange_order()
        return order

    def _prepare_exchange_order_vals(self):
        original = self.sale_order_id
        return {
            "partner_id": original.partner_id.id,
            "partner_invoice_id": original.partner_invoice_id.id,
            "partner_shipping_id": original.partner_shipping_id.id,
            "pricelist_id": original.pricelist_id.id,
            "team_id": original.team_id.id,
            "user_id": original.user_id.id,
            "company_id": original.company_id.id,
            "fiscal_position_id": original.fiscal_position_id.id,
            "origin": self.name,
            "client_order_ref": self.env._("Exchange of %(rma)s", rma=self.name),
            "omni_exchange_return_id": self.id,
            "order_line": [
                Command.create(self._prepare_exchange_line_vals(line)) for line in self.line_ids
            ],
        }

    def _prepare_exchange_line_vals(self, line):
        """The exchanged item, at the price of the returned one."""
        sale_line = line.sale_line_id
        return {
            "product_id": (line.exchange_product_id or line.product_id).id,
            "product_uom_qty": line.quantity,
            "product_uom": sale_line.product_uom.id,
            "price_unit": sale_line.price_unit,
            "discount": sale_line.discount,
            "tax_id": [Command.set(sale_line.tax_id.ids)],
        }

    def _confirm_exchange_order(self):
        self.ensure_one()
        self.exchange_order_id.sudo().action_confirm()
        self.message_post(
            body=self.env._(
                "Exchange order %(order)s confirmed: it ships.", order=self.exchange_order_id.name
            )
        )

    # Notifications -----------------------------------------------------------------------

    def _notify(self, stage, force=False):
        """Tell the customers of these returns that ``stage`` was reached (see
        ``omni.return.notification``)."""
        return self.env["omni.return.notification"].sudo()._notify(self, stage, force=force)

    # Buttons ----------------------------------------------------------------------------

    def action_view_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", (self.picking_ids | self.grading_picking_ids).ids)]
        action["context"] = {"create": False}
        return action

    def action_view_refunds(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_refund_type"
        )
        action["domain"] = [("omni_return_id", "=", self.id)]
        action["context"] = {"create": False, "default_move_type": "out_refund"}
        refunds = self.sudo().refund_ids
        if len(refunds) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = refunds.id
        return action

    def action_view_exchange_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.exchange_order_id.id,
            "views": [(False, "form")],
        }

    # Portal listing ------------------------------------------------------------------------

    @api.model
    def _returnable_lines(self, orders=None, partner=None, channel="portal"):
        """What may be returned of ``orders`` (sales orders) or of every confirmed order
        of ``partner``'s company or person, as asked from ``channel``: a dict per
        order line delivered and not returned yet, the latest orders first —
        ``sale_line_id``, ``order_id``, ``order_name``, ``product_id``, ``uom_id``,
        ``quantity`` (returnable now, in the line's unit), ``delivered_on``,
        ``last_day`` (None: no limit) and ``refusal`` (False, or why the policy
        refuses it). Read in a few queries, whatever the number of orders."""
        if orders is not None:
            where = SQL("so.id = ANY(%s)", orders.ids or [0])
        elif partner is not None:
            where = SQL(
                "so.partner_id IN (SELECT id FROM res_partner WHERE commercial_partner_id = %s)",
                partner.commercial_partner_id.id,
            )
        else:
            raise UserError(self.env._("Give the orders or the customer."))
        where = SQL("%s AND so.state = 'sale'", where)
        rows = [
            row
            for row in self.env["sale.order.line"]._omni_return_data(where).values()
            if row["delivered_at"] and row["returnable"] > 0
        ]
        policies = self._engine_policies_by_company({row["company_id"] for row in rows})
        today = fields.Date.context_today(self)
        return [self._returnable_line(row, policies, channel, today) for row in rows]

    @api.model
    def _engine_policies_by_company(self, company_ids):
        Policy = self.env["omni.return.policy"].sudo()
        return {
            company_id: Policy._policies_for(
                self.env["res.company"].browse(company_id)
            )._engine_policies()
            for company_id in company_ids
        }

    @api.model
    def _returnable_line(self, row, policies, channel, today):
        company = self.env["res.company"].browse(row["company_id"])
        currency = self.env["res.currency"].browse(row["currency_id"])
        facts = policy_engine.OrderFacts(
            channel_id=row["team_id"],
            country_id=row["country_id"],
            zip=row["zip"] or "",
            amount=self.env["omni.rule.mixin"]._company_amount(
                row["amount_untaxed"], currency, company, row["date_order"]
            ),
            request_channel=channel,
        )
        policy = policy_engine.select_policy(policies[row["company_id"]], facts).rule
        line = policy_engine.LineFacts(
            row["id"],
            product_tmpl_id=row["product_tmpl_id"],
            categ_ids=_categ_ids(row["parent_path"]),
            quantity=row["returnable"],
            returnable=row["returnable"],
            delivered_on=self._delivery_date(row["delivered_at"]),
        )
        problems, last_day = policy_engine.returnable(policy, line, today)
        refusal = False
        if problems:
            refusal = self._refusal_text(problems[0], row, last_day)
        return {
            "sale_line_id": row["id"],
            "order_id": row["order_id"],
            "order_name": row["order_name"],
            "product_id": row["product_id"],
            "uom_id": row["product_uom"],
            "quantity": row["returnable"],
            "delivered_on": line.delivered_on,
            "last_day": last_day,
            "refusal": refusal,
        }

    @api.model
    def _refusal_text(self, problem, row, last_day):
        if problem.code == policy_engine.WINDOW:
            return self.env._(
                "The return window ended on %(deadline)s.",
                deadline=format_date(self.env, last_day),
            )
        if problem.code in (policy_engine.CATEGORY, policy_engine.PRODUCT):
            return self.env._("This product cannot be returned.")
        return self.env._("Returns are not accepted for this order.")


def _categ_ids(parent_path):
    """The category ids of a category's ``parent_path`` ("1/4/9/"): itself and above."""
    return frozenset(int(part) for part in (parent_path or "").split("/") if part)
