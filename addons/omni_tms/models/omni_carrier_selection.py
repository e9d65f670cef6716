"""Choosing the carrier of an order or a picking: checks, rules, rate shopping."""

import math
import time
import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..connector import CarrierTimeout, ParallelCalls
from ..engine import Quote, ShipmentFacts, choose_quote, select_rule


class NoCarrierQuote(UserError):
    """Every carrier asked failed or timed out: nothing is wrong with the shipment."""


class OmniCarrierSelection(models.AbstractModel):
    """Gathers a shipment's data, checks it, applies the carrier rules and, for rate
    shopping, asks the candidate carriers in parallel; records every quote."""

    _name = "omni.carrier.selection"
    _description = "Carrier Selection"

    # Facts ---------------------------------------------------------------------------

    @api.model
    def _omni_database_weight(self, weight):
        """``weight`` (kg) in the database's weight unit."""
        weight_uom, _length_uom, kg, _cm = self.env["omni.shipping.document"]._omni_units()
        return kg._compute_quantity(weight, weight_uom, round=False)

    @api.model
    def _omni_facts(self, shipment):
        """What the rules look at in ``shipment`` (database units, company currency)."""
        _weight_uom, length_uom, _kg, cm = self.env["omni.shipping.document"]._omni_units()
        weights = [self._omni_database_weight(parcel.weight) for parcel in shipment.parcels]
        lengths = [
            cm._compute_quantity(
                max(parcel.length, parcel.width, parcel.height), length_uom, round=False
            )
            for parcel in shipment.parcels
        ]
        country = self.env["res.country"].search(
            [("code", "=", shipment.recipient.country_code)], limit=1
        )
        zones = self.env["res.country.group"].search([("country_ids", "in", country.ids)])
        return ShipmentFacts(
            weight=sum(weights),
            parcel_weight=max(weights),
            length=max(lengths) if any(lengths) else None,
            package_type_ids=shipment.package_type_ids,
            country_id=country.id or None,
            zone_ids=frozenset(zones.ids),
            zip=shipment.recipient.zip,
            service_level=shipment.service_level,
            channel_id=shipment.channel_id,
            amount=shipment.amount,
            promised_days=shipment.promised_days,
        )

    # Checks and rules ------------------------------------------------------------------

    @api.model
    def _omni_rules(self, company):
        return self.env["omni.carrier.rule"].search([("company_id", "=", company.id)])

    @api.model
    def _omni_check_weight(self, facts, rules, shipment):
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
                    document=shipment.reference,
                    weight=round(facts.heaviest_parcel, 3),
                    limit=heaviest.max_weight,
                    uom=heaviest.weight_uom_name,
                    carrier=heaviest.name,
                )
            )

    @api.model
    def _omni_match_rule(self, rules, facts, shipment):
        match = select_rule(rules._omni_specs(), facts)
        if match.rule:
            return rules.browse(match.rule.id)
        recipient = shipment.recipient
        channel = self.env["crm.team"].browse(shipment.channel_id)
        raise UserError(
            self.env._(
                "No carrier rule covers %(document)s: %(weight)s %(uom)s to %(zip)s "
                "%(city)s (%(country)s), %(service)s service%(channel)s. Add or widen a "
                "rule in Omni > Configuration > Carrier Rules.",
                document=shipment.reference,
                weight=round(facts.weight, 3),
                uom=self.env["product.template"]._get_weight_uom_name_from_ir_config_parameter(),
                zip=recipient.zip,
                city=recipient.city,
                country=recipient.country_name,
                service=dict(
                    self.env["omni.carrier.rule"]
                    ._fields["service_level"]
                    ._description_selection(self.env)
                ).get(facts.service_level, facts.service_level),
                channel=self.env._(", channel %(channel)s", channel=channel.name)
                if channel
                else "",
            )
        )

    @api.model
    def _omni_filter_candidates(self, rule, facts, shipment, recipient):
        """(carriers to ask, quotes of the carriers left out and why); ``recipient`` is
        the partner the shipment goes to."""
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
            elif not carrier._match_address(recipient):
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
                    document=shipment.reference,
                    reasons="; ".join(f"{q['carrier'].name} {q['note']}" for q in excluded),
                )
            )
        return asked, excluded

    # Quotes --------------------------------------------------------------------------

    @api.model
    def _omni_collect_quotes(self, carriers, shipment, order, currency):
        """Quotes of ``carriers`` for ``shipment`` (of ``order``, if any; prices in
        ``currency``): Omni connectors in parallel threads (network only), the other
        carriers meanwhile in this thread, one after the other."""
        connectors, calls = {}, {}
        for carrier in carriers:
            connector = carrier._omni_connector()
            if connector:
                connectors[carrier.id] = connector
                calls[carrier.id] = (
                    lambda deadline, c=connector: c.request_rate(shipment, deadline=deadline),
                    carrier.omni_timeout or 10.0,
                )
        quotes = {}
        with ParallelCalls(calls) as pending:
            for carrier in carriers.filtered(lambda c: c.id not in connectors):
                quotes[carrier.id] = self._omni_standard_quote(carrier, shipment, order)
            outcomes = pending.results()
        for carrier in carriers.filtered(lambda c: c.id in connectors):
            quotes[carrier.id] = self._omni_connector_quote(
                carrier, connectors[carrier.id], shipment, outcomes[carrier.id], order, currency
            )
        return [quotes[carrier.id] for carrier in carriers]

    @api.model
    def _omni_connector_quote(self, carrier, connector, shipment, outcome, order, currency):
        """The quote of an Omni connector from the ``outcome`` of its rate call: Odoo's
        rate of the order (taxes, margins, free shipping), else the carrier's price with
        its margins."""
        if order:
            result = carrier._omni_rate_order(order, shipment, outcome)
        else:
            result = carrier._omni_rate_values(connector, shipment, outcome, currency)
            if result["success"]:
                result["price"] = carrier._apply_margins(result["price"])
        carrier._omni_log_exchanges(connector, "rate")
        return self._omni_quote_from_result(carrier, result, outcome.elapsed)

    @api.model
    def _omni_standard_quote(self, carrier, shipment, order):
        """Quote of a carrier without Omni connector, through Odoo's rate_shipment.

        Such carriers may use the ORM, so they run in this thread (while the Omni
        connectors' calls run in theirs); an answer later than the carrier's timeout
        is not used, so a slow carrier cannot decide the choice late.
        """
        if not order:
            return {
                "carrier": carrier,
                "state": "failed",
                "note": self.env._("can only quote a sales order"),
            }
        started = time.monotonic()
        try:
            with self.env.cr.savepoint():
                weight = self._omni_database_weight(shipment.weight)
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
    def _omni_choose(self, rule, quotes, facts, shipment, currency):
        """The quote to use (marked ``chosen``) and a sentence saying why."""
        usable = [quote for quote in quotes if quote["state"] == "quoted"]
        if not usable:
            raise NoCarrierQuote(
                self.env._(
                    "No carrier of rule %(rule)s could quote %(document)s: %(reasons)s.",
                    rule=rule.name,
                    document=shipment.reference,
                    reasons="; ".join(
                        f"{q['carrier'].name}: {q.get('note') or q['state']}" for q in quotes
                    ),
                )
            )
        if rule.action == "carrier":
            chosen, reason = usable[0], self.env._("carrier of the rule")
        else:
            chosen, reason = self._omni_shop(rule, usable, facts, currency)
        chosen["chosen"] = True
        note = self.env._(
            "Rule %(rule)s: %(carrier)s, %(price)s %(currency)s (%(reason)s).",
            rule=rule.name,
            carrier=chosen["carrier"].name,
            price=currency.round(chosen["price"]),
            currency=currency.name,
            reason=reason,
        )
        return chosen, note

    @api.model
    def _omni_shop(self, rule, quotes, facts, currency):
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
                rule.budget, currency, rule.company_id, fields.Date.context_today(self)
            )
        choice = choose_quote(
            engine_quotes, rule.policy, max_lead_time=max_lead_time, budget=budget
        )
        chosen = next(q for q in quotes if q["carrier"].id == choice.quote.carrier_id)
        return chosen, self._omni_reason(choice.reason, max_lead_time, budget, currency)

    @api.model
    def _omni_reason(self, code, max_lead_time, budget, currency):
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
                currency=currency.name,
            )
        return self.env._(
            "no carrier fits the %(budget)s %(currency)s budget: cheapest quote",
            budget=budget,
            currency=currency.name,
        )

    # Entry point ---------------------------------------------------------------------

    @api.model
    def _omni_select(self, shipment, stage, order, picking=None):
        """Choose the carrier of ``shipment``, the ``_omni_shipping_data`` of ``order``
        (stage "order") or of ``picking`` (stage "packing", ``order`` being its sales
        order, if any); record the quotes.

        Every check that can fail without asking a carrier (addresses, weight, rules,
        carriers' limits) runs first. Returns a dict: carrier, price, rule, note,
        quotes (the omni.carrier.quote records).
        """
        picking = picking or self.env["stock.picking"]
        company = (picking or order).company_id
        currency = order.currency_id or company.currency_id
        facts = self._omni_facts(shipment)
        rules = self._omni_rules(company)
        self._omni_check_weight(facts, rules, shipment)
        rule = self._omni_match_rule(rules, facts, shipment)
        recipient = picking.partner_id if picking else order.partner_shipping_id
        carriers, excluded = self._omni_filter_candidates(rule, facts, shipment, recipient)
        quotes = excluded + self._omni_collect_quotes(carriers, shipment, order, currency)
        try:
            chosen, note = self._omni_choose(rule, quotes, facts, shipment, currency)
        finally:
            records = self._omni_record_quotes(quotes, rule, stage, order, picking)
        return {
            "carrier": chosen["carrier"],
            "price": chosen["price"],
            "rule": rule,
            "note": note,
            "warning": chosen.get("note") or False,
            "quotes": records,
        }

    @api.model
    def _omni_record_quotes(self, quotes, rule, stage, order, picking):
        company = (picking or order).company_id
        context = {
            "run_ref": uuid.uuid4().hex[:12],
            "stage": stage,
            "rule_id": rule.id,
            "company_id": company.id,
            "currency_id": (order.currency_id or company.currency_id).id,
            "order_id": order.id,
            "picking_id": picking.id,
        }
        Quote = self.env["omni.carrier.quote"]
        return Quote.create([Quote._prepare_quote_vals(quote, context) for quote in quotes])
