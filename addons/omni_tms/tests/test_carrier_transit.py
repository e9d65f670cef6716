from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.omni_base.tests.common import OmniCommon


@tagged("post_install", "-at_install")
class TestCarrierTransit(OmniCommon):
    """Transit tables and pickup cut-offs read by the delivery promise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        product = cls.env["product.product"].create({"name": "Transit shipping", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {"name": "Transit Express", "product_id": product.id}
        )
        cls.warehouse = cls.env["stock.warehouse"].create({"name": "Transit WH", "code": "TRWH"})
        Transit = cls.env["omni.carrier.transit"]
        Transit.create(
            [
                {"carrier_id": cls.carrier.id, "country_id": cls.france.id, "transit_days": 2},
                {
                    "carrier_id": cls.carrier.id,
                    "country_id": cls.france.id,
                    "zip_prefix": "75",
                    "transit_days": 1,
                },
                {"carrier_id": cls.carrier.id, "transit_days": 5},
            ]
        )

    def test_transit_rows_are_read_per_carrier(self):
        rows = self.env["omni.carrier.transit"]._omni_transit_by_carrier(self.env.company.id)
        self.assertEqual(
            sorted(rows[self.carrier.id], key=str), [("FR", "", 2), ("FR", "75", 1), (None, "", 5)]
        )

    def test_one_transit_time_per_zone(self):
        with self.assertRaisesRegex(ValidationError, "two transit times for FR 75"):
            self.env["omni.carrier.transit"].create(
                {
                    "carrier_id": self.carrier.id,
                    "country_id": self.france.id,
                    "zip_prefix": "75",
                    "transit_days": 3,
                }
            )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env["omni.carrier.transit"].create(
                {"carrier_id": self.carrier.id, "zip_prefix": "1", "transit_days": -1}
            )

    def test_cutoffs_per_warehouse_with_their_time_zone(self):
        self.env["omni.carrier.cutoff"].create(
            {
                "carrier_id": self.carrier.id,
                "warehouse_id": self.warehouse.id,
                "cutoff_time": 15.5,
                "tz": "Europe/Paris",
            }
        )
        cutoffs = self.env["omni.carrier.cutoff"]._omni_cutoffs(self.warehouse.ids)
        self.assertEqual(cutoffs, {self.warehouse.id: {self.carrier.id: (15.5, "Europe/Paris")}})
        self.carrier.active = False
        self.assertEqual(self.env["omni.carrier.cutoff"]._omni_cutoffs(self.warehouse.ids), {})

    def test_cutoff_is_a_time_of_the_day(self):
        with self.assertRaisesRegex(ValidationError, "time of the day"):
            self.env["omni.carrier.cutoff"].create(
                {
                    "carrier_id": self.carrier.id,
                    "warehouse_id": self.warehouse.id,
                    "cutoff_time": 24.0,
                }
            )

    def test_manager_edits_tables_other_users_read_them(self):
        manager = self.user_manager
        seller = self.user_store_staff
        rows = self.env["omni.carrier.transit"].search([("carrier_id", "=", self.carrier.id)])
        rows.with_user(manager).write({"transit_days": 3})
        self.assertEqual(len(rows.with_user(seller).read(["transit_days"])), 3)
        with self.assertRaises(AccessError):
            rows.with_user(seller).write({"transit_days": 4})
