import base64

from odoo import SUPERUSER_ID, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import float_compare

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class OmniReturnPortal(CustomerPortal):
    """The customer's returns in the portal: the list and each return (its state, its
    lines, the return label to print, the parcel's tracking), and the return request
    of an order's items, from the customer's own orders only."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "omni_return_count" in counters:
            Return = request.env["omni.return"]
            values["omni_return_count"] = (
                Return.search_count(self._omni_returns_domain()) if Return.has_access("read") else 0
            )
        return values

    def _omni_returns_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", partner.id)]

    # Returns -----------------------------------------------------------------------

    @http.route(
        ["/my/returns", "/my/returns/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_returns(self, page=1, **kw):
        Return = request.env["omni.return"]
        domain = self._omni_returns_domain()
        pager = portal_pager(
            url="/my/returns",
            total=Return.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        returns = Return.search(domain, limit=self._items_per_page, offset=pager["offset"])
        request.session["my_omni_returns_history"] = returns.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "omni_returns": returns.sudo(),
                "page_name": "omni_return",
                "pager": pager,
                "default_url": "/my/returns",
            }
        )
        return request.render("omni_returns.portal_my_returns", values)

    @http.route(["/my/returns/<int:return_id>"], type="http", auth="public", website=True)
    def portal_my_return(self, return_id, access_token=None, **kw):
        try:
            rma_sudo = self._document_check_access("omni.return", return_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = {
            "omni_return": rma_sudo,
            "labels": rma_sudo._label_attachments(),
            "tracking_events": rma_sudo.tracking_event_ids,
            "page_name": "omni_return",
            "requested": kw.get("requested"),
        }
        values = self._get_page_view_values(
            rma_sudo, access_token, values, "my_omni_returns_history", False, **kw
        )
        return request.render("omni_returns.portal_my_return", values)

    @http.route(
        ["/my/returns/<int:return_id>/label/<int:attachment_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_return_label(self, return_id, attachment_id, access_token=None, **kw):
        try:
            rma_sudo = self._document_check_access("omni.return", return_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        label = rma_sudo._label_attachments().filtered(lambda a: a.id == attachment_id)
        if not label:
            return request.redirect(rma_sudo.access_url)
        return request.env["ir.binary"]._get_stream_from(label).get_response(as_attachment=True)

    # Return request ------------------------------------------------------------------

    def _omni_check_own_order(self, order_id):
        """The customer's own confirmed order ``order_id`` (sudo), else AccessError or
        MissingError: an order shared with them, or reached by a link, is not theirs
        to return."""
        order_sudo = self._document_check_access("sale.order", order_id)
        customer = request.env.user.partner_id.commercial_partner_id
        if order_sudo.partner_id.commercial_partner_id != customer or order_sudo.state != "sale":
            raise AccessError(request.env._("Only your own confirmed orders can be returned."))
        return order_sudo

    @http.route(
        ["/my/orders/<int:order_id>/return"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def portal_order_return(self, order_id, **post):
        try:
            order_sudo = self._omni_check_own_order(order_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        rows = request.env["omni.return"].sudo()._returnable_lines(orders=order_sudo)
        reasons = (
            request.env["omni.return.reason"]
            .sudo()
            .search([("company_id", "in", (False, order_sudo.company_id.id))])
        )
        error = False
        if request.httprequest.method == "POST":
            try:
                rma = self._omni_request_return(order_sudo, rows, reasons, post)
            except UserError as problem:
                error = str(problem)
            else:
                return request.redirect(f"{rma.access_url}?requested=1")
        values = self._prepare_portal_layout_values()
        values.update(self._omni_return_form_values(order_sudo, rows, reasons))
        values.update({"error": error, "post": post if error else {}})
        return request.render("omni_returns.portal_order_return", values)

    def _omni_return_form_values(self, order_sudo, rows, reasons):
        sale_lines = request.env["sale.order.line"].sudo().browse(r["sale_line_id"] for r in rows)
        return {
            "sale_order": order_sudo,
            "rows": [dict(row, sale_line=line) for row, line in zip(rows, sale_lines, strict=True)],
            "reasons": reasons,
            "page_name": "omni_return",
        }

    def _omni_request_return(self, order_sudo, rows, reasons, post):
        """Create the return asked for in ``post`` (a quantity and a reason per line of
        ``rows``, the lines still returnable; a note; photos), or raise a UserError
        saying what to fix: nothing is written then."""
        lines = self._omni_requested_lines(rows, reasons, post)
        photos = self._omni_photos()
        # The request is the customer's, on their own order (checked above); it is
        # written by the system, so that no portal user is its approver or responsible.
        Return = (
            request.env["omni.return"]
            .with_user(SUPERUSER_ID)
            .with_context(default_user_id=order_sudo.user_id.id)
        )
        # The policy's verdict first, in the customer's words (its refusals are not
        # for a manager to override here).
        verdict = Return._explain_request(order_sudo, lines, "portal")
        if not verdict["accepted"]:
            raise UserError(verdict["message"])
        with request.env.cr.savepoint():
            rma = Return._create_request(
                order_sudo, lines, "portal", note=(post.get("note") or "").strip()
            )
            if photos:
                self._omni_attach_photos(rma, photos)
        return rma

    def _omni_requested_lines(self, rows, reasons, post):
        lines = []
        for row in rows:
            raw = (post.get(f"quantity_{row['sale_line_id']}") or "").strip()
            if not raw:
                continue
            try:
                quantity = float(raw.replace(",", "."))
            except ValueError as error:
                raise UserError(
                    request.env._("%(quantity)s is not a quantity: give a number.", quantity=raw)
                ) from error
            if float_compare(quantity, 0.0, precision_digits=6) <= 0:
                continue
            reason_id = post.get(f"reason_{row['sale_line_id']}") or ""
            reason = reasons.filtered(lambda r, rid=reason_id: str(r.id) == rid)
            lines.append({"sale_line": row["sale_line_id"], "quantity": quantity, "reason": reason})
        if not lines:
            raise UserError(request.env._("Give the quantity of at least one item you send back."))
        return lines

    def _omni_photos(self):
        """The photos attached to the request: (file name, content, type)."""
        photos = []
        for upload in request.httprequest.files.getlist("photos"):
            if not upload.filename:
                continue
            if not (upload.mimetype or "").startswith("image/"):
                raise UserError(
                    request.env._(
                        "%(file)s is not a photo: attach pictures (JPEG, PNG...) only.",
                        file=upload.filename,
                    )
                )
            photos.append((upload.filename, upload.read(), upload.mimetype))
        return photos

    def _omni_attach_photos(self, rma, photos):
        attachments = (
            request.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "datas": base64.b64encode(content),
                        "mimetype": mimetype,
                        "res_model": rma._name,
                        "res_id": rma.id,
                    }
                    for name, content, mimetype in photos
                ]
            )
        )
        rma.sudo().message_post(
            body=request.env._("Photos of the returned items, from the customer."),
            attachment_ids=attachments.ids,
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
