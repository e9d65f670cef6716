"""The rule base shared by routing and carrier rules: shared conditions, rule order."""

from dataclasses import dataclass, field

from omni_cli.engines import load_engine

rules = load_engine("omni_base").rules


@dataclass(frozen=True)
class Rule:
    id: int
    sequence: int = 10
    channel_ids: frozenset = field(default_factory=frozenset)
    country_ids: frozenset = field(default_factory=frozenset)
    zip_prefixes: tuple = ()
    amount_min: float = 0.0
    amount_max: float = 0.0
    weekday: int | None = None


@dataclass(frozen=True)
class Facts:
    channel_id: int | None = None
    country_id: int | None = None
    zip: str = ""
    amount: float = 0.0
    weekday: int = 0


FRANCE, ITALY = 1, 2


def test_zip_prefixes_are_read_without_spaces_in_capitals():
    assert rules.parse_zip_prefixes(" 75, 92 ,, sw1a ") == ("75", "92", "SW1A")
    assert rules.parse_zip_prefixes(False) == ()


def test_zip_prefixes_match_the_start_or_with_dollar_the_whole_zip():
    assert rules.zip_matches((), "")
    assert rules.zip_matches(("75",), "75011")
    assert rules.zip_matches(("SW1A",), "sw1a 1aa")
    assert not rules.zip_matches(("75",), "92100")
    assert not rules.zip_matches(("75",), "")
    assert rules.zip_matches(("75001$",), "75001")
    assert not rules.zip_matches(("75001$",), "750012")


def test_empty_conditions_do_not_restrict():
    assert rules.failed_conditions(Rule(1), Facts(), rules.CONDITIONS) == ()


def test_each_shared_condition_names_itself_when_it_fails():
    rule = Rule(
        1,
        channel_ids=frozenset({5}),
        country_ids=frozenset({FRANCE}),
        zip_prefixes=("75",),
        amount_min=10.0,
        amount_max=100.0,
    )
    assert rules.failed_conditions(rule, Facts(5, FRANCE, "75011", 50.0), rules.CONDITIONS) == ()
    assert rules.failed_conditions(rule, Facts(6, ITALY, "75011", 500.0), rules.CONDITIONS) == (
        "channel",
        "destination",
        "amount",
    )
    assert rules.failed_conditions(rule, Facts(5, FRANCE, "92100", 9.99), rules.CONDITIONS) == (
        "destination",
        "amount",
    )
    assert rules.failed_conditions(rule, Facts(5, FRANCE, "75011", 100.0), rules.CONDITIONS) == ()


def test_rules_are_tried_by_sequence_then_id_with_a_domain_s_own_conditions():
    weekday = ("weekday", lambda rule, facts: rule.weekday in (None, facts.weekday))
    weekday_rules = rules.RuleSet(weekday)
    monday_only = Rule(3, sequence=1, weekday=0)
    france = Rule(2, sequence=5, country_ids=frozenset({FRANCE}))
    fallback = Rule(1, sequence=5)
    candidates = [fallback, france, monday_only]

    tuesday_in_italy = Facts(country_id=ITALY, weekday=1)
    match = weekday_rules.select_rule(candidates, tuesday_in_italy)
    assert match.rule == fallback  # (5, 1) comes before france (5, 2)
    assert match.rejected == ((3, ("weekday",)),)
    assert weekday_rules.failed_conditions(monday_only, tuesday_in_italy) == ("weekday",)

    monday = Facts(country_id=FRANCE, weekday=0)
    assert weekday_rules.select_rule(candidates, monday).rule == monday_only
    assert weekday_rules.matching_rules(candidates, monday) == [monday_only, fallback, france]
    tuesday = Facts(country_id=FRANCE, weekday=1)
    match = weekday_rules.select_rule([monday_only, france], tuesday)
    assert match.rule == france
    assert match.rejected == ((3, ("weekday",)),)
    assert weekday_rules.select_rule([monday_only], tuesday).rule is None
