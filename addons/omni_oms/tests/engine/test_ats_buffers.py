"""Which safety buffer applies where: the precedence rules of omni_oms' engine."""

import pytest
from omni_cli.engines import load_engine

ats = load_engine("omni_oms").ats_buffers
Buffer = ats.Buffer

# categories: 1 Goods > 2 Shoes > 3 Boots; 4 Home
PATHS = {1: (1,), 2: (1, 2), 3: (1, 2, 3), 4: (4,)}


def test_levels_are_the_pool_and_each_warehouse():
    rules = ats.resolve_buffers(
        [Buffer(ats.FIXED, 2), Buffer(ats.PERCENT, 10, warehouse_id=7)], PATHS
    )
    assert set(rules) == {ats.POOL_LEVEL, 7}
    assert rules[ats.POOL_LEVEL].default == Buffer(ats.FIXED, 2)
    assert rules[7].default.is_percent


def test_closest_category_wins_over_its_ancestors():
    shoes = Buffer(ats.FIXED, 5, categ_id=2)
    goods = Buffer(ats.FIXED, 9, categ_id=1)
    rules = ats.resolve_buffers([goods, shoes], PATHS)[ats.POOL_LEVEL]
    assert rules.categories == {1: goods, 2: shoes, 3: shoes}
    assert rules.default is None, "category 4 falls back on no buffer"


def test_product_buffer_is_kept_apart_from_categories():
    product = Buffer(ats.FIXED, 0, product_id=42)
    category = Buffer(ats.PERCENT, 20, categ_id=3)
    rules = ats.resolve_buffers([product, category], PATHS)[ats.POOL_LEVEL]
    assert rules.products == {42: product}
    assert rules.categories == {3: category}


def test_levels_do_not_mix():
    store = Buffer(ats.FIXED, 1, warehouse_id=7, categ_id=2)
    pool = Buffer(ats.FIXED, 3, categ_id=1)
    rules = ats.resolve_buffers([store, pool], PATHS)
    assert rules[7].categories == {2: store, 3: store}
    assert rules[ats.POOL_LEVEL].categories == {1: pool, 2: pool, 3: pool}


@pytest.mark.parametrize(
    "buffers, message",
    [
        ([Buffer(ats.FIXED, 1), Buffer(ats.PERCENT, 5)], "share the scope"),
        ([Buffer(ats.FIXED, 1, categ_id=2, product_id=9)], "not both"),
        ([Buffer("weekly", 1)], "unknown buffer kind"),
    ],
)
def test_ambiguous_buffers_are_refused(buffers, message):
    with pytest.raises(ValueError, match=message):
        ats.resolve_buffers(buffers, PATHS)
