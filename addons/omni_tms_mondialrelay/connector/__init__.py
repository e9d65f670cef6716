"""Mondial Relay's connector, on Omni's carrier connector base
(``odoo.addons.omni_tms.connector``)."""

from .mondialrelay import MondialRelayConnector
