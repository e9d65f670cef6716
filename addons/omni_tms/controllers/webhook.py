import json
import logging

from odoo import SUPERUSER_ID, http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..connector import CarrierError

_logger = logging.getLogger(__name__)


class OmniTrackingWebhook(http.Controller):
    """Tracking events pushed by carriers, accepted only with a valid signature."""

    @http.route(
        "/omni_tms/webhook/<int:carrier_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def tracking_webhook(self, carrier_id, **kwargs):
        body = request.httprequest.get_data()
        # Reading the carrier's secret needs sudo; nothing else happens before the
        # signature is verified.
        carrier = request.env["delivery.carrier"].sudo().browse(carrier_id).exists()
        connector = carrier._omni_connector() if carrier and carrier.active else None
        if connector is None:
            return self._answer(404, {"error": "unknown carrier"})
        headers = dict(request.httprequest.headers.items())
        if not connector.verify_webhook(headers, body, carrier.omni_webhook_secret):
            _logger.warning(
                "Refused tracking webhook for carrier %s: missing or invalid signature",
                carrier_id,
            )
            return self._answer(403, {"error": "invalid signature"})
        try:
            events = connector.parse_webhook(headers, body)
            request.env["omni.tracking.event"]._omni_check_events(events)
        except (CarrierError, ValidationError) as error:
            _logger.info("Refused tracking webhook for carrier %s: %s", carrier_id, error)
            return self._answer(400, {"error": str(error)})
        except Exception as error:
            # a connector failing otherwise on a body it cannot read: a bug to fix, not
            # a server error to send back to the carrier
            _logger.exception("Tracking webhook for carrier %s could not be read", carrier_id)
            message = request.env._(
                "%(carrier)s: the webhook could not be read as tracking events (%(error)s).",
                carrier=carrier.name,
                error=type(error).__name__,
            )
            return self._answer(400, {"error": message})
        # Signature verified: record as the system, like the polling does.
        system = request.env(user=SUPERUSER_ID)
        counts = system["omni.tracking.event"]._omni_record_events(
            carrier.with_env(system), events, "webhook"
        )
        return self._answer(200, counts)

    @staticmethod
    def _answer(status, data):
        return request.make_response(
            json.dumps(data), headers=[("Content-Type", "application/json")], status=status
        )
