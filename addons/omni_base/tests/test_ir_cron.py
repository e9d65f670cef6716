from unittest.mock import patch

from odoo import sql_db
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCronNotification(TransactionCase):
    def triggered_and_committed(self, crons):
        """Trigger ``crons`` now, then run what a commit runs after it; return the
        notifications sent to the cron workers."""
        postcommit = self.env.cr.postcommit
        for cron in crons:
            cron._trigger()
        with patch.object(sql_db, "db_connect") as connect:
            postcommit.run()
        cursor = connect.return_value.cursor.return_value.__enter__.return_value
        return [call.args[0] for call in cursor.execute.call_args_list]

    def test_cron_workers_notified_once_per_transaction(self):
        crons = self.env["ir.cron"].search([], limit=3)
        self.assertEqual(len(crons), 3)
        # what the test's set-up left to run after a commit never runs in its transaction
        self.env.cr.postcommit.clear()
        self.assertEqual(len(self.triggered_and_committed(crons)), 1)
        # the next transaction notifies them again
        self.assertEqual(len(self.triggered_and_committed(crons[:1])), 1)
