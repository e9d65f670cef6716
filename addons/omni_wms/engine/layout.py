"""Rectangular warehouse layouts: parallel pick aisles joined by cross-aisles.

Coordinates are metres. Aisle ``i`` (1-based) runs along ``y`` at ``x = (i - 1) *
aisle_spacing``, from the front cross-aisle (``y = 0``) to the back cross-aisle
(``y = aisle_length``); optional middle cross-aisles cut every aisle at the same ``y``.
The depot, where pickers start and end, lies on the front cross-aisle at ``x = depot``.
Distances are measured along the centre lines of aisles and cross-aisles.
"""

from dataclasses import dataclass, field
from itertools import pairwise

TOLERANCE = 1e-9


class LayoutError(ValueError):
    """A layout or a pick that cannot exist (negative length, depot outside, ...)."""


@dataclass(frozen=True)
class AisleLayout:
    aisles: int
    aisle_length: float
    aisle_spacing: float
    middle_cross_aisles: tuple = field(default=())
    depot: float = 0.0

    def __post_init__(self):
        object.__setattr__(
            self, "middle_cross_aisles", tuple(sorted(float(y) for y in self.middle_cross_aisles))
        )
        if not isinstance(self.aisles, int) or self.aisles < 1:
            raise LayoutError(f"A layout needs at least one aisle, not {self.aisles!r}.")
        if not self.aisle_length > 0:
            raise LayoutError(f"The aisle length must be positive, not {self.aisle_length!r}.")
        if not self.aisle_spacing > 0:
            raise LayoutError(f"The aisle spacing must be positive, not {self.aisle_spacing!r}.")
        for position in self.middle_cross_aisles:
            if not 0 < position < self.aisle_length:
                raise LayoutError(
                    f"A middle cross-aisle at {position} m is not strictly inside aisles "
                    f"of {self.aisle_length} m."
                )
        if len(set(self.middle_cross_aisles)) != len(self.middle_cross_aisles):
            raise LayoutError("Two middle cross-aisles are at the same position.")
        if not -TOLERANCE <= self.depot <= self.width + TOLERANCE:
            raise LayoutError(
                f"The depot at {self.depot} m is outside the front cross-aisle, which runs "
                f"from 0 to {self.width} m."
            )

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
        if not isinstance(aisle, int) or not 1 <= aisle <= self.aisles:
            raise LayoutError(f"Aisle {aisle!r} is not in this layout (1 to {self.aisles}).")
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
