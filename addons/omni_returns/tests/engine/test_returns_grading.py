"""Grading returned units."""

import pytest
from omni_cli.engines import load_engine

grading = load_engine("omni_returns").grading

A, D = "A", "D"


def test_every_unit_received_is_graded_once():
    gradings = [grading.Grading(1, A, 2.0), grading.Grading(1, D, 1.0), grading.Grading(2, A, 1.0)]
    grading.check(gradings, {1: 3.0, 2: 1.0}, graded=set())


@pytest.mark.parametrize(
    ("gradings", "received", "graded", "code"),
    [
        ([grading.Grading(1, A, 1.0)], {1: 1.0}, {1}, grading.ALREADY_GRADED),
        ([grading.Grading(1, A, 1.0)], {}, set(), grading.NOT_RECEIVED),
        ([grading.Grading(1, A, 2.0)], {1: 3.0}, set(), grading.WRONG_TOTAL),
        ([grading.Grading(1, A, 4.0)], {1: 3.0}, set(), grading.WRONG_TOTAL),
        ([grading.Grading(1, A, -1.0)], {1: 3.0}, set(), grading.NEGATIVE),
    ],
)
def test_refused_gradings(gradings, received, graded, code):
    with pytest.raises(grading.GradingError) as caught:
        grading.check(gradings, received, graded)
    assert caught.value.code == code and caught.value.line == 1


def test_wrong_total_says_both_figures():
    with pytest.raises(grading.GradingError) as caught:
        grading.check([grading.Grading(1, A, 2.0)], {1: 3.0}, set())
    assert caught.value.details == {"graded": 2.0, "received": 3.0}


def test_untracked_units_move_by_grade():
    gradings = [grading.Grading(1, A, 2.0), grading.Grading(1, D, 1.0), grading.Grading(2, D, 0.0)]
    assert grading.plan(gradings, {}) == [
        grading.PlannedMove(1, A, None, 2.0),
        grading.PlannedMove(1, D, None, 1.0),
    ]


def test_lots_are_handed_out_in_order():
    gradings = [grading.Grading(1, A, 2.0), grading.Grading(1, D, 2.0)]
    lots = {1: [("LOT1", 1.0), ("LOT2", 3.0)]}
    assert grading.plan(gradings, lots) == [
        grading.PlannedMove(1, A, "LOT1", 1.0),
        grading.PlannedMove(1, A, "LOT2", 1.0),
        grading.PlannedMove(1, D, "LOT2", 2.0),
    ]
