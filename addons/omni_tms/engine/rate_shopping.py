"""Pick one quote among the carriers' answers, by the rule's policy."""

from dataclasses import dataclass

POLICY_CHEAPEST = "cheapest"
POLICY_FASTEST = "fastest"


@dataclass(frozen=True)
class Quote:
    """A carrier's answer: price and lead time in days; ``sequence`` breaks ties."""

    carrier_id: int
    price: float
    lead_time_days: float
    sequence: int = 0


@dataclass(frozen=True)
class Choice:
    """The quote chosen, why (a reason code), and the quotes that met the limit."""

    quote: Quote
    reason: str
    eligible: tuple


def _cheapest_key(quote):
    return (quote.price, quote.lead_time_days, quote.sequence, quote.carrier_id)


def _fastest_key(quote):
    return (quote.lead_time_days, quote.price, quote.sequence, quote.carrier_id)


def choose_quote(quotes, policy, max_lead_time=None, budget=None):
    """The best quote for ``policy``, or None when there is no quote at all.

    - ``cheapest``: the cheapest quote delivering within ``max_lead_time`` days (any
      lead time when None); if none does, the fastest quote, so the order still ships.
    - ``fastest``: the fastest quote costing at most ``budget`` (any price when None);
      if none fits the budget, the cheapest quote.
    """
    quotes = tuple(quotes)
    if not quotes:
        return None
    if policy == POLICY_CHEAPEST:
        eligible = tuple(
            q for q in quotes if max_lead_time is None or q.lead_time_days <= max_lead_time
        )
        if eligible:
            return Choice(min(eligible, key=_cheapest_key), "cheapest_within_lead_time", eligible)
        return Choice(min(quotes, key=_fastest_key), "none_within_lead_time", ())
    if policy == POLICY_FASTEST:
        eligible = tuple(q for q in quotes if budget is None or q.price <= budget)
        if eligible:
            return Choice(min(eligible, key=_fastest_key), "fastest_within_budget", eligible)
        return Choice(min(quotes, key=_cheapest_key), "none_within_budget", ())
    raise ValueError(f"Unknown rate shopping policy {policy!r}")
