from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from .store_common import StoreCommon

PICKUP_CODE = "424242"


class StoreTourCommon(StoreCommon, HttpCase):
    """A Paris store clerk's queue, clicked through in a real browser as the clerk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice, cls.bruno, cls.carla = (
            cls.customer.copy({"name": name}) for name in ("Alice Tour", "Bruno Tour", "Carla Tour")
        )

    def collect_queue(self):
        """Alice's click & collect order to accept, all on the shelf; Bruno's accepted,
        its lamp coming from Marseille."""
        self.add_stock(self.shirt, self.paris, 1)
        self.add_stock(self.lamp, self.paris, 1)
        alice = self.make_order(
            [(self.shirt, 1), (self.lamp, 1)],
            partner=self.alice,
            omni_pickup_store_id=self.paris.id,
        )
        bruno = self.make_order(
            [(self.lamp, 1)], partner=self.bruno, omni_pickup_store_id=self.paris.id
        )
        bruno.omni_store_order_ids.with_user(self.staff_paris).action_accept()
        return alice.omni_store_order_ids, bruno.omni_store_order_ids

    def check_click_collect(self, tour):
        """Alice's click & collect handed over at the counter by the Paris clerk, after a
        wrong code; Bruno's stays accepted, waiting for its lamp."""
        alice, bruno = self.collect_queue()
        self.start_clerk_tour(tour)
        self.assertEqual(alice.state, "done")
        self.assertEqual(alice.picking_id.state, "done")
        self.assertEqual(alice.accepted_by_id, self.staff_paris)
        self.assertEqual(alice.handed_over_by_id, self.staff_paris)
        self.assertEqual(alice.wrong_code_count, 1)
        self.assertEqual(bruno.state, "accepted")

    def start_clerk_tour(self, tour):
        # The pickup code is random and hidden from the clerk: the customer's is fixed here
        # so that the tour can give it at the counter.
        with patch.object(
            self.registry["omni.store.order"], "_new_pickup_code", return_value=PICKUP_CODE
        ):
            self.start_tour("/odoo", tour, login=self.staff_paris.login)


@tagged("post_install", "-at_install")
class TestStoreToursTablet(StoreTourCommon):
    browser_size = "1024x768"
    touch_enabled = True

    def test_click_collect_at_the_counter(self):
        self.check_click_collect("omni_oms_click_collect_tablet")

    def test_ship_from_store_refused(self):
        self.add_stock(self.shirt, self.paris, 1)
        self.add_stock(self.shirt, self.lyon, 1)
        order = self.make_order([(self.shirt, 1)], partner=self.carla)
        paris = self.store_order(order, self.paris)
        self.start_clerk_tour("omni_oms_ship_from_store_refusal")
        self.assertEqual(paris.state, "rejected")
        self.assertEqual(paris.reject_reason, "Too busy today (short-staffed today)")
        self.assertEqual(self.store_order(order, self.lyon).state, "to_accept")
        self.assertEqual(self.shipped_from(order), {(self.shirt, self.lyon): 1})


@tagged("post_install", "-at_install")
class TestStoreToursPhone(StoreTourCommon):
    browser_size = "390x844"
    touch_enabled = True

    def test_store_queue_on_a_phone(self):
        alice, _bruno = self.collect_queue()
        self.start_clerk_tour("omni_oms_store_queue_phone")
        self.assertEqual(alice.state, "ready")
