import datetime as dt

from odoo import Command

from .store_common import StoreCommon

# Tuesday 2 December 2025; the calendars below are in UTC
TUESDAY = dt.date(2025, 12, 2)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute))


class PromiseCommon(StoreCommon):
    """Store hours 10:00-19:00 Monday to Saturday, an office calendar 8:00-12:00 and
    13:00-17:00 Monday to Friday for the warehouses, one hour of handling in stores and
    two in warehouses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hours.write(
            {
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 10.0,
                            "hour_to": 19.0,
                            "day_period": "morning",
                        }
                    )
                    for day in range(6)
                ],
            }
        )
        cls.office = cls.env["resource.calendar"].create(
            {
                "name": "Promise Office",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, end, period in ((8.0, 12.0, "morning"), (13.0, 17.0, "afternoon"))
                ],
            }
        )
        cls.warehouses.write({"omni_work_calendar_id": cls.office.id, "omni_handling_hours": 2.0})
        (cls.paris | cls.lyon).write({"omni_handling_hours": 1.0})

    def holiday(self, calendar, day):
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": calendar.id,
                "date_from": at(day, 0),
                "date_to": at(day, 23, 59),
            }
        )

    def promise(self, order, now):
        return self.env["omni.promise.service"]._promise_order(order, now=now)
