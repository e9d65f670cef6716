# pylint: disable=consider-merging-classes-inherited
# The return model in files by subject: request, receipt, inspection, refund.
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date

from ..engine import policy as policy_engine
from ..engine import receiving as receiving_engine
from .omni_return import MANAGER, REQUEST_CHANNELS, ReturnRefused


class OmniReturn(models.Model):
    """Return requests: what the return policy says of them, where they are received,
    and what a customer may still return."""

    _inherit = "omni.return"

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
