"""Chronopost's fake server, on the base of ``odoo.addons.omni_tms.tests.fake_servers``.

``DEMO_SERVERS``: the servers the demo starts (``omni_tms/tests/fake_servers/serve.py``),
by name, with the port the demo carriers call.
"""

from .chronopost import ChronopostServer

DEMO_SERVERS = {"chronopost": (ChronopostServer, 8085)}
