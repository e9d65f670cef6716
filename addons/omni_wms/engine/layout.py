"""Rectangular warehouse layouts: parallel pick aisles joined by cross-aisles.

Coordinates are metres. Aisle ``i`` (1-based) runs along ``y`` at ``x = (i - 1) *
aisle_spacing``, from the front cross-aisle (``y = 0``) to the back cross-aisle
(``y = aisle_length``); optional middle cross-aisles cut every aisle at the same ``y``.
The depot, where pickers start and end, lies on the front cross-aisle at ``x = depot``.
Distances are measured along the centre lines of aisles and cross-aisles.

Limits: at most MAX_AISLES aisles and MAX_MIDDLE_CROSS_AISLES middle cross-aisles, every
length at most MAX_METRES. The exact route takes time growing steeply with the number of
cross-aisles (on a 30-aisle layout with 60 picks: 0.01 s with one middle cross-aisle,
0.1 s with two, 1 s with three, 25 s with four): up to EXACT_MIDDLE_CROSS_AISLES it is
exact, beyond that the planner searches a short route instead (see ``planner``).
"""

from dataclasses import dataclass, field
from itertools import pairwise

TOLERANCE = 1e-9
MAX_AISLES = 500
MAX_MIDDLE_CROSS_AISLES = 10
EXACT_MIDDLE_CROSS_AISLES = 2
MAX_METRES = 100_000.0
# any number the engine takes lies within this, far from what floats cannot hold
MAX_NUMBER = 1e12
# how much of a refused value a message quotes
SHOWN_LENGTH = 40


class LayoutError(ValueError):
    """A layout or a pick that cannot exist (negative length, depot outside, ...)."""


class PickError(LayoutError):
    """A pick that cannot be routed; ``key`` is the pick's key."""

    def __init__(self, key, message):
        super().__init__(f"Pick {key!r}: {message}")
        self.key = key
        self.message = message


def shown(value):
    """``value`` as Python writes it, shortened for a message."""
    text = repr(value)
    return text if len(text) <= SHOWN_LENGTH else f"{text[:SHOWN_LENGTH]}…"


def is_number(value):
    """Whether ``value`` is a number within MAX_NUMBER either way (booleans, texts, NaN,
    infinities and numbers too large for a float are not)."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and -MAX_NUMBER <= value <= MAX_NUMBER
    )


def check_metres(value, name, low=0.0, high=MAX_METRES, low_included=False):
    """``value`` as a float, between ``low`` and ``high`` metres; else LayoutError
    saying what ``name`` takes."""
    if is_number(value):
        above = low - TOLERANCE <= value if low_included else low < value
        if above and value <= high + TOLERANCE:
            return float(value)
    bounds = f"from {low:g} to {high:g}" if low_included else f"over {low:g} up to {high:g}"
    raise LayoutError(f"{name} must be a number of metres {bounds}, not {shown(value)}.")


def check_count(value, name, low, high):
    """``value`` if it is a whole number from ``low`` to ``high``; else LayoutError."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise LayoutError(
            f"{name} must be a whole number from {low} to {high}, not {shown(value)}."
        )
    return value


def check_list(value, name, what, high):
    """``value`` as a tuple if it is a list of at most ``high`` items; else LayoutError."""
    if not isinstance(value, (list, tuple)) or len(value) > high:
        raise LayoutError(f"{name} must be a list of at most {high} {what}, not {shown(value)}.")
    return tuple(value)


@dataclass(frozen=True)
class AisleLayout:
    aisles: int
    aisle_length: float
    aisle_spacing: float
    middle_cross_aisles: tuple = field(default=())
    depot: float = 0.0

    def __post_init__(self):
        check_count(self.aisles, "aisles", 1, MAX_AISLES)
        check_metres(self.aisle_length, "aisle_length")
        check_metres(self.aisle_spacing, "aisle_spacing")
        middles = check_list(
            self.middle_cross_aisles,
            "middle_cross_aisles",
            "positions in metres",
            MAX_MIDDLE_CROSS_AISLES,
        )
        middles = sorted(
            check_metres(y, "each middle_cross_aisles position", high=self.aisle_length)
            for y in middles
        )
        object.__setattr__(self, "middle_cross_aisles", tuple(middles))
        for position in self.middle_cross_aisles:
            if not 0 < position < self.aisle_length:
                raise LayoutError(
                    f"A middle cross-aisle at {position} m is not strictly inside aisles "
                    f"of {self.aisle_length} m."
                )
        if len(set(self.middle_cross_aisles)) != len(self.middle_cross_aisles):
            raise LayoutError("Two middle cross-aisles are at the same position.")
        check_metres(self.depot, "depot", high=self.width, low_included=True)

    @property
    def exact_routing(self):
        """Whether the exact route is worked out in reasonable time in this layout."""
        return len(self.middle_cross_aisles) <= EXACT_MIDDLE_CROSS_AISLES

    @property
    def width(self):
        """Length of the front cross-aisle between the first and the last aisle."""
        return (self.aisles - 1) * self.aisle_spacing

    @property
    def cross_aisles(self):
        """``y`` of every cross-aisle, front first and back last."""
        return (0.0, *self.middle_cross_aisles, float(self.aisle_length))

    @property
    def blocks(self):
        return len(self.cross_aisles) - 1

    def aisle_x(self, aisle):
        return (aisle - 1) * self.aisle_spacing

    def check_pick(self, aisle, position):
        """Raise LayoutError unless aisle ``aisle`` exists and holds ``position``."""
        if isinstance(aisle, bool) or not isinstance(aisle, int):
            raise LayoutError(f"aisle must be a whole number, not {shown(aisle)}.")
        if not 1 <= aisle <= self.aisles:
            raise LayoutError(f"Aisle {aisle} is not in this layout (1 to {self.aisles}).")
        if not is_number(position):
            raise LayoutError(f"position must be a number of metres, not {shown(position)}.")
        if not -TOLERANCE <= position <= self.aisle_length + TOLERANCE:
            raise LayoutError(
                f"Position {position} m is outside aisle {aisle}, which is "
                f"{self.aisle_length} m long."
            )

    def point(self, aisle, position):
        """Plane coordinates of a pick position."""
        return (self.aisle_x(aisle), float(position))

    @property
    def depot_point(self):
        return (float(self.depot), 0.0)

    def distance(self, first, second):
        """Walking distance between two points given as ``(x, y)``: along an aisle when
        both lie on the same one, else through the cross-aisle that is shortest."""
        (x1, y1), (x2, y2) = first, second
        if abs(x1 - x2) <= TOLERANCE:
            return abs(y1 - y2)
        return abs(x1 - x2) + min(abs(y1 - y) + abs(y2 - y) for y in self.cross_aisles)

    def tour_length(self, points):
        """Length of the walk depot → ``points`` in order → depot, shortest legs."""
        stops = [self.depot_point, *points, self.depot_point]
        return sum(self.distance(a, b) for a, b in pairwise(stops))

    def leg(self, first, second):
        """Points where the shortest walk from ``first`` to ``second`` (``(x, y)``)
        starts, turns and ends: along the aisle when both lie on the same one, else
        along the first aisle to the cross-aisle that is shortest, across, and along the
        second aisle. Its length is ``distance(first, second)``."""
        (x1, y1), (x2, y2) = first, second
        if abs(x1 - x2) <= TOLERANCE:
            return [first, second]
        cross = min(self.cross_aisles, key=lambda y: abs(y1 - y) + abs(y2 - y))
        return [first, (x1, cross), (x2, cross), second]

    def walk(self, points):
        """Points where the walk depot → ``points`` in order → depot starts and turns,
        shortest legs: what a map draws of a route. Its length is ``tour_length``."""
        stops = [self.depot_point, *points, self.depot_point]
        path = [stops[0]]
        for first, second in pairwise(stops):
            for point in self.leg(first, second)[1:]:
                if point != path[-1]:
                    path.append(point)
        return path
