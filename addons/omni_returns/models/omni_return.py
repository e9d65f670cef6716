from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

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
    override_note = fields.Text(readonly=True, tracking=True)
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
    exchange_order_id = fields.Many2one("sale.order", readonly=True, copy=False, check_company=True)
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
        result = super()._compute_access_url()
        for rma in self:
            rma.access_url = f"/my/returns/{rma.id}"
        return result

    @api.depends("name")
    def _compute_display_name(self):
        for rma in self:
            rma.display_name = rma.name

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
            "context": {"omni_return_ids": self.ids},
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

    # Notifications -----------------------------------------------------------------------

    def _notify(self, stage):
        """Tell the customers of these returns that ``stage`` was reached (see
        ``omni.return.notification``)."""
        return self.env["omni.return.notification"].sudo()._notify(self, stage)

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
