from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import OmniWmsCommon


@tagged("post_install", "-at_install")
class TestPickRouteFeedback(OmniWmsCommon):
    """What the warehouse operator sees when planning a route and on the wave's form."""

    def plan(self, record):
        return record.with_user(self.user_operator).action_omni_compute_route()

    def test_planning_says_the_length_and_the_method(self):
        picking = self.delivery("P2", "P3", "P1")
        action = self.plan(picking)
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["title"], "Pick route planned")
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(
            action["params"]["message"], f"{picking.name}: 40.5 m, Optimal (shortest route)."
        )
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")

    def test_planning_warns_about_lines_left_out_of_the_route(self):
        picking = self.delivery("P7", "P1")
        action = self.plan(picking)
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(
            "1 line(s) from locations not placed in the layout come last.",
            action["params"]["message"],
        )

    def test_planning_a_wave_names_it(self):
        batch = self.env["stock.picking.batch"].create(
            {
                "is_wave": True,
                "picking_ids": [Command.set((self.delivery("P1") | self.delivery("P6")).ids)],
            }
        )
        batch.action_confirm()
        message = self.plan(batch)["params"]["message"]
        self.assertEqual(message, f"{batch.name}: {batch.omni_route_summary}.")
        self.assertRegex(message, r": \d+\.\d m, Optimal \(shortest route\)\.$")

    def test_planning_says_what_is_missing(self):
        with self.assertRaisesRegex(UserError, "has no line to pick yet: check availability"):
            self.plan(self.delivery("P1", assign=False))
        with self.assertRaisesRegex(
            UserError,
            r"is picked only from locations not placed in the warehouse layout \(OWT/Stock\)",
        ):
            self.plan(self.delivery("P7"))
        main = self.env.ref("stock.warehouse0")
        self.env["stock.quant"]._update_available_quantity(
            self.products["P1"], main.lot_stock_id, 5
        )
        with self.assertRaisesRegex(UserError, r"which has no warehouse layout: describe"):
            self.plan(self.delivery("P1", warehouse=main))
        done = self.delivery("P1")
        done.move_ids.quantity = 1
        done.move_ids.picked = True
        done._action_done()
        with self.assertRaisesRegex(UserError, "is done or cancelled"):
            self.plan(done)

    def test_route_shows_as_one_readable_value(self):
        picking = self.delivery("P2", "P3", "P1")
        self.assertEqual(picking.omni_route_summary, "40.5 m, Optimal (shortest route)")
        self.assertFalse(self.delivery("P1", assign=False).omni_route_summary)
        for model in ("stock.picking", "stock.picking.batch"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            form = etree.fromstring(arch)
            self.assertTrue(form.xpath("//field[@name='omni_route_summary']"), model)
            self.assertFalse(form.xpath("//field[@name='omni_route_length']"), model)

    def test_wave_buttons_say_what_they_print(self):
        arch = self.env["stock.picking.batch"].get_views([(False, "form")])["views"]["form"]
        header = etree.fromstring(arch["arch"]).xpath("//header/button")
        labels = {button.get("name"): button.get("string") for button in header}
        self.assertEqual(labels["action_omni_print_pick_list"], "Print Pick List")
        self.assertEqual(labels["action_omni_compute_route"], "Plan Pick Route")
        strings = [button.get("string") for button in header]
        for label in ("Print Pick List", "Plan Pick Route"):
            self.assertEqual(strings.count(label), 1, label)
