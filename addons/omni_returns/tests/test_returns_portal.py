import base64
import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ReturnsCommon

# A 1x1 PNG: the customer's photo of the item.
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestReturnsPortal(ReturnsCommon, HttpCase):
    """Two portal customers, each with a delivered order of two lamps and a rug (rugs
    cannot be returned), and the return of a lamp of each asked already."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.excluded_product_ids = cls.heavy_product.product_tmpl_id
        cls.portal_a = cls._portal_user("returns_portal_a", cls.customer_fr)
        cls.portal_b = cls._portal_user(
            "returns_portal_b", cls.customer_fr.copy({"name": "Bastien Noir"})
        )

    @classmethod
    def _portal_user(cls, login, partner):
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=partner.id
        )

    def setUp(self):
        super().setUp()
        self.order_a = self.customer_order(self.portal_a)
        self.order_b = self.customer_order(self.portal_b)
        self.return_b = self.request(self.order_b, [(self.product, 1, self.reason_mind)], "portal")
        self.assertTrue(self.return_b._label_attachments(), "B's return has a label to steal")

    def customer_order(self, user):
        return self.deliver([(self.product, 2), (self.heavy_product, 1)], partner=user.partner_id)

    def returns_of(self, order):
        return self.env["omni.return"].search([("sale_order_id", "=", order.id)])

    def form_url(self, order):
        return f"/my/orders/{order.id}/return"

    def open_form(self, order):
        response = self.url_open(self.form_url(order))
        self.assertEqual(response.status_code, 200)
        return response

    def csrf_token(self, page):
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        self.assertTrue(token, "the return form carries a CSRF token")
        return token.group(1)

    def post_return(self, order, values, photos=None, token=None):
        if token is None:
            token = self.csrf_token(self.open_form(order))
        return self.url_open(
            self.form_url(order), data={"csrf_token": token, **values}, files=photos
        )

    def assertSentHome(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my"), response.url)

    # The customer's own returns ----------------------------------------------------

    def test_return_by_the_portal(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        form = self.open_form(self.order_a)
        lamp, rug = self.line_of(self.order_a), self.line_of(self.order_a, self.heavy_product)
        self.assertIn(f'name="quantity_{lamp.id}"', form.text)
        self.assertNotIn(f'name="quantity_{rug.id}"', form.text, "the rug cannot be returned")
        self.assertIn("This product cannot be returned.", form.text)

        response = self.post_return(
            self.order_a,
            {
                f"quantity_{lamp.id}": "1",
                f"reason_{lamp.id}": str(self.reason_defective.id),
                "note": "The switch is broken.",
            },
            photos={"photos": ("switch.png", PHOTO, "image/png")},
        )
        rma = self.returns_of(self.order_a)
        self.assertEqual(len(rma), 1)
        self.assertTrue(response.url.endswith(f"/my/returns/{rma.id}?requested=1"), response.url)
        self.assertIn("Your return request was received.", response.text)
        self.assertRecordValues(
            rma,
            [
                {
                    "channel": "portal",
                    "partner_id": self.portal_a.partner_id.id,
                    "note": "The switch is broken.",
                    "state": "awaiting",
                    "return_method": "label",
                }
            ],
        )
        self.assertFalse(rma.user_id.share, "no portal user is responsible for a return")
        self.assertRecordValues(
            rma.line_ids,
            [{"sale_line_id": lamp.id, "quantity": 1.0, "reason_id": self.reason_defective.id}],
        )
        photo = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "omni.return"),
                ("res_id", "=", rma.id),
                ("name", "=", "switch.png"),
            ]
        )
        self.assertEqual(photo.raw, PHOTO)
        self.assertIn(photo, rma.message_ids.attachment_ids)

        # The list, the home page's counter, the return and its label.
        listing = self.url_open("/my/returns")
        self.assertIn(rma.name, listing.text)
        self.assertNotIn(self.return_b.name, listing.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["omni_return_count"]})
        self.assertEqual(counters["omni_return_count"], 1)
        label = rma._label_attachments()
        self.assertEqual(len(label), 1)
        page = self.url_open(rma.access_url)
        self.assertIn(f"/my/returns/{rma.id}/label/{label.id}", page.text)
        self.assertIn(rma.tracking_ref, page.text)
        download = self.url_open(f"/my/returns/{rma.id}/label/{label.id}")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, label.raw)
        self.assertIn("attachment", download.headers["Content-Disposition"])

        # What is being returned is not offered again.
        form = self.open_form(self.order_a)
        self.assertRegex(form.text, r"1\.00\s*Units")

    def test_refusals_are_shown_on_the_form(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        lamp, rug = self.line_of(self.order_a), self.line_of(self.order_a, self.heavy_product)
        cases = [
            ({}, "Give the quantity of at least one item you send back."),
            (
                {f"quantity_{lamp.id}": "3", f"reason_{lamp.id}": str(self.reason_mind.id)},
                "Lamp: 3.0 Units asked for, only 2.0 Units delivered",
            ),
            ({f"quantity_{lamp.id}": "1"}, "Lamp: give the reason of the return."),
            ({f"quantity_{lamp.id}": "one"}, "one is not a quantity: give a number."),
            (
                {f"quantity_{rug.id}": "1", f"reason_{rug.id}": str(self.reason_mind.id)},
                "Rug cannot be returned.",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                response = self.post_return(self.order_a, values)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_omni_return_error", response.text)
                self.assertIn(message, response.text)
                self.assertNotIn("logistics manager", response.text)
        response = self.post_return(
            self.order_a,
            {f"quantity_{lamp.id}": "1", f"reason_{lamp.id}": str(self.reason_mind.id)},
            photos={"photos": ("notes.txt", b"not a photo", "text/plain")},
        )
        self.assertIn("notes.txt is not a photo", response.text)
        self.assertFalse(self.returns_of(self.order_a), "nothing is written on a refusal")

    def test_post_needs_the_csrf_token(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        lamp = self.line_of(self.order_a)
        response = self.post_return(
            self.order_a,
            {f"quantity_{lamp.id}": "1", f"reason_{lamp.id}": str(self.reason_mind.id)},
            token="forged",
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.returns_of(self.order_a))

    # Another customer's orders and returns ------------------------------------------

    def test_another_customers_order_and_return_are_out_of_reach(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        lamp_b = self.line_of(self.order_b)
        label_b = self.return_b._label_attachments()
        self.assertSentHome(self.url_open(self.form_url(self.order_b)))
        self.assertSentHome(self.url_open(self.return_b.access_url))
        stolen = self.url_open(f"/my/returns/{self.return_b.id}/label/{label_b.id}")
        self.assertSentHome(stolen)
        self.assertNotEqual(stolen.content, label_b.raw)
        self.assertNotIn(self.return_b.name, self.url_open("/my/returns").text)

        # A's token is valid, but B's order is not A's to return.
        token = self.csrf_token(self.open_form(self.order_a))
        values = {f"quantity_{lamp_b.id}": "1", f"reason_{lamp_b.id}": str(self.reason_mind.id)}
        self.assertSentHome(self.post_return(self.order_b, values, token=token))
        # B's order line slipped into A's own form is not taken either.
        response = self.post_return(self.order_a, values, token=token)
        self.assertIn("Give the quantity of at least one item you send back.", response.text)
        self.assertEqual(self.returns_of(self.order_b), self.return_b)
        self.assertFalse(self.returns_of(self.order_a))
        self.assertEqual(self.return_b.line_ids.quantity, 1.0)

        # Their own links and the order page's button work for B only.
        self.assertNotIn("o_omni_return_items", self.url_open(self.order_b.get_portal_url()).text)
        self.authenticate(self.portal_b.login, self.portal_b.login)
        self.assertIn(self.return_b.name, self.url_open(self.return_b.access_url).text)
        self.assertEqual(
            self.url_open(f"/my/returns/{self.return_b.id}/label/{label_b.id}").content,
            label_b.raw,
        )
        self.assertIn("o_omni_return_items", self.url_open(self.order_b.get_portal_url()).text)

    def test_portal_users_read_their_own_returns_only(self):
        Return = self.env["omni.return"].with_user(self.portal_a)
        self.assertFalse(Return.search([]))
        return_a = self.request(self.order_a, [(self.product, 1, self.reason_mind)], "portal")
        self.assertEqual(Return.search([]), return_a)
        self.assertEqual(
            self.env["omni.return.line"].with_user(self.portal_a).search([]), return_a.line_ids
        )

    # In a browser -------------------------------------------------------------------

    def test_portal_return_tour(self):
        self.start_tour(
            f"/my/orders/{self.order_a.id}", "omni_returns_portal_return", login=self.portal_a.login
        )
        rma = self.returns_of(self.order_a)
        self.assertRecordValues(
            rma,
            [{"channel": "portal", "state": "awaiting", "partner_id": self.portal_a.partner_id.id}],
        )
        self.assertRecordValues(
            rma.line_ids,
            [{"product_id": self.product.id, "quantity": 1.0, "reason_id": self.reason_mind.id}],
        )
