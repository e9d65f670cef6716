"""./scripts/omni demo: a port already taken is refused before anything starts, and
whatever the command started is stopped with Odoo."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from omni_cli import demo
from omni_cli.errors import SetupError

OMNI = str(Path(__file__).resolve().parents[2] / "scripts" / "omni")


@pytest.fixture
def busy_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def python(code):
    return [sys.executable, "-c", code]


def test_a_busy_port_is_refused_before_anything_starts(busy_port):
    result = subprocess.run(
        [
            sys.executable,
            OMNI,
            "demo",
            "--database",
            "omni_demo_port_taken",
            "--port",
            str(busy_port),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 2
    assert f"Port {busy_port} is not free" in result.stderr
    assert f"./scripts/omni demo --port {busy_port + 1}" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Omni is at" not in result.stdout
    assert "omni_demo_port_taken" not in result.stdout, "nothing was installed"


def test_check_port_free(busy_port):
    with pytest.raises(SetupError, match=f"Port {busy_port} is not free"):
        demo.check_port_free(busy_port)
    demo.check_port_free(free_port())


def test_omni_is_announced_once_the_server_listens(capsys):
    port = free_port()
    # a server that accepts one connection (the command's own check), then stops
    server = python(
        "import socket; s = socket.socket(); "
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); "
        f"s.bind(('127.0.0.1', {port})); s.listen(); s.accept()[0].close()"
    )
    helper = python("import time; time.sleep(60)")
    assert demo.serve(server, helper, dict(os.environ), port, "the test address") == 0
    assert "==> Omni is at the test address. Stop with Ctrl+C." in capsys.readouterr().out


def test_what_was_started_is_stopped_when_odoo_stops(tmp_path, capsys):
    pid_file = tmp_path / "helper.pid"
    helper = python(
        f"import os, pathlib, time; pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid())); "
        "time.sleep(60)"
    )
    # Odoo failing to start, the port taken since it was checked
    server = python(
        f"import pathlib, sys, time\nwhile not pathlib.Path({str(pid_file)!r}).exists(): "
        "time.sleep(0.05)\nsys.exit(3)"
    )
    assert demo.serve(server, helper, dict(os.environ), free_port(), "nowhere") == 3
    assert "Omni is at" not in capsys.readouterr().out
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)
