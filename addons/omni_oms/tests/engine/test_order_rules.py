"""Which orders a routing rule takes: the shared conditions of the rule base and the
routing rule's own (kind of customer, product categories, order tags)."""

from omni_cli.engines import load_engine

order_rules = load_engine("omni_oms").order_rules


def failed(rule, facts):
    return order_rules.failed_conditions(rule, facts)


def test_a_rule_without_conditions_takes_every_order():
    assert failed(order_rules.OrderRule(1), order_rules.OrderFacts()) == ()


def test_rules_taking_an_order_come_in_the_order_they_are_tried():
    rules = [
        order_rules.OrderRule(3, sequence=5),
        order_rules.OrderRule(2, sequence=1, customer_type="b2b"),
        order_rules.OrderRule(1, sequence=5, customer_type="b2c"),
    ]
    person = order_rules.OrderFacts()
    assert [rule.id for rule in order_rules.matching_rules(rules, person)] == [1, 3]


def test_kind_of_customer():
    company, person = order_rules.OrderFacts(is_company=True), order_rules.OrderFacts()
    b2b = order_rules.OrderRule(1, customer_type="b2b")
    b2c = order_rules.OrderRule(2, customer_type="b2c")
    assert failed(b2b, company) == () and failed(b2b, person) == ("customer_type",)
    assert failed(b2c, person) == () and failed(b2c, company) == ("customer_type",)


def test_categories_include_the_ones_above_the_products():
    shoes = order_rules.OrderRule(1, categ_ids=frozenset({7}))
    boots_under_shoes = order_rules.OrderFacts(categ_ids=frozenset({1, 7, 9}))
    lamps = order_rules.OrderFacts(categ_ids=frozenset({1, 4}))
    assert failed(shoes, boots_under_shoes) == ()
    assert failed(shoes, lamps) == ("categories",)


def test_tags_and_shared_conditions_together():
    rule = order_rules.OrderRule(
        1,
        channel_ids=frozenset({3}),
        zip_prefixes=("75",),
        amount_max=100.0,
        tag_ids=frozenset({8}),
    )
    assert failed(rule, order_rules.OrderFacts(channel_id=3, zip="75011", amount=80.0)) == ("tags",)
    assert (
        failed(
            rule,
            order_rules.OrderFacts(
                channel_id=3, zip="75011", amount=80.0, tag_ids=frozenset({8, 9})
            ),
        )
        == ()
    )
    assert failed(rule, order_rules.OrderFacts(channel_id=4, zip="92100", amount=120.0)) == (
        "channel",
        "destination",
        "amount",
        "tags",
    )
