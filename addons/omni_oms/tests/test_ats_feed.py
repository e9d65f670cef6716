import base64
from urllib.parse import urlencode

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import AtsCommon


@tagged("post_install", "-at_install")
class TestAtsFeed(AtsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(cls.sneaker, cls.dc.lot_stock_id, 8)
        cls.env["stock.quant"]._update_available_quantity(cls.boot, cls.store.lot_stock_id, 3)
        cls.key = cls.generate_key(cls.channel)

    @classmethod
    def generate_key(cls, channel, user=None):
        action = channel.with_user(user or cls.user_manager).action_omni_generate_feed_key()
        return action["context"]["default_key"]

    def get(self, channel=None, key=None, **params):
        self.publish_ats()
        headers = {"X-Omni-Api-Key": key} if key else {}
        query = f"?{urlencode(params)}" if params else ""
        response = self.url_open(
            f"/omni/ats/{(channel or self.channel).id}{query}", headers=headers
        )
        return response.status_code, response.json()

    def quantities(self, payload):
        return {item["sku"]: item["qty"] for item in payload["items"]}

    # Authentication ----------------------------------------------------------------

    def test_missing_key(self):
        status, payload = self.get()
        self.assertEqual(status, 401)
        self.assertEqual(payload["error"], "missing_api_key")
        self.assertNotIn("items", payload)

    def test_wrong_keys(self):
        other = self.env["crm.team"].create(
            {"name": "ATS Marketplace", "omni_channel_type": "marketplace"}
        )
        other_key = self.generate_key(other)
        for label, channel, key in [
            ("altered key", self.channel, self.key[:-1] + "x"),
            ("key of another channel", self.channel, other_key),
            ("channel of another key", other, self.key),
            ("no such channel", self.env["crm.team"].browse(999999), self.key),
        ]:
            status, payload = self.get(channel, key)
            self.assertEqual(status, 403, label)
            self.assertEqual(payload["error"], "invalid_api_key")
            self.assertNotIn("items", payload)

    def test_replaced_revoked_and_archived(self):
        new_key = self.generate_key(self.channel)
        self.assertEqual(self.get(key=self.key)[0], 403, "the previous key no longer works")
        self.assertEqual(self.get(key=new_key)[0], 200)
        self.channel.with_user(self.user_manager).action_omni_revoke_feed_key()
        self.assertEqual(self.get(key=new_key)[0], 403)
        newest = self.generate_key(self.channel)
        self.channel.active = False
        self.assertEqual(self.get(key=newest)[0], 403)

    def test_key_is_shown_once_and_stored_hashed(self):
        action = self.channel.with_user(self.user_manager).action_omni_generate_feed_key()
        key = action["context"]["default_key"]
        self.assertEqual(action["res_model"], "omni.feed.key.show")
        self.assertTrue(key.startswith("omni_") and len(key) > 40)
        stored = self.channel.sudo().omni_feed_key_hash
        self.assertEqual(len(stored), 64)
        self.assertNotIn(key, stored)
        self.env.cr.execute(
            "SELECT COUNT(*) FROM crm_team WHERE omni_feed_key_hash LIKE %s", [f"%{key[5:20]}%"]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "the key itself is nowhere")
        self.assertTrue(self.channel.omni_feed_key_date)

    def test_only_managers_manage_keys(self):
        for user in (self.user_store_staff, self.user_operator):
            with self.assertRaises(AccessError):
                self.channel.with_user(user).action_omni_generate_feed_key()
            with self.assertRaises(AccessError):
                self.channel.with_user(user).action_omni_revoke_feed_key()
            with self.assertRaises(AccessError):
                self.channel.with_user(user).read(["omni_feed_key_hash"])

    # Feed ------------------------------------------------------------------------------

    def test_full_feed(self):
        status, payload = self.get(key=self.key)
        self.assertEqual(status, 200)
        self.assertEqual(payload["mode"], "full")
        self.assertEqual(payload["channel"], "ATS Web")
        self.assertEqual(self.quantities(payload), {"ATS-SNEAKER": 8, "ATS-BOOT": 3})
        self.assertEqual(payload["count"], 2)
        self.assertTrue(payload["cursor"])

    def test_skus_and_unknown_skus(self):
        status, payload = self.get(key=self.key, skus="ATS-BOOT, ATS-LAMP,NO-SUCH-SKU")
        self.assertEqual(status, 200)
        self.assertEqual(self.quantities(payload), {"ATS-BOOT": 3})
        self.assertEqual(payload["unknown_skus"], ["NO-SUCH-SKU"])

    def test_changes_since_a_cursor(self):
        cursor = self.get(key=self.key)[1]["cursor"]
        status, payload = self.get(key=self.key, since=cursor)
        self.assertEqual((status, payload["mode"], payload["items"]), (200, "changes", []))
        self.add_stock(self.boot, self.dc, 2)
        self.add_stock(self.lamp, self.store, 4)
        self.add_stock(self.sneaker, self.outside, 10)
        status, payload = self.get(key=self.key, since=cursor)
        self.assertEqual(self.quantities(payload), {"ATS-BOOT": 5, "ATS-LAMP": 4})
        status, payload = self.get(key=self.key, since=payload["cursor"])
        self.assertEqual(payload["items"], [])

    def test_bad_requests(self):
        cursor = self.get(key=self.key)[1]["cursor"]
        seq, *snapshot = base64.urlsafe_b64decode(cursor + "==").decode().split(".")
        forged = ".".join([str(int(seq) + 10**6), *snapshot])
        forged = base64.urlsafe_b64encode(forged.encode()).decode()
        for params, message in [
            ({"since": "not a cursor!"}, "was not issued by this feed"),
            ({"since": base64.urlsafe_b64encode(b"12;drop").decode()}, "was not issued"),
            ({"since": forged}, "was not issued by this feed"),
            ({"skus": " , "}, "'skus' is empty"),
            ({"sku": "ATS-BOOT"}, "Unknown parameter(s) sku"),
            ({"skus": ",".join(f"S{n}" for n in range(1001))}, "ask for at most 1000"),
        ]:
            status, payload = self.get(key=self.key, **params)
            self.assertEqual(status, 400, params)
            self.assertEqual(payload["error"], "bad_request")
            self.assertIn(message, payload["message"])
            self.assertNotIn("items", payload)

    def test_malformed_input_is_refused_with_a_message(self):
        long_cursor = "A" * 5000
        for params, message in [
            ({"skus": "ATS-BOOT,ATS\x00LAMP"}, 'The SKU "ATSLAMP" contains a NUL character'),
            ({"skus": "\x00"}, "contains a NUL character"),
            ({"skus": "X" * 300}, "is 300 characters long; a SKU has at most 255"),
            ({"since": "MTg5\x00LjY1"}, "was not issued by this feed"),
            ({"since": long_cursor}, f'The cursor "{"A" * 40}…" was not issued'),
            ({"since": base64.urlsafe_b64encode(b"1.2\n").decode()}, "was not issued"),
            ({"since": base64.urlsafe_b64encode("1.\u0663".encode()).decode()}, "was not"),
            ({"since": "٣٣٣٣"}, "was not issued by this feed"),
        ]:
            status, payload = self.get(key=self.key, **params)
            self.assertEqual((status, payload["error"]), (400, "bad_request"), params)
            self.assertIn(message, payload["message"])
            self.assertLess(len(payload["message"]), 300, "a refused value is not echoed whole")

    def test_channel_without_pool(self):
        phone = self.env["crm.team"].create({"name": "ATS Phone", "omni_channel_type": "web"})
        status, payload = self.get(phone, self.generate_key(phone))
        self.assertEqual((status, payload["error"]), (404, "no_stock_pool"))

    def test_companies_never_mix(self):
        other_company = self.env["res.company"].create({"name": "ATS Other Company"})
        warehouse = self.env["stock.warehouse"].create(
            {"name": "Other depot", "code": "ATSX", "company_id": other_company.id}
        )
        self.add_stock(self.sneaker, warehouse, 40)
        self.add_stock(self.lamp, warehouse, 6)
        channel = self.env["crm.team"].create(
            {"name": "Other web", "omni_channel_type": "web", "company_id": other_company.id}
        )
        self.env["omni.stock.pool"].create(
            {
                "name": "Other pool",
                "company_id": other_company.id,
                "warehouse_ids": [Command.link(warehouse.id)],
                "channel_ids": [Command.link(channel.id)],
            }
        )
        other_key = self.generate_key(channel, self.env.user)
        payload = self.get(channel, other_key)[1]
        self.assertEqual(self.quantities(payload), {"ATS-SNEAKER": 40, "ATS-LAMP": 6})
        self.assertEqual(
            self.quantities(self.get(key=self.key)[1]), {"ATS-SNEAKER": 8, "ATS-BOOT": 3}
        )
        self.assertEqual(self.get(self.channel, other_key)[0], 403)
        with self.assertRaisesRegex(UserError, "Other depot, of another company"):
            self.pool.warehouse_ids = [Command.link(warehouse.id)]
