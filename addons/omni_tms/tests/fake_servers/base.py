"""Threaded HTTP servers on 127.0.0.1 that play a carrier in tests and demos.

Subclass :class:`FakeServer`, declare routes with :func:`route` and answer with
:meth:`FakeServer.json` (or any :class:`FakeResponse`). Tests steer the behaviour of
the next requests with :meth:`FakeServer.script` (errors, slowness, dropped
connections, broken answers) and a global ``latency``; every request received is kept in
``requests``. No Odoo import here: the servers also run outside Odoo.
"""

import hashlib
import hmac
import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeRequest:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body or b"null")

    def header(self, name, default=None):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return default


@dataclass
class FakeResponse:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Fail:
    """Answer ``status`` (with ``Retry-After: retry_after`` when given)."""

    status: int
    retry_after: float | None = None


@dataclass(frozen=True)
class Hang:
    """Wait ``seconds`` before answering; ``after=True`` handles the request first
    (the carrier acts, but the answer comes too late)."""

    seconds: float
    after: bool = False


@dataclass(frozen=True)
class Drop:
    """Close the connection without answering (after handling it when ``after``)."""

    after: bool = False


@dataclass(frozen=True)
class Garble:
    """Handle the request (the carrier acts), then answer HTTP ``status`` with a broken
    body: ``body`` (bytes, or a function of the request giving bytes), or the real
    answer cut in its middle when ``body`` is None."""

    body: object = None
    status: int = 200

    def answer(self, request, response):
        if self.body is None:
            body = response.body[: len(response.body) // 2]
        else:
            body = self.body(request) if callable(self.body) else self.body
        return FakeResponse(self.status, body, response.headers)


def minimal_pdf(lines):
    """A one-page 4x6 in PDF showing ``lines`` of text."""
    text = " ".join(f"({line.replace('(', '[').replace(')', ']')}) Tj 0 -24 Td" for line in lines)
    content = f"BT /F1 16 Tf 24 400 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def route(method, pattern):
    """Declare a handler for ``method`` on paths fully matching ``pattern``; named
    groups are passed as keyword arguments."""

    def decorator(function):
        function.fake_route = (method.upper(), re.compile(pattern))
        return function

    return decorator


def parcel_events(parcel, life, timezone):
    """What happened by now to a fake carrier's parcel, a dict with the naive local
    datetime it was ``created`` at and, when a test set them, its ``events``: (naive
    local datetime, code, label) tuples, after ``life`` ((hours after its creation,
    code, label) tuples) in ``timezone`` otherwise."""
    if parcel["events"] is not None:
        return parcel["events"]
    now = datetime.now(timezone).replace(tzinfo=None)
    return [
        (parcel["created"] + timedelta(hours=hours), code, label)
        for hours, code, label in life
        if parcel["created"] + timedelta(hours=hours) <= now
    ]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        return

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = FakeRequest(
            method=self.command,
            path=parts.path,
            query={key: values[-1] for key, values in parse_qs(parts.query).items()},
            headers=dict(self.headers.items()),
            body=body,
        )
        response = self.server.fake.handle(request)
        if response is None:
            self.close_connection = True
            return
        self.send_response(response.status)
        headers = {"Content-Length": str(len(response.body)), **response.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that time out or drop on purpose are part of the tests.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return None
        return super().handle_error(request, client_address)


class FakeServer:
    """Base of the fake carrier servers: start, stop, routing, scripted behaviour.

    What the carrier keeps (shipments, parcels...) is in the dicts named in ``stores``:
    each server gets them empty, ``reset`` empties them, and ``_data_lock`` guards them.
    """

    stores = ()

    def __init__(self, host="127.0.0.1", port=0):
        self.host = host
        self.port = port
        self.latency = 0.0
        self.requests = []
        for name in self.stores:
            setattr(self, name, {})
        self._data_lock = threading.Lock()
        self._script = []
        self._lock = threading.Lock()
        self._httpd = None
        self._thread = None
        self._routes = [(member.fake_route, member) for member in self.marked("fake_route")]

    def marked(self, attribute):
        """Bound methods of this server whose function carries ``attribute``."""
        names = {
            name
            for klass in type(self).__mro__
            for name, member in vars(klass).items()
            if callable(member) and hasattr(member, attribute)
        }
        return [getattr(self, name) for name in sorted(names)]

    # Life cycle -------------------------------------------------------------------

    def start(self):
        self._httpd = _Server((self.host, self.port), _Handler)
        self._httpd.fake = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{type(self).__name__}:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self):
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    # Behaviour --------------------------------------------------------------------

    def script(self, *actions, path=None):
        """Apply ``actions`` (Fail, Hang, Drop, Garble, or None for a normal answer) to the next
        requests, in order; with ``path`` (a regex) only to requests on matching paths."""
        with self._lock:
            self._script += [(re.compile(path) if path else None, action) for action in actions]

    def reset(self):
        with self._data_lock:
            for name in self.stores:
                getattr(self, name).clear()
        with self._lock:
            self._script.clear()
            self.requests.clear()
        self.latency = 0.0

    def requests_to(self, pattern, method=None):
        regex = re.compile(pattern)
        return [
            r
            for r in self.requests
            if regex.search(r.path) and (method is None or r.method == method)
        ]

    def _next_action(self, request):
        with self._lock:
            self.requests.append(request)
            for index, (pattern, action) in enumerate(self._script):
                if pattern is None or pattern.search(request.path):
                    del self._script[index]
                    return action
        return None

    # Dispatch ---------------------------------------------------------------------

    def latency_for(self, request):
        """Seconds to wait before answering ``request``."""
        return self.latency

    def handle(self, request):
        # The request and its scripted action are taken on arrival, so a slow answer
        # never takes an action scripted for a later request.
        action = self._next_action(request)
        delay = self.latency_for(request)
        if delay:
            time.sleep(delay)
        if isinstance(action, Fail):
            headers = {}
            if action.retry_after is not None:
                headers["Retry-After"] = f"{action.retry_after:g}"
            return self.failure(action.status, headers)
        if isinstance(action, (Hang, Drop)) and not action.after:
            if isinstance(action, Drop):
                return None
            time.sleep(action.seconds)
        response = self.dispatch(request)
        if isinstance(action, Drop):
            return None
        if isinstance(action, Garble):
            return action.answer(request, response)
        if isinstance(action, Hang):
            time.sleep(action.seconds)
        return response

    def dispatch(self, request):
        for (method, pattern), handler in self._routes:
            match = pattern.fullmatch(request.path)
            if match and method == request.method:
                return handler(request, **match.groupdict())
        return self.json({"error": {"code": "NOT_FOUND", "message": request.path}}, 404)

    def failure(self, status, headers=None):
        """The answer to a scripted failure; subclasses speak their protocol's error."""
        return self.json(
            {"error": {"code": str(status), "message": "Scripted failure"}}, status, headers
        )

    @staticmethod
    def sign(secret, body):
        """Hex HMAC-SHA256 of ``body``: how carriers sign the webhooks they send."""
        return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    # Answers ----------------------------------------------------------------------

    @staticmethod
    def json(data, status=200, headers=None):
        return FakeResponse(
            status,
            json.dumps(data).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )

    @staticmethod
    def raw(body, status=200, content_type="text/plain", headers=None):
        if isinstance(body, str):
            body = body.encode()
        return FakeResponse(status, body, {"Content-Type": content_type, **(headers or {})})


class ReplayServer(FakeServer):
    """Answers every POST with recorded answers of a carrier (``bodies``), in turn, the
    last one again once the others were given."""

    def __init__(self, *bodies, status=200, content_type="text/xml; charset=utf-8", **kwargs):
        super().__init__(**kwargs)
        self.bodies = list(bodies)
        self.status = status
        self.content_type = content_type

    @route("POST", r"/.*")
    def answer(self, request):
        body = self.bodies.pop(0) if len(self.bodies) > 1 else self.bodies[0]
        return self.raw(body, self.status, self.content_type)
