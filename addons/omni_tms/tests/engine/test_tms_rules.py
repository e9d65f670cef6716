"""Carrier rule matching: each condition (the rule base's shared ones and the carrier
rule's own), first match by sequence, the trace."""

import pytest
from omni_cli.engines import load_engine

engine = load_engine("omni_tms")
Facts, Rule = engine.ShipmentFacts, engine.RuleSpec

PARIS = Facts(
    weight=2.0,
    parcel_weight=2.0,
    length=40.0,
    package_type_ids=frozenset({7}),
    country_id=75,
    zone_ids=frozenset({1}),
    zip="75011",
    service_level="standard",
    channel_id=3,
    amount=120.0,
    promised_days=2.0,
)


def fails(rule, facts=PARIS):
    return engine.failed_conditions(rule, facts)


def test_a_rule_without_conditions_matches_anything():
    assert fails(Rule(id=1)) == ()
    assert fails(Rule(id=1), Facts(weight=0.0)) == ()


@pytest.mark.parametrize(
    "rule, ok",
    [
        (Rule(id=1, max_weight=2.0), True),
        (Rule(id=1, max_weight=1.99), False),
        (Rule(id=1, min_weight=2.0), True),
        (Rule(id=1, min_weight=2.5), False),
    ],
)
def test_weight(rule, ok):
    assert (fails(rule) == ()) is ok
    assert ok or fails(rule) == ("weight",)


def test_dimensions_need_a_known_length():
    assert fails(Rule(id=1, max_length=40.0)) == ()
    assert fails(Rule(id=1, max_length=39.0)) == ("dimensions",)
    assert fails(Rule(id=1, max_length=60.0), Facts(weight=1.0)) == ("dimensions",)


def test_package_types_all_used_types_must_be_allowed():
    assert fails(Rule(id=1, package_type_ids=frozenset({7, 8}))) == ()
    assert fails(Rule(id=1, package_type_ids=frozenset({8}))) == ("package_type",)
    mixed = Facts(weight=1.0, package_type_ids=frozenset({7, 9}))
    assert fails(Rule(id=1, package_type_ids=frozenset({7})), mixed) == ("package_type",)
    assert fails(Rule(id=1, package_type_ids=frozenset({7})), Facts(weight=1.0)) == (
        "package_type",
    )


def test_destination_countries_zones_and_zip_prefixes():
    assert fails(Rule(id=1, country_ids=frozenset({75, 32}))) == ()
    assert fails(Rule(id=1, country_ids=frozenset({32}))) == ("destination",)
    assert fails(Rule(id=1, zone_ids=frozenset({1, 2}))) == ()
    assert fails(Rule(id=1, zone_ids=frozenset({2}))) == ("zone",)
    assert fails(Rule(id=1, zip_prefixes=("75", "92"))) == ()
    assert fails(Rule(id=1, zip_prefixes=("69",))) == ("destination",)
    assert fails(Rule(id=1, zip_prefixes=("75011$",))) == ()
    assert fails(Rule(id=1, zip_prefixes=("7501$",))) == ("destination",)


def test_service_level_channel_amount_and_promised_lead_time():
    assert fails(Rule(id=1, service_levels=frozenset({"standard", "relay"}))) == ()
    assert fails(Rule(id=1, service_levels=frozenset({"express"}))) == ("service_level",)
    assert fails(Rule(id=1, channel_ids=frozenset({3}))) == ()
    assert fails(Rule(id=1, channel_ids=frozenset({4}))) == ("channel",)
    assert fails(Rule(id=1, amount_min=100.0, amount_max=120.0)) == ()
    assert fails(Rule(id=1, amount_min=150.0)) == ("amount",)
    assert fails(Rule(id=1, amount_max=99.0)) == ("amount",)
    assert fails(Rule(id=1, max_promised_days=2.0)) == ()
    assert fails(Rule(id=1, max_promised_days=1.0)) == ("lead_time",)
    assert fails(Rule(id=1, min_promised_days=3.0)) == ("lead_time",)
    no_promise = Facts(weight=1.0)
    assert fails(Rule(id=1, max_promised_days=5.0), no_promise) == ("lead_time",)


def test_all_failed_conditions_are_reported_in_order():
    rule = Rule(id=1, max_weight=1.0, country_ids=frozenset({32}), channel_ids=frozenset({9}))
    assert fails(rule) == ("channel", "destination", "weight")


def test_first_rule_by_sequence_then_id_wins_and_the_others_are_traced():
    rules = [
        Rule(id=5, sequence=20),
        Rule(id=4, sequence=10, country_ids=frozenset({32})),
        Rule(id=3, sequence=20, max_weight=1.0),
    ]
    match = engine.select_rule(rules, PARIS)
    assert match.rule.id == 5
    assert match.rejected == ((4, ("destination",)), (3, ("weight",)))


def test_no_rule_matches():
    match = engine.select_rule([Rule(id=1, country_ids=frozenset({32}))], PARIS)
    assert match.rule is None
    assert match.rejected == ((1, ("destination",)),)
    assert engine.select_rule([], PARIS).rule is None
