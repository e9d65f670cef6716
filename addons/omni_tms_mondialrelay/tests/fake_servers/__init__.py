"""Mondial Relay's fake server, on the base of ``odoo.addons.omni_tms.tests.fake_servers``.

``DEMO_SERVERS``: the servers the demo starts (``omni_tms/tests/fake_servers/serve.py``),
by name, with the port the demo carriers call.
"""

from .mondialrelay import MondialRelayServer

DEMO_SERVERS = {"mondialrelay": (MondialRelayServer, 8083)}
