"""Grading returned units: checking what is graded against what was received, and
planning the stock moves that take each grade to its destination.

Every received unit of a line is graded once, all at the same time: a line graded
already, or graded for more or fewer units than were received, is refused. Units of
products tracked by lots keep their lots: the lots received are handed out to the
grades in the order given.
"""

from dataclasses import dataclass

EPSILON = 1e-6

NOT_RECEIVED = "not_received"
ALREADY_GRADED = "already_graded"
WRONG_TOTAL = "wrong_total"
NEGATIVE = "negative"


@dataclass(frozen=True)
class Grading:
    """``quantity`` units of the line ``line`` given the grade ``grade``."""

    line: object
    grade: object
    quantity: float


@dataclass(frozen=True)
class PlannedMove:
    """``quantity`` units of ``line`` of lot ``lot`` (None: not tracked) to move for
    ``grade``."""

    line: object
    grade: object
    lot: object
    quantity: float


class GradingError(ValueError):
    """``code`` for ``line``, with the figures to say it with."""

    def __init__(self, code, line, **details):
        super().__init__(code)
        self.code = code
        self.line = line
        self.details = details


def check(gradings, received, graded):
    """Raise GradingError unless ``gradings`` grade every unit received of each line
    they name exactly once. ``received``: {line: units received}; ``graded``: the
    lines graded already."""
    totals = {}
    for grading in gradings:
        if grading.quantity < -EPSILON:
            raise GradingError(NEGATIVE, grading.line, quantity=grading.quantity)
        totals[grading.line] = totals.get(grading.line, 0.0) + grading.quantity
    for line, total in totals.items():
        if line in graded:
            raise GradingError(ALREADY_GRADED, line)
        units = received.get(line, 0.0)
        if units <= EPSILON:
            raise GradingError(NOT_RECEIVED, line)
        if abs(total - units) > EPSILON:
            raise GradingError(WRONG_TOTAL, line, graded=total, received=units)


def plan(gradings, lots):
    """The moves of ``gradings`` (checked): ``lots`` gives, per line, the
    [(lot, quantity)] received, in the order they are handed out (a line missing
    from it is not tracked). Gradings of no unit plan nothing."""
    left = {line: [list(pair) for pair in pairs] for line, pairs in lots.items()}
    moves = []
    for grading in gradings:
        if grading.quantity <= EPSILON:
            continue
        if grading.line not in left:
            moves.append(PlannedMove(grading.line, grading.grade, None, grading.quantity))
            continue
        wanted = grading.quantity
        for pair in left[grading.line]:
            if wanted <= EPSILON:
                break
            taken = min(pair[1], wanted)
            if taken <= EPSILON:
                continue
            pair[1] -= taken
            wanted -= taken
            moves.append(PlannedMove(grading.line, grading.grade, pair[0], taken))
    return moves
