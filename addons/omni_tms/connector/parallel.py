"""Run carrier calls side by side, each with its own time limit."""

import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from .errors import CarrierError, CarrierTimeout


@dataclass
class CallOutcome:
    """What one call gave: ``value``, or ``error`` (a CarrierError), and its duration."""

    value: object = None
    error: CarrierError | None = None
    elapsed: float = 0.0

    @property
    def ok(self):
        return self.error is None


def _timed(function, deadline):
    started = time.monotonic()
    try:
        return CallOutcome(value=function(deadline=deadline), elapsed=time.monotonic() - started)
    except CarrierError as error:
        return CallOutcome(error=error, elapsed=time.monotonic() - started)
    except Exception as error:  # noqa: BLE001 - a broken connector must not stop the others
        return CallOutcome(
            error=CarrierError(f"{type(error).__name__}: {error}"),
            elapsed=time.monotonic() - started,
        )


class ParallelCalls:
    """Start ``calls`` ({key: (function, timeout seconds)}) in threads at once.

    Each function is called with ``deadline=`` (a ``time.monotonic()`` value) so its
    own retries stop in time. :meth:`results` waits for each call until its deadline
    and reports a call still running then as timed out; its thread is abandoned (it
    ends by itself, its HTTP timeouts being bounded by the same deadline). Use it as a
    context manager, doing other work in between::

        with ParallelCalls(calls) as pending:
            ...  # e.g. quote other carriers in this thread
            outcomes = pending.results()
    """

    def __init__(self, calls, max_workers=None):
        self.calls = dict(calls)
        self.max_workers = max_workers or max(1, len(self.calls))
        self.started = None
        self.futures = {}
        self.deadlines = {}
        self._executor = None

    def __enter__(self):
        self.started = time.monotonic()
        if self.calls:
            self._executor = ThreadPoolExecutor(
                max_workers=self.max_workers, thread_name_prefix="omni-carrier"
            )
        for key, (function, timeout) in self.calls.items():
            deadline = self.started + timeout
            self.deadlines[key] = deadline
            self.futures[key] = self._executor.submit(_timed, function, deadline)
        return self

    def __exit__(self, *exc_info):
        if self._executor:
            self._executor.shutdown(wait=False, cancel_futures=True)
        return False

    def results(self):
        outcomes = {}
        for key in sorted(self.futures, key=self.deadlines.get):
            wait = max(0.0, self.deadlines[key] - time.monotonic())
            try:
                outcomes[key] = self.futures[key].result(timeout=wait)
            except FutureTimeout:
                timeout = self.calls[key][1]
                outcomes[key] = CallOutcome(
                    error=CarrierTimeout(f"No answer within {timeout:g} s."),
                    elapsed=time.monotonic() - self.started,
                )
        return {key: outcomes[key] for key in self.calls}


def run_call(function, timeout=None):
    """The outcome of ``function(deadline=...)`` run here, within ``timeout`` seconds."""
    deadline = None if timeout is None else time.monotonic() + timeout
    return _timed(function, deadline)


def run_parallel(calls, max_workers=None):
    """Outcomes of ``calls`` ({key: (function, timeout)}) run side by side."""
    with ParallelCalls(calls, max_workers) as pending:
        return pending.results()
