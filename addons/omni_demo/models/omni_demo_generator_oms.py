# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
from odoo import Command, api, models

CHANNELS = [
    # (type, name, share of orders)
    ("web", "Web Shop", 0.5),
    ("marketplace", "Marketplace", 0.2),
    ("b2b", "B2B", 0.15),
    ("store", "Stores", 0.15),
]
# (state reached, share of orders); the rest stay quotations
ORDER_STATES = [("cancel", 0.1), ("delivered", 0.15), ("sale", 0.4)]
# Most units of a product an order line takes
LINE_MAX_QTY = 3


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [
            self._generate_channels,
            self._generate_store_settings,
            self._generate_routing_rules,
            self._generate_orders,
            self._generate_store_activity,
            self._generate_held_orders,
            self._generate_stock_pools,
        ]

    @api.model
    def _demo_external_ids(self, dataset):
        """The orders routing holds are ``demo_held_order_<n>``."""
        return {
            **super()._demo_external_ids(dataset),
            **{
                f"demo_held_order_{index}": order
                for index, order in enumerate(dataset["held_orders"], start=1)
            },
        }

    @api.model
    def _create_quants(self, vals_list):
        quants = super()._create_quants(vals_list)
        self.env["omni.stock.pool"]._ats_mark_dirty(quants.product_id, quants.company_id)
        return quants

    @api.model
    def _prepare_channel_vals(self, dataset, channel_type, name):
        return {
            "name": f"{dataset['prefix']} {name}",
            "omni_channel_type": channel_type,
            "company_id": dataset["company"].id,
        }

    @api.model
    def _generate_channels(self, dataset):
        channels = self.env["crm.team"].create(
            [self._prepare_channel_vals(dataset, kind, name) for kind, name, _share in CHANNELS]
        )
        dataset["channels"] = channels
        dataset["channel_weights"] = [share for _kind, _name, share in CHANNELS]

    @api.model
    def _prepare_opening_hours_vals(self, dataset, name, days, hour_from, hour_to):
        return {
            "name": name,
            "company_id": dataset["company"].id,
            "attendance_ids": [
                Command.create(
                    {
                        "name": f"{day} {period}",
                        "dayofweek": str(day),
                        "hour_from": start,
                        "hour_to": end,
                        "day_period": period,
                    }
                )
                for day in days
                for period, start, end in (
                    ("morning", hour_from, 13.0),
                    ("afternoon", 13.0, hour_to),
                )
            ],
        }

    @api.model
    def _generate_store_settings(self, dataset):
        prefix = dataset["prefix"]
        calendars = self.env["resource.calendar"].create(
            [
                self._prepare_opening_hours_vals(
                    dataset, f"{prefix} Store hours Mon-Sat 10:00-19:00", range(6), 10.0, 19.0
                ),
                self._prepare_opening_hours_vals(
                    dataset, f"{prefix} Store hours every day 9:00-20:00", range(7), 9.0, 20.0
                ),
            ]
        )
        weekdays, every_day = calendars
        resupply = dataset["distribution_centers"][:1]
        for index, store in enumerate(dataset["stores"]):
            calendar = every_day if index % 3 == 0 else weekdays
            store.write(
                {
                    "omni_is_store": True,
                    "omni_opening_hours_id": calendar.id,
                    "omni_click_collect": True,
                    "omni_resupply_warehouse_id": resupply.id,
                    "omni_staff_ids": [Command.link(self._create_store_staff(dataset, store).id)],
                }
            )
        dataset["opening_hours"] = calendars

    @api.model
    def _create_store_staff(self, dataset, store):
        login = f"{dataset['prefix']}-{store.code}-staff".lower()
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": f"{store.name} Staff",
                    "login": login,
                    "password": login,
                    "company_id": dataset["company"].id,
                    "company_ids": [Command.set(dataset["company"].ids)],
                    "groups_id": [
                        Command.set(self.env.ref("omni_base.group_omni_store_staff").ids)
                    ],
                }
            )
        )

    @api.model
    def _generate_store_activity(self, dataset):
        """Click & collect orders at each store, and store orders in each state of the
        queue: to accept, preparing, ready, done."""
        web = dataset["channels"].filtered(lambda channel: channel.omni_channel_type == "web")
        collect_orders = self._generate_collect_orders(dataset, web)
        queue = (dataset["orders"] | collect_orders).omni_store_order_ids.filtered(
            lambda store_order: store_order.state == "to_accept"
        )
        # Only orders with every item on the shelf can get ready: they take the later
        # steps, click & collect orders first (the counter hands them over).
        in_store = queue.filtered("items_in_store").sorted(
            lambda store_order: (store_order.fulfilment != "collect", store_order.id)
        )
        for index, store_order in enumerate(in_store):
            step = index % 4  # to accept, preparing, ready, done
            if step:
                store_order.action_accept()
            if step >= 2:
                store_order.action_ready()
            if step == 3:
                if store_order.fulfilment == "ship":
                    store_order.action_ship()
                else:
                    store_order._hand_over(store_order.pickup_code)
        (queue - in_store).sorted("id")[::2].action_accept()
        dataset["store_orders"] = queue

    @api.model
    def _generate_collect_orders(self, dataset, channel):
        """Two click & collect orders per store, confirmed: the first of products on
        the store's shelves, the second of any products, those missing at the store
        brought from its resupply warehouse."""
        orders = self.env["sale.order"]
        for from_shelves in (True, False):
            batch = orders.create(
                [
                    self._prepare_collect_order_vals(
                        dataset,
                        channel,
                        store,
                        self._shelf_products(dataset, store) if from_shelves else None,
                    )
                    for store in dataset["stores"]
                ]
            )
            batch.action_confirm()
            orders |= batch
        return orders

    @api.model
    def _shelf_products(self, dataset, store):
        """The dataset's products ``store`` has enough of, not reserved, for any line."""
        products = dataset["products"].with_context(warehouse_id=store.id)
        return products.filtered(lambda product: product.free_qty >= LINE_MAX_QTY)

    @api.model
    def _prepare_collect_order_vals(self, dataset, channel, store, products=None):
        return {
            **self._prepare_order_vals(dataset, channel, products),
            "omni_pickup_store_id": store.id,
            "warehouse_id": store.id,
        }

    @api.model
    def _generate_routing_rules(self, dataset):
        """Web consumers get the nearest location holding their products, stores taking
        a limited number of orders a day; B2B orders ship whole from the central DC."""
        prefix, company = dataset["prefix"], dataset["company"]
        centers, stores = dataset["distribution_centers"], dataset["stores"]
        centers.write({"omni_shipping_base_cost": 6.0, "omni_shipping_cost_per_kg": 0.4})
        stores.write(
            {
                "omni_daily_order_capacity": 20,
                "omni_shipping_base_cost": 4.5,
                "omni_shipping_cost_per_kg": 0.5,
                "omni_shipping_cost_per_km": 0.01,
            }
        )
        Group = self.env["omni.location.group"]
        network = Group.create(
            {
                "name": f"{prefix} Warehouses and stores",
                "company_id": company.id,
                "warehouse_ids": [Command.set(dataset["warehouses"].ids)],
            }
        )
        central = Group.create(
            {
                "name": f"{prefix} Central DC",
                "company_id": company.id,
                "warehouse_ids": [Command.set(centers[:1].ids)],
            }
        )
        channels = {channel.omni_channel_type: channel for channel in dataset["channels"]}
        dataset["routing_rules"] = self.env["omni.routing.rule"].create(
            [
                {
                    "name": f"{prefix} Web consumers: nearest location with stock",
                    "sequence": 10,
                    "company_id": company.id,
                    "team_ids": [Command.set(channels["web"].ids)],
                    "customer_type": "b2c",
                    "location_group_ids": [Command.set(network.ids)],
                    "sort_key_1": "distance",
                    "sort_key_2": "coverage",
                    "max_shipments": 2,
                    "failure_action": "hold",
                },
                {
                    "name": f"{prefix} B2B: whole order from the central DC",
                    "sequence": 20,
                    "company_id": company.id,
                    "team_ids": [Command.set(channels["b2b"].ids)],
                    "location_group_ids": [Command.set(central.ids)],
                    "whole_order_only": True,
                    "failure_action": "backorder",
                },
            ]
        )

    @api.model
    def _prepare_order_vals(self, dataset, channel, products=None):
        """An order of ``channel`` taking some of ``products`` (by default, of any
        product of the dataset)."""
        rng = dataset["rng"]
        customers = dataset["customers"]
        if channel.omni_channel_type == "b2b":
            customers = customers.filtered("is_company") or customers
        if channel.omni_channel_type == "store":
            warehouse = rng.choice(dataset["stores"])
        else:
            warehouse = dataset["distribution_centers"][0]
        product_ids = (products or dataset["products"]).ids
        lines = rng.sample(product_ids, min(rng.randint(1, 4), len(product_ids)))
        return {
            "partner_id": rng.choice(customers).id,
            "team_id": channel.id,
            "warehouse_id": warehouse.id,
            "company_id": dataset["company"].id,
            "order_line": [
                Command.create(
                    {"product_id": product_id, "product_uom_qty": rng.randint(1, LINE_MAX_QTY)}
                )
                for product_id in lines
            ],
        }

    @api.model
    def _generate_orders(self, dataset):
        rng = dataset["rng"]
        channels = rng.choices(
            dataset["channels"], dataset["channel_weights"], k=dataset["params"]["orders"]
        )
        orders = self.env["sale.order"].create(
            [self._prepare_order_vals(dataset, channel) for channel in channels]
        )
        targets = rng.choices(
            [state for state, _share in ORDER_STATES] + ["draft"],
            [share for _state, share in ORDER_STATES]
            + [1 - sum(share for _state, share in ORDER_STATES)],
            k=len(orders),
        )

        def reaching(*states):
            return orders.browse(
                [
                    order.id
                    for order, target in zip(orders, targets, strict=True)
                    if target in states
                ]
            )

        reaching("sale", "delivered").action_confirm()
        self._deliver_orders(reaching("delivered"))
        reaching("cancel")._action_cancel()
        dataset["orders"] = orders

    @api.model
    def _deliver_orders(self, orders):
        """Ship the orders whose stock is there; the others stay confirmed."""
        pickings = orders.picking_ids.filtered(lambda picking: picking.state != "done")
        if not pickings:
            return
        pickings.action_assign()
        self._send_pickings(pickings.filtered(self._is_fully_reserved))

    @api.model
    def _is_fully_reserved(self, picking):
        """Whether all of ``picking`` is reserved (a transfer shows Ready as soon as a
        part is)."""
        return picking.state == "assigned" and all(
            move.state == "assigned" for move in picking.move_ids
        )

    @api.model
    def _send_pickings(self, pickings):
        """Validate ``pickings`` with what they reserved, each on its own: taken out of
        the automatic batch it joined (a draft batch keeping a done transfer takes no
        other one), without the delivery SMS (generated data calls no outside
        service)."""
        for picking in pickings:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            # just before validating: a transfer whose moves get reserved (this one
            # above, others as one is validated) joins a batch
            if picking.batch_id and not picking.batch_id.is_wave:
                picking.batch_id = False
            picking.with_context(skip_sms=True)._action_done()

    @api.model
    def _prepare_stock_pool_vals(self, dataset, channel):
        """A pool per channel type: the web shop sells the whole network but keeps a
        unit per product in each store and two in the pool; the marketplace sells the
        distribution centers with a 10% margin; B2B sells the central DC and what it
        receives within 14 days; stores sell their own shelves."""
        centers, stores = dataset["distribution_centers"], dataset["stores"]
        vals = {
            "name": f"{channel.name} stock",
            "company_id": dataset["company"].id,
            "channel_ids": [Command.link(channel.id)],
        }
        kind = channel.omni_channel_type
        if kind == "web":
            vals["warehouse_ids"] = [Command.set((centers | stores).ids)]
            vals["buffer_ids"] = [
                Command.create({"buffer_type": "fixed", "quantity": 2}),
                *(
                    Command.create(
                        {"warehouse_id": store.id, "buffer_type": "fixed", "quantity": 1}
                    )
                    for store in stores
                ),
            ]
        elif kind == "marketplace":
            vals["warehouse_ids"] = [Command.set(centers.ids)]
            vals["block_oversell"] = True
            vals["buffer_ids"] = [Command.create({"buffer_type": "percent", "percentage": 10})]
        elif kind == "b2b":
            vals["warehouse_ids"] = [Command.set(centers[:1].ids)]
            vals["incoming_days"] = 14
        else:
            vals["warehouse_ids"] = [Command.set(stores.ids)]
        return vals

    @api.model
    def _generate_stock_pools(self, dataset):
        pools = self.env["omni.stock.pool"].create(
            [self._prepare_stock_pool_vals(dataset, channel) for channel in dataset["channels"]]
        )
        pools._ats_refresh()
        dataset["stock_pools"] = pools

    @api.model
    def _held_order_products(self, dataset):
        """The product the network holds least of (none of it, at best), and how many
        units of it are free there."""
        groups = self.env["stock.quant"]._read_group(
            [
                ("product_id", "in", dataset["products"].ids),
                ("location_id", "child_of", dataset["warehouses"].view_location_id.ids),
            ],
            ["product_id"],
            ["quantity:sum", "reserved_quantity:sum"],
        )
        free = dict.fromkeys(dataset["products"].ids, 0.0)
        for product, quantity, reserved in groups:
            free[product.id] = quantity - reserved
        product_id = min(free, key=lambda key: (free[key], key))
        return dataset["products"].browse(product_id), max(free[product_id], 0.0)

    @api.model
    def _prepare_held_order_vals(self, dataset, channel):
        """A web order of more units of a product than the whole network holds."""
        product, available = self._held_order_products(dataset)
        vals = self._prepare_order_vals(dataset, channel, product)
        customers = dataset["customers"].filtered(lambda partner: not partner.is_company)
        vals["partner_id"] = (customers or dataset["customers"])[:1].id
        vals["order_line"] = [
            Command.create(
                {"product_id": product.id, "product_uom_qty": int(available) + LINE_MAX_QTY}
            )
        ]
        return vals

    @api.model
    def _generate_held_orders(self, dataset):
        """A confirmed web order routing holds, the network short of its product: it
        waits under Held Orders with the reason until stock arrives."""
        web = dataset["channels"].filtered(lambda channel: channel.omni_channel_type == "web")[:1]
        # a dataset without orders (benchmarks) has none held either
        count = dataset["params"].get("held_orders", 1) if dataset["params"]["orders"] else 0
        orders = self.env["sale.order"].create(
            [self._prepare_held_order_vals(dataset, web) for _order in range(count)]
        )
        orders.action_confirm()
        dataset["held_orders"] = orders
