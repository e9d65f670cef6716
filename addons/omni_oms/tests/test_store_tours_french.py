from odoo.tests import tagged

from .test_store_tours import StoreTourCommon


@tagged("post_install", "-at_install")
class TestStoreToursFrench(StoreTourCommon):
    """The Paris clerk works in French: the click & collect at tablet size, reading Omni's
    French on the queue, the cards and the counter."""

    browser_size = "1024x768"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")])
        installed._update_translations("fr_FR")
        cls.staff_paris.lang = "fr_FR"

    def test_click_collect_at_the_counter_in_french(self):
        self.check_click_collect("omni_oms_click_collect_tablet_fr")
