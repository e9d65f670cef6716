"""Errors a carrier call ends with, in terms the Odoo layer can act on."""


class CarrierError(Exception):
    """A carrier refused or failed a request.

    ``code`` is the carrier's own error code when it gave one; ``retryable`` says
    whether trying again later can succeed without changing anything (rate limits,
    outages, timeouts); ``outcome_unknown`` says the carrier may have carried out the
    request although no answer came back (so a retry must look it up first).
    """

    def __init__(self, message, *, code=None, status=None, retryable=False, outcome_unknown=False):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.retryable = retryable
        self.outcome_unknown = outcome_unknown

    def __str__(self):
        return f"[{self.code}] {self.message}" if self.code else self.message


class CarrierTimeout(CarrierError):
    """No answer within the time allowed."""

    def __init__(self, message, *, outcome_unknown=True, **kwargs):
        kwargs.setdefault("retryable", True)
        super().__init__(message, outcome_unknown=outcome_unknown, **kwargs)


class CarrierUnavailable(CarrierError):
    """The carrier could not be reached or kept failing (5xx, 429) after retries."""

    def __init__(self, message, **kwargs):
        kwargs.setdefault("retryable", True)
        super().__init__(message, **kwargs)


class CarrierUnreadable(CarrierError):
    """An answer that cannot be read (empty, cut, not the carrier's format): the carrier
    may have carried out the request, so a creation is looked up before it is sent again."""

    def __init__(self, message, *, code="UNREADABLE", **kwargs):
        kwargs.setdefault("retryable", True)
        kwargs.setdefault("outcome_unknown", True)
        super().__init__(message, code=code, **kwargs)
