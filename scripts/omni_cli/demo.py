"""The demo command: a database of its own with Omni and its demo data, served on 8069
(or the port given)."""

import socket
import subprocess
import time

from .errors import SetupError
from .odoo_env import OMNI_MODULES, PROJECT_ROOT
from .odoo_run import base_args, database_exists, process_env

DEMO_DATABASE = "omni_demo"
# The demo's carriers call the local fake carrier servers this script starts (those the
# add-ons name in their tests/fake_servers DEMO_SERVERS), the test carrier's on this port.
FAKE_CARRIERS = PROJECT_ROOT / "addons" / "omni_tms" / "tests" / "fake_servers" / "serve.py"
FAKE_CARRIERS_PORT = 8079


def demo_command(odoo, pg_settings, database=DEMO_DATABASE, port=8069):
    check_port_free(port)
    env = process_env(odoo, pg_settings)
    install_or_update(odoo, pg_settings, env, database)
    server = [*base_args(odoo), "-d", database, "--db-filter", f"^{database}$"]
    returncode = serve(
        odoo.command(*server, "--http-port", str(port)),
        [odoo.python, str(FAKE_CARRIERS), "--port", str(FAKE_CARRIERS_PORT)],
        env,
        port,
        f"http://localhost:{port} (database {database}, login admin / password admin)",
    )
    if returncode:
        raise SetupError(f"Odoo stopped with exit status {returncode} (see the log above).")
    return 0


def install_or_update(odoo, pg_settings, env, database):
    if database_exists(odoo, pg_settings, database):
        print(f"==> Updating Omni in the existing database {database}", flush=True)
        setup = ["-u", ",".join(OMNI_MODULES)]
    else:
        print(f"==> Creating {database} with Omni and its demo data", flush=True)
        setup = ["-i", ",".join(OMNI_MODULES)]
    result = subprocess.run(
        odoo.command(
            *base_args(odoo), "-d", database, *setup, "--stop-after-init", "--log-level", "warn"
        ),
        env=env,
        check=False,
    )
    if result.returncode:
        raise SetupError(f"Installing Omni into {database} failed (see the log above).")


def check_port_free(port):
    """Raise SetupError unless Odoo can listen on ``port``."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("", port))
        except OSError as error:
            raise SetupError(
                f"Port {port} is not free ({error.strerror}): another Odoo or another "
                f"program listens on it. Stop it, or choose another port, for instance "
                f"./scripts/omni demo --port {port + 1}"
            ) from None


def serve(command, helper_command, env, port, address):
    """Run ``helper_command`` (the fake carriers) and the Odoo server ``command`` until
    the server stops (Ctrl+C); say where Omni is once the server listens on ``port``.
    Whatever was started is stopped. Return the server's exit status."""
    helper = subprocess.Popen(helper_command, env=env)
    server = None
    try:
        server = subprocess.Popen(command, env=env)
        if wait_until_listening(server, port):
            print(f"==> Omni is at {address}. Stop with Ctrl+C.", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        # Odoo got the Ctrl+C too: let it stop cleanly
        return server.wait() if server else 0
    finally:
        for process in (server, helper):
            if process and process.poll() is None:
                process.terminate()
                process.wait()


def wait_until_listening(server, port):
    """Wait until ``server`` accepts connections on ``port`` (True) or stops (False)."""
    while server.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.5)
    return False
