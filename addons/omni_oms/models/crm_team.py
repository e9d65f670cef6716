import hashlib
import hmac
import logging
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)

FEED_KEY_PREFIX = "omni_"
# Compared when a channel has no key, so that refusing takes as long as checking.
NO_KEY_HASH = hashlib.sha256(b"no feed key").hexdigest()


def _hash_feed_key(key):
    # Keys are 256-bit random tokens: a fast hash cannot be brute-forced, no need of
    # a slow password hash (which would slow every feed call down).
    return hashlib.sha256(key.encode()).hexdigest()


class CrmTeam(models.Model):
    _inherit = "crm.team"

    omni_channel_type = fields.Selection(
        selection=[
            ("web", "Web shop"),
            ("marketplace", "Marketplace"),
            ("b2b", "B2B"),
            ("store", "Store"),
            ("call_center", "Call centre"),
        ],
        string="Channel Type",
        help="Kind of sales channel this team sells through; Omni's stock pools and "
        "routing rules apply per channel.",
    )
    omni_stock_pool_ids = fields.Many2many(
        "omni.stock.pool",
        "omni_stock_pool_crm_team_rel",
        "team_id",
        "pool_id",
        string="Stock Pools",
        groups="sales_team.group_sale_salesman,omni_base.group_omni_store_staff,"
        "omni_base.group_omni_warehouse_operator",
    )
    omni_stock_pool_id = fields.Many2one(
        "omni.stock.pool",
        string="Stock Pool",
        compute="_compute_omni_stock_pool_id",
        store=True,
        index="btree_not_null",
        help="The stock this channel sells: set the channel on a stock pool.",
    )
    omni_peak_mode = fields.Boolean(
        string="Peak Mode",
        help="Confirming an order of this channel records it and reserves its available "
        "to sell at once; routing and transfers follow in background batches, which "
        "several servers share. Turn it on for sales peaks (or for all the company's "
        "channels in the Sales settings).",
    )
    omni_feed_key_hash = fields.Char(copy=False, groups="base.group_system")
    omni_feed_key_date = fields.Datetime(string="Feed Key Created On", copy=False, readonly=True)

    @api.depends("omni_stock_pool_ids", "omni_stock_pool_ids.active")
    def _compute_omni_stock_pool_id(self):
        for team in self:
            team.omni_stock_pool_id = team.omni_stock_pool_ids.filtered("active")[:1]

    # Feed keys -------------------------------------------------------------------

    def _omni_check_feed_key_manager(self):
        if not self.env.user.has_group("omni_base.group_omni_manager"):
            raise AccessError(
                self.env._("Only logistics managers can create or revoke channel feed keys.")
            )
        self.check_access("read")

    def action_omni_generate_feed_key(self):
        """Create the channel's feed key (replacing the previous one) and show it once:
        only its hash is kept."""
        self.ensure_one()
        self._omni_check_feed_key_manager()
        key = FEED_KEY_PREFIX + secrets.token_urlsafe(32)
        # sudo: the hash is readable by no one, and managers need not be sales managers
        self.sudo().write(
            {"omni_feed_key_hash": _hash_feed_key(key), "omni_feed_key_date": fields.Datetime.now()}
        )
        _logger.info("Feed key of channel %s (#%s) created by %s", self.name, self.id, self.env.uid)
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.feed.key.show",
            "name": self.env._("Feed Key of %(channel)s", channel=self.name),
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_key": key,
                "default_channel_id": self.id,
                "default_feed_url": f"{self.get_base_url()}/omni/ats/{self.id}",
            },
        }

    def action_omni_revoke_feed_key(self):
        self._omni_check_feed_key_manager()
        self.sudo().write({"omni_feed_key_hash": False, "omni_feed_key_date": False})
        _logger.info("Feed key of channel(s) %s revoked by %s", self.ids, self.env.uid)

    @api.model
    def _omni_feed_authenticate(self, channel_id, key):
        """The channel ``channel_id`` if ``key`` is its feed key, else an empty recordset.
        The comparison takes the same time whether the channel exists, has a key or not."""
        channel = self.sudo().browse(channel_id).exists()
        stored = (channel.active and channel.omni_feed_key_hash) or NO_KEY_HASH
        matches = hmac.compare_digest(_hash_feed_key(key), stored)
        return channel if matches and stored != NO_KEY_HASH else self.browse()
