"""When and how long to wait before trying a carrier call again."""

import time
from dataclasses import dataclass, field

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """``retries`` more attempts after the first, waiting ``backoff * factor**n``.

    A ``Retry-After`` header (seconds) given with a 429 or 503 is honoured, up to
    ``max_backoff``.
    """

    retries: int = 2
    backoff: float = 0.5
    factor: float = 2.0
    max_backoff: float = 8.0
    statuses: frozenset = field(default=RETRY_STATUSES)

    def delay(self, attempt, retry_after=None):
        """Seconds to wait before attempt ``attempt + 1`` (``attempt`` counts from 0)."""
        if retry_after is not None:
            return max(0.0, min(float(retry_after), self.max_backoff))
        return min(self.backoff * self.factor**attempt, self.max_backoff)


NO_RETRY = RetryPolicy(retries=0)


def parse_retry_after(value):
    """Seconds from a ``Retry-After`` header given in seconds, else None."""
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def remaining(deadline):
    """Seconds left until ``deadline`` (a ``time.monotonic()`` value), or None."""
    return None if deadline is None else deadline - time.monotonic()
