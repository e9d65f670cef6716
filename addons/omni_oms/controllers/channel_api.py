import logging

from odoo.http import request

_logger = logging.getLogger(__name__)

KEY_HEADER = "X-Omni-Api-Key"


class ChannelApi:
    """What the endpoints a channel's own systems call share: the channel's feed key in
    the X-Omni-Api-Key header, and JSON errors ``{"error": code, "message": text}``."""

    def _authenticated_channel(self, channel_id, endpoint):
        """The channel whose feed key the request sends, or the error response to give."""
        key = request.httprequest.headers.get(KEY_HEADER)
        if not key:
            return None, self._error(
                401,
                "missing_api_key",
                request.env._(
                    "Send the channel's feed key in the %(header)s header.", header=KEY_HEADER
                ),
            )
        channel = request.env["crm.team"]._omni_feed_authenticate(channel_id, key)
        if not channel:
            _logger.info(
                "%s of channel #%s refused to %s: wrong key",
                endpoint,
                channel_id,
                request.httprequest.remote_addr,
            )
            return None, self._error(
                403,
                "invalid_api_key",
                request.env._(
                    "This key is not the feed key of channel %(channel)s.", channel=channel_id
                ),
            )
        return channel, None

    def _error(self, status, code, message):
        headers = [("WWW-Authenticate", f'ApiKey header="{KEY_HEADER}"')] if status == 401 else []
        return request.make_json_response(
            {"error": code, "message": message}, headers=headers, status=status
        )
