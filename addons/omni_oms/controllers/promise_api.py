from odoo import http
from odoo.http import request
from odoo.tools import float_repr

from .channel_api import ChannelApi

PROMISE_PARAMETERS = {"items", "country", "zip", "store"}
MAX_ITEMS = 100


class PromiseRequestError(ValueError):
    """A promise request the endpoint cannot read; the message says what to fix."""


class PromiseController(ChannelApi, http.Controller):
    """Delivery promise of a cart, for a channel's own systems (marketplaces, apps),
    authenticated with the channel's feed key like the available-to-sell feed."""

    @http.route(
        "/omni/promise/<int:channel_id>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def promise(self, channel_id, **params):
        """GET /omni/promise/<channel id>?items=SKU:QTY,SKU:QTY&country=FR&zip=75011
        [&store=<store code>] with the channel's key in the X-Omni-Api-Key header.

        JSON answer: the promised date of the cart and of each item, or no date and the
        reasons why; errors as ``{"error": code, "message": text}`` with status 400,
        401 or 403."""
        channel, refusal = self._authenticated_channel(channel_id, "Promise")
        if refusal:
            return refusal
        try:
            payload = self._promise(channel, params)
        except PromiseRequestError as error:
            return self._error(400, "bad_request", str(error))
        return request.make_json_response(payload)

    def _promise(self, channel, params):
        # sudo: the key authenticated the channel; the answer tells dates, no stock
        env = request.env(su=True)
        company = channel.company_id or env.company
        items = self._parse_items(env, company, params)
        partner = self._parse_destination(env, params)
        store = self._parse_store(env, company, params)
        result = (
            env["omni.promise.service"]
            .with_company(company)
            ._promise_cart(company, channel, items, partner, store=store)
        )
        return self._payload(env, channel, items, result)

    def _parse_items(self, env, company, params):
        unknown = set(params) - PROMISE_PARAMETERS
        if unknown:
            raise PromiseRequestError(
                env._(
                    "Unknown parameter(s) %(unknown)s: the promise takes %(known)s.",
                    unknown=", ".join(sorted(unknown)),
                    known=", ".join(sorted(PROMISE_PARAMETERS)),
                )
            )
        raw = [item.strip() for item in (params.get("items") or "").split(",") if item.strip()]
        if not raw:
            raise PromiseRequestError(
                env._("'items' is missing: give SKU:QUANTITY pairs separated by commas.")
            )
        if len(raw) > MAX_ITEMS:
            raise PromiseRequestError(env._("At most %(max)s items per request.", max=MAX_ITEMS))
        parsed, bad = [], []
        for item in raw:
            sku, _sep, quantity = item.rpartition(":")
            try:
                parsed.append((sku.strip(), float(quantity)))
            except ValueError:
                bad.append(item)
            else:
                if not sku.strip():
                    bad.append(item)
        if bad:
            raise PromiseRequestError(
                env._(
                    "Items %(items)s are not SKU:QUANTITY (e.g. SHIRT-M:2).",
                    items=", ".join(bad),
                )
            )
        products = env["product.product"].search(
            [
                ("default_code", "in", [sku for sku, _qty in parsed]),
                ("company_id", "in", [company.id, False]),
            ]
        )
        by_code = {product.default_code: product for product in products}
        Product = env["product.product"]
        return [
            (rank, by_code.get(sku, Product), quantity, sku)
            for rank, (sku, quantity) in enumerate(parsed, start=1)
        ]

    def _parse_destination(self, env, params):
        code = (params.get("country") or "").strip().upper()
        if not code:
            return env["res.partner"]
        country = env["res.country"].search([("code", "=", code)], limit=1)
        if not country:
            raise PromiseRequestError(
                env._("Unknown country %(code)s: give its ISO code, e.g. FR.", code=code)
            )
        return env["res.partner"].new(
            {"name": "promise", "country_id": country.id, "zip": params.get("zip") or False}
        )

    def _parse_store(self, env, company, params):
        code = (params.get("store") or "").strip()
        if not code:
            return env["stock.warehouse"]
        store = env["stock.warehouse"].search(
            [
                ("code", "=", code),
                ("company_id", "=", company.id),
                ("omni_is_store", "=", True),
                ("omni_click_collect", "=", True),
            ],
            limit=1,
        )
        if not store:
            raise PromiseRequestError(env._("No store %(code)s offers click & collect.", code=code))
        return store

    def _payload(self, env, channel, items, result):
        Service = env["omni.promise.service"]
        names = {
            **{
                w.id: w.name
                for w in env["stock.warehouse"].browse(
                    {line.site for line in result.lines if line.site}
                )
            },
        }
        carriers = {}
        if "delivery.carrier" in env:
            carriers = {
                c.id: c.name
                for c in env["delivery.carrier"].browse(
                    {line.service for line in result.lines if line.service}
                )
            }
        lines = {line.key: line for line in result.lines}
        return {
            "channel": channel.name,
            "kind": result.kind,
            "promised": result.promised,
            "date": result.date.isoformat() if result.date else None,
            "order_before": _utc(result.order_before),
            "items": [
                self._item_payload(Service, names, carriers, sku, quantity, lines.get(rank))
                for rank, _product, quantity, sku in items
            ],
            "reasons": [
                {"code": reason.code, "message": Service._reason_text(reason)}
                for reason in result.reasons
            ],
        }

    def _item_payload(self, Service, names, carriers, sku, quantity, line):
        return {
            "sku": sku,
            "quantity": float_repr(quantity, 3).rstrip("0").rstrip("."),
            "date": line.date.isoformat() if line and line.date else None,
            "ship_date": line.ship_date.isoformat() if line and line.ship_date else None,
            "from": names.get(line.site) if line else None,
            "carrier": carriers.get(line.service) if line else None,
            "reasons": [
                {"code": reason.code, "message": Service._reason_text(reason)}
                for reason in (line.reasons if line else [])
            ],
        }


def _utc(moment):
    return moment.isoformat(timespec="seconds") + "Z" if moment else None
