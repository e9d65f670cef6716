"""The demo data the demo command shows: the test database is installed with it."""

import re
from ast import literal_eval
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
# The READMEs that give the demo's logins
READMES = (PROJECT / "README.md", PROJECT / "addons" / "omni_oms" / "readme" / "USAGE.md")


def test_demo_network_is_under_the_omni_menu(env):
    admin = env.ref("base.user_admin")
    menus = env["ir.ui.menu"].with_user(admin)
    visible = menus.browse(menus._visible_menu_ids())
    stores_menu = env.ref("omni_oms.stock_warehouse_menu_store")
    assert env.ref("omni_base.omni_menu_root") in visible
    assert stores_menu in visible

    action = stores_menu.action
    stores = env[action.res_model].with_user(admin).search(literal_eval(action.domain))
    demo_stores = env["stock.warehouse"].browse(
        [env.ref(f"omni_demo.demo_stores_{index}").id for index in range(1, 5)]
    )
    assert demo_stores <= stores
    assert all(store.omni_opening_hours_id for store in demo_stores)
    assert {store.partner_id.city for store in demo_stores} == {
        "Paris",
        "Marseille",
        "Bordeaux",
        "Nantes",
    }


def test_demo_stores_are_offered_at_the_website_pickup(env):
    """The demo's stores offer click & collect: customers choose them at the website's
    in-store pickup (omni_demo is installed before the website glue, which adds them)."""
    stores = env["stock.warehouse"].browse(
        [env.ref(f"omni_demo.demo_stores_{index}").id for index in range(1, 5)]
    )
    assert all(stores.mapped("omni_click_collect"))
    pickup = env.ref("website_sale_collect.carrier_pick_up_in_store")
    assert stores <= pickup.warehouse_ids


def test_demo_orders_channels_and_stock(env):
    channels = env["crm.team"].search([("name", "=like", "OMNI %")])
    assert set(channels.mapped("omni_channel_type")) == {"web", "marketplace", "b2b", "store"}
    orders = env["sale.order"].search([("team_id", "in", channels.ids)])
    collect = orders.filtered("omni_pickup_store_id")
    shipped = _demo_records(env, "demo_shipment").picking_id.sale_id
    shipped |= _demo_records(env, "demo_shipment_failed").picking_id.sale_id
    held = _demo_records(env, "demo_held_order")
    returned = _demo_records(env, "demo_return").sale_order_id
    assert len(orders - collect - shipped - held - returned) == 30
    assert {"draft", "sale", "cancel"} <= set(orders.mapped("state"))
    assert len(collect) == 8, "two click & collect orders per store"
    store_orders = env["omni.store.order"].search([("sale_order_id", "in", orders.ids)])
    assert {"to_accept", "accepted", "ready", "done"} <= set(store_orders.mapped("state"))

    products = env["product.product"].search([("default_code", "=like", "OMNI-%")])
    assert len(products) == 50
    quants = env["stock.quant"].search(
        [("product_id", "in", products.ids), ("location_id.usage", "=", "internal")]
    )
    assert len(quants.warehouse_id) == 6, "stock in both DCs and all four stores"
    customers = env["res.partner"].browse(
        [env.ref(f"omni_demo.demo_customers_{index}").id for index in range(1, 41)]
    )
    assert len(customers.country_id) >= 4


def _demo_records(env, name):
    """The demo records of external ids ``omni_demo.<name>_<n>``, in their order."""
    data = env["ir.model.data"].search(
        [("module", "=", "omni_demo"), ("name", "=like", f"{name}\\_%")]
    )
    data = data.filtered(lambda row: row.name[len(name) + 1 :].isdigit())
    data = data.sorted(lambda row: int(row.name[len(name) + 1 :]))
    if not data:
        return None
    return env[data[0].model].browse(data.mapped("res_id"))


def test_demo_parcels_have_labels_and_tracking(env):
    """Every demo carrier has a delivered parcel (label, tracking events from the label
    to the delivery); parcels on their way; written as data, no carrier called."""
    shipments = _demo_records(env, "demo_shipment")
    assert shipments and len(shipments) >= 12
    carriers = env["delivery.carrier"].search([("name", "=like", "OMNI %")])
    delivered = shipments.filtered(lambda shipment: shipment.tracking_stage == "delivered")
    assert delivered.carrier_id == carriers
    on_the_way = shipments - delivered
    assert {"picked_up", "in_transit", "out_for_delivery"} <= set(
        on_the_way.mapped("tracking_stage")
    )
    for shipment in shipments:
        picking = shipment.picking_id
        assert shipment.state == "done"
        assert picking.state == "done" and picking.carrier_tracking_ref == shipment.tracking_number
        assert picking.omni_tracking_stage == shipment.tracking_stage
        label = shipment.label_attachment_id
        assert label.raw.startswith(b"%PDF")
        assert (label.res_model, label.res_id) == ("stock.picking", picking.id)
        events = shipment.event_ids.sorted("event_date")
        assert events[0].stage == "label_created"
        assert events[-1].stage == shipment.tracking_stage
        assert not shipment.exchange_log, "no carrier was called"
    tracking_menu = env.ref("omni_tms.omni_tracking_event_menu")
    assert tracking_menu.action.res_model == "omni.tracking.event"
    assert env["omni.tracking.event"].search_count([("shipment_id", "in", shipments.ids)]) >= 50


def test_a_failed_shipment_on_the_overview(env):
    """The failed shipment says why and waits for a retry on Omni's overview, for the
    warehouse operator too."""
    failed = _demo_records(env, "demo_shipment_failed")
    assert failed and failed.state == "error" and failed.retryable
    assert "try again later" in failed.error_message
    assert failed.picking_id.state == "assigned"
    tile = env.ref("omni_tms.omni_dashboard_tile_failed_shipments")
    operator = env.ref("omni_demo.demo_warehouse_operator_1")
    for user in (env.ref("base.user_admin"), operator):
        tile_as_user = tile.with_user(user)
        assert tile_as_user.count >= 1
        listed = env["omni.shipment"].with_user(user).search(tile_as_user._records_domain())
        assert failed in listed


def test_a_held_order_under_held_orders(env):
    held = env.ref("omni_demo.demo_held_order_1")
    assert held.state == "sale" and held.omni_routing_state == "held"
    assert held.omni_hold_reason
    admin = env.ref("base.user_admin")
    menu = env.ref("omni_oms.sale_order_menu_omni_held")
    menus = env["ir.ui.menu"].with_user(admin)
    assert menu in menus.browse(menus._visible_menu_ids())
    domain = literal_eval(menu.action.domain)
    assert held in env["sale.order"].with_user(admin).search(domain)


def test_the_operator_login_the_readme_gives_exists(env):
    """The warehouse operator login README gives opens an operator's account, whose
    password is its login."""
    logins = set(re.findall(r"`(omni-dc[0-9]+-operator)`", READMES[0].read_text()))
    assert logins == {"omni-dc001-operator"}, logins
    operator = env["res.users"].search([("login", "in", sorted(logins))])
    assert operator == env.ref("omni_demo.demo_warehouse_operator_1")
    assert operator.has_group("omni_base.group_omni_warehouse_operator")
    operator.with_user(operator)._check_credentials(
        {"login": operator.login, "password": operator.login, "type": "password"},
        {"interactive": False},
    )


def test_the_staff_logins_the_readmes_give_exist(env):
    """Every demo store login the READMEs give opens a store staff account, whose
    password is its login."""
    logins = {
        login
        for readme in READMES
        for login in re.findall(r"`(omni-s[0-9]+-staff)`", readme.read_text())
    }
    assert len(logins) == 4, logins
    staff = env["res.users"].search([("login", "in", sorted(logins))])
    assert sorted(staff.mapped("login")) == sorted(logins)
    assert all(user.has_group("omni_base.group_omni_store_staff") for user in staff)
    for user in staff:
        user.with_user(user)._check_credentials(
            {"login": user.login, "password": user.login, "type": "password"},
            {"interactive": False},
        )


def test_demo_returns_in_every_state_across_channels(env):
    """Returns of web, marketplace and store orders, in every state a return goes
    through, listed under Omni > Returns."""
    returns = _demo_records(env, "demo_return")
    assert returns
    states = {"requested", "awaiting", "received", "inspected", "refunded", "refused"}
    assert set(returns.mapped("state")) == states
    assert set(returns.team_id.mapped("omni_channel_type")) == {"web", "marketplace", "store"}
    for kind in ("web", "marketplace", "store"):
        mine = returns.filtered(lambda rma, kind=kind: rma.team_id.omni_channel_type == kind)
        assert len(set(mine.mapped("state"))) >= 3, kind
    labelled = returns.filtered(lambda rma: rma.carrier_id)
    assert labelled and all(
        rma.picking_ids.return_label_ids.raw.startswith(b"%PDF") for rma in labelled
    )
    refunded = returns.filtered(lambda rma: rma.state == "refunded")
    assert all(rma.sudo().refund_ids.filtered(lambda m: m.state == "posted") for rma in refunded)
    admin = env.ref("base.user_admin")
    menus = env["ir.ui.menu"].with_user(admin)
    assert env.ref("omni_returns.omni_return_menu") in menus.browse(menus._visible_menu_ids())
    assert returns <= env["omni.return"].with_user(admin).search([])
