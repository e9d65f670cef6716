from odoo import fields, models


class OmniFeedKeyShow(models.AbstractModel):
    """Shows a channel's new feed key, once: it is never stored, only its hash."""

    _name = "omni.feed.key.show"
    _description = "Show Channel Feed Key"

    # the id is needed for the form to display the default values
    id = fields.Id()
    key = fields.Char(readonly=True)
    channel_id = fields.Many2one("crm.team", readonly=True)
    feed_url = fields.Char(readonly=True)
