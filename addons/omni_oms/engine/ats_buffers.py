"""Which safety buffer of a stock pool holds back which stock.

A buffer keeps units out of what a pool's channels may sell. It applies at one of
two levels:

- a **warehouse** (or store) buffer holds units back from that warehouse's own stock
  (units kept on a store's shelves for its walk-in customers);
- a **pool** buffer holds units back from the pool's total (a margin against
  channels selling faster than they sync).

Within a level, for a given product, the most specific buffer wins:

1. a buffer on the product itself;
2. otherwise a buffer on its category, the closest one when several ancestors of
   the category have one;
3. otherwise the buffer on the whole level (every product of the warehouse, or of
   the pool).

Both levels apply: warehouse buffers first, each on its warehouse's stock, then the
pool buffer on what the warehouses leave, incoming stock included.

Plain data in and out; no Odoo import.
"""

from dataclasses import dataclass, field

FIXED = "fixed"
PERCENT = "percent"
POOL_LEVEL = None


@dataclass(frozen=True)
class Buffer:
    """One buffer: ``value`` units (FIXED) or ``value`` % (PERCENT) of the stock."""

    kind: str
    value: float
    warehouse_id: int | None = None
    categ_id: int | None = None
    product_id: int | None = None

    @property
    def level(self):
        return self.warehouse_id or POOL_LEVEL

    @property
    def is_percent(self):
        return self.kind == PERCENT


@dataclass
class LevelRules:
    """The buffers of one level, resolved: per product, per category, default."""

    products: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    default: Buffer | None = None


def _closest_category_buffers(category_buffers, category_paths):
    """{category: buffer of its closest ancestor (itself included) that has one}."""
    resolved = {}
    for categ_id, path in category_paths.items():
        for ancestor in reversed(path):
            if ancestor in category_buffers:
                resolved[categ_id] = category_buffers[ancestor]
                break
    return resolved


def resolve_buffers(buffers, category_paths):
    """Resolve ``buffers`` into ``{level: LevelRules}``.

    ``level`` is a warehouse id, or ``POOL_LEVEL`` for the pool's own buffers.
    ``category_paths`` maps each category id to its ancestors from the root down to
    itself, e.g. ``{7: (1, 5, 7)}``; only categories listed there get a category
    buffer. Two buffers with the same scope are ambiguous: ``ValueError``.
    """
    by_scope = {}
    for buffer in buffers:
        if buffer.kind not in (FIXED, PERCENT):
            raise ValueError(f"unknown buffer kind {buffer.kind!r}")
        if buffer.categ_id and buffer.product_id:
            raise ValueError("a buffer applies to a product or to a category, not both")
        scope = (buffer.level, buffer.categ_id, buffer.product_id)
        if scope in by_scope:
            raise ValueError(f"two buffers share the scope {scope}")
        by_scope[scope] = buffer

    levels = {}
    category_buffers = {}
    for (level, categ_id, product_id), buffer in by_scope.items():
        rules = levels.setdefault(level, LevelRules())
        if product_id:
            rules.products[product_id] = buffer
        elif categ_id:
            category_buffers.setdefault(level, {})[categ_id] = buffer
        else:
            rules.default = buffer
    for level, buffers_of_level in category_buffers.items():
        levels[level].categories = _closest_category_buffers(buffers_of_level, category_paths)
    return levels
