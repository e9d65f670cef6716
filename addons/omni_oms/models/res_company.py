from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    omni_peak_mode = fields.Boolean(
        string="Peak Mode for All Channels",
        help="Confirming an order of any of the company's channels records it and "
        "reserves its available to sell at once; routing and transfers follow in "
        "background batches. Channels can also be put in peak mode one by one.",
    )
    omni_peak_hold_transfers = fields.Boolean(
        string="Transfers After the Peak",
        help="Orders confirmed in peak mode are routed in the background as they come, "
        "their units counted at the locations chosen, but their transfers are only "
        "created once this is turned off: the servers' time goes to taking orders.",
    )

    def write(self, vals):
        released = (
            self.filtered("omni_peak_hold_transfers")
            if ("omni_peak_hold_transfers" in vals and not vals["omni_peak_hold_transfers"])
            else self.browse()
        )
        result = super().write(vals)
        if released:
            self.env["sale.order"]._omni_wake_peak_routing()
        return result
