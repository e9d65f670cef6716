import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CostCommon


@tagged("post_install", "-at_install")
class TestCostReturnsAudit(CostCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grade_c = cls.env.ref("omni_returns.omni_return_grade_c")
        cls.grade_c.omni_loss_percent = 50.0
        cls.reason = cls.env.ref("omni_returns.omni_return_reason_changed_mind")

    def delivered(self, lines=None, price=7.5):
        order = self.order(lines or [(self.lamp, 2), (self.rug, 1)])
        shipment = self.ship(self.picking_of(order, self.dc), 120.0, self.box, price=price)
        return order, shipment

    def returned(self, order, grade, label_price, label_charged=False):
        """A return of one Lamp of ``order``, received at CDC and graded ``grade``, its
        label (``label_price``) paid by the company unless ``label_charged``."""
        delivery = self.picking_of(order, self.dc)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = 1 if line.product_id == self.lamp else 0
        picking = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        sale_line = order.order_line.filtered(lambda line: line.product_id == self.lamp)
        rma = self.env["omni.return"].create(
            {
                "sale_order_id": order.id,
                "partner_id": order.partner_id.id,
                "team_id": order.team_id.id,
                "channel": "backend",
                "warehouse_id": self.dc.id,
                "label_charged": label_charged,
                "line_ids": [
                    Command.create(
                        {"sale_line_id": sale_line.id, "quantity": 1, "reason_id": self.reason.id}
                    )
                ],
            }
        )
        picking.omni_return_id = rma
        self.label(picking, label_price, kind="return")
        self.env["omni.return.grading"].create(
            {"line_id": rma.line_ids.id, "grade_id": grade.id, "quantity": 1}
        )
        rma.state = "inspected"
        return rma

    def test_returned_order(self):
        """A Lamp comes back: label 4.20 paid by the company, 120 s of inspection at
        30/h = 1.00, graded C losing 50 % of its cost 20 = 10.00: returns 15.20."""
        order, _shipment = self.delivered()
        self.returned(order, self.grade_c, 4.2)
        cost = self.cost(order)
        self.assertAlmostEqual(cost.amount_returns, 15.2)
        self.assertAlmostEqual(cost.amount_total, 16.83 + 15.2)
        returns = self.postings(order).filtered(lambda line: line.component == "returns")
        self.assertEqual(
            sorted((line.source_model, line.cost_state, line.amount) for line in returns),
            [
                ("omni.return", "actual", 10.0),
                ("omni.return", "estimated", 1.0),
                ("omni.shipment", "estimated", 4.2),
            ],
        )

    def test_return_label_paid_by_the_customer(self):
        """A label kept from the refund costs the company nothing."""
        order, _shipment = self.delivered()
        self.returned(order, self.grade_c, 4.2, label_charged=True)
        self.assertAlmostEqual(self.cost(order).amount_returns, 11.0)

    def test_estimated_becomes_actual_after_the_invoice(self):
        """Quoted 7.50, billed 7.10 + 0.90 of surcharge: 8.00 is the actual carrier
        cost; the 7.50 estimate is reversed; 0.90 is flagged at stake."""
        order, shipment = self.delivered()
        self.cost(order)
        invoice = self.import_invoice(
            [[shipment.tracking_number, "2026-01-05", "5", "7.10", "0.90", self.currency.name]],
            user=self.accountant,
        )
        line = invoice.line_ids
        self.assertEqual(line.shipment_id, shipment)
        self.assertEqual(line.order_id, order)
        self.assertEqual(line.status, "surcharge")
        self.assertAlmostEqual(line.at_stake, 0.9)
        self.assertEqual(self.cost(order).carrier_state, "estimated", "not before confirmation")
        invoice.with_user(self.accountant).action_confirm()
        cost = self.env["omni.order.cost"].search([("order_id", "=", order.id)])
        self.assertEqual(cost.carrier_state, "actual")
        self.assertAlmostEqual(cost.amount_carrier, 8.0)
        self.assertAlmostEqual(cost.amount_total, 17.33)
        invoiced = self.env["account.analytic.line"].search(
            [("omni_order_id", "=", order.id), ("omni_cost_state", "=", "actual")]
        )
        self.assertEqual(invoiced.name, f"{order.name} - Carrier (invoiced)")
        carrier = self.postings(order).filtered(lambda p: p.component == "carrier")
        self.assertEqual(
            sorted((p.cost_state, p.amount) for p in carrier),
            [("actual", 8.0), ("estimated", -7.5), ("estimated", 7.5)],
        )
        # Cancelling the invoice brings the quote back.
        invoice.action_cancel()
        cost.invalidate_recordset()
        self.assertAlmostEqual(cost.amount_carrier, 7.5)
        self.assertEqual(cost.carrier_state, "estimated")

    def test_carrier_costs_accrued_then_released(self):
        """Accruals on: the 7.50 quote is accrued when costed, released when the 8.00
        invoice replaces it (the vendor bill books the expense)."""
        Account = self.env["account.account"]
        expense = Account.create(
            {"name": "Carrier costs", "code": "COST601", "account_type": "expense"}
        )
        accrued = Account.create(
            {"name": "Accrued carriers", "code": "COST408", "account_type": "liability_current"}
        )
        journal = self.env["account.journal"].create(
            {"name": "Cost accruals", "code": "CACR", "type": "general"}
        )
        self.company.write(
            {
                "omni_cost_accrual": True,
                "omni_cost_accrual_journal_id": journal.id,
                "omni_cost_expense_account_id": expense.id,
                "omni_cost_accrued_account_id": accrued.id,
            }
        )
        order, shipment = self.delivered()
        self.cost(order)
        Line = self.env["account.move.line"]
        self.assertEqual(
            Line.search([("account_id", "=", accrued.id), ("parent_state", "=", "posted")]).mapped(
                "balance"
            ),
            [-7.5],
        )
        self.cost(order)
        self.assertEqual(Line.search_count([("account_id", "=", accrued.id)]), 1, "idempotent")
        invoice = self.import_invoice(
            [[shipment.tracking_number, "2026-01-05", "5", "8.00", "0", ""]]
        )
        invoice.action_confirm()
        accrued_lines = Line.search([("account_id", "=", accrued.id)])
        self.assertEqual(sorted(accrued_lines.mapped("balance")), [-7.5, 7.5])
        self.assertAlmostEqual(
            sum(Line.search([("account_id", "=", expense.id)]).mapped("balance")), 0.0
        )

    def test_accrual_needs_its_accounts(self):
        with self.assertRaisesRegex(ValidationError, "set its accrual journal"):
            self.company.omni_cost_accrual = True

    def test_over_charges_found(self):
        """Declared 16 kg (2 Lamps of 2 kg and a Rug of 12 kg): billed 30 kg at 12.00
        for a 7.50 quote (4.50 at stake); the same tracking number again (12.00 at stake); a label
        cancelled before shipping (6.00 at stake); a number we never shipped (3.00)."""
        order, shipment = self.delivered()
        other, _ = self.delivered([(self.lamp, 1)], price=5.0)
        cancelled = self.label(self.picking_of(other, self.dc), 6.0, state="cancelled")
        fine = other.picking_ids.omni_shipment_ids.filtered(lambda s: s.state == "done")
        invoice = self.import_invoice(
            [
                [shipment.tracking_number, "2026-01-05", "30", "12.00", "0", ""],
                [fine.tracking_number, "2026-01-05", "2", "5.00", "0", ""],
                [shipment.tracking_number, "2026-01-05", "30", "12.00", "0", ""],
                [cancelled.tracking_number, "2026-01-05", "2", "6.00", "0", ""],
                ["XX999", "2026-01-05", "1", "3.00", "0", ""],
            ],
            keep_unknown=True,
        )
        found = [(line.sequence, line.status, line.at_stake) for line in invoice.line_ids]
        self.assertEqual(
            found,
            [
                (2, "overweight", 4.5),
                (3, "ok", 0.0),
                (4, "duplicate", 12.0),
                (5, "not_shipped", 6.0),
                (6, "unknown", 3.0),
            ],
        )
        self.assertAlmostEqual(invoice.amount_at_stake, 25.5)
        self.assertEqual(invoice.flagged_count, 4)
        self.assertAlmostEqual(invoice.line_ids[0].declared_weight, 16.0)
        invoice.action_confirm()
        self.assertAlmostEqual(self.cost(order).amount_carrier, 12.0, "the duplicate counts once")
        # Billing the same shipment on a later invoice is a duplicate.
        again = self.import_invoice(
            [[fine.tracking_number, "2026-02-05", "2", "5.00", "0", ""]], name="INV-2"
        )
        self.assertEqual(again.line_ids.status, "duplicate")

    def test_vendor_bill_lines_audited(self):
        """A carrier's vendor bill: the line naming our label billed 8.00 for a 7.50
        quote (0.50 at stake), a line naming no shipment of ours (3.00 at stake)."""
        order, shipment = self.delivered()
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.customer.id,
                "ref": "CARRIER-BILL-7",
                "invoice_date": "2026-01-31",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"Parcel {shipment.tracking_number} Paris",
                            "quantity": 1,
                            "price_unit": 8.0,
                            "tax_ids": False,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Parcel XX12345678",
                            "quantity": 1,
                            "price_unit": 3.0,
                            "tax_ids": False,
                        }
                    ),
                ],
            }
        )
        action = bill.action_omni_audit_carrier_lines()
        Wizard = self.env["omni.carrier.invoice.import"].with_context(**action["context"])
        with self.assertRaisesRegex(UserError, "Line 2: XX12345678"):
            Wizard.create({"carrier_id": self.carrier.id}).action_import()
        result = Wizard.create(
            {"carrier_id": self.carrier.id, "keep_unknown": True}
        ).action_import()
        invoice = self.env["omni.carrier.invoice"].browse(result["res_id"])
        self.assertEqual(invoice.move_id, bill)
        self.assertEqual(invoice.name, "CARRIER-BILL-7")
        self.assertEqual(
            [(line.tracking_number, line.status, line.at_stake) for line in invoice.line_ids],
            [(shipment.tracking_number, "overpriced", 0.5), ("XX12345678", "unknown", 3.0)],
        )
        invoice.action_confirm()
        self.assertAlmostEqual(self.cost(order).amount_carrier, 8.0)

    def test_mondial_relay_file(self):
        """A Mondial Relay file (semicolons, decimal commas, French dates), its format
        chosen in the wizard: 7,50 + 1,20 of supplements for a 7.50 quote."""
        _order, shipment = self.delivered()
        content = (
            "Numero Expedition;Date Depot;Poids Facture;Montant HT;Supplements HT;Devise\n"
            f"{shipment.tracking_number};05/01/2026;2,5;7,50;1,20;{self.currency.name}\n"
        )
        wizard = self.env["omni.carrier.invoice.import"].create(
            {
                "carrier_id": self.carrier.id,
                "name": "MR-2026-01",
                "data_file": base64.b64encode(content.encode()),
            }
        )
        self.assertEqual(wizard.invoice_format, "omni", "the carrier's format by default")
        wizard.invoice_format = "mondialrelay"
        invoice = self.env["omni.carrier.invoice"].browse(wizard.action_import()["res_id"])
        line = invoice.line_ids
        self.assertEqual((line.shipment_id, line.status), (shipment, "surcharge"))
        self.assertAlmostEqual(line.amount_total, 8.7)
        self.assertAlmostEqual(line.at_stake, 1.2)
        self.assertEqual(str(line.ship_date), "2026-01-05")

    def test_invoice_in_another_currency(self):
        """Billed 12.00 in a currency worth half the company's: 6.00 actual; its quote
        of 7.50 is 15.00 in the invoice's currency, so nothing is at stake."""
        order, shipment = self.delivered()
        invoice = self.import_invoice(
            [
                [
                    shipment.tracking_number,
                    "2026-01-05",
                    "26",
                    "12.00",
                    "0",
                    self.other_currency.name,
                ]
            ],
            currency=self.other_currency,
        )
        self.assertAlmostEqual(invoice.line_ids.expected_amount, 15.0)
        self.assertEqual(invoice.line_ids.status, "ok")
        invoice.action_confirm()
        self.assertAlmostEqual(self.cost(order).amount_carrier, 6.0)

    def test_bad_invoice_files(self):
        _order, shipment = self.delivered()
        count = self.env["omni.carrier.invoice"].search_count([])
        tracking = shipment.tracking_number
        cases = [
            (
                {"header": ["tracking", "price"], "rows": [[tracking, "7"]]},
                "columns missing for the omni format: tracking_number, ship_date",
            ),
            (
                {
                    "rows": [
                        [tracking, "2026-01-05", "2", "-7.50", "0", ""],
                        [tracking, "2026-01-05", "2", "abc", "0", ""],
                    ]
                },
                r"Line 2: negative amount or weight -7.50\nLine 3: abc is not a number",
            ),
            (
                {
                    "rows": [
                        [tracking, "2026-01-05", "2", "7.50", "0", ""],
                        ["UNKNOWN1", "2026-01-05", "2", "7.50", "0", ""],
                    ]
                },
                "Line 3: UNKNOWN1",
            ),
            (
                {"rows": [[tracking, "05/01/2026", "2", "7.50", "0", ""]]},
                "Line 2: 05/01/2026 is not a date",
            ),
            (
                {"rows": [[tracking, "2026-01-05", "2", "7.50", "0", "JPY"]]},
                "Line 2: amount in JPY",
            ),
        ]
        for vals, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                self.import_invoice(vals.pop("rows"), **vals)
        self.assertEqual(self.env["omni.carrier.invoice"].search_count([]), count)

    def test_accountants_read_store_staff_cannot(self):
        order, _shipment = self.delivered()
        cost = self.cost(order)
        for user in (self.accountant, self.auditor, self.chief_accountant, self.user_manager):
            with self.subTest(user=user.login):
                mine = cost.with_user(user)
                self.assertAlmostEqual(mine.amount_total, 16.83)
                groups = (
                    self.env["omni.order.cost"]
                    .with_user(user)
                    .read_group(
                        [("team_id", "=", self.channel.id)],
                        ["amount_total:sum"],
                        ["team_id", "date:month"],
                    )
                )
                self.assertAlmostEqual(sum(group["amount_total"] for group in groups), 16.83)
                self.assertEqual(len(self.postings(order).with_user(user).read(["amount"])), 4)
                self.assertAlmostEqual(order.with_user(user).omni_cost_total, 16.83)
        for user in (self.user_store_staff, self.user_operator, self.user_internal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                cost.with_user(user).read(["amount_total"])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.postings(order).with_user(user).read(["amount"])
        # Reading is not costing: a billing user cannot post.
        with self.assertRaises(AccessError):
            order.with_user(self.accountant).action_omni_compute_cost()

    def test_costs_stay_in_their_company(self):
        order, _shipment = self.delivered()
        cost = self.cost(order)
        other_company = self.env["res.company"].create({"name": "Cost Other Co"})
        outsider = new_test_user(
            self.env,
            login="cost_other_chief",
            groups="account.group_account_manager",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.assertFalse(
            self.env["omni.order.cost"].with_user(outsider).search([("id", "=", cost.id)])
        )
