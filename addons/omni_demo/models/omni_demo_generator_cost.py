# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
"""Cost per order: the rates and standard times of the demo warehouses and stores, the
channels' fees, the cost of the packaging and of the return grades; the demo orders
costed; and a carrier invoice with a few over-charges to find, waiting to be checked.
"""

import base64

from odoo import api, models

# Labour rate per hour, walking speed (m/min), seconds per line, per unit, per parcel
# and per returned unit inspected
DC_RATES = (28.0, 60.0, 15.0, 5.0, 75.0, 90.0)
# Store: labour rate per hour, minutes per order, seconds per returned unit inspected
STORE_RATES = (22.0, 8.0, 120.0)
# Fees per channel type: percentage of the order, fixed fee per order
CHANNEL_FEES = {
    "web": (1.8, 0.25),
    "marketplace": (15.0, 0.0),
    "store": (0.9, 0.0),
    "call_center": (0.0, 1.5),
}
PACKAGING_COST = 0.7
GRADE_LOSS = {"b": 30.0, "c": 60.0, "d": 100.0, "e": 100.0}
INVOICE_HEADER = "tracking_number,ship_date,billed_weight_kg,amount,surcharge,currency"


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [self._generate_costs]

    @api.model
    def _demo_external_ids(self, dataset):
        """The demo carrier invoice is ``demo_carrier_invoice``."""
        ids = super()._demo_external_ids(dataset)
        if dataset.get("carrier_invoice"):
            ids["demo_carrier_invoice"] = dataset["carrier_invoice"]
        return ids

    @api.model
    def _generate_costs(self, dataset):
        self._generate_cost_rates(dataset)
        orders = dataset.get("orders")
        if orders:
            self.env["omni.cost.service"]._cost_orders(orders.ids)
        self._generate_carrier_invoice(dataset)

    @api.model
    def _generate_cost_rates(self, dataset):
        labour, walk, line, unit, parcel, inspection = DC_RATES
        dataset["distribution_centers"].write(
            {
                "omni_cost_labour_rate": labour,
                "omni_cost_walk_speed": walk,
                "omni_cost_line_seconds": line,
                "omni_cost_unit_seconds": unit,
                "omni_cost_parcel_seconds": parcel,
                "omni_cost_inspection_seconds": inspection,
            }
        )
        labour, minutes, inspection = STORE_RATES
        dataset["stores"].write(
            {
                "omni_cost_labour_rate": labour,
                "omni_cost_store_order_minutes": minutes,
                "omni_cost_inspection_seconds": inspection,
            }
        )
        for channel in dataset.get("channels", ()):
            percent, fixed = CHANNEL_FEES.get(channel.omni_channel_type, (0.0, 0.0))
            channel.write({"omni_fee_percent": percent, "omni_fee_fixed": fixed})
        shipments = dataset.get("shipments") or self.env["omni.shipment"]
        package_types = shipments.picking_id.move_line_ids.result_package_id.package_type_id
        package_types.filtered(
            lambda ptype: not ptype.omni_cost_amount
        ).omni_cost_amount = PACKAGING_COST
        for code, loss in GRADE_LOSS.items():
            grade = self.env.ref(f"omni_returns.omni_return_grade_{code}", raise_if_not_found=False)
            if grade:
                grade.omni_loss_percent = loss

    @api.model
    def _generate_carrier_invoice(self, dataset):
        """An invoice of the carrier of most labels: a line per label, the first billed
        heavier and dearer than declared, the second with a surcharge (when there are
        more than two), the last one twice, and a tracking number that is none of ours."""
        shipments = (dataset.get("shipments") or self.env["omni.shipment"]).filtered(
            lambda shipment: (
                shipment.state == "done"
                and shipment.kind == "outbound"
                and shipment.tracking_number
            )
        )
        if len(shipments) < 3:
            return
        carrier = max(
            shipments.carrier_id, key=lambda c: len(shipments.filtered(lambda s: s.carrier_id == c))
        )
        billed = shipments.filtered(lambda shipment: shipment.carrier_id == carrier).sorted("id")
        carrier.omni_invoice_format = "omni"
        rows = [INVOICE_HEADER]
        for index, shipment in enumerate(billed):
            weight = shipment.picking_id.weight or 1.0
            amount, surcharge = shipment.price, 0.0
            if index == 0:
                weight, amount = weight + 3.0, round(shipment.price * 1.4, 2)
            elif index == 1 and len(billed) > 2:
                surcharge = 2.5
            rows.append(self._demo_invoice_row(shipment.tracking_number, weight, amount, surcharge))
        rows.append(self._demo_invoice_row(billed[-1].tracking_number, 1.0, billed[-1].price, 0.0))
        rows.append(self._demo_invoice_row(f"{dataset['prefix']}UNKNOWN1", 1.0, 6.9, 0.0))
        wizard = self.env["omni.carrier.invoice.import"].create(
            {
                "carrier_id": carrier.id,
                "company_id": dataset["company"].id,
                "currency_id": dataset["company"].currency_id.id,
                "name": f"{dataset['prefix']}-INV-001",
                "file_name": "carrier_invoice.csv",
                "data_file": base64.b64encode("\n".join(rows).encode()),
                "keep_unknown": True,
            }
        )
        dataset["carrier_invoice"] = self.env["omni.carrier.invoice"].browse(
            wizard.action_import()["res_id"]
        )

    @api.model
    def _demo_invoice_row(self, tracking, weight, amount, surcharge):
        return f"{tracking},,{weight:.2f},{amount:.2f},{surcharge:.2f},"
