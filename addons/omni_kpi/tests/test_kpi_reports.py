from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import KpiCommon, at, day


@tagged("post_install", "-at_install")
class TestKpiReports(KpiCommon):
    """Service KPIs on a hand-made history, per channel, carrier and store; store staff
    read their store's figures only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["stock.warehouse"].create(
            {"name": "KPI Shop", "code": "KPIS", "omni_is_store": True}
        )
        cls.staff = new_test_user(
            cls.env, login="kpi_staff", groups="omni_base.group_omni_store_staff"
        )
        cls.store.omni_staff_ids = [Command.set(cls.staff.ids)]

    def history(self):
        """A kept on time and in full; B left late and short; C delivered late by the
        carrier; D not shipped yet."""
        a = self.order(confirm_at=at(day(0), 9))
        self.deliver(self.ship(a, at(day(0), 15)), at(day(1), 18))
        b = self.order(quantity=2, confirm_at=at(day(0), 9))
        self.deliver(self.ship(b, at(day(2), 10), quantity=1), at(day(3), 11))
        c = self.order(confirm_at=at(day(0), 9))
        self.deliver(self.ship(c, at(day(0), 15)), at(day(6), 11))
        d = self.order(confirm_at=at(day(0), 9))
        self.assertEqual(
            [o.omni_promise_status for o in (a, b, c, d)], ["kept", "broken", "broken", "pending"]
        )
        self.assertEqual(b.order_line.qty_delivered, 1)
        return a | b | c | d

    def figures(self, model, group, fields, domain=()):
        self.env.flush_all()
        return self.env[model]._read_group(
            [("company_id", "=", self.env.company.id), (group, "!=", False), *domain],
            [group],
            fields,
        )

    def test_order_service_level_per_channel(self):
        self.history()
        rows = self.figures(
            "omni.kpi.order",
            "team_id",
            [
                "otif_rate:avg",
                "on_time_rate:avg",
                "in_full_rate:avg",
                "hours_to_ship:avg",
                "hours_to_deliver:avg",
                "shipment_count:avg",
                "split_rate:avg",
                "__count",
            ],
        )
        channel_rows = [row[1:] for row in rows if row[0] == self.channel]
        otif, on_time, in_full, to_ship, to_deliver, shipments, split, count = channel_rows[0]
        self.assertEqual(count, 4)
        # settled: A kept in full, B broken and short, C broken in full
        self.assertAlmostEqual(otif, 100 / 3)
        self.assertAlmostEqual(on_time, 100 / 3)
        self.assertAlmostEqual(in_full, 200 / 3)
        # shipped 6 h (A), 49 h (B), 6 h (C) after confirmation; D not shipped
        self.assertAlmostEqual(to_ship, 61 / 3)
        # delivered 33 h (A), 74 h (B), 146 h (C) after confirmation
        self.assertAlmostEqual(to_deliver, 253 / 3)
        self.assertEqual(shipments, 1.0)
        self.assertEqual(split, 0.0)

    def test_broken_promises_per_stage(self):
        self.history()
        rows = dict(
            self.figures(
                "omni.kpi.order", "break_stage", ["__count"], [("team_id", "=", self.channel.id)]
            )
        )
        self.assertEqual(rows, {"warehouse": 1, "carrier": 1})

    def test_carrier_on_time_against_its_transit_table(self):
        self.history()
        report = self.env["omni.kpi.shipment"].search([("carrier_id", "=", self.express.id)])
        # A: Wednesday, 1 day; B: Thursday to Friday, 1 day; C: Tuesday to Monday, 4 days
        self.assertEqual(sorted(report.mapped("transit_days")), [1, 1, 4])
        self.assertEqual(set(report.mapped("promised_days")), {1})
        rows = self.figures("omni.kpi.shipment", "carrier_id", ["on_time_rate:avg"])
        self.assertAlmostEqual(dict(rows)[self.express], 200 / 3)

    def store_orders(self):
        """Three store orders of the shop made by hand: one accepted after 30 minutes
        and ready after 2 hours, collected; one refused; one expired uncollected."""
        self.env["stock.quant"]._update_available_quantity(self.shirt, self.store.lot_stock_id, 10)
        orders = [self.order(warehouse_id=self.store.id) for _i in range(3)]
        for order in orders:
            order.action_confirm()
        store_orders = self.env["omni.store.order"].search(
            [("sale_order_id", "in", [order.id for order in orders])], order="id"
        )
        self.assertEqual(len(store_orders), 3)
        self.env.flush_all()
        for store_order, (fulfilment, state, accept, ready) in zip(
            store_orders,
            [
                ("collect", "done", 0.5, 2.0),
                ("ship", "rejected", None, None),
                ("collect", "expired", 1.5, 4.0),
            ],
            strict=True,
        ):
            self.env.cr.execute(
                """
                UPDATE omni_store_order
                   SET create_date = %(created)s, fulfilment = %(fulfilment)s,
                       state = %(state)s,
                       accepted_date = %(created)s + %(accept)s * INTERVAL '1 hour',
                       ready_date = %(created)s + %(ready)s * INTERVAL '1 hour'
                 WHERE id = %(id)s
                """,
                {
                    "created": at(day(0), 9),
                    "fulfilment": fulfilment,
                    "state": state,
                    "accept": accept,
                    "ready": ready,
                    "id": store_order.id,
                },
            )
        self.env.invalidate_all()
        return orders

    def test_store_acceptance_ready_time_rejection_and_collection(self):
        self.store_orders()
        rows = self.figures(
            "omni.kpi.store.order",
            "store_id",
            [
                "hours_to_accept:avg",
                "hours_to_ready:avg",
                "rejection_rate:avg",
                "collection_rate:avg",
            ],
        )
        accept, ready, rejection, collection = next(row[1:] for row in rows if row[0] == self.store)
        self.assertAlmostEqual(accept, 1.0)
        self.assertAlmostEqual(ready, 3.0)
        self.assertAlmostEqual(rejection, 100 / 3)
        self.assertAlmostEqual(collection, 50.0)

    def test_store_staff_read_their_store_only(self):
        self.history()
        self.store_orders()
        orders = self.env["omni.kpi.order"].with_user(self.staff).search([])
        self.assertEqual(set(orders.warehouse_id.ids), {self.store.id})
        self.assertEqual(len(orders), 3)
        self.assertEqual(
            set(self.env["omni.kpi.store.order"].with_user(self.staff).search([]).store_id.ids),
            {self.store.id},
        )
        manager_orders = (
            self.env["omni.kpi.order"]
            .with_user(self.user_manager)
            .search([("warehouse_id", "in", (self.depot | self.store).ids)])
        )
        self.assertEqual(len(manager_orders), 7)

    def test_dashboard_ships_in_the_dashboards_app(self):
        dashboard = self.env.ref("omni_kpi.spreadsheet_dashboard_omni_service")
        self.assertTrue(dashboard.is_published)
        self.history()
        snapshot = dashboard.with_user(self.user_manager).get_readonly_dashboard()["snapshot"]
        # every figure reads fields the report models have
        for pivot in snapshot["pivots"].values():
            fields = self.env[pivot["model"]]._fields
            for measure in pivot["measures"]:
                self.assertIn(measure["fieldName"], fields, pivot["name"])
            for row in pivot["rows"]:
                self.assertIn(row["fieldName"], fields, pivot["name"])
        charts = [figure["data"] for figure in snapshot["sheets"][0]["figures"]]
        self.assertEqual(len(charts), 4)
        for chart in charts:
            meta = chart["metaData"]
            self.assertIn(meta["measure"], self.env[meta["resModel"]]._fields)
            self.assertIn(meta["groupBy"][0].split(":")[0], self.env[meta["resModel"]]._fields)
        self.assertNotIn(
            dashboard, self.env["spreadsheet.dashboard"].with_user(self.staff).search([])
        )
