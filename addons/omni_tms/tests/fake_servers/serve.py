"""Run fake carrier servers outside the tests, e.g. for the demo::

    python3 addons/omni_tms/tests/fake_servers/serve.py --port 8079
    python3 addons/omni_tms/tests/fake_servers/serve.py --server chronopost=8085

They accept any account (with any API key) and answer until stopped (Ctrl+C).
The servers are those every add-on next to this one names in the ``DEMO_SERVERS`` of
its ``tests/fake_servers`` package ({name: (server class, demo port)}), loaded without
Odoo. Without ``--server``, each runs on its demo port, the test carrier's (omni_test)
on ``--port``.
"""

import argparse
import logging
import sys
import threading
from pathlib import Path

# The project's command-line package loads add-ons' packages without Odoo.
sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "scripts"))

from omni_cli.engines import load_engine
from omni_cli.odoo_env import ADDONS_DIR

_logger = logging.getLogger("fake_servers")


def demo_servers():
    """{name: (server class, demo port)} of the add-ons' fake servers."""
    servers = {}
    for package in sorted(ADDONS_DIR.glob("*/tests/fake_servers/__init__.py")):
        fakes = load_engine(package.parents[2].name, "tests/fake_servers")
        servers.update(getattr(fakes, "DEMO_SERVERS", {}))
    return servers


def parse_args(argv, servers):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port", type=int, default=servers["omni_test"][1], help="port of the omni_test server"
    )
    parser.add_argument(
        "--server",
        action="append",
        default=[],
        metavar="NAME=PORT",
        help=f"a server to run, among {', '.join(servers)} (repeatable)",
    )
    return parser.parse_args(argv)


def main(argv=None):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    servers = demo_servers()
    args = parse_args(argv, servers)
    wanted = dict(item.split("=", 1) for item in args.server) or {
        **{name: port for name, (_server, port) in servers.items()},
        "omni_test": args.port,
    }
    running = []
    for name, port in wanted.items():
        server = servers[name][0](port=int(port)).start()
        running.append(server)
        _logger.info("%s fake carrier listening on %s", name, server.url)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        _logger.info("Stopping")
    finally:
        for server in running:
            server.stop()


if __name__ == "__main__":
    main()
