"""Where a return is received: the warehouse that shipped it, the nearest warehouse or
store to the customer, the one receiving the product categories returned, or a given
one. A return dropped off at a store is received there, whatever the policy."""

from dataclasses import dataclass, field

from odoo.addons.omni_oms.engine import routing

from .policy import RECEIVE_CATEGORY, RECEIVE_FIXED, RECEIVE_NEAREST, RECEIVE_ORIGINAL


@dataclass(frozen=True)
class Site:
    """A warehouse or store that may receive returns (coordinates may be unknown)."""

    id: int
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class CategoryRoute:
    """Returns of products of ``categ_id`` (or below it) go to ``site_id``."""

    categ_id: int
    site_id: int
    sequence: int = 10


@dataclass(frozen=True)
class ReturnedLine:
    """``categ_ids``: the product's category and those above it; ``value``: what the
    line returns is worth, which decides between categories going to different sites."""

    categ_ids: frozenset = field(default_factory=frozenset)
    value: float = 0.0


@dataclass(frozen=True)
class Receiving:
    """The site receiving the return and why: ``reason`` is the mode that decided, or
    ``"fallback"`` when the mode could not (no coordinates, no category route)."""

    site_id: int | None
    reason: str


def nearest(sites, customer):
    """The site nearest to ``customer`` (latitude, longitude), None when no site or the
    customer has no coordinates; ties go to the first site."""
    if not customer or customer[0] is None or customer[1] is None:
        return None
    located = [site for site in sites if site.latitude is not None and site.longitude is not None]
    if not located:
        return None
    return min(
        located,
        key=lambda site: routing.haversine_km(
            customer[0], customer[1], site.latitude, site.longitude
        ),
    ).id


def by_category(routes, lines):
    """The site whose category routes cover the largest value of ``lines`` (ties: the
    route tried first, by sequence); None when no route covers any line."""
    ordered = sorted(routes, key=lambda route: (route.sequence, route.categ_id))
    covered = {}
    rank = {}
    for line in lines:
        route = next((route for route in ordered if route.categ_id in line.categ_ids), None)
        if route:
            covered[route.site_id] = covered.get(route.site_id, 0.0) + line.value
            rank.setdefault(route.site_id, ordered.index(route))
    if not covered:
        return None
    return min(covered, key=lambda site_id: (-covered[site_id], rank[site_id]))


def choose(
    mode,
    *,
    original=None,
    fixed=None,
    sites=(),
    customer=None,
    routes=(),
    lines=(),
    drop_off=None,
):
    """The Receiving of a return by ``mode`` (see policy.RECEIVE_*): ``original`` is the
    site that shipped the goods, ``fixed`` the policy's site, also the fallback of the
    other modes before ``original``; ``drop_off`` a store the customer brings the goods
    to, which always receives them."""
    if drop_off:
        return Receiving(drop_off, "drop_off")
    if mode == RECEIVE_FIXED and fixed:
        return Receiving(fixed, RECEIVE_FIXED)
    if mode == RECEIVE_NEAREST:
        site = nearest(sites, customer)
        if site:
            return Receiving(site, RECEIVE_NEAREST)
    if mode == RECEIVE_CATEGORY:
        site = by_category(routes, lines)
        if site:
            return Receiving(site, RECEIVE_CATEGORY)
    if mode == RECEIVE_ORIGINAL and original:
        return Receiving(original, RECEIVE_ORIGINAL)
    return Receiving(fixed or original, "fallback")
