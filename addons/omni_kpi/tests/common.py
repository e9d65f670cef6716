import datetime as dt

from freezegun import freeze_time

from odoo import Command

from odoo.addons.omni_base.tests.common import OmniCommon
from odoo.addons.omni_tms.connector import TrackingEvent

# Tuesday 2 December 2025; calendars and cut-offs below are in UTC
TUESDAY = dt.date(2025, 12, 2)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute))


def day(offset):
    """The day ``offset`` days after Tuesday 2 December 2025."""
    return TUESDAY + dt.timedelta(days=offset)


class KpiCommon(OmniCommon):
    """A depot working 8:00-12:00 and 13:00-17:00 Monday to Friday with two hours of
    handling, a carrier collecting there at 16:00 and delivering France in two days
    (Paris in one), a Paris customer, a shirt in stock; no routing rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["omni.routing.rule"].search([]).active = False
        # the carrier tables of the demo or of other tests stay out of these promises
        cls.env["omni.carrier.transit"].search([]).active = False
        cls.env["omni.carrier.cutoff"].search([]).active = False
        cls.france = cls.env.ref("base.fr")
        cls.office = cls.env["resource.calendar"].create(
            {
                "name": "KPI Office",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {weekday} {period}",
                            "dayofweek": str(weekday),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for weekday in range(5)
                    for start, end, period in ((8.0, 12.0, "morning"), (13.0, 17.0, "afternoon"))
                ],
            }
        )
        cls.depot = cls.env["stock.warehouse"].create(
            {
                "name": "KPI Depot",
                "code": "KPID",
                "omni_work_calendar_id": cls.office.id,
                "omni_handling_hours": 2.0,
            }
        )
        shipping = cls.env["product.product"].create({"name": "KPI shipping", "type": "service"})
        cls.express = cls.env["delivery.carrier"].create(
            {"name": "KPI Express", "product_id": shipping.id}
        )
        cls.env["omni.carrier.transit"].create(
            [
                {"carrier_id": cls.express.id, "country_id": cls.france.id, "transit_days": 2},
                {
                    "carrier_id": cls.express.id,
                    "country_id": cls.france.id,
                    "zip_prefix": "75",
                    "transit_days": 1,
                },
            ]
        )
        cls.cutoff = cls.env["omni.carrier.cutoff"].create(
            {
                "carrier_id": cls.express.id,
                "warehouse_id": cls.depot.id,
                "cutoff_time": 16.0,
                "tz": "UTC",
            }
        )
        cls.channel = cls.env["crm.team"].create({"name": "KPI Web"})
        cls.customer = cls.env["res.partner"].create(
            {"name": "KPI Customer", "country_id": cls.france.id, "zip": "75011", "tz": "UTC"}
        )
        cls.shirt = cls.env["product.product"].create(
            {"name": "KPI Shirt", "is_storable": True, "list_price": 20.0}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.shirt, cls.depot.lot_stock_id, 100)

    def order(self, quantity=1, partner=None, confirm_at=None, **vals):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "team_id": self.channel.id,
                "warehouse_id": self.depot.id,
                "order_line": [
                    Command.create({"product_id": self.shirt.id, "product_uom_qty": quantity})
                ],
                **vals,
            }
        )
        if confirm_at:
            with freeze_time(confirm_at):
                order.action_confirm()
        return order

    def promise(self, order, now):
        return self.env["omni.promise.service"]._promise_order(order, now=now)

    def ship(self, order, when, quantity=None):
        """Validate the order's delivery at ``when``; return it."""
        picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if quantity is None else quantity
        picking.move_ids.picked = True
        with freeze_time(when):
            picking.with_context(cancel_backorder=True)._action_done()
        self.assertEqual(picking.state, "done")
        return picking

    def deliver(self, picking, when, number=None):
        """The carrier's delivered event for ``picking``, received like a webhook."""
        number = number or f"KPI{picking.id}"
        Shipment = self.env["omni.shipment"].sudo()
        Shipment.create(
            {
                **Shipment._prepare_shipment_vals(picking, self.express, "outbound", None),
                "state": "done",
                "tracking_number": number,
            }
        )
        self.env["omni.tracking.event"]._omni_record_events(
            self.express,
            [TrackingEvent(f"{number}-DLV", number, "delivered", when)],
            "webhook",
        )
