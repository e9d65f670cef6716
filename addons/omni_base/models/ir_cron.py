from odoo import models

NOTIFIED_KEY = "omni_base.cron_workers_notified"


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _notifydb(self):
        """Wake the cron workers once per transaction. Each trigger due at once asks
        for a notification after the commit, sent over a new connection to the
        ``postgres`` database (Odoo does not pool those): an order waking three
        actions paid three connections. One notification wakes every worker, which
        then runs all the actions due."""
        data = self.env.cr.postcommit.data
        if data.get(NOTIFIED_KEY):
            return
        data[NOTIFIED_KEY] = True
        super()._notifydb()
