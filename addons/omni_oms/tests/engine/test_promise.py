"""The delivery promise engine: cut-offs, calendars, transit tables, stores, reasons."""

import datetime as dt

import pytest
from omni_cli.engines import load_engine

promise = load_engine("omni_oms").promise
Calendar, Line, Request, Service, Site, TransitRow = (
    promise.Calendar,
    promise.Line,
    promise.Request,
    promise.Service,
    promise.Site,
    promise.TransitRow,
)

# Monday to Friday, 8:00-12:00 and 13:00-17:00
OFFICE = Calendar({day: ((8.0, 12.0), (13.0, 17.0)) for day in range(5)})
FR = "FR"
TRANSIT = (TransitRow(FR, "", 2), TransitRow(FR, "75", 1), TransitRow(None, "", 5))
EXPRESS = Service("express", "Express", 16.0, TRANSIT)


def site(key="wh", stock=None, **kwargs):
    values = {
        "stock": {"shirt": 10.0} if stock is None else stock,
        "tz": "UTC",
        "calendar": OFFICE,
        "handling_hours": 2.0,
        "services": (EXPRESS,),
        **kwargs,
    }
    return Site(key, key.title(), **values)


def ask(now, sites=None, lines=None, **kwargs):
    return promise.promise(
        Request(
            lines=tuple((Line(1, "shirt", 1.0, "Shirt"),) if lines is None else lines),
            sites=tuple(sites or (site(),)),
            now=now,
            **{"country": FR, "zip": "75011", **kwargs},
        )
    )


# Tuesday 2 December 2025
TUESDAY = dt.date(2025, 12, 2)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_transit_days_longest_zip_prefix_of_the_country_wins():
    assert promise.transit_days(TRANSIT, FR, "75011") == 1
    assert promise.transit_days(TRANSIT, FR, "69001") == 2
    assert promise.transit_days(TRANSIT, "BE", "1000") == 5
    assert promise.transit_days((TransitRow(FR, "75", 1),), FR, "69001") is None


def test_just_before_cutoff_ships_today():
    # 13:59 + 2 working hours = 15:59, before the 16:00 cut-off: ships Tuesday
    result = ask(at(TUESDAY, 13, 59))
    assert result.date == dt.date(2025, 12, 3)
    assert result.lines[0].ship_date == TUESDAY
    assert result.order_before == at(TUESDAY, 16)


def test_just_after_cutoff_ships_next_working_day():
    # 14:01 + 2 h = 16:01, after the cut-off: ships Wednesday, delivered Thursday
    result = ask(at(TUESDAY, 14, 1))
    assert result.lines[0].ship_date == dt.date(2025, 12, 3)
    assert result.date == dt.date(2025, 12, 4)


def test_order_within_is_the_cutoff_when_it_decides_the_date():
    result = ask(at(TUESDAY, 9, 0))
    assert result.order_before == at(TUESDAY, 16, 0)
    late = ask(at(TUESDAY, 16, 30))
    assert late.order_before is None


def test_weekend_moves_shipping_to_monday_and_delivery_skips_it():
    friday = dt.date(2025, 12, 5)
    result = ask(at(friday, 15, 0))  # ready 17:00 > 16:00
    assert result.lines[0].ship_date == dt.date(2025, 12, 8)
    assert result.date == dt.date(2025, 12, 9)
    # shipped Friday, one carrier day: Monday
    assert ask(at(friday, 9, 0)).date == dt.date(2025, 12, 8)


def test_public_holiday_of_the_warehouse_calendar_is_skipped():
    wednesday = dt.date(2025, 12, 3)
    closed = Calendar(OFFICE.hours, frozenset({wednesday}))
    result = ask(at(TUESDAY, 16, 30), sites=[site(calendar=closed)])
    # handling runs Thursday 8:00-10:00, ships Thursday, delivered Friday
    assert result.lines[0].ship_date == dt.date(2025, 12, 4)
    assert result.date == dt.date(2025, 12, 5)


def test_time_zone_of_the_site_sets_the_cutoff():
    # 14:30 UTC is 15:30 in Paris: + 1 h = 16:30 local, after 16:00 there
    paris = site(tz="Europe/Paris", handling_hours=1.0)
    result = ask(at(TUESDAY, 14, 30), sites=[paris])
    assert result.lines[0].ship_date == dt.date(2025, 12, 3)
    assert ask(at(TUESDAY, 14, 0), sites=[paris]).lines[0].ship_date == TUESDAY


def test_cutoff_in_its_own_time_zone():
    # 16:00 in Paris is 15:00 UTC: ready at 15:30 UTC misses it
    paris_cutoff = Service("express", "Express", 16.0, TRANSIT, tz="Europe/Paris")
    result = ask(at(TUESDAY, 13, 30), sites=[site(services=(paris_cutoff,))])
    assert result.lines[0].ship_date == dt.date(2025, 12, 3)
    assert ask(at(TUESDAY, 13, 0), sites=[site(services=(paris_cutoff,))]).order_before == at(
        TUESDAY, 15
    )


def test_earliest_site_wins_and_routing_sources_are_followed():
    slow = site("slow", services=(Service("eco", "Eco", 16.0, (TransitRow(FR, "", 4),)),))
    fast = site("fast")
    result = ask(at(TUESDAY, 9), sites=[slow, fast])
    assert result.lines[0].site == "fast"
    routed = ask(at(TUESDAY, 9), sites=[slow, fast], sources={1: ("slow",)})
    assert routed.lines[0].site == "slow"
    assert routed.date == dt.date(2025, 12, 8)


def test_full_site_starts_the_next_day():
    result = ask(at(TUESDAY, 9), sites=[site(capacity=0)])
    assert result.lines[0].ship_date == dt.date(2025, 12, 3)


def test_order_date_is_its_latest_line():
    a = site("a", stock={"shirt": 5.0})
    b = site("b", stock={"lamp": 5.0}, handling_hours=10.0)
    result = ask(at(TUESDAY, 9), sites=[a, b], lines=[Line(1, "shirt", 1.0), Line(2, "lamp", 1.0)])
    assert [line.date for line in result.lines] == [dt.date(2025, 12, 3), dt.date(2025, 12, 4)]
    assert result.date == dt.date(2025, 12, 4)
    assert result.order_before is None


def test_out_of_stock_everywhere_is_promised_from_incoming_stock():
    receipt = at(dt.date(2025, 12, 8), 10)
    wh = site(stock={}, incoming={"shirt": ((receipt, 1.0),)})
    result = ask(at(TUESDAY, 9), sites=[wh])
    assert result.date == dt.date(2025, 12, 9)
    assert result.lines[0].reasons[0].code == promise.FROM_INCOMING


def test_out_of_stock_everywhere_without_incoming_has_no_promise():
    result = ask(at(TUESDAY, 9), sites=[site(stock={})])
    assert not result.promised
    assert [reason.code for reason in result.reasons] == [promise.OUT_OF_STOCK]


@pytest.mark.parametrize(
    "sites, code",
    [
        ([site(services=())], promise.NO_CARRIER),
        ([site(services=(Service("x", "X", None, TRANSIT),))], promise.NO_CUTOFF),
        ([site(services=(Service("x", "X", 16.0, ()),))], promise.NO_TRANSIT),
        ([site(calendar=Calendar({}))], promise.NO_CALENDAR_SLOT),
    ],
)
def test_configuration_gaps_are_reasons(sites, code):
    result = ask(at(TUESDAY, 9), sites=sites)
    assert not result.promised
    assert result.reasons[0].code == code


def test_bad_lines_and_destination_are_reasons():
    result = ask(at(TUESDAY, 9), lines=[Line(1, None, 1.0, "XYZ"), Line(2, "shirt", -1.0)])
    assert [reason.code for reason in result.reasons] == [
        promise.UNKNOWN_PRODUCT,
        promise.BAD_QUANTITY,
    ]
    assert ask(at(TUESDAY, 9), country=None).reasons[0].code == promise.NO_DESTINATION
    assert ask(at(TUESDAY, 9), lines=[]).reasons[0].code == promise.EMPTY_CART


STORE_HOURS = Calendar({day: ((10.0, 19.0),) for day in range(6)})


def test_collect_from_the_store_shelf_within_opening_hours():
    store = site("store", is_store=True, opening_hours=STORE_HOURS, handling_hours=1.0)
    result = ask(at(TUESDAY, 8), sites=[store], pickup_store="store")
    assert result.kind == "collect"
    assert result.lines[0].ready == at(TUESDAY, 11)


def test_store_closed_on_the_pickup_day_moves_it_to_the_next_opening():
    saturday, sunday = dt.date(2025, 12, 6), dt.date(2025, 12, 7)
    closed = Calendar(STORE_HOURS.hours, frozenset({saturday}))
    store = site("store", is_store=True, opening_hours=closed, handling_hours=1.0)
    result = ask(at(dt.date(2025, 12, 5), 18, 30), sites=[store], pickup_store="store")
    # Friday 18:30-19:00 done half an hour; Saturday closed, Sunday no hours: Monday 10:30
    assert result.lines[0].ready == at(dt.date(2025, 12, 8), 10, 30)
    assert result.date not in (saturday, sunday)


def test_collect_resupplied_from_another_site():
    store = site("store", stock={}, is_store=True, opening_hours=STORE_HOURS, resupply_days=2)
    result = ask(at(TUESDAY, 8), sites=[store, site("dc")], pickup_store="store")
    assert result.lines[0].ready == at(dt.date(2025, 12, 4), 12)


def test_collect_without_opening_hours_or_store_is_a_reason():
    store = site("store", is_store=True)
    result = ask(at(TUESDAY, 8), sites=[store], pickup_store="store")
    assert result.reasons[0].code == promise.STORE_CLOSED
    assert ask(at(TUESDAY, 8), pickup_store="nowhere").reasons[0].code == promise.NO_STORE
