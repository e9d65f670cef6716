from types import SimpleNamespace

from odoo_test_helper import FakeModelLoader

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.omni_base.engine import rules as rule_engine

from .common import OmniCommon


@tagged("post_install", "-at_install")
class TestOmniRuleMixin(OmniCommon):
    """The rule base on a rule model of its own, as routing and carrier rules use it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_rule import OmniTestRule

        cls.loader.update_registry((OmniTestRule,))
        cls.addClassCleanup(cls.loader.restore_registry)
        cls.france = cls.env.ref("base.fr")
        cls.channel = cls.env["crm.team"].create({"name": "Rule base channel"})

    def rule(self, **vals):
        return self.env["omni.test.rule"].create({"name": "Test", **vals})

    def test_amount_ranges_are_checked_once_for_every_rule(self):
        with self.assertRaisesRegex(ValidationError, "minimum amount is above the maximum"):
            self.rule(amount_min=100, amount_max=50)
        with self.assertRaisesRegex(ValidationError, "amounts cannot be negative"):
            self.rule(amount_min=-1)
        self.assertTrue(self.rule(amount_min=50, amount_max=0), "no maximum")

    def test_the_engine_reads_the_shared_conditions(self):
        rule = self.rule(
            sequence=4,
            team_ids=[Command.set(self.channel.ids)],
            country_ids=[Command.set(self.france.ids)],
            zip_prefixes="75, 92 ",
            amount_min=10,
        )
        self.assertEqual(
            rule._rule_base_vals(),
            {
                "id": rule.id,
                "sequence": 4,
                "channel_ids": frozenset(self.channel.ids),
                "country_ids": frozenset(self.france.ids),
                "zip_prefixes": ("75", "92"),
                "amount_min": 10.0,
                "amount_max": 0.0,
            },
        )

    def test_rules_are_ordered_as_the_engine_tries_them(self):
        rules = self.rule(sequence=20) | self.rule(sequence=1) | self.rule(sequence=20)
        found = self.env["omni.test.rule"].search([("id", "in", rules.ids)])
        specs = [SimpleNamespace(**rule._rule_base_vals()) for rule in rules]
        self.assertEqual(found.ids, [spec.id for spec in sorted(specs, key=rule_engine.rule_order)])

    def test_amounts_are_compared_in_the_company_currency(self):
        company = self.env.company
        other = self.env.ref("base.CHF")
        other.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": other.id, "rate": 2.0, "name": "2020-01-01", "company_id": company.id}
        )
        Rule = self.env["omni.test.rule"]
        self.assertEqual(Rule._company_amount(10.0, company.currency_id, company), 10.0)
        converted = Rule._company_amount(100.0, other, company)
        self.assertAlmostEqual(converted, 100.0 / 2.0 * company.currency_id.rate, places=2)

    def test_changes_are_tracked_in_the_rule_s_chatter(self):
        rule = self.rule(amount_min=10)
        # changes are tracked from the transaction after the rule's creation
        self.env.flush_all()
        self.env.cr.precommit.run()
        # the tests' environment turns tracking off, as Odoo's common test classes do
        tracked_rule = rule.with_context(tracking_disable=False, mail_notrack=False)
        tracked_rule.write({"amount_min": 20, "zip_prefixes": "75"})
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking is written as the transaction commits
        rule.invalidate_recordset(["message_ids"])
        tracked = rule.message_ids.tracking_value_ids
        self.assertEqual(set(tracked.field_id.mapped("name")), {"amount_min", "zip_prefixes"})
