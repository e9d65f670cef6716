"""Several Odoo servers on one database: separate processes on 127.0.0.1, each on its
own HTTP and long-polling (gevent) ports, all sharing the database and the filestore
(data directory). Used by the load test and by the end-to-end tests that run their
checks against two servers.

Settings come from the environment the project's commands prepare: ``ODOO_SRC``,
``OMNI_ADDONS_PATH``, ``OMNI_DATA_DIR`` and the ``PG*`` variables.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = PROJECT_ROOT / "odoo.conf"

# What Odoo logs when it retries a request after a concurrency failure
# (odoo.service.model.retrying), when Omni's background batches (peak routing,
# publication) retry, and when a seller starts its transaction again at once.
RESTART_LINE = r"Omni selling lock: transaction started again"
RETRY_LINE = re.compile(
    r"(SERIALIZATION_FAILURE|DEADLOCK_DETECTED|LOCK_NOT_AVAILABLE), \d+ tries left"
    rf"|Omni [a-z ]+: batch rolled back|{RESTART_LINE}"
)
GAVE_UP_LINE = re.compile(r"maximum number of tries reached")
# CPU priority of the servers running scheduled actions alone (nice's scale: 0 to 19)
BACKGROUND_NICE = 10


def odoo_command(*args):
    source = os.environ.get("ODOO_SRC")
    if not source:
        raise RuntimeError("ODOO_SRC is not set: run this through ./scripts/omni.")
    return [sys.executable, str(Path(source) / "odoo-bin"), *args]


def base_args(database):
    return [
        "-c",
        str(CONFIG_FILE),
        "--addons-path",
        os.environ["OMNI_ADDONS_PATH"],
        "--data-dir",
        os.environ["OMNI_DATA_DIR"],
        "-d",
        database,
    ]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ports(count, base_port=None):
    """[(http port, gevent port)] for ``count`` servers: from ``base_port`` on, two by
    two, or free ports."""
    if base_port:
        return [(base_port + 2 * index, base_port + 2 * index + 1) for index in range(count)]
    return [(free_port(), free_port()) for _index in range(count)]


class Server:
    def __init__(self, index, http_port, gevent_port, logfile, background=False):
        self.index = index
        self.http_port = http_port
        self.gevent_port = gevent_port
        self.logfile = Path(logfile)
        # a server for scheduled actions only: no client is sent to it
        self.background = background
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.http_port}"

    def log_size(self):
        return self.logfile.stat().st_size if self.logfile.exists() else 0

    def log_since(self, offset):
        if not self.logfile.exists():
            return ""
        with self.logfile.open(encoding="utf-8", errors="replace") as log:
            log.seek(offset)
            return log.read()


class OdooServers:
    """``count`` Odoo servers on ``database``, each with ``workers`` HTTP worker
    processes (0: threaded) and ``cron_workers`` cron workers, and ``background``
    servers more that only run scheduled actions (``background_cron_workers`` each, one
    HTTP worker that no client uses), at a lower CPU priority (``background_nice``):
    on a machine shared with the web servers, what a server of its own does. Use as a
    context manager: started on entry, stopped (SIGTERM to the processes it started)
    on exit."""

    def __init__(
        self,
        database,
        count=2,
        workers=2,
        cron_workers=1,
        background=0,
        background_cron_workers=2,
        background_nice=BACKGROUND_NICE,
        base_port=None,
        log_dir=None,
        extra_args=(),
    ):
        self.database = database
        self.workers = workers
        self.cron_workers = cron_workers
        self.background_cron_workers = background_cron_workers
        self.background_nice = background_nice
        self.extra_args = list(extra_args)
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="omni-servers-"))
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.servers = [
            Server(
                index,
                http,
                gevent,
                self.log_dir / f"server-{index + 1}.log",
                background=index >= count,
            )
            for index, (http, gevent) in enumerate(ports(count + background, base_port))
        ]

    @property
    def urls(self):
        """The web servers' addresses (the background servers take no client)."""
        return [server.url for server in self.servers if not server.background]

    def __enter__(self):
        try:
            for server in self.servers:
                self._start(server)
            for server in self.servers:
                self._wait_ready(server)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _start(self, server):
        server.logfile.write_text("")
        workers, cron_workers = self.workers, self.cron_workers
        if server.background:
            workers, cron_workers = 1, self.background_cron_workers
        command = odoo_command(
            *base_args(self.database),
            "--db-filter",
            f"^{re.escape(self.database)}$",
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(server.http_port),
            "--gevent-port",
            str(server.gevent_port),
            "--workers",
            str(workers),
            "--max-cron-threads",
            str(cron_workers),
            "--limit-time-real",
            "1200",
            "--limit-time-cpu",
            "1200",
            "--logfile",
            str(server.logfile),
            "--log-level",
            "info",
            "--log-handler",
            "werkzeug:WARNING",
            *self.extra_args,
        )
        if server.background:
            # exec'd by nice: the server's own process, its workers inheriting the priority
            command = ["nice", "-n", str(self.background_nice), *command]
        server.process = subprocess.Popen(
            command,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _wait_ready(self, server, timeout=180):
        deadline = time.monotonic() + timeout
        request = urllib.request.Request(
            f"{server.url}/web/webclient/version_info",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(
                    f"Odoo server {server.index + 1} stopped at start (see {server.logfile})."
                )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"Odoo server {server.index + 1} not ready in {timeout} s.")

    def stop(self):
        started = [server for server in self.servers if server.process]
        for server in started:
            if server.process.poll() is None:
                # the server's own process group: its workers and cron workers
                os.killpg(server.process.pid, signal.SIGTERM)
        for server in started:
            try:
                server.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait(10)
            server.process = None

    def log_offsets(self):
        return [server.log_size() for server in self.servers]

    def logs_since(self, offsets):
        return [
            server.log_since(offset) for server, offset in zip(self.servers, offsets, strict=True)
        ]

    def retries_since(self, offsets):
        """(retried concurrency failures, of which transactions started again at once,
        requests that gave up) logged since ``offsets`` by all the servers."""
        texts = self.logs_since(offsets)
        return (
            sum(len(RETRY_LINE.findall(text)) for text in texts),
            sum(text.count(RESTART_LINE) for text in texts),
            sum(len(GAVE_UP_LINE.findall(text)) for text in texts),
        )
