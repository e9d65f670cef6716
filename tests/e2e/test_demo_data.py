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
    assert len(orders - collect) == 30
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
