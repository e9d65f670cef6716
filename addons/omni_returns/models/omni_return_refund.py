# pylint: disable=consider-merging-classes-inherited
# The return model in files by subject: request, receipt, inspection, refund.
from collections import defaultdict

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, format_amount

from ..engine import refund as refund_engine
from .omni_return import MANAGER


class OmniReturn(models.Model):
    """Refunds (credit notes from the original invoice lines) and exchanges (orders
    routed by the order management)."""

    _inherit = "omni.return"

    # Refund -----------------------------------------------------------------------------

    def action_refund(self):
        """Credit the received units from the original invoice lines (less the
        restocking fee and the label when charged), and post the credit notes."""
        self._check_refunder()
        for rma in self:
            rma._refund()
        return self.action_view_refunds() if len(self) == 1 else True

    def _check_refunder(self):
        user = self.env.user
        if not (
            self.env.su
            or user.has_group(MANAGER)
            or user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                self.env._("Only logistics managers and invoicing users refund returns.")
            )

    def _refund(self):
        """Credit what was received and not refunded yet (see ``action_refund``); the
        posted credit notes."""
        self.ensure_one()
        self._check_state(("received", "inspected"), self.env._("refunded"))
        to_refund = self._quantities_to_refund()
        allocations = self._allocate_refund(to_refund)
        Move = self.env["account.move"].sudo()
        vals_list = self._prepare_refund_vals_list(allocations)
        refunds = Move.with_context(default_move_type="out_refund").create(vals_list)
        refunds.action_post()
        self.state = "exchanged" if self.resolution == "exchange" else "refunded"
        self.message_post(
            body=self.env._(
                "Refunded by %(refunds)s: %(amount)s.",
                refunds=", ".join(refunds.mapped("name")),
                amount=format_amount(
                    self.env, sum(refunds.mapped("amount_total")), refunds.currency_id[:1]
                ),
            )
        )
        self._notify("refunded")
        return refunds

    def _quantities_to_refund(self):
        """{return line: units received and not refunded yet}; a UserError when none."""
        quantities = {}
        for line in self.line_ids:
            left = line.qty_received - line.qty_refunded
            if float_compare(left, 0.0, precision_rounding=line.product_uom_id.rounding) > 0:
                quantities[line] = left
        if not quantities:
            raise UserError(
                self.env._("%(rma)s has nothing received left to refund.", rma=self.name)
            )
        return quantities

    def _allocate_refund(self, quantities):
        """[(return line, invoice line, units)] credited from the posted invoices,
        latest first; a UserError naming what no invoice billed."""
        invoiced = {}
        invoice_lines = {}
        for line in quantities:
            rows = []
            for aml, refundable in self._refundable_invoice_lines(line.sale_line_id):
                invoice_lines[aml.id] = aml
                rows.append(refund_engine.InvoicedLine(aml.id, refundable))
            invoiced[line.id] = rows
        allocations, missing = refund_engine.allocate(
            {line.id: quantity for line, quantity in quantities.items()}, invoiced
        )
        if missing:
            lines = self.env["omni.return.line"].browse(missing)
            raise UserError(
                "\n".join(
                    [
                        self.env._(
                            "%(order)s is not invoiced for what is refunded: invoice the "
                            "order first, or close the return without refund.",
                            order=self.sale_order_id.name,
                        )
                    ]
                    + [
                        self.env._(
                            "- %(product)s: %(missing)s %(uom)s not invoiced.",
                            product=line.product_id.display_name,
                            missing=missing[line.id],
                            uom=line.product_uom_id.name,
                        )
                        for line in lines
                    ]
                )
            )
        lines = {line.id: line for line in quantities}
        return [
            (lines[allocation.line], invoice_lines[allocation.invoice_line], allocation.quantity)
            for allocation in allocations
        ]

    @api.model
    def _refundable_invoice_lines(self, sale_line):
        """[(posted invoice line, units not credited yet in the order line's unit)] of
        ``sale_line``, the latest invoice first."""
        aml_all = sale_line.sudo().invoice_lines.filtered(lambda aml: aml.parent_state != "cancel")
        invoices = aml_all.filtered(
            lambda aml: aml.move_id.move_type == "out_invoice" and aml.parent_state == "posted"
        ).sorted(lambda aml: (aml.move_id.invoice_date or aml.date, aml.id), reverse=True)
        credited = defaultdict(float)
        for aml in aml_all.filtered(lambda aml: aml.move_id.move_type == "out_refund"):
            credited[aml.move_id.reversed_entry_id] += aml.product_uom_id._compute_quantity(
                aml.quantity, sale_line.product_uom
            )
        result = []
        for aml in invoices:
            quantity = aml.product_uom_id._compute_quantity(aml.quantity, sale_line.product_uom)
            used = min(credited[aml.move_id], quantity)
            credited[aml.move_id] -= used
            result.append((aml, quantity - used))
        return result

    def _prepare_refund_vals_list(self, allocations):
        """One credit note per invoice credited; the first one keeps the charges."""
        by_invoice = defaultdict(list)
        for line, aml, quantity in allocations:
            by_invoice[aml.move_id].append((line, aml, quantity))
        goods = fee_base = 0.0
        for line, aml, quantity in allocations:
            value = self._credited_value(aml, line, quantity)
            goods += value
            if line.bears_fee:
                fee_base += value
        invoices = list(by_invoice)
        currency = invoices[0].currency_id
        charges = refund_engine.charges(
            goods,
            fee_base,
            self.restocking_fee_percent,
            self.label_cost if self.label_charged else 0.0,
            rounding=currency.rounding,
        )
        vals_list = []
        for index, invoice in enumerate(invoices):
            vals = self._prepare_refund_vals(invoice)
            vals["invoice_line_ids"] = [
                Command.create(self._prepare_refund_line_vals(aml, line, quantity))
                for line, aml, quantity in by_invoice[invoice]
            ]
            if index == 0:
                vals["invoice_line_ids"] += self._prepare_charge_lines(invoice, charges, fee_base)
            vals_list.append(vals)
        return vals_list

    @api.model
    def _credited_value(self, aml, line, quantity):
        """Untaxed value of ``quantity`` (order line unit) credited on ``aml``."""
        in_aml_unit = line.product_uom_id._compute_quantity(quantity, aml.product_uom_id)
        return in_aml_unit * aml.price_unit * (1 - (aml.discount or 0.0) / 100.0)

    def _prepare_refund_vals(self, invoice):
        return {
            "move_type": "out_refund",
            "partner_id": invoice.partner_id.id,
            "partner_shipping_id": invoice.partner_shipping_id.id,
            "journal_id": invoice.journal_id.id,
            "currency_id": invoice.currency_id.id,
            "fiscal_position_id": invoice.fiscal_position_id.id,
            "invoice_payment_term_id": invoice.invoice_payment_term_id.id,
            "invoice_user_id": invoice.invoice_user_id.id,
            "team_id": invoice.team_id.id,
            "company_id": invoice.company_id.id,
            "invoice_origin": invoice.invoice_origin,
            "reversed_entry_id": invoice.id,
            "ref": self.env._("Return %(rma)s of %(invoice)s", rma=self.name, invoice=invoice.name),
            "omni_return_id": self.id,
        }

    def _prepare_refund_line_vals(self, aml, line, quantity):
        return {
            "product_id": aml.product_id.id,
            "name": aml.name,
            "quantity": line.product_uom_id._compute_quantity(quantity, aml.product_uom_id),
            "product_uom_id": aml.product_uom_id.id,
            "price_unit": aml.price_unit,
            "discount": aml.discount,
            "tax_ids": [Command.set(aml.tax_ids.ids)],
            "account_id": aml.account_id.id,
            "analytic_distribution": aml.analytic_distribution,
            "sale_line_ids": [Command.set(aml.sale_line_ids.ids)],
            "omni_return_line_id": line.id,
        }

    def _prepare_charge_lines(self, invoice, charges, fee_base):
        lines = []
        if charges.fee:
            product = self.policy_id.sudo().restocking_fee_product_id or self.env.ref(
                "omni_returns.product_restocking_fee"
            )
            lines.append(
                Command.create(
                    self._prepare_charge_line_vals(
                        invoice,
                        product,
                        self.env._(
                            "Restocking fee: %(percent)s%% of %(base)s",
                            percent=self.restocking_fee_percent,
                            base=invoice.currency_id.round(fee_base),
                        ),
                        charges.fee,
                    )
                )
            )
        if charges.label:
            lines.append(
                Command.create(
                    self._prepare_charge_line_vals(
                        invoice,
                        self.carrier_id.product_id,
                        self.env._(
                            "Return label: %(carrier)s %(tracking)s",
                            carrier=self.carrier_id.name,
                            tracking=self.tracking_ref or "",
                        ),
                        charges.label,
                    )
                )
            )
        return lines

    def _prepare_charge_line_vals(self, invoice, product, name, amount):
        """A credit note line keeping ``amount`` (untaxed) from the refund."""
        taxes = product.taxes_id._filter_taxes_by_company(invoice.company_id)
        return {
            "product_id": product.id,
            "name": name,
            "quantity": 1.0,
            "price_unit": -amount,
            "tax_ids": [Command.set(invoice.fiscal_position_id.map_tax(taxes).ids)],
        }

    def action_close(self):
        """Close a received return without refund (or after a partial one)."""
        self._check_state(("received", "inspected"), self.env._("closed"))
        self.write({"state": "closed"})
        return True

    # Exchange ---------------------------------------------------------------------------

    def _create_exchange_order(self):
        """The order sending the exchanged items: confirmed (and routed by the order
        management) at once when it ships before the return comes back, else when the
        goods are received."""
        self.ensure_one()
        order = self.env["sale.order"].sudo().create(self._prepare_exchange_order_vals())
        self.exchange_order_id = order
        self.message_post(body=self.env._("Exchange order %(order)s created.", order=order.name))
        if self.exchange_ship_now:
            self._confirm_exchange_order()
        return order

    def _prepare_exchange_order_vals(self):
        original = self.sale_order_id
        return {
            "partner_id": original.partner_id.id,
            "partner_invoice_id": original.partner_invoice_id.id,
            "partner_shipping_id": original.partner_shipping_id.id,
            "pricelist_id": original.pricelist_id.id,
            "team_id": original.team_id.id,
            "user_id": original.user_id.id,
            "company_id": original.company_id.id,
            "fiscal_position_id": original.fiscal_position_id.id,
            "origin": self.name,
            "client_order_ref": self.env._("Exchange of %(rma)s", rma=self.name),
            "omni_exchange_return_id": self.id,
            "order_line": [
                Command.create(self._prepare_exchange_line_vals(line)) for line in self.line_ids
            ],
        }

    def _prepare_exchange_line_vals(self, line):
        """The exchanged item, at the price of the returned one."""
        sale_line = line.sale_line_id
        return {
            "product_id": (line.exchange_product_id or line.product_id).id,
            "product_uom_qty": line.quantity,
            "product_uom": sale_line.product_uom.id,
            "price_unit": sale_line.price_unit,
            "discount": sale_line.discount,
            "tax_id": [Command.set(sale_line.tax_id.ids)],
        }

    def _confirm_exchange_order(self):
        self.ensure_one()
        self.exchange_order_id.sudo().action_confirm()
        self.message_post(
            body=self.env._(
                "Exchange order %(order)s confirmed: it ships.", order=self.exchange_order_id.name
            )
        )
