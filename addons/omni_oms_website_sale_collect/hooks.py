def post_init_hook(env):
    """The stores already offering click & collect are offered at the website's
    in-store pickup."""
    stores = env["stock.warehouse"].search(
        [("omni_is_store", "=", True), ("omni_click_collect", "=", True)]
    )
    stores._omni_offer_at_website_pickup()
