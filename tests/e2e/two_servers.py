"""Two Odoo servers on the test database: separate processes, each with two HTTP worker
processes of its own, no cron worker (the tests run scheduled actions by hand), the
database and the filestore shared. The end-to-end checks of oversell, duplicate
shipments and duplicate webhook events run their clients against both.

``OMNI_E2E_BASE_PORT`` sets the first of the four ports they take (default: free ports).
"""

import os
import secrets
import sys
import uuid
from pathlib import Path

import odoo_session
import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "load"))

from servers import OdooServers


@pytest.fixture(scope="module")
def two_servers(registry):
    base_port = int(os.environ.get("OMNI_E2E_BASE_PORT") or 0) or None
    with OdooServers(
        odoo_session.database_name(), count=2, workers=2, cron_workers=0, base_port=base_port
    ) as cluster:
        yield cluster


class Fault(Exception):
    """An error Odoo answered a call with; ``message`` is what its client would show."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Rpc:
    """Odoo's external API (JSON-RPC) on one server, as the test's user."""

    def __init__(self, url, database, uid, password):
        self.url = f"{url}/jsonrpc"
        self.database, self.uid, self.password = database, uid, password

    def __call__(self, model, method, *args, **kwargs):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.database,
                    self.uid,
                    self.password,
                    model,
                    method,
                    list(args),
                    kwargs,
                ],
            },
        }
        answer = requests.post(self.url, json=payload, timeout=300).json()
        if "error" in answer:
            raise Fault(answer["error"].get("data", {}).get("message") or str(answer["error"]))
        return answer.get("result")  # absent when the method returned None


@pytest.fixture(scope="module")
def rpc_user(registry):
    """A committed user who sells, ships and may run scheduled actions by hand; archived
    afterwards."""
    login = f"e2e-two-servers-{uuid.uuid4().hex[:8]}"
    password = secrets.token_urlsafe(16)
    with registry.cursor() as cr:
        env = odoo_session.environment(cr)
        groups = (
            env.ref("sales_team.group_sale_manager")
            | env.ref("stock.group_stock_manager")
            | env.ref("base.group_system")
        )
        user = env["res.users"].create(
            {
                "name": "E2E two servers",
                "login": login,
                "email": f"{login}@example.com",
                "password": password,
                "groups_id": [(6, 0, groups.ids)],
            }
        )
        user_id = user.id
        cr.commit()
    yield user_id, password
    with registry.cursor() as cr:
        env = odoo_session.environment(cr)  # kept: the commit flushes through it
        env["res.users"].browse(user_id).active = False
        cr.commit()


@pytest.fixture(scope="module")
def rpcs(two_servers, rpc_user):
    """One JSON-RPC client per server."""
    uid, password = rpc_user
    database = odoo_session.database_name()
    return [Rpc(url, database, uid, password) for url in two_servers.urls]
