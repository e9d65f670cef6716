from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models.omni_return import ReturnRefused
from .common import ReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnsRequest(ReturnsCommon):
    def test_backend_request_from_delivery_sends_the_carrier_label(self):
        order = self.deliver([(self.product, 2), (self.heavy_product, 1)])
        delivery = order.picking_ids
        action = delivery.action_omni_return()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(len(wizard.line_ids), 2)
        with wizard.line_ids.edit(0) as line:
            self.assertEqual(line.qty_returnable, 2)
            line.quantity = 1
            line.reason_id = self.reason_mind
        self.assertIn("Accepted by policy Test returns", wizard.verdict)
        result = wizard.save().action_create()
        rma = self.env["omni.return"].browse(result["res_id"])

        self.assertEqual(rma.state, "awaiting")
        self.assertEqual(rma.channel, "backend")
        self.assertEqual(rma.policy_id, self.policy)
        self.assertEqual(rma.warehouse_id, self.warehouse)
        picking = rma.picking_ids
        self.assertEqual(picking.return_id, delivery)
        self.assertEqual(picking.picking_type_id.code, "incoming")
        self.assertEqual(picking.location_dest_id, self.warehouse._omni_return_location())
        self.assertEqual(picking.move_ids.product_id, self.product)
        self.assertEqual(picking.move_ids.product_uom_qty, 1)
        self.assertEqual(picking.move_ids.origin_returned_move_id, delivery.move_ids[:1])
        self.assertEqual(rma.carrier_id, self.standard)
        self.assertEqual(picking.omni_carrier_rule_id, self.return_rule)
        self.assertTrue(rma.tracking_ref)
        labels = rma._label_attachments()
        self.assertTrue(labels)
        mail = self.mails(rma)
        self.assertIn("is accepted", mail.subject)
        self.assertEqual(mail.attachment_ids.mapped("checksum"), labels.mapped("checksum"))
        self.assertEqual(self.line_of(order).omni_qty_returning, 1)

    def test_reason_needing_approval_waits_for_a_manager(self):
        order = self.deliver([(self.product, 1)])
        rma = self.request(order, [(self.product, 1, self.reason_check)])
        self.assertEqual(rma.state, "requested")
        self.assertFalse(rma.picking_ids)
        activity = rma.activity_ids
        self.assertEqual(activity.user_id, rma._approver())
        self.assertTrue(activity.user_id.has_group("omni_base.group_omni_manager"))
        with self.assertRaises(AccessError):
            rma.with_user(self.salesman).action_approve()
        rma.with_user(self.user_manager).action_approve()
        self.assertEqual(rma.state, "awaiting")
        self.assertEqual(rma.approved_uid, self.user_manager)
        self.assertEqual(rma.picking_ids.move_ids.product_uom_qty, 1)
        self.assertFalse(rma.activity_ids)

    def test_policy_reasons_needing_approval(self):
        self.policy.approval_reason_ids = self.reason_mind
        order = self.deliver([(self.product, 1)])
        rma = self.request(order, [(self.product, 1, self.reason_mind)])
        self.assertEqual(rma.state, "requested")
        self.assertTrue(rma.line_ids.needs_approval)

    def test_after_the_window_refused_then_overridden_by_a_manager(self):
        order = self.deliver([(self.product, 1)], days_ago=31)
        Return = self.env["omni.return"]
        with self.assertRaisesRegex(ReturnRefused, "30-day return window ended(.|\n)*manager"):
            self.request(order, [(self.product, 1, self.reason_mind)])
        self.assertFalse(Return.search([("sale_order_id", "=", order.id)]))
        with self.assertRaises(AccessError):
            self.request(
                order,
                [(self.product, 1, self.reason_mind)],
                user=self.salesman,
                override_note="Loyal customer",
            )
        rma = self.request(
            order,
            [(self.product, 1, self.reason_mind)],
            user=self.user_manager,
            override_note="Loyal customer",
        )
        self.assertTrue(rma.policy_overridden)
        self.assertEqual(rma.override_note, "Loyal customer")
        self.assertEqual(rma.state, "awaiting")
        self.assertIn("Loyal customer", rma.message_ids.mapped("body")[-1])

    def test_window_counts_from_delivery(self):
        order = self.deliver([(self.product, 1)], days_ago=29)
        self.assertEqual(
            self.request(order, [(self.product, 1, self.reason_mind)]).state, "awaiting"
        )

    def test_non_returnable_products_and_categories(self):
        category = self.env["product.category"].create({"name": "Hygiene"})
        child = self.env["product.category"].create({"name": "Brushes", "parent_id": category.id})
        self.heavy_product.categ_id = child
        self.policy.excluded_categ_ids = category
        order = self.deliver([(self.product, 1), (self.heavy_product, 1)])
        with self.assertRaisesRegex(UserError, r"Rug: its category \(Hygiene / Brushes\)"):
            self.request(order, [(self.heavy_product, 1, self.reason_mind)])
        self.policy.excluded_categ_ids = False
        self.policy.excluded_product_ids = self.product.product_tmpl_id
        with self.assertRaisesRegex(UserError, "Lamp cannot be returned"):
            self.request(order, [(self.product, 1, self.reason_mind)])
        rows = self.env["omni.return"]._returnable_lines(orders=order, channel="backend")
        refusals = {row["product_id"]: row["refusal"] for row in rows}
        self.assertEqual(refusals[self.product.id], "This product cannot be returned.")
        self.assertFalse(refusals[self.heavy_product.id])

    def test_bad_input_is_refused_and_nothing_is_written(self):
        order = self.deliver([(self.product, 2)])
        other = self.deliver([(self.heavy_product, 1)])
        Return = self.env["omni.return"]
        with self.assertRaisesRegex(UserError, r"Lamp: 3\.0 Units asked for, only 2\.0") as error:
            self.request(order, [(self.product, 3, self.reason_mind)])
        self.assertNotIsInstance(error.exception, ReturnRefused, "no manager may override it")
        with self.assertRaisesRegex(UserError, "Rug is not on order"):
            Return._create_request(
                order,
                [{"product": self.heavy_product, "quantity": 1, "reason": self.reason_mind}],
                "backend",
            )
        with self.assertRaisesRegex(UserError, "Rug is not on order"):
            Return._create_request(
                order,
                [
                    {
                        "sale_line": self.line_of(other, self.heavy_product),
                        "quantity": 1,
                        "reason": self.reason_mind,
                    }
                ],
                "backend",
            )
        with self.assertRaisesRegex(UserError, "give the reason"):
            self.request(order, [(self.product, 1, self.env["omni.return.reason"])])
        self.assertFalse(Return.search([("sale_order_id", "in", (order | other).ids)]))

    def test_returning_twice_what_was_delivered_is_refused(self):
        order = self.deliver([(self.product, 2)])
        self.request(order, [(self.product, 1, self.reason_mind)])
        with self.assertRaisesRegex(UserError, r"2\.0 Units asked for, only 1\.0"):
            self.request(order, [(self.product, 2, self.reason_mind)])
        with self.assertRaisesRegex(UserError, r"1\.0 Units asked for, only 0\.0"):
            self.request(
                order, [(self.product, 1, self.reason_mind), (self.product, 1, self.reason_mind)]
            )
        self.request(order, [(self.product, 1, self.reason_mind)])
        self.assertEqual(self.line_of(order).omni_qty_returning, 2)
        self.assertFalse(self.env["omni.return"]._returnable_lines(orders=order))

    def test_not_delivered_yet(self):
        order = self._order()
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "was not delivered yet"):
            self.request(order, [(self.product, 1, self.reason_mind)])
        with self.assertRaisesRegex(UserError, "Nothing of .* can be returned"):
            order.action_omni_return()

    def test_who_pays_the_label(self):
        order = self.deliver([(self.product, 1)])  # 80.0 untaxed
        self.policy.label_payer = "customer"
        self.assertTrue(self.request(order, [(self.product, 1, self.reason_mind)]).label_charged)
        order = self.deliver([(self.product, 1)])
        self.assertFalse(
            self.request(order, [(self.product, 1, self.reason_defective)]).label_charged,
            "defective items travel back for free",
        )
        self.policy.write({"label_payer": "free_above", "label_free_above": 100.0})
        order = self.deliver([(self.product, 1)])
        self.assertTrue(self.request(order, [(self.product, 1, self.reason_mind)]).label_charged)
        order = self.deliver([(self.product, 2)])
        self.assertFalse(self.request(order, [(self.product, 1, self.reason_mind)]).label_charged)
        order = self.deliver([(self.product, 1)])
        dropped = self.request(order, [(self.product, 1, self.reason_mind)], store=self.paris)
        self.assertFalse(dropped.label_charged, "a drop-off needs no label")

    def test_restocking_fee_on_lines_not_defective(self):
        self.policy.restocking_fee_percent = 10.0
        order = self.deliver([(self.product, 1), (self.heavy_product, 1)])
        rma = self.env["omni.return"]._create_request(
            order,
            [
                (self.line_of(order), 1, self.reason_mind),
                (self.line_of(order, self.heavy_product), 1, self.reason_defective),
            ],
            "backend",
        )
        self.assertEqual(rma.restocking_fee_percent, 10.0)
        self.assertEqual(rma.line_ids.filtered("bears_fee").product_id, self.product)

    def test_received_at_the_nearest_store(self):
        self.policy.receiving_mode = "nearest"
        self.policy.nearest_warehouse_ids = self.paris | self.lyon
        self.customer_fr.write({"partner_latitude": 48.86, "partner_longitude": 2.38})
        order = self.deliver([(self.product, 1)])
        rma = self.request(order, [(self.product, 1, self.reason_mind)])
        self.assertEqual(rma.warehouse_id, self.paris)
        self.assertEqual(rma.picking_ids.location_dest_id.warehouse_id, self.paris)
        self.assertEqual(rma.picking_ids.picking_type_id, self.paris.in_type_id)

    def test_received_by_category(self):
        category = self.env["product.category"].create({"name": "Rugs"})
        self.heavy_product.categ_id = category
        self.policy.write(
            {
                "receiving_mode": "category",
                "category_route_ids": [
                    Command.create({"categ_id": category.id, "warehouse_id": self.lyon.id})
                ],
            }
        )
        order = self.deliver([(self.product, 1), (self.heavy_product, 1)])
        self.assertEqual(
            self.request(order, [(self.heavy_product, 1, self.reason_mind)]).warehouse_id, self.lyon
        )
        self.assertEqual(
            self.request(order, [(self.product, 1, self.reason_mind)]).warehouse_id,
            self.warehouse,
            "no route: the warehouse that shipped it",
        )

    def test_drop_off_at_a_store_needs_no_label(self):
        order = self.deliver([(self.product, 1)])
        rma = self.request(
            order, [(self.product, 1, self.reason_mind)], method="drop_off", store=self.lyon
        )
        self.assertEqual(rma.state, "awaiting")
        self.assertEqual(rma.warehouse_id, self.lyon)
        self.assertFalse(rma._label_attachments())
        self.assertFalse(
            self.env["omni.shipment"].search([("picking_id", "in", rma.picking_ids.ids)])
        )
        self.assertIn("Returns Lyon", self.mails(rma).body)

    def test_refused_by_a_manager_with_a_reason(self):
        order = self.deliver([(self.product, 1)])
        rma = self.request(order, [(self.product, 1, self.reason_mind)])
        action = rma.with_user(self.user_manager).action_refuse()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_manager)
            .with_context(**action["context"])
        )
        wizard.reason = "Sold as final sale"
        wizard.save().action_refuse()
        self.assertEqual(rma.state, "refused")
        self.assertEqual(rma.refusal_reason, "Sold as final sale")
        self.assertEqual(rma.picking_ids.state, "cancel")
        self.assertEqual(self.line_of(order).omni_qty_returning, 0)
        self.assertIn("Sold as final sale", self.mails(rma)[:1].body)

    def test_label_failure_leaves_the_return_approved_with_an_activity(self):
        self.return_rule.active = False
        order = self.deliver([(self.product, 1)])
        rma = self.request(order, [(self.product, 1, self.reason_mind)])
        self.assertEqual(rma.state, "approved")
        self.assertIn("No carrier can make the return label", rma.activity_ids.note)
        self.return_rule.active = True
        rma.action_send_label()
        self.assertEqual(rma.state, "awaiting")
        self.assertTrue(rma._label_attachments())
