"""Waves built by seed-and-grow on route savings, checked on warehouses worked out by
hand, against arrival-order grouping with the same limits."""

import importlib
import random
from datetime import datetime

import pytest
from omni_cli.engines import load_engine

# The wave engine builds on omni_base's rules; the pick-route engine alone needs nothing.
engine = load_engine("omni_wms")
waves = importlib.import_module(f"{engine.__name__}.waves")
wave_rules = importlib.import_module(f"{engine.__name__}.wave_rules")


def layout():
    # 4 aisles of 10 m, 3 m apart, depot facing aisle 1
    return engine.AisleLayout(aisles=4, aisle_length=10.0, aisle_spacing=3.0, depot=0.0)


def order(key, *picks, rank=0, units=1.0, weight=0.0, volume=0.0):
    return waves.WaveOrder(
        key=key,
        picks=tuple(picks),
        lines=len(picks),
        units=units,
        weight=weight,
        volume=volume,
        rank=rank,
    )


def test_a_wave_needs_a_limit():
    with pytest.raises(engine.LayoutError, match="at least one limit"):
        waves.WaveLimits()
    with pytest.raises(engine.LayoutError, match="cannot be negative"):
        waves.WaveLimits(max_orders=-1)


def test_totes_limit_the_orders_of_a_wave():
    assert waves.WaveLimits(max_orders=10, totes=4).orders == 4
    assert waves.WaveLimits(max_lines=10).orders == 0


def test_savings_group_orders_of_the_same_aisle():
    # arrival order: aisle 1, aisle 4, aisle 1, aisle 4; two orders per wave
    orders = [
        order("a1", (1, 1.25), rank=0),
        order("d1", (4, 3.75), rank=1),
        order("a2", (1, 1.25), rank=2),
        order("d2", (4, 8.75), rank=3),
    ]
    plan = waves.plan_waves(layout(), orders, waves.WaveLimits(max_orders=2))
    assert sorted(sorted(wave) for wave in plan.waves) == [["a1", "a2"], ["d1", "d2"]]
    # aisle 4 up to 8.75 m and back, 9 m each way: 35.5; aisle 1 to 1.25 m: 2.5
    assert sorted(plan.lengths) == [2.5, 35.5]
    # arrival: a1 + d1 = 2.5 + 9 + 7.5 + 9 = 28; a2 + d2 = 2.5 + 9 + 17.5 + 9 = 38
    assert plan.arrival_lengths == (28.0, 38.0)
    assert plan.saved == pytest.approx(28.0)


def test_limits_hold_in_every_wave():
    rng = random.Random(3)
    orders = [
        order(
            index,
            *[(rng.randint(1, 4), rng.uniform(0, 10)) for _pick in range(rng.randint(1, 3))],
            rank=index,
            units=rng.randint(1, 4),
            weight=rng.uniform(0.1, 3),
        )
        for index in range(60)
    ]
    limits = waves.WaveLimits(max_orders=6, max_units=12, max_weight=8.0)
    plan = waves.plan_waves(layout(), orders, limits)
    by_key = {item.key: item for item in orders}
    assert sorted(key for wave in plan.waves for key in wave) == list(range(60))
    for wave in plan.waves:
        members = [by_key[key] for key in wave]
        assert len(members) <= 6
        assert sum(item.units for item in members) <= 12
        assert sum(item.weight for item in members) <= 8.0 + 1e-9
    assert plan.length <= plan.arrival_length


def test_an_order_bigger_than_the_limits_makes_a_wave_of_its_own():
    orders = [order("big", (1, 1.0), units=20), order("small", (1, 2.0), units=1, rank=1)]
    plan = waves.plan_waves(layout(), orders, waves.WaveLimits(max_units=5))
    assert plan.oversized == ("big",)
    assert sorted(plan.waves) == [("big",), ("small",)]


def test_each_order_goes_to_the_first_rule_that_takes_its_type():
    rules = [
        wave_rules.WaveRule(id=1, sequence=1, order_type="priority"),
        wave_rules.WaveRule(id=2, sequence=2, order_type="single_unit"),
        wave_rules.WaveRule(id=3, sequence=3, order_type="multi_line"),
        wave_rules.WaveRule(id=4, sequence=4, order_type="carrier", carrier_ids=frozenset({7})),
        wave_rules.WaveRule(id=5, sequence=5, order_type="zone", zone_path="1/7/9/"),
    ]
    select = wave_rules.WAVE_RULES.select_rule
    facts = wave_rules.OrderFacts
    assert select(rules, facts(lines=1, units=1, priority=True)).rule.id == 1
    assert select(rules, facts(lines=1, units=1)).rule.id == 2
    assert select(rules, facts(lines=2, units=2)).rule.id == 3
    assert select(rules, facts(lines=1, units=3, carrier_id=7)).rule.id == 4
    assert select(rules, facts(lines=1, units=3, location_paths=("1/7/9/12/",))).rule.id == 5
    assert select(rules, facts(lines=1, units=3, location_paths=("1/7/8/",))).rule is None


def test_release_times():
    assert wave_rules.parse_times("13:30, 08:00") == [8.0, 13.5]
    with pytest.raises(ValueError):
        wave_rules.parse_times("25:00")
    hours = [8.0, 13.5]
    now = datetime(2026, 3, 2, 14, 0)
    assert wave_rules.release_due(hours, None, now) == datetime(2026, 3, 2, 13, 30)
    assert wave_rules.release_due(hours, datetime(2026, 3, 2, 13, 31), now) is None
    assert wave_rules.release_due(hours, datetime(2026, 3, 1, 13, 31), now) == datetime(
        2026, 3, 2, 13, 30
    )
    assert wave_rules.cutoff_release_hour(16.0, 90) == 14.5
