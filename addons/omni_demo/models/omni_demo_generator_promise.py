# The generator is one model with a file per domain.
# pylint: disable=consider-merging-classes-inherited
"""Delivery promise: working hours with public holidays and handling times of the demo
warehouses and stores, transit times and pickup cut-offs of the demo carriers, and the
promises of the shipped demo orders, kept or broken (some parcels arrived late), so
that the service level reports and dashboard show real figures on a fresh demo."""

from datetime import date, datetime, time, timedelta

from odoo import api, fields, models

PROMISE_PARAMS = {
    # share of the delivered demo orders whose promise was broken
    "promise_broken_share": 0.3,
}
# (zip prefix or empty for the whole country, days) for France; other countries: 4 days
FRANCE_TRANSIT = (("", 2), ("75", 1), ("92", 1), ("93", 1), ("94", 1), ("69", 1))
OTHER_COUNTRIES_DAYS = 4
DC_CUTOFF, STORE_CUTOFF = 17.0, 15.5
DC_HANDLING_HOURS, STORE_HANDLING_HOURS = 2.0, 1.0
CUTOFF_TZ = "Europe/Paris"
# (month, day, name) of the French public holidays at fixed dates
PUBLIC_HOLIDAYS = (
    (1, 1, "New Year's Day"),
    (5, 1, "Labour Day"),
    (5, 8, "Victory in Europe Day"),
    (7, 14, "Bastille Day"),
    (8, 15, "Assumption Day"),
    (11, 1, "All Saints' Day"),
    (11, 11, "Armistice Day"),
    (12, 25, "Christmas Day"),
)


class OmniDemoGenerator(models.AbstractModel):
    _inherit = "omni.demo.generator"

    @api.model
    def _generation_steps(self):
        return super()._generation_steps() + [
            self._generate_promise_setup,
            self._generate_promise_history,
        ]

    @api.model
    def _promise_params(self, dataset):
        return {**PROMISE_PARAMS, **dataset["params"]}

    # Set-up -------------------------------------------------------------------------

    @api.model
    def _generate_promise_setup(self, dataset):
        """The sites' working hours (the company's, with the French public holidays of
        this year and the next) and handling time; the carriers' transit tables and
        their cut-offs at the distribution centers and the shipping stores."""
        calendar = self._generate_promise_calendar(dataset)
        for warehouses, hours in (
            (dataset["distribution_centers"], DC_HANDLING_HOURS),
            (dataset["stores"], STORE_HANDLING_HOURS),
        ):
            warehouses.write({"omni_work_calendar_id": calendar.id, "omni_handling_hours": hours})
        carriers = dataset.get("carriers") or self.env["delivery.carrier"]
        self.env["omni.carrier.transit"].create(
            [
                vals
                for index, carrier in enumerate(carriers)
                for vals in self._prepare_transit_vals_list(dataset, carrier, index)
            ]
        )
        self.env["omni.carrier.cutoff"].create(
            [
                self._prepare_cutoff_vals(carrier, warehouse, cutoff)
                for carrier in carriers
                for warehouses, cutoff in (
                    (dataset["distribution_centers"], DC_CUTOFF),
                    (dataset["stores"].filtered("omni_ship_from_store"), STORE_CUTOFF),
                )
                for warehouse in warehouses
            ]
        )
        dataset["promise_calendar"] = calendar

    @api.model
    def _generate_promise_calendar(self, dataset):
        company = dataset["company"]
        calendar = company.resource_calendar_id.copy(
            {
                "name": self.env._("%(prefix)s Working Hours", prefix=dataset["prefix"]),
                "tz": CUTOFF_TZ,
            }
        )
        year = fields.Date.context_today(self).year
        self.env["resource.calendar.leaves"].create(
            [
                {
                    "name": name,
                    "calendar_id": calendar.id,
                    "company_id": company.id,
                    "date_from": datetime.combine(date(y, month, day), time()),
                    "date_to": datetime.combine(date(y, month, day), time(23, 59, 59)),
                }
                for y in (year, year + 1)
                for month, day, name in PUBLIC_HOLIDAYS
            ]
        )
        return calendar

    @api.model
    def _prepare_transit_vals_list(self, dataset, carrier, index):
        france = self.env.ref("base.fr")
        # relay and economy services take a day more than the first carriers
        extra = 1 if index % 3 == 2 else 0
        return [
            {
                "carrier_id": carrier.id,
                "company_id": dataset["company"].id,
                "country_id": france.id,
                "zip_prefix": prefix or False,
                "transit_days": days + extra,
            }
            for prefix, days in FRANCE_TRANSIT
        ] + [
            {
                "carrier_id": carrier.id,
                "company_id": dataset["company"].id,
                "transit_days": OTHER_COUNTRIES_DAYS + extra,
            }
        ]

    @api.model
    def _prepare_cutoff_vals(self, carrier, warehouse, cutoff):
        return {
            "carrier_id": carrier.id,
            "warehouse_id": warehouse.id,
            "cutoff_time": cutoff,
            "tz": CUTOFF_TZ,
        }

    # History ------------------------------------------------------------------------

    @api.model
    def _generate_promise_history(self, dataset):
        """The shipped demo orders with the date they were promised: the delivered ones
        kept or broken (a share arrived after their promised day), the others still
        pending."""
        orders = dataset.get("shipped_orders") or self.env["sale.order"]
        rng = dataset["rng"]
        broken_share = self._promise_params(dataset)["promise_broken_share"]
        today = fields.Date.context_today(self)
        for order in orders:
            deliveries = order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
            )
            delivered = max(deliveries.mapped("omni_delivered_date"), default=False)
            shipped = max(deliveries.filtered("date_done").mapped("date_done"), default=False)
            if not delivered:
                order.write(self._prepare_promise_vals(today + timedelta(days=2), today))
                continue
            late = rng.random() < broken_share
            promised = order._omni_local_date(delivered) - timedelta(days=1 if late else 0)
            order.write(
                self._prepare_promise_vals(
                    promised, order._omni_local_date(shipped) if shipped else promised
                )
            )
            order._omni_promise_settle(delivered)
        dataset["promised_orders"] = orders

    @api.model
    def _prepare_promise_vals(self, promised, ship_date):
        return {
            "omni_promise_date": promised,
            "omni_promise_ship_date": ship_date,
            "omni_promise_kind": "delivery",
            "omni_promise_status": "pending",
            "omni_promise_note": False,
        }
