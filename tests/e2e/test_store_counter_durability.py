"""Wrong pickup codes stay counted whatever happens to the request that gave them."""

import odoo_session
import pytest

WRONG_CODES = 5


@pytest.fixture
def ready_order(registry):
    """A click & collect order of the demo ready at its store, one of the store's
    staff, and the order's pickup code; the wrong codes given are removed afterwards."""
    with registry.cursor() as cr:
        env = odoo_session.environment(cr)
        store_order = env["omni.store.order"].search(
            [("state", "=", "ready"), ("fulfilment", "=", "collect")], limit=1
        )
        staff = store_order.store_id.omni_staff_ids[:1]
        assert store_order and staff
        data = {"store_order": store_order.id, "staff": staff.id, "code": store_order.pickup_code}
    yield data
    with registry.cursor() as cr:
        env = odoo_session.environment(cr)
        env["omni.store.code.attempt"].search([("user_id", "=", data["staff"])]).unlink()
        cr.commit()


def failed_request(registry, user_id, action):
    """Run ``action(env)`` as ``user_id`` in a request that then fails: whatever it
    wrote in its transaction is rolled back."""
    from odoo.exceptions import UserError

    with registry.cursor() as cr:
        env = odoo_session.environment(cr, user_id=user_id)
        try:
            action(env)
        except UserError:
            pass
        cr.rollback()


def wrong_code(code):
    return "000000" if code != "000000" else "111111"


def test_wrong_codes_at_hand_over_survive_a_failed_request(registry, ready_order):
    def hand_over(code):
        def action(env):
            env["omni.store.order"].browse(ready_order["store_order"])._hand_over(code)

        return action

    for _attempt in range(WRONG_CODES):
        failed_request(registry, ready_order["staff"], hand_over(wrong_code(ready_order["code"])))
    with registry.cursor() as cr:
        env = odoo_session.environment(cr, user_id=ready_order["staff"])
        store_order = env["omni.store.order"].browse(ready_order["store_order"])
        assert store_order.wrong_code_count == WRONG_CODES
        from odoo.exceptions import UserError

        with pytest.raises(UserError, match="Too many wrong codes"):
            store_order._hand_over(ready_order["code"])
        assert store_order.state == "ready"


def test_looking_codes_up_is_throttled_across_failed_requests(registry, ready_order):
    def find(code):
        def action(env):
            env["omni.store.counter"].create({"code": code}).action_find()

        return action

    for _attempt in range(WRONG_CODES):
        failed_request(registry, ready_order["staff"], find(wrong_code(ready_order["code"])))
    with registry.cursor() as cr:
        env = odoo_session.environment(cr, user_id=ready_order["staff"])
        from odoo.exceptions import UserError

        with pytest.raises(UserError, match="Too many wrong pickup codes"):
            env["omni.store.counter"].create({"code": ready_order["code"]}).action_find()
        cr.rollback()
