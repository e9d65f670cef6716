from odoo import Command

from odoo.addons.omni_base.tests.common import OmniCommon

# (name, code, latitude, longitude)
SITES = [
    ("Route Paris", "RPAR", 48.8566, 2.3522),
    ("Route Lyon", "RLYO", 45.7640, 4.8357),
    ("Route Marseille", "RMRS", 43.2965, 5.3698),
]


class RoutingCommon(OmniCommon):
    """Three warehouses across France in one location group, a routing rule over them,
    a Paris customer and two storable products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls.paris, cls.lyon, cls.marseille = (
            cls.env["stock.warehouse"].create(
                {
                    "name": name,
                    "code": code,
                    "partner_id": cls.env["res.partner"]
                    .create(
                        {
                            "name": name,
                            "country_id": cls.france.id,
                            "partner_latitude": latitude,
                            "partner_longitude": longitude,
                        }
                    )
                    .id,
                }
            )
            for name, code, latitude, longitude in SITES
        )
        cls.warehouses = cls.paris | cls.lyon | cls.marseille
        cls.group = cls.env["omni.location.group"].create(
            {"name": "France", "warehouse_ids": [Command.set(cls.warehouses.ids)]}
        )
        cls.rule = cls.env["omni.routing.rule"].create(
            {"name": "Nearest in France", "location_group_ids": [Command.link(cls.group.id)]}
        )
        cls.channel = cls.env["crm.team"].create({"name": "Route Web"})
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Route prices", "currency_id": cls.env.company.currency_id.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Route Customer",
                "country_id": cls.france.id,
                "zip": "75011",
                "partner_latitude": 48.8600,
                "partner_longitude": 2.3800,
            }
        )
        cls.shirt = cls._product("Route Shirt", weight=0.3)
        cls.lamp = cls._product("Route Lamp", weight=2.0)

    @classmethod
    def _product(cls, name, **vals):
        return cls.env["product.product"].create(
            {"name": name, "is_storable": True, "list_price": 20.0, **vals}
        )

    def add_stock(self, product, warehouse, quantity):
        self.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, quantity
        )

    def make_order(self, lines, partner=None, confirm=True, **vals):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "team_id": self.channel.id,
                "warehouse_id": self.paris.id,
                "pricelist_id": self.pricelist.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity})
                    for product, quantity in lines
                ],
                **vals,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def latest_decision(self, order):
        return order.omni_decision_ids.sorted("id")[-1]

    def shipped_from(self, order):
        """{(product, warehouse): quantity} of the order's outgoing moves still to ship."""
        result = {}
        for move in order.picking_ids.move_ids.filtered(lambda m: m.state != "cancel"):
            key = (move.product_id, move.picking_type_id.warehouse_id)
            result[key] = result.get(key, 0.0) + move.product_uom_qty
        return result
