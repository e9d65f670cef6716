"""Rate shopping policies: cheapest within a lead time, fastest within a budget."""

import pytest
from omni_cli.engines import load_engine

engine = load_engine("omni_tms")
Quote = engine.Quote

ECO = Quote(carrier_id=1, price=5.0, lead_time_days=5, sequence=1)
STD = Quote(carrier_id=2, price=7.5, lead_time_days=2, sequence=2)
EXPRESS = Quote(carrier_id=3, price=14.0, lead_time_days=1, sequence=3)
ALL = (ECO, STD, EXPRESS)


def test_cheapest_within_the_promised_lead_time():
    choice = engine.choose_quote(ALL, engine.POLICY_CHEAPEST, max_lead_time=2)
    assert choice.quote == STD
    assert choice.reason == "cheapest_within_lead_time"
    assert set(choice.eligible) == {STD, EXPRESS}
    assert engine.choose_quote(ALL, engine.POLICY_CHEAPEST).quote == ECO


def test_cheapest_falls_back_to_the_fastest_when_none_meets_the_lead_time():
    choice = engine.choose_quote((ECO, STD), engine.POLICY_CHEAPEST, max_lead_time=1)
    assert choice.quote == STD
    assert choice.reason == "none_within_lead_time"


def test_fastest_within_the_budget():
    choice = engine.choose_quote(ALL, engine.POLICY_FASTEST, budget=10.0)
    assert choice.quote == STD
    assert choice.reason == "fastest_within_budget"
    assert engine.choose_quote(ALL, engine.POLICY_FASTEST).quote == EXPRESS


def test_fastest_falls_back_to_the_cheapest_when_none_fits_the_budget():
    choice = engine.choose_quote(ALL, engine.POLICY_FASTEST, budget=4.0)
    assert choice.quote == ECO
    assert choice.reason == "none_within_budget"


def test_ties_are_broken_by_lead_time_then_sequence():
    same_price_slower = Quote(carrier_id=9, price=7.5, lead_time_days=3, sequence=0)
    assert engine.choose_quote((same_price_slower, STD), engine.POLICY_CHEAPEST).quote == STD
    twin = Quote(carrier_id=8, price=7.5, lead_time_days=2, sequence=5)
    assert engine.choose_quote((twin, STD), engine.POLICY_CHEAPEST).quote == STD
    assert engine.choose_quote((twin, STD), engine.POLICY_FASTEST).quote == STD


def test_no_quote_no_choice_and_unknown_policies_are_refused():
    assert engine.choose_quote((), engine.POLICY_CHEAPEST) is None
    with pytest.raises(ValueError):
        engine.choose_quote(ALL, "random")
