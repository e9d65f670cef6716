from urllib.parse import urlencode

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .promise_common import TUESDAY, PromiseCommon, at


@tagged("post_install", "-at_install")
class TestPromiseApi(PromiseCommon, HttpCase):
    """The promise endpoint: authenticated with the channel's feed key, clear answers
    to bad requests, a promise or the reasons why none."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shirt.default_code = "PRM-SHIRT"
        cls.lamp.default_code = "PRM-LAMP"
        action = cls.channel.with_user(cls.user_manager).action_omni_generate_feed_key()
        cls.key = action["context"]["default_key"]

    def get(self, key=None, **params):
        self.env.cr.flush()
        headers = {"X-Omni-Api-Key": key} if key else {}
        query = f"?{urlencode(params)}" if params else ""
        response = self.url_open(f"/omni/promise/{self.channel.id}{query}", headers=headers)
        return response.status_code, response.json()

    def test_key_required_and_checked(self):
        status, payload = self.get(items="PRM-SHIRT:1")
        self.assertEqual((status, payload["error"]), (401, "missing_api_key"))
        status, payload = self.get(key=self.key[:-1] + "x", items="PRM-SHIRT:1")
        self.assertEqual((status, payload["error"]), (403, "invalid_api_key"))

    def test_bad_requests_say_what_to_fix(self):
        for params, message in [
            ({}, "'items' is missing"),
            ({"items": "PRM-SHIRT"}, "Items PRM-SHIRT are not SKU:QUANTITY"),
            ({"items": "PRM-SHIRT:two"}, "Items PRM-SHIRT:two are not SKU:QUANTITY"),
            ({"items": "PRM-SHIRT:1", "country": "XX"}, "Unknown country XX"),
            ({"items": "PRM-SHIRT:1", "store": "NOPE"}, "No store NOPE offers click"),
            ({"items": "PRM-SHIRT:1", "color": "red"}, "Unknown parameter(s) color"),
        ]:
            status, payload = self.get(key=self.key, **params)
            self.assertEqual(status, 400, params)
            self.assertEqual(payload["error"], "bad_request")
            self.assertIn(message, payload["message"])

    def test_collect_promise_per_item(self):
        self.add_stock(self.shirt, self.paris, 3)
        with freeze_time(at(TUESDAY, 8)):
            status, payload = self.get(
                key=self.key, items="PRM-SHIRT:2", country="FR", store=self.paris.code
            )
        self.assertEqual(status, 200)
        self.assertEqual(payload["kind"], "collect")
        self.assertTrue(payload["promised"])
        self.assertEqual(payload["date"], "2025-12-02")
        self.assertEqual(payload["items"][0]["sku"], "PRM-SHIRT")
        self.assertEqual(payload["items"][0]["quantity"], "2")
        self.assertEqual(payload["items"][0]["from"], self.paris.name)

    def test_unknown_sku_and_stock_out_are_answers_not_errors(self):
        with freeze_time(at(TUESDAY, 8)):
            status, payload = self.get(
                key=self.key, items="NOPE:1,PRM-LAMP:1", country="FR", store=self.paris.code
            )
        self.assertEqual(status, 200)
        self.assertFalse(payload["promised"])
        self.assertIsNone(payload["date"])
        self.assertEqual(
            [reason["code"] for reason in payload["reasons"]], ["unknown_product", "out_of_stock"]
        )
        self.assertEqual(payload["items"][0]["reasons"][0]["message"], "NOPE: unknown product.")
        self.assertIn("out of stock everywhere", payload["items"][1]["reasons"][0]["message"])
