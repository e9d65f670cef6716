from odoo import http
from odoo.http import request

from ..models.omni_stock_pool_ats import AtsFeedError
from .channel_api import ChannelApi

FEED_PARAMETERS = {"skus", "since"}


class AtsFeedController(ChannelApi, http.Controller):
    """Available to sell of a channel's stock pool, for the channel's own systems."""

    @http.route(
        "/omni/ats/<int:channel_id>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def ats_feed(self, channel_id, **params):
        """GET /omni/ats/<channel id>[?skus=A,B][&since=<cursor>] with the channel's
        key in the X-Omni-Api-Key header. JSON answer; errors as
        ``{"error": code, "message": text}`` with status 400, 401, 403 or 404."""
        channel, refusal = self._authenticated_channel(channel_id, "ATS feed")
        if refusal:
            return refusal
        pool = channel.omni_stock_pool_id
        if not pool:
            return self._error(
                404,
                "no_stock_pool",
                request.env._(
                    "Channel %(channel)s sells from no stock pool.", channel=channel.name
                ),
            )
        try:
            payload = self._feed(channel, pool, params)
        except AtsFeedError as error:
            return self._error(400, "bad_request", str(error))
        return request.make_json_response(payload)

    def _feed(self, channel, pool, params):
        unknown = set(params) - FEED_PARAMETERS
        if unknown:
            raise AtsFeedError(
                request.env._(
                    "Unknown parameter(s) %(unknown)s: the feed takes %(known)s.",
                    unknown=", ".join(sorted(unknown)),
                    known=", ".join(sorted(FEED_PARAMETERS)),
                )
            )
        skus = None
        if "skus" in params:
            skus = [sku.strip() for sku in params["skus"].split(",") if sku.strip()]
            if not skus:
                raise AtsFeedError(request.env._("'skus' is empty: give SKUs separated by commas."))
        # sudo: the key authenticated the channel; the feed reads this pool only
        snapshot = request.env["omni.stock.pool.ats"].sudo()
        payload = snapshot._feed(pool.sudo(), skus=skus, since=params.get("since") or None)
        return {"channel": channel.name, **payload}
