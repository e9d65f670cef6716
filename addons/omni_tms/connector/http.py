"""HTTP calls to carriers: timeouts, retries with backoff, redacted exchange logs."""

import json as jsonlib
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests

from .errors import CarrierError, CarrierTimeout, CarrierUnavailable, CarrierUnreadable
from .redaction import Redactor
from .retry import RetryPolicy, parse_retry_after, remaining

_logger = logging.getLogger(__name__)
LOG_BODY_LIMIT = 4000


@dataclass
class HttpResponse:
    status: int
    headers: dict
    content: bytes
    elapsed: float
    url: str = ""

    @property
    def text(self):
        return self.content.decode("utf-8", errors="replace")

    @property
    def ok(self):
        return 200 <= self.status < 300

    def json(self):
        """The JSON of the body; an empty or broken body is unreadable (the carrier may
        have carried out the request)."""
        try:
            return jsonlib.loads(self.content)
        except (ValueError, RecursionError) as error:
            raise CarrierUnreadable(
                f"The carrier answered HTTP {self.status} with a body that is not JSON: "
                "it may have carried out the request.",
                status=self.status,
            ) from error


@dataclass
class Exchange:
    """One attempt, as logged: nothing in it may hold a secret."""

    method: str
    url: str
    request_headers: dict
    request_body: str
    status: int | None = None
    response_body: str = ""
    elapsed_ms: int = 0
    error: str = ""

    def as_text(self):
        lines = [f"{self.method} {self.url} -> {self.status or self.error} ({self.elapsed_ms} ms)"]
        if self.request_headers:
            lines.append(
                "Request headers: "
                + ", ".join(f"{key}: {value}" for key, value in self.request_headers.items())
            )
        if self.request_body:
            lines.append(f"Request: {self.request_body}")
        if self.response_body:
            lines.append(f"Response: {self.response_body}")
        return "\n".join(lines)


@dataclass
class HttpClient:
    """Calls one carrier API.

    Every attempt has a timeout (``connect_timeout``, ``timeout``), bounded by the
    ``deadline`` given to :meth:`request` when there is one. Connection errors,
    timeouts and the retry statuses (5xx, 429) are retried with exponential backoff;
    other answers are returned for the connector to interpret. Exchanges are logged
    (and kept in ``exchanges``) with ``redactor`` applied.
    """

    base_url: str = ""
    timeout: float = 10.0
    connect_timeout: float = 5.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    redactor: Redactor = field(default_factory=Redactor)
    headers: dict = field(default_factory=dict)
    auth: tuple | None = None
    name: str = "carrier"
    logger: logging.Logger = _logger
    exchanges: list = field(default_factory=list)
    sleep: object = time.sleep

    def url(self, path):
        if not self.base_url or path.startswith(("http://", "https://")):
            return path
        return urljoin(self.base_url.rstrip("/") + "/", path.lstrip("/"))

    def request(
        self,
        method,
        path,
        *,
        params=None,
        json=None,
        data=None,
        headers=None,
        deadline=None,
        idempotent=True,
    ):
        """Send the request, retrying what can be retried; return an HttpResponse.

        With ``idempotent=False`` only failures where the carrier cannot have acted
        (connection refused, 429) are retried, so nothing is created twice.
        """
        url = self.url(path)
        all_headers = {**self.headers, **(headers or {})}
        if json is not None:
            data = jsonlib.dumps(json).encode()
            all_headers.setdefault("Content-Type", "application/json")
        attempt = 0
        while True:
            response = None
            try:
                response = self._attempt(method, url, params, data, all_headers, deadline)
            except CarrierError as error:
                failure = error
            else:
                if not self._retryable_response(response, idempotent):
                    return response
                failure = self._unavailable(response)
            if not self._may_retry(failure, attempt, idempotent, deadline, response):
                raise failure
            self.sleep(self._delay(attempt, response))
            attempt += 1

    # Internals -----------------------------------------------------------------

    def _attempt(self, method, url, params, data, headers, deadline):
        timeout = self._timeouts(deadline)
        exchange = Exchange(
            method=method,
            url=self.redactor.text(url),
            request_headers=self.redactor.headers(headers),
            request_body=self.redactor.text(data)[:LOG_BODY_LIMIT] if data else "",
        )
        started = time.monotonic()
        try:
            with requests.Session() as session:
                raw = session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    auth=self.auth,
                    timeout=timeout,
                    allow_redirects=False,
                )
        except requests.exceptions.ConnectTimeout as error:
            raise self._log_failure(
                exchange,
                started,
                CarrierTimeout(
                    f"{self.name}: no connection within {timeout[0]:.1f} s.",
                    outcome_unknown=False,
                ),
            ) from error
        except requests.exceptions.Timeout as error:
            raise self._log_failure(
                exchange,
                started,
                CarrierTimeout(f"{self.name}: no answer within {timeout[1]:.1f} s."),
            ) from error
        except requests.exceptions.RequestException as error:
            raise self._log_failure(
                exchange,
                started,
                CarrierUnavailable(
                    f"{self.name}: connection failed ({type(error).__name__}).",
                    outcome_unknown=not isinstance(error, requests.exceptions.InvalidURL),
                ),
            ) from error
        response = HttpResponse(
            status=raw.status_code,
            headers=dict(raw.headers),
            content=raw.content,
            elapsed=time.monotonic() - started,
            url=url,
        )
        response.raw_response = raw
        exchange.status = response.status
        exchange.elapsed_ms = int(response.elapsed * 1000)
        exchange.response_body = self.redactor.text(response.content)[:LOG_BODY_LIMIT]
        self._log(exchange)
        return response

    def _timeouts(self, deadline):
        left = remaining(deadline)
        if left is not None and left <= 0:
            raise CarrierTimeout(f"{self.name}: no time left for the call.", outcome_unknown=False)
        read = self.timeout if left is None else min(self.timeout, left)
        return (min(self.connect_timeout, read), read)

    def _log_failure(self, exchange, started, error):
        exchange.elapsed_ms = int((time.monotonic() - started) * 1000)
        exchange.error = error.message
        self._log(exchange)
        return error

    def _log(self, exchange):
        self.exchanges.append(exchange)
        self.logger.info(
            "%s: %s %s -> %s in %d ms",
            self.name,
            exchange.method,
            exchange.url,
            exchange.status or exchange.error,
            exchange.elapsed_ms,
        )
        self.logger.debug("%s exchange:\n%s", self.name, exchange.as_text())

    def _retryable_response(self, response, idempotent):
        return response.status in self.retry.statuses and not self._business_fault(response)

    def _business_fault(self, response):
        """Whether an error status carries a definitive answer (not to be retried)."""
        return False

    def _unavailable(self, response):
        body = self.redactor.text(response.text)[:300]
        return CarrierUnavailable(
            f"{self.name} answered HTTP {response.status}: {body}",
            status=response.status,
            outcome_unknown=response.status != 429,
        )

    def _may_retry(self, error, attempt, idempotent, deadline, response=None):
        if not error.retryable or attempt >= self.retry.retries:
            return False
        if not idempotent and error.outcome_unknown:
            return False
        left = remaining(deadline)
        return left is None or left > self._delay(attempt, response)

    def _delay(self, attempt, response=None):
        retry_after = None
        if response is not None:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return self.retry.delay(attempt, retry_after)
