"""Documents carriers quote or ship: a sales order (its estimated weight) and a delivery
(its packages). Each builds its ``Shipment`` once, with ``_omni_shipping_data``; the
carrier rules read it and the carriers' connectors are given it."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..connector import Address, Parcel, Shipment


class OmniShippingDocument(models.AbstractModel):
    _name = "omni.shipping.document"
    _description = "Document Carriers Quote or Ship"

    # What each document gives --------------------------------------------------------

    def _omni_sale_order(self):
        """The sales order of the shipment (empty for a delivery without one)."""
        raise NotImplementedError

    def _omni_sender(self):
        """The partner the parcels leave from."""
        raise NotImplementedError

    def _omni_recipient(self):
        """The partner the parcels go to (a pickup point's address once chosen)."""
        raise NotImplementedError

    def _omni_parcels(self):
        """The parcels, as ``Parcel`` values (see ``_omni_parcel``)."""
        raise NotImplementedError

    def _omni_package_types(self):
        """The package types of the parcels (``stock.package.type``)."""
        return self.env["stock.package.type"]

    def _omni_value_date(self):
        """The date the value is converted to the company's currency at."""
        return fields.Date.context_today(self)

    def _omni_promised_date(self):
        """The delivery date promised to the customer, if any."""
        return self._omni_sale_order().commitment_date

    # The shipment --------------------------------------------------------------------

    def _omni_shipping_data(self):
        """The ``Shipment`` of this document (kg, cm), checked: a carrier can quote and
        ship it. A UserError says what to complete first."""
        self.ensure_one()
        parcels = tuple(self._omni_parcels())
        if sum(parcel.weight for parcel in parcels) <= 0:
            raise UserError(
                self.env._(
                    "%(document)s weighs nothing: set the weight of its products (or of "
                    "its packages) so carriers can quote and ship it.",
                    document=self.name,
                )
            )
        order = self._omni_sale_order()
        company = self.company_id
        currency = order.currency_id or company.currency_id
        value = order.amount_untaxed if order else 0.0
        recipient = self._omni_recipient()
        pickup_point = str((order.pickup_location_data or {}).get("id") or "")
        return Shipment(
            reference=self.name,
            sender=self._omni_address(self._omni_sender(), self.env._("warehouse address")),
            recipient=self._omni_address(recipient, self.env._("delivery address")),
            parcels=parcels,
            service_level=order.omni_service_level or "standard",
            value=value,
            currency=currency.name,
            pickup_point=pickup_point,
            customer=self._omni_contact(recipient.parent_id) if pickup_point else None,
            channel_id=order.team_id.id or None,
            amount=currency._convert(value, company.currency_id, company, self._omni_value_date()),
            promised_days=self._omni_promised_days(self._omni_promised_date()),
            package_type_ids=frozenset(self._omni_package_types().ids),
        )

    @api.model
    def _omni_address(self, partner, role):
        """The Address of ``partner``; a UserError names the missing fields."""
        checks = [
            ("name", self.env._("a name")),
            ("street", self.env._("a street")),
            ("city", self.env._("a city")),
            ("country_id", self.env._("a country")),
        ]
        if not partner.country_id or partner.country_id.zip_required:
            checks.insert(2, ("zip", self.env._("a zip code")))
        missing = [label for field_name, label in checks if not partner[field_name]]
        if not partner or missing:
            raise UserError(
                self.env._(
                    "The %(role)s %(partner)s lacks %(missing)s: complete it before a "
                    "carrier is asked.",
                    role=role,
                    partner=partner.display_name or self.env._("(none)"),
                    missing=", ".join(missing) or self.env._("an address"),
                )
            )
        return Address(
            name=partner.name or partner.display_name,
            street=partner.street or "",
            street2=partner.street2 or "",
            zip=(partner.zip or "").strip(),
            city=partner.city or "",
            state_code=partner.state_id.code or "",
            country_code=partner.country_id.code or "",
            phone=partner.phone or partner.mobile or "",
            email=partner.email or "",
            country_name=partner.country_id.name or "",
        )

    @api.model
    def _omni_contact(self, partner):
        """The name, phone and e-mail of ``partner`` (None without a partner)."""
        if not partner:
            return None
        return Address(
            name=partner.name or "",
            phone=partner.phone or partner.mobile or "",
            email=partner.email or "",
        )

    @api.model
    def _omni_units(self):
        """(weight unit, length unit) of the database, and kg and cm."""
        template = self.env["product.template"]
        return (
            template._get_weight_uom_id_from_ir_config_parameter(),
            template._get_length_uom_id_from_ir_config_parameter(),
            self.env.ref("uom.product_uom_kgm"),
            self.env.ref("uom.product_uom_cm"),
        )

    @api.model
    def _omni_parcel(self, weight, package_type=None, reference=""):
        """A Parcel of ``weight`` (in the database's unit) with the dimensions of
        ``package_type`` (a ``stock.package.type``, if any), in kg and cm."""
        weight_uom, length_uom, kg, cm = self._omni_units()
        package_type = package_type or self.env["stock.package.type"]

        def length(value):
            return length_uom._compute_quantity(value or 0.0, cm, round=False)

        return Parcel(
            weight=round(weight_uom._compute_quantity(weight, kg, round=False), 3),
            length=length(package_type.packaging_length),
            width=length(package_type.width),
            height=length(package_type.height),
            reference=reference,
        )

    @api.model
    def _omni_promised_days(self, promised_date):
        if not promised_date:
            return None
        return (promised_date - fields.Datetime.now()).total_seconds() / 86400.0
