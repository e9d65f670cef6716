"""Run fake carrier servers outside the tests, e.g. for the demo::

    python3 addons/omni_tms/tests/fake_servers/serve.py --port 8079
    python3 addons/omni_tms/tests/fake_servers/serve.py --server omni_test=8079

They accept any account (with any API key) and answer until stopped (Ctrl+C).
Without ``--server``, the omni_test server runs on ``--port`` and the other carriers'
servers on their demo ports (DEMO_PORTS).
"""

import argparse
import logging
import sys
import threading
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "fake_servers"  # lets the relative import below work

from .omni_test_carrier import OmniTestCarrierServer
from .sendcloud import SendcloudServer

# Servers by name: carrier connectors add theirs here.
SERVERS = {"omni_test": OmniTestCarrierServer}
# Servers the demo starts besides omni_test, on the fixed ports its carriers call.
DEMO_PORTS = {}

# Mondial Relay (public test brand BDTEST13, private key TestAPI1key)
from .mondialrelay import MondialRelayServer

SERVERS["mondialrelay"] = MondialRelayServer
DEMO_PORTS["mondialrelay"] = 8083

# Sendcloud (REST): panel API under /api/v2, service points under /servicepoints/api/v2.
SERVERS["sendcloud"] = SendcloudServer
DEMO_PORTS["sendcloud"] = 8084

# Chronopost (public test account 19869502, password 255562): every service on one host.
from .chronopost import ChronopostServer

SERVERS["chronopost"] = ChronopostServer
DEMO_PORTS["chronopost"] = 8085

_logger = logging.getLogger("fake_servers")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8079, help="port of the omni_test server")
    parser.add_argument(
        "--server",
        action="append",
        default=[],
        metavar="NAME=PORT",
        help=f"a server to run, among {', '.join(SERVERS)} (repeatable)",
    )
    return parser.parse_args(argv)


def main(argv=None):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    args = parse_args(argv)
    wanted = dict(item.split("=", 1) for item in args.server) or {
        "omni_test": args.port,
        **DEMO_PORTS,
    }
    servers = []
    for name, port in wanted.items():
        server = SERVERS[name](port=int(port)).start()
        servers.append(server)
        _logger.info("%s fake carrier listening on %s", name, server.url)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        _logger.info("Stopping")
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
