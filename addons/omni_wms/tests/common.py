import contextlib

from odoo import Command
from odoo.exceptions import ValidationError

from odoo.addons.omni_base.tests.common import OmniCommon

# Bins of the test warehouse: 4 aisles (A-D) of 10 m, 3 m apart, 4 bays of 2.5 m, so
# bay n lies (n - 0.5) x 2.5 m from the front cross-aisle; the depot faces aisle A.
STOCKED_BINS = {
    "P1": "A-01-1",  # aisle 1 at 1.25 m
    "P2": "B-04-1",  # aisle 2 at 8.75 m
    "P3": "D-02-1",  # aisle 4 at 3.75 m
    "P4": "B-02-1",  # aisle 2 at 3.75 m
    "P5": "C-03-2",  # aisle 3 at 6.25 m, level 2
    "P6": "D-04-1",  # aisle 4 at 8.75 m
}


class OmniWmsCommon(OmniCommon):
    """A warehouse with a layout, bins placed from their names and stock in them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].create({"name": "Omni WMS Test", "code": "OWT"})
        cls.stock = cls.warehouse.lot_stock_id
        # transfers are reserved when the tests say so
        cls.warehouse.out_type_id.reservation_method = "manual"
        cls.layout = cls.env["omni.warehouse.layout"].create(
            {
                "warehouse_id": cls.warehouse.id,
                "aisle_count": 4,
                "aisle_length": 10.0,
                "aisle_spacing": 3.0,
                "bay_width": 2.5,
            }
        )
        cls.bins = cls.env["stock.location"].create(
            [
                {"name": f"{aisle}-{bay:02d}-{level}", "location_id": cls.stock.id}
                for aisle in "ABCD"
                for bay in range(1, 5)
                for level in (1, 2)
            ]
        )
        cls.layout._assign_locations_from_pattern()
        cls.bin = {location.name: location for location in cls.bins}
        cls.products = {
            code: cls.env["product.product"].create(
                {"name": f"Omni WMS {code}", "default_code": f"OWT-{code}", "is_storable": True}
            )
            for code in [*STOCKED_BINS, "P7"]
        }
        Quant = cls.env["stock.quant"]
        for code, bin_name in STOCKED_BINS.items():
            Quant._update_available_quantity(cls.products[code], cls.bin[bin_name], 50)
        # P7 sits in the warehouse's stock location itself, which has no aisle
        Quant._update_available_quantity(cls.products["P7"], cls.stock, 50)
        cls.customers = cls.env.ref("stock.stock_location_customers")

    @classmethod
    def delivery(cls, *codes, assign=True, warehouse=None):
        """A confirmed (and reserved) delivery of one unit of each product of ``codes``."""
        warehouse = warehouse or cls.warehouse
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": cls.customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.products[code].name,
                            "product_id": cls.products[code].id,
                            "product_uom_qty": 1,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": cls.customers.id,
                        }
                    )
                    for code in codes
                ],
            }
        )
        picking.action_confirm()
        if assign:
            picking.action_assign()
        return picking

    @classmethod
    def order(cls, quantities, partner=None, priority=False, assign=True):
        """A confirmed, reserved delivery of ``quantities`` ({product code: units})."""
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.out_type_id.id,
                "location_id": cls.stock.id,
                "location_dest_id": cls.customers.id,
                "partner_id": partner and partner.id,
                "priority": "1" if priority else "0",
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.products[code].name,
                            "product_id": cls.products[code].id,
                            "product_uom_qty": quantity,
                            "location_id": cls.stock.id,
                            "location_dest_id": cls.customers.id,
                        }
                    )
                    for code, quantity in quantities.items()
                ],
            }
        )
        picking.action_confirm()
        if assign:
            picking.action_assign()
        return picking

    @classmethod
    def wave_rule(cls, name, **vals):
        return cls.env["omni.wave.rule"].create(
            {"name": name, "warehouse_id": cls.warehouse.id, **vals}
        )

    def walking_order(self, record):
        """Product codes of ``record``'s lines in pick-sequence order."""
        lines = record.move_line_ids.sorted("omni_pick_sequence")
        return [line.product_id.default_code.removeprefix("OWT-") for line in lines]

    @contextlib.contextmanager
    def assert_refused(self, message, exception=ValidationError):
        """The block raises ``exception`` with a message matching ``message``, and what
        it did is rolled back."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), message)


class OmniWaveCommon(OmniWmsCommon):
    """The test warehouse with product barcodes (OWTP1BAR...), for waves and the
    picking screen; the company's time zone is UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code, product in cls.products.items():
            product.barcode = f"OWT{code}BAR"
        cls.env.company.partner_id.tz = "UTC"
        # orders wait for their wave rule instead of Odoo's automatic batches
        cls.warehouse.out_type_id.auto_batch = False

    def wave_of(self, *pickings):
        """A confirmed wave of ``pickings``, made by Odoo's wave API."""
        pickings = self.env["stock.picking"].concat(*pickings)
        pickings.move_line_ids._add_to_wave()
        wave = pickings.batch_id
        if wave.state == "draft":
            wave.action_confirm()
        return wave
