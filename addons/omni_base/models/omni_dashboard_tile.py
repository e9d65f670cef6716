from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

# The sections of the Omni menu, in their order.
SECTIONS = [
    ("orders", "Orders"),
    ("stores", "Stores"),
    ("warehouse", "Warehouse"),
    ("transport", "Transport"),
    ("returns", "Returns"),
]


class OmniDashboardTile(models.Model):
    """A counter on Omni's overview: how many records of a list wait for someone, and
    that list, filtered, one click away.

    Each Omni add-on puts its own tiles on the overview as data: a window action (the
    list), a domain (what is counted and listed) and the groups who see the tile. The
    count is the user's: their access rights and record rules apply.
    """

    _name = "omni.dashboard.tile"
    _description = "Omni Overview Tile"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    section = fields.Selection(SECTIONS, required=True)
    sequence = fields.Integer(default=10)
    action_id = fields.Many2one(
        "ir.actions.act_window",
        string="List",
        required=True,
        ondelete="cascade",
        help="The list the tile opens; its own domain applies to the count too.",
    )
    domain = fields.Char(default="[]", help="What the tile counts and lists, within its list.")
    alert = fields.Boolean(
        help="A count above zero needs someone's attention: the tile shows it in red."
    )
    group_ids = fields.Many2many(
        "res.groups", string="Groups", help="Who sees the tile; everybody when empty."
    )
    count = fields.Integer(compute="_compute_count")

    @api.depends("action_id", "domain")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_count(self):
        for tile in self:
            records = self.env[tile.action_id.sudo().res_model]
            tile.count = (
                records.search_count(tile._records_domain()) if records.has_access("read") else 0
            )

    def _records_domain(self):
        """The records the tile counts and lists: those of its list's domain and its own."""
        self.ensure_one()
        context = {
            **self.env["ir.actions.actions"]._get_eval_context(),
            "allowed_company_ids": self.env.companies.ids,
            "context": self.env.context,
        }
        return expression.AND(
            [
                safe_eval(self.action_id.sudo().domain or "[]", context),
                safe_eval(self.domain or "[]", context),
            ]
        )

    def action_open(self):
        """The tile's list, filtered to what it counts, list view first."""
        self.ensure_one()
        action = self.action_id._get_action_dict()
        action.update(
            name=self.name,
            display_name=self.name,
            domain=self._records_domain(),
            views=sorted(action["views"], key=lambda view: view[1] != "list"),
        )
        return action
