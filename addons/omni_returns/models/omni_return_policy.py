from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import policy as policy_engine


class OmniReturnPolicy(models.Model):
    """What customers may return, and on which terms: the first policy (by sequence)
    whose conditions a return meets applies (see ``engine.policy``)."""

    _name = "omni.return.policy"
    _inherit = "omni.rule.mixin"
    _description = "Return Policy"

    # Conditions beyond the rule base's ---------------------------------------------
    request_channel_ids = fields.Many2many(
        "omni.return.channel",
        string="Requested From",
        help="Where the request comes from: the backend, the customer portal or a store "
        "counter. Empty: anywhere.",
    )

    # Terms ---------------------------------------------------------------------------
    accepts_returns = fields.Boolean(
        string="Returns Accepted",
        default=True,
        tracking=True,
        help="Untick to refuse every return this policy applies to (a manager can still "
        "override it with a note).",
    )
    return_days = fields.Integer(
        string="Return Window (days)",
        default=30,
        tracking=True,
        help="Days after delivery during which items may be returned; 0: no limit.",
    )
    excluded_categ_ids = fields.Many2many(
        "product.category",
        string="Non-returnable Categories",
        help="Products of these categories, and of those below them, cannot be returned.",
    )
    excluded_product_ids = fields.Many2many("product.template", string="Non-returnable Products")
    approval_reason_ids = fields.Many2many(
        "omni.return.reason",
        string="Reasons Needing Approval",
        help="Returns for these reasons wait for a logistics manager's approval (as do "
        "those for reasons needing approval everywhere).",
    )
    restocking_fee_percent = fields.Float(
        string="Restocking Fee (%)",
        tracking=True,
        help="Kept from the refund, as a percentage of the untaxed value returned; never "
        "charged for defective items.",
    )
    restocking_fee_product_id = fields.Many2one(
        "product.product",
        domain="[('type', '=', 'service')]",
        default=lambda self: self.env.ref(
            "omni_returns.product_restocking_fee", raise_if_not_found=False
        ),
        help="The product of the credit note line keeping the fee (its taxes apply).",
    )
    label_payer = fields.Selection(
        [
            (policy_engine.LABEL_FREE, "Free for the customer"),
            (policy_engine.LABEL_PAID, "Paid by the customer"),
            (policy_engine.LABEL_FREE_ABOVE, "Free above an order amount"),
        ],
        string="Return Label",
        default=policy_engine.LABEL_FREE,
        required=True,
        tracking=True,
        help="Who pays the return label: a label the customer pays is kept from the "
        "refund. Defective items always travel back for free.",
    )
    label_free_above = fields.Monetary(
        string="Label Free from",
        currency_field="currency_id",
        help="Untaxed order amount from which the return label is free.",
    )
    receiving_mode = fields.Selection(
        [
            (policy_engine.RECEIVE_ORIGINAL, "Warehouse that shipped the order"),
            (policy_engine.RECEIVE_NEAREST, "Nearest warehouse or store"),
            (policy_engine.RECEIVE_CATEGORY, "By product category"),
            (policy_engine.RECEIVE_FIXED, "A given warehouse or store"),
        ],
        string="Received at",
        default=policy_engine.RECEIVE_ORIGINAL,
        required=True,
        tracking=True,
        help="Which warehouse or store receives the returns sent by carrier; a return "
        "dropped off at a store is received there.",
    )
    receiving_warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        help="Receives the returns of a given warehouse policy, and those the other modes "
        "cannot place (no coordinates, no category route).",
    )
    nearest_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Candidate Warehouses",
        check_company=True,
        help="Nearest mode: the warehouses and stores that may receive; empty: all of "
        "the company's.",
    )
    category_route_ids = fields.One2many(
        "omni.return.policy.route", "policy_id", string="Category Routes", copy=True
    )
    note = fields.Text(translate=True, help="The terms, as customers read them.")

    @api.constrains("return_days", "restocking_fee_percent", "label_free_above")
    def _check_terms(self):
        for policy in self:
            if policy.return_days < 0:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the return window cannot be negative; 0 means no "
                        "limit.",
                        policy=policy.name,
                    )
                )
            if not 0 <= policy.restocking_fee_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the restocking fee is a percentage between 0 and 100.",
                        policy=policy.name,
                    )
                )
            if policy.restocking_fee_percent and not policy.restocking_fee_product_id:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s charges a restocking fee: choose the product of "
                        "its credit note line.",
                        policy=policy.name,
                    )
                )

    @api.constrains("receiving_mode", "receiving_warehouse_id", "category_route_ids")
    def _check_receiving(self):
        for policy in self:
            if policy.receiving_mode == policy_engine.RECEIVE_FIXED and not (
                policy.receiving_warehouse_id
            ):
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s receives returns at a given warehouse: choose it.",
                        policy=policy.name,
                    )
                )
            if policy.receiving_mode == policy_engine.RECEIVE_CATEGORY and not (
                policy.category_route_ids
            ):
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s receives returns by product category: add the "
                        "category routes.",
                        policy=policy.name,
                    )
                )

    def _engine_policies(self):
        """These policies as the engine reads them."""
        return [
            policy_engine.Policy(
                **policy._rule_base_vals(),
                request_channels=frozenset(policy.request_channel_ids.mapped("code")),
                accepts_returns=policy.accepts_returns,
                return_days=policy.return_days,
                excluded_categ_ids=frozenset(policy.excluded_categ_ids.ids),
                excluded_product_ids=frozenset(policy.excluded_product_ids.ids),
                approval_reason_ids=frozenset(policy.approval_reason_ids.ids),
                fee_percent=policy.restocking_fee_percent,
                label_payer=policy.label_payer,
                label_free_above=policy.label_free_above,
                receiving_mode=policy.receiving_mode,
            )
            for policy in self
        ]

    @api.model
    def _policies_for(self, company):
        return self.search([("company_id", "=", company.id)])
