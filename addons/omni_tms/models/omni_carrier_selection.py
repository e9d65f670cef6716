"""Choosing the carrier of an order or a picking: checks, rules, rate shopping."""

import math
import time
import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..connector import Address, CarrierTimeout, ParallelCalls, Parcel, ShipmentRequest
from ..engine import Quote, ShipmentFacts, choose_quote, select_rule


class NoCarrierQuote(UserError):
    """Every carrier asked failed or timed out: nothing is wrong with the shipment."""


class OmniCarrierSelection(models.AbstractModel):
    """Gathers a shipment's data, checks it, applies the carrier rules and, for rate
    shopping, asks the candidate carriers in parallel; records every quote."""

    _name = "omni.carrier.selection"
    _description = "Carrier Selection"

    # Shipment data -------------------------------------------------------------------

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
    def _omni_request(self, data, carrier=None):
        """A ShipmentRequest (kg, cm) from the data of ``_omni_shipping_data``."""
        weight_uom, length_uom, kg, cm = self._omni_units()
        total = sum(parcel["weight"] for parcel in data["parcels"])
        if total <= 0:
            raise UserError(
                self.env._(
                    "%(document)s weighs nothing: set the weight of its products (or of "
                    "its packages) so carriers can quote and ship it.",
                    document=data["document"],
                )
            )

        def length(value):
            return length_uom._compute_quantity(value or 0.0, cm, round=False)

        parcels = tuple(
            Parcel(
                weight=round(weight_uom._compute_quantity(p["weight"], kg, round=False), 3),
                length=length(p.get("length")),
                width=length(p.get("width")),
                height=length(p.get("height")),
                reference=p.get("name") or "",
            )
            for p in data["parcels"]
        )
        return ShipmentRequest(
            reference=data["reference"],
            sender=self._omni_address(data["sender"], self.env._("warehouse address")),
            recipient=self._omni_address(data["recipient"], self.env._("delivery address")),
            parcels=parcels,
            service_level=data["service_level"],
            value=data["value"],
            currency=data["currency"].name,
            label_format=(carrier and carrier.omni_label_format) or "pdf",
            pickup_point=data.get("pickup_point") or "",
        )

    @api.model
    def _omni_facts(self, data):
        """What the rules look at (database units, company currency)."""
        parcels = data["parcels"]
        country = data["recipient"].country_id
        zones = self.env["res.country.group"].search([("country_ids", "in", country.ids)])
        lengths = [
            max(p.get("length") or 0.0, p.get("width") or 0.0, p.get("height") or 0.0)
            for p in parcels
        ]
        return ShipmentFacts(
            weight=sum(p["weight"] for p in parcels),
            parcel_weight=max(p["weight"] for p in parcels),
            length=max(lengths) if data["packed"] and any(lengths) else None,
            package_type_ids=frozenset(
                p["package_type_id"] for p in parcels if p.get("package_type_id")
            ),
            country_id=country.id or None,
            zone_ids=frozenset(zones.ids),
            zip=data["recipient"].zip or "",
            service_level=data["service_level"],
            channel_id=data["channel"].id or None,
            amount=data["amount"],
            promised_days=data["promised_days"],
        )

    @api.model
    def _omni_promised_days(self, promised_date):
        if not promised_date:
            return None
        return (promised_date - fields.Datetime.now()).total_seconds() / 86400.0

    # Checks and rules ------------------------------------------------------------------

    @api.model
    def _omni_rules(self, company):
        return self.env["omni.carrier.rule"].search([("company_id", "=", company.id)])

    @api.model
    def _omni_check_weight(self, facts, rules, data):
        """A parcel heavier than every carrier the rules may choose takes is refused."""
        carriers = rules.carrier_id | rules.candidate_carrier_ids
        if not carriers or any(not carrier.max_weight for carrier in carriers):
            return
        heaviest = max(carriers, key=lambda carrier: carrier.max_weight)
        if facts.heaviest_parcel > heaviest.max_weight:
            raise UserError(
                self.env._(
                    "A parcel of %(document)s weighs %(weight)s %(uom)s, more than any "
                    "carrier takes (at most %(limit)s %(uom)s, %(carrier)s): split it into "
                    "several packages.",
                    document=data["document"],
                    weight=round(facts.heaviest_parcel, 3),
                    limit=heaviest.max_weight,
                    uom=heaviest.weight_uom_name,
                    carrier=heaviest.name,
                )
            )

    @api.model
    def _omni_match_rule(self, rules, facts, data):
        match = select_rule(rules._omni_specs(), facts)
        if match.rule:
            return rules.browse(match.rule.id)
        recipient = data["recipient"]
        raise UserError(
            self.env._(
                "No carrier rule covers %(document)s: %(weight)s %(uom)s to %(zip)s "
                "%(city)s (%(country)s), %(service)s service%(channel)s. Add or widen a "
                "rule in Omni > Configuration > Carrier Rules.",
                document=data["document"],
                weight=round(facts.weight, 3),
                uom=self.env["product.template"]._get_weight_uom_name_from_ir_config_parameter(),
                zip=recipient.zip or "",
                city=recipient.city or "",
                country=recipient.country_id.name or "",
                service=dict(
                    self.env["omni.carrier.rule"]
                    ._fields["service_level"]
                    ._description_selection(self.env)
                ).get(facts.service_level, facts.service_level),
                channel=self.env._(", channel %(channel)s", channel=data["channel"].name)
                if data["channel"]
                else "",
            )
        )

    @api.model
    def _omni_filter_candidates(self, rule, facts, data):
        """(carriers to ask, quotes of the carriers left out and why)."""
        asked = self.env["delivery.carrier"]
        excluded = []
        for carrier in rule._omni_candidates():
            note = False
            if not carrier.active:
                note = self.env._("archived")
            elif carrier.max_weight and facts.heaviest_parcel > carrier.max_weight:
                note = self.env._(
                    "takes parcels up to %(limit)s %(uom)s",
                    limit=carrier.max_weight,
                    uom=carrier.weight_uom_name,
                )
            elif not carrier._match_address(data["recipient"]):
                note = self.env._("does not deliver to this address")
            if note:
                excluded.append({"carrier": carrier, "state": "excluded", "note": note})
            else:
                asked |= carrier
        if not asked:
            raise UserError(
                self.env._(
                    "No carrier of rule %(rule)s can take %(document)s: %(reasons)s.",
                    rule=rule.name,
                    document=data["document"],
                    reasons="; ".join(f"{q['carrier'].name} {q['note']}" for q in excluded),
                )
            )
        return asked, excluded

    # Quotes --------------------------------------------------------------------------

    @api.model
    def _omni_collect_quotes(self, carriers, request, data):
        """Quotes of ``carriers``: Omni connectors in parallel threads (network only),
        the other carriers meanwhile in this thread, one after the other."""
        connectors, calls = {}, {}
        for carrier in carriers:
            connector = carrier._omni_connector()
            if connector:
                connectors[carrier.id] = connector
                calls[carrier.id] = (
                    lambda deadline, c=connector: c.request_rate(request, deadline=deadline),
                    carrier.omni_timeout or 10.0,
                )
        quotes = {}
        with ParallelCalls(calls) as pending:
            for carrier in carriers.filtered(lambda c: c.id not in connectors):
                quotes[carrier.id] = self._omni_standard_quote(carrier, request, data)
            outcomes = pending.results()
        for carrier in carriers.filtered(lambda c: c.id in connectors):
            quotes[carrier.id] = self._omni_connector_quote(
                carrier, connectors[carrier.id], request, outcomes[carrier.id], data
            )
        return [quotes[carrier.id] for carrier in carriers]

    @api.model
    def _omni_connector_quote(self, carrier, connector, request, outcome, data):
        order = data["order"]
        if order:
            carrier = carrier.with_context(omni_rate_outcomes={carrier.id: (request, outcome)})
            result = carrier.rate_shipment(order)
        else:
            result = carrier._omni_rate_values(connector, request, outcome, data["currency"])
            if result["success"]:
                result["price"] = carrier._apply_margins(result["price"])
        carrier._omni_log_exchanges(connector, "rate")
        return self._omni_quote_from_result(carrier, result, outcome.elapsed)

    @api.model
    def _omni_standard_quote(self, carrier, request, data):
        """Quote of a carrier without Omni connector, through Odoo's rate_shipment.

        Such carriers may use the ORM, so they run in this thread (while the Omni
        connectors' calls run in theirs); an answer later than the carrier's timeout
        is not used, so a slow carrier cannot decide the choice late.
        """
        order = data["order"]
        if not order:
            return {
                "carrier": carrier,
                "state": "failed",
                "note": self.env._("can only quote a sales order"),
            }
        started = time.monotonic()
        try:
            with self.env.cr.savepoint():
                weight = sum(parcel["weight"] for parcel in data["parcels"])
                result = carrier.with_context(order_weight=weight).rate_shipment(order)
        except Exception as error:  # noqa: BLE001 - a broken carrier is skipped, not fatal
            result = {"success": False, "error_message": str(error) or type(error).__name__}
        elapsed = time.monotonic() - started
        timeout = carrier.omni_timeout or 10.0
        if result.get("success") and elapsed > timeout:
            result = {
                "success": False,
                "omni_error": CarrierTimeout(""),
                "error_message": self.env._(
                    "answered in %(elapsed).1f s, over its %(timeout)s s timeout",
                    elapsed=elapsed,
                    timeout=timeout,
                ),
            }
        return self._omni_quote_from_result(carrier, result, elapsed)

    @api.model
    def _omni_quote_from_result(self, carrier, result, elapsed):
        quote = {"carrier": carrier, "duration_ms": int(elapsed * 1000)}
        if not result.get("success"):
            state = "timeout" if isinstance(result.get("omni_error"), CarrierTimeout) else "failed"
            return {**quote, "state": state, "note": result.get("error_message") or False}
        lead_time = result.get("omni_lead_time_days")
        if lead_time is None and carrier.omni_lead_time_days:
            lead_time = carrier.omni_lead_time_days
        return {
            **quote,
            "state": "quoted",
            "price": result["price"],
            "lead_time_days": lead_time,
            "note": result.get("warning_message") or False,
        }

    # Choice --------------------------------------------------------------------------

    @api.model
    def _omni_choose(self, rule, quotes, facts, data):
        """The quote to use (marked ``chosen``) and a sentence saying why."""
        usable = [quote for quote in quotes if quote["state"] == "quoted"]
        if not usable:
            raise NoCarrierQuote(
                self.env._(
                    "No carrier of rule %(rule)s could quote %(document)s: %(reasons)s.",
                    rule=rule.name,
                    document=data["document"],
                    reasons="; ".join(
                        f"{q['carrier'].name}: {q.get('note') or q['state']}" for q in quotes
                    ),
                )
            )
        if rule.action == "carrier":
            chosen, reason = usable[0], self.env._("carrier of the rule")
        else:
            chosen, reason = self._omni_shop(rule, usable, facts, data)
        chosen["chosen"] = True
        note = self.env._(
            "Rule %(rule)s: %(carrier)s, %(price)s %(currency)s (%(reason)s).",
            rule=rule.name,
            carrier=chosen["carrier"].name,
            price=data["currency"].round(chosen["price"]),
            currency=data["currency"].name,
            reason=reason,
        )
        return chosen, note

    @api.model
    def _omni_shop(self, rule, quotes, facts, data):
        engine_quotes = [
            Quote(
                carrier_id=quote["carrier"].id,
                price=quote["price"],
                lead_time_days=math.inf
                if quote.get("lead_time_days") is None
                else quote["lead_time_days"],
                sequence=quote["carrier"].sequence,
            )
            for quote in quotes
        ]
        max_lead_time = rule.max_lead_time_days or facts.promised_days
        budget = None
        if rule.budget:
            budget = rule.currency_id._convert(
                rule.budget, data["currency"], rule.company_id, fields.Date.context_today(self)
            )
        choice = choose_quote(
            engine_quotes, rule.policy, max_lead_time=max_lead_time, budget=budget
        )
        chosen = next(q for q in quotes if q["carrier"].id == choice.quote.carrier_id)
        return chosen, self._omni_reason(choice.reason, rule, max_lead_time, budget, data)

    @api.model
    def _omni_reason(self, code, rule, max_lead_time, budget, data):
        if code == "cheapest_within_lead_time":
            if max_lead_time is None:
                return self.env._("cheapest quote")
            return self.env._(
                "cheapest delivering within %(days)s days", days=round(max_lead_time, 1)
            )
        if code == "none_within_lead_time":
            return self.env._(
                "no carrier delivers within %(days)s days: fastest quote",
                days=round(max_lead_time, 1),
            )
        if code == "fastest_within_budget":
            if budget is None:
                return self.env._("fastest quote")
            return self.env._(
                "fastest within %(budget)s %(currency)s",
                budget=budget,
                currency=data["currency"].name,
            )
        return self.env._(
            "no carrier fits the %(budget)s %(currency)s budget: cheapest quote",
            budget=budget,
            currency=data["currency"].name,
        )

    # Entry point ---------------------------------------------------------------------

    @api.model
    def _omni_select(self, data, stage):
        """Choose the carrier for the shipment ``data`` describes (see
        ``_omni_shipping_data`` of orders and pickings); record the quotes.

        Every check that can fail without asking a carrier (addresses, weight, rules,
        carriers' limits) runs first. Returns a dict: carrier, price, rule, note,
        quotes (the omni.carrier.quote records).
        """
        request = self._omni_request(data)
        facts = self._omni_facts(data)
        rules = self._omni_rules(data["company"])
        self._omni_check_weight(facts, rules, data)
        rule = self._omni_match_rule(rules, facts, data)
        carriers, excluded = self._omni_filter_candidates(rule, facts, data)
        quotes = excluded + self._omni_collect_quotes(carriers, request, data)
        try:
            chosen, note = self._omni_choose(rule, quotes, facts, data)
        finally:
            records = self._omni_record_quotes(quotes, rule, stage, data)
        return {
            "carrier": chosen["carrier"],
            "price": chosen["price"],
            "rule": rule,
            "note": note,
            "warning": chosen.get("note") or False,
            "quotes": records,
        }

    @api.model
    def _omni_record_quotes(self, quotes, rule, stage, data):
        context = {
            "run_ref": uuid.uuid4().hex[:12],
            "stage": stage,
            "rule_id": rule.id,
            "company_id": data["company"].id,
            "currency_id": data["currency"].id,
            "order_id": data["order"].id,
            "picking_id": data["picking"].id,
        }
        Quote = self.env["omni.carrier.quote"]
        return Quote.create([Quote._prepare_quote_vals(quote, context) for quote in quotes])
