"""Costing orders in batches: the facts of a batch read in a few queries, the engine
costs them, the difference with what was posted is posted (cost lines and their
analytic lines) and each order's cost record is brought up to date, all set-based."""

import logging
import threading
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine import costing

_logger = logging.getLogger(__name__)

BATCH_SIZE = 2000


class OmniCostService(models.AbstractModel):
    _name = "omni.cost.service"
    _description = "Order Costing"

    # Entry points -------------------------------------------------------------------

    @api.model
    def _check_may_cost(self):
        """Costing writes postings: for those who may write order costs."""
        self.env["omni.order.cost"].check_access("write")

    @api.model
    def _cron_cost_orders(self, days=None, batch_size=BATCH_SIZE):
        """Cost the orders of the last ``days`` (the companies' costing window) that
        delivered something or were costed before, committing batch by batch."""
        order_ids = self._candidate_order_ids(days)
        _logger.info("Costing %s orders", len(order_ids))
        for start in range(0, len(order_ids), batch_size):
            self._cost_orders(order_ids[start : start + batch_size])
            if not (
                getattr(threading.current_thread(), "testing", False)
                or self.env.context.get("omni_cost_no_commit")
            ):
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return len(order_ids)

    @api.model
    def _candidate_order_ids(self, days=None):
        since = fields.Datetime.now() - timedelta(days=days or 90)
        self.env.cr.execute(
            SQL(
                """
                SELECT so.id FROM sale_order so
                 WHERE so.date_order >= %(since)s
                   AND (EXISTS (SELECT 1 FROM stock_picking p
                                 WHERE p.sale_id = so.id AND p.state = 'done')
                        OR EXISTS (SELECT 1 FROM omni_order_cost c WHERE c.order_id = so.id))
                 ORDER BY so.id
                """,
                since=since,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _cost_orders(self, order_ids, raise_on_problems=False):
        """Cost ``order_ids`` and post what changed. Returns the engine's result
        (items wanted, problems). With ``raise_on_problems``, an order missing a rate
        stops everything with a UserError naming what to set."""
        self._check_may_cost()
        order_ids = list(dict.fromkeys(order_ids))
        if not order_ids:
            return costing.Result()
        self.env.flush_all()
        facts = self._read_facts(order_ids)
        result = costing.cost_orders(
            facts["orders"],
            facts["transfers"],
            facts["shipments"],
            facts["returns"],
            facts["rates"],
        )
        if result.problems and raise_on_problems:
            raise UserError(self._problems_message(result.problems, facts))
        posted = self._posted(order_ids)
        blocked = result.problem_orders()
        deltas = costing.deltas(
            result.items, posted, [order_id for order_id in order_ids if order_id not in blocked]
        )
        cost_ids = self._write_costs(order_ids, facts, result, posted, deltas)
        self._post(deltas, facts, cost_ids)
        self.env.invalidate_all()
        return result

    # Facts --------------------------------------------------------------------------

    def _fetch(self, query):
        self.env.cr.execute(query)
        return self.env.cr.dictfetchall()

    @api.model
    def _read_facts(self, order_ids):
        orders_rows = self._fetch(self._orders_query(order_ids))
        transfers_rows = self._fetch(self._transfers_query(order_ids))
        shipments_rows = self._fetch(self._shipments_query(order_ids))
        returns_rows = self._fetch(self._returns_query(order_ids))
        warehouse_ids = (
            {row["warehouse_id"] for row in transfers_rows + shipments_rows + returns_rows}
            | {row["warehouse_id"] for row in orders_rows}
        ) - {None}
        places = {row["id"]: row for row in self._fetch(self._places_query(warehouse_ids))}
        companies = {row["company_id"] for row in orders_rows}
        rate_tables = self._rate_tables(companies, shipments_rows)
        orders = {}
        for row in orders_rows:
            table = rate_tables[row["company_id"]]
            rate = row["currency_rate"] or 1.0
            orders[row["id"]] = costing.Order(
                id=row["id"],
                cancelled=row["state"] == "cancel",
                channel_id=row["team_id"],
                warehouse_id=row["warehouse_id"],
                amount_total=(row["amount_total"] or 0.0) / rate,
                fee_percent=row["fee_percent"] or 0.0,
                fee_fixed=row["fee_fixed"] or 0.0,
            )
            row["revenue"] = (row["amount_untaxed"] or 0.0) / rate
            row["table"] = table
        transfers = [
            costing.Transfer(
                id=row["id"],
                order_id=row["order_id"],
                warehouse_id=row["warehouse_id"],
                route_length=row["route_length"] or 0.0,
                lines=row["lines"] or 0,
                units=row["units"] or 0.0,
                parcels=row["parcels"] or 0,
                packaging_cost=row["packaging_cost"] or 0.0,
                operator_minutes=row["operator_minutes"] or 0.0,
            )
            for row in transfers_rows
        ]
        shipments = []
        for row in shipments_rows:
            if row["order_id"] not in orders:
                continue
            table = rate_tables[row["company_id"]]
            actual = None
            if row["invoice_amount"] is not None:
                actual = table.to_company(
                    row["invoice_amount"], row["invoice_currency_id"], row["invoice_date"]
                )
            shipments.append(
                costing.Shipment(
                    id=row["id"],
                    order_id=row["order_id"],
                    warehouse_id=row["warehouse_id"],
                    carrier_id=row["carrier_id"],
                    estimated=table.to_company(row["price"], row["currency_id"], row["day"]),
                    actual=actual,
                    kind=row["kind"],
                )
            )
        returns = [
            costing.ReturnWork(
                id=row["id"],
                order_id=row["order_id"],
                warehouse_id=row["warehouse_id"],
                inspected_units=row["units"] or 0.0,
                loss=row["loss"] or 0.0,
            )
            for row in returns_rows
        ]
        rates = {
            warehouse_id: costing.PlaceRates(
                labour_rate=row["labour_rate"] or 0.0,
                walk_speed=row["walk_speed"] or 0.0,
                line_seconds=row["line_seconds"] or 0.0,
                unit_seconds=row["unit_seconds"] or 0.0,
                parcel_seconds=row["parcel_seconds"] or 0.0,
                store_order_minutes=row["store_order_minutes"] or 0.0,
                inspection_seconds=row["inspection_seconds"] or 0.0,
                is_store=bool(row["is_store"]),
            )
            for warehouse_id, row in places.items()
        }
        return {
            "orders": orders,
            "order_rows": {row["id"]: row for row in orders_rows},
            "transfers": transfers,
            "shipments": shipments,
            "returns": returns,
            "rates": rates,
            "places": places,
        }

    @api.model
    def _orders_query(self, order_ids):
        return SQL(
            """
            SELECT so.id, so.name, so.company_id, so.state, so.team_id, so.warehouse_id,
                   so.date_order::date AS day, so.amount_untaxed, so.amount_total,
                   so.currency_rate, so.partner_id,
                   team.omni_fee_percent AS fee_percent, team.omni_fee_fixed AS fee_fixed,
                   (SELECT pt.categ_id
                      FROM sale_order_line sol
                      JOIN product_product pp ON pp.id = sol.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                     WHERE sol.order_id = so.id AND pt.type = 'consu'
                     ORDER BY sol.price_subtotal DESC, sol.id LIMIT 1) AS categ_id,
                   (SELECT SUM(sol.qty_delivered)
                      FROM sale_order_line sol
                      JOIN product_product pp ON pp.id = sol.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                     WHERE sol.order_id = so.id AND pt.type = 'consu') AS units,
                   (SELECT -SUM(svl.value)
                      FROM sale_order_line sol
                      JOIN stock_move sm ON sm.sale_line_id = sol.id
                      JOIN stock_valuation_layer svl ON svl.stock_move_id = sm.id
                     WHERE sol.order_id = so.id) AS cogs
              FROM sale_order so
              LEFT JOIN crm_team team ON team.id = so.team_id
             WHERE so.id = ANY(%(ids)s)
            """,
            ids=order_ids,
        )

    @api.model
    def _transfers_query(self, order_ids):
        """Done deliveries of the orders: lines, units, parcels and their packaging,
        and the operators' time when it was measured on a wave."""
        return SQL(
            """
            WITH pickings AS (
                SELECT p.id, p.sale_id AS order_id, spt.warehouse_id,
                       COALESCE(p.omni_route_length, 0) AS route_length
                  FROM stock_picking p
                  JOIN stock_picking_type spt ON spt.id = p.picking_type_id
                 WHERE p.sale_id = ANY(%(ids)s) AND p.state = 'done'
                   AND spt.code = 'outgoing'
            ), moves AS (
                SELECT sm.picking_id, COUNT(*) AS lines, SUM(sm.quantity) AS units
                  FROM stock_move sm
                 WHERE sm.picking_id IN (SELECT id FROM pickings) AND sm.state = 'done'
                 GROUP BY sm.picking_id
            ), packages AS (
                SELECT pk.picking_id, COUNT(*) AS parcels,
                       SUM(COALESCE(spt.omni_cost_amount, 0)) AS packaging_cost
                  FROM (SELECT DISTINCT sml.picking_id, sml.result_package_id
                          FROM stock_move_line sml
                         WHERE sml.picking_id IN (SELECT id FROM pickings)
                           AND sml.result_package_id IS NOT NULL) pk
                  JOIN stock_quant_package q ON q.id = pk.result_package_id
                  LEFT JOIN stock_package_type spt ON spt.id = q.package_type_id
                 GROUP BY pk.picking_id
            ), operators AS (
                -- operator time measured on waves (Omni Warehouse's productivity):
                -- the waves of these deliveries only, the view's partitions
                SELECT sml.picking_id, SUM(prod.hours) * 60 AS minutes
                  FROM omni_pick_productivity prod
                  JOIN stock_move_line sml ON sml.id = prod.id
                 WHERE prod.batch_id IN (SELECT sp.batch_id FROM stock_picking sp
                                          WHERE sp.id IN (SELECT id FROM pickings)
                                            AND sp.batch_id IS NOT NULL)
                   AND sml.picking_id IN (SELECT id FROM pickings)
                 GROUP BY sml.picking_id
            )
            SELECT p.id, p.order_id, p.warehouse_id, p.route_length,
                   m.lines, m.units, pa.parcels, pa.packaging_cost,
                   o.minutes AS operator_minutes
              FROM pickings p
              JOIN moves m ON m.picking_id = p.id
              LEFT JOIN packages pa ON pa.picking_id = p.id
              LEFT JOIN operators o ON o.picking_id = p.id
             ORDER BY p.id
            """,
            ids=order_ids,
        )

    @api.model
    def _shipments_query(self, order_ids):
        """Labels of the orders' deliveries, and the return labels the company pays,
        with the amount of the last confirmed carrier invoice that billed them."""
        return SQL(
            """
            WITH shipments AS (
                SELECT s.id, s.kind, s.carrier_id, s.company_id, s.price, s.currency_id,
                       s.create_date::date AS day, spt.warehouse_id, p.sale_id AS order_id
                  FROM omni_shipment s
                  JOIN stock_picking p ON p.id = s.picking_id
                  JOIN stock_picking_type spt ON spt.id = p.picking_type_id
                 WHERE s.state = 'done' AND s.kind = 'outbound' AND p.state = 'done'
                   AND p.sale_id = ANY(%(ids)s)
                UNION ALL
                SELECT s.id, s.kind, s.carrier_id, s.company_id, s.price, s.currency_id,
                       s.create_date::date, r.warehouse_id, r.sale_order_id
                  FROM omni_shipment s
                  JOIN stock_picking p ON p.id = s.picking_id
                  JOIN omni_return r ON r.id = p.omni_return_id
                 WHERE s.state = 'done' AND s.kind = 'return' AND p.state != 'cancel'
                   AND r.sale_order_id = ANY(%(ids)s)
                   AND NOT COALESCE(r.label_charged, FALSE)
                   AND r.state NOT IN ('refused', 'cancel')
            )
            SELECT s.*, inv.amount AS invoice_amount, inv.currency_id AS invoice_currency_id,
                   inv.date AS invoice_date
              FROM shipments s
              LEFT JOIN LATERAL (
                    SELECT l.amount_total AS amount, i.currency_id, i.date
                      FROM omni_carrier_invoice_line l
                      JOIN omni_carrier_invoice i ON i.id = l.invoice_id
                     WHERE l.shipment_id = s.id AND i.state = 'done' AND l.counts_as_actual
                     ORDER BY i.date DESC, l.id DESC
                     LIMIT 1
              ) inv ON TRUE
             ORDER BY s.id
            """,
            ids=order_ids,
        )

    @api.model
    def _returns_query(self, order_ids):
        """Units of the orders' returns inspected, and the value lost on their grades."""
        return SQL(
            """
            SELECT r.id, r.sale_order_id AS order_id, r.warehouse_id,
                   SUM(g.quantity) AS units,
                   SUM(g.quantity
                       * COALESCE((pp.standard_price ->> r.company_id::text)::numeric, 0)
                       * COALESCE(grade.omni_loss_percent, 0) / 100.0) AS loss
              FROM omni_return r
              JOIN omni_return_grading g ON g.return_id = r.id
              JOIN omni_return_grade grade ON grade.id = g.grade_id
              JOIN product_product pp ON pp.id = g.product_id
             WHERE r.sale_order_id = ANY(%(ids)s) AND r.state NOT IN ('refused', 'cancel')
             GROUP BY r.id
             ORDER BY r.id
            """,
            ids=order_ids,
        )

    @api.model
    def _places_query(self, warehouse_ids):
        return SQL(
            """
            SELECT id, name, company_id, omni_is_store AS is_store,
                   omni_cost_labour_rate AS labour_rate, omni_cost_walk_speed AS walk_speed,
                   omni_cost_line_seconds AS line_seconds,
                   omni_cost_unit_seconds AS unit_seconds,
                   omni_cost_parcel_seconds AS parcel_seconds,
                   omni_cost_store_order_minutes AS store_order_minutes,
                   omni_cost_inspection_seconds AS inspection_seconds
              FROM stock_warehouse WHERE id = ANY(%(ids)s)
            """,
            ids=list(warehouse_ids),
        )

    @api.model
    def _rate_tables(self, company_ids, shipment_rows):
        """A RateTable per company, of the currencies the batch's documents are in."""
        companies = self.env["res.company"].browse(company_ids)
        currency_ids = {row["currency_id"] for row in shipment_rows} | {
            row["invoice_currency_id"] for row in shipment_rows
        }
        tables = {}
        for company in companies:
            ids = list((currency_ids | {company.currency_id.id}) - {None})
            rows = self._fetch(
                SQL(
                    """
                    SELECT DISTINCT ON (currency_id, name) currency_id, name, rate
                      FROM res_currency_rate
                     WHERE currency_id = ANY(%(ids)s)
                       AND (company_id = %(company)s OR company_id IS NULL)
                     ORDER BY currency_id, name, company_id NULLS LAST
                    """,
                    ids=ids,
                    company=company.root_id.id,
                )
            )
            tables[company.id] = costing.RateTable(
                [(row["currency_id"], row["name"], row["rate"]) for row in rows],
                company.currency_id.id,
            )
        return tables

    @api.model
    def _posted(self, order_ids):
        rows = self._fetch(
            SQL(
                """
                SELECT order_id, component, source_model, source_id, cost_state,
                       warehouse_id, carrier_id, SUM(amount) AS amount
                  FROM omni_order_cost_line
                 WHERE order_id = ANY(%(ids)s)
                 GROUP BY order_id, component, source_model, source_id, cost_state,
                          warehouse_id, carrier_id
                """,
                ids=order_ids,
            )
        )
        return {
            (
                row["order_id"],
                row["component"],
                row["source_model"],
                row["source_id"],
                row["cost_state"],
                row["warehouse_id"],
                row["carrier_id"],
            ): row["amount"]
            for row in rows
        }

    @api.model
    def _problems_message(self, problems, facts):
        texts = {
            costing.MISSING_LABOUR_RATE: self.env._("no labour rate per hour"),
            costing.MISSING_STORE_RATE: self.env._("no labour rate per hour for the store"),
            costing.MISSING_WALK_SPEED: self.env._("no walking speed"),
        }
        lines = sorted(
            {
                self.env._(
                    "%(order)s: %(place)s has %(problem)s",
                    order=facts["order_rows"][problem.order_id]["name"],
                    place=facts["places"].get(problem.warehouse_id, {}).get("name", "?"),
                    problem=texts[problem.code],
                )
                for problem in problems
            }
        )
        return self.env._(
            "These orders cannot be costed; set the rates of their warehouses and stores "
            "(Inventory > Configuration > Warehouses, Fulfilment Costs tab):\n%(lines)s",
            lines="\n".join(lines),
        )

    # Writing ------------------------------------------------------------------------

    @api.model
    def _write_costs(self, order_ids, facts, result, posted, deltas):
        """Each order's cost record brought up to date (one upsert for the batch);
        {order id: cost id}."""
        amounts = defaultdict(lambda: defaultdict(float))
        carriers = defaultdict(dict)
        for key, amount in posted.items():
            self._add_amounts(amounts, carriers, key, amount)
        for item in deltas:
            self._add_amounts(amounts, carriers, item.key, item.amount)
        places = defaultdict(list)
        for transfer in facts["transfers"]:
            if transfer.warehouse_id not in places[transfer.order_id]:
                places[transfer.order_id].append(transfer.warehouse_id)
        problems = defaultdict(list)
        for problem in result.problems:
            problems[problem.order_id].append(problem)
        now = fields.Datetime.now()
        rows = []
        for order_id in order_ids:
            row = facts["order_rows"].get(order_id)
            if not row:
                continue
            values = amounts[order_id]
            if (
                not values
                and not problems.get(order_id)
                and not any(key[0] == order_id for key in posted)
            ):
                continue
            rows.append(
                self._prepare_cost_row(
                    row,
                    values,
                    carriers[order_id],
                    places[order_id],
                    problems[order_id],
                    facts,
                    now,
                )
            )
        if not rows:
            return {}
        return self._upsert_costs(rows)

    @staticmethod
    def _add_amounts(amounts, carriers, key, amount):
        order_id, component, _model, _source, state, _warehouse, carrier_id = key
        values = amounts[order_id]
        values[component] += amount
        values[state] += amount
        if component == costing.CARRIER and carrier_id:
            carriers[order_id].setdefault(carrier_id, defaultdict(float))
            carriers[order_id][carrier_id][state] += amount

    @api.model
    def _prepare_cost_row(self, row, values, carriers, places, problems, facts, now):
        total = round(sum(values.get(code, 0.0) for code in costing.COMPONENTS), 2)
        units = row["units"] or 0.0
        cogs = round(row["cogs"] or 0.0, 2)
        revenue = round(row["revenue"], 2)
        margin = round(revenue - cogs - total, 2)
        carrier_state = "none"
        carrier_id = None
        if carriers:
            carrier_id = max(carriers, key=lambda cid: sum(carriers[cid].values()))
            still_estimated = any(
                abs(amounts.get(costing.ESTIMATED, 0.0)) > 0.005 for amounts in carriers.values()
            )
            carrier_state = "estimated" if still_estimated else "actual"
        warehouse_id = places[0] if places else row["warehouse_id"]
        place = facts["places"].get(warehouse_id) or {}
        state = "costed"
        if row["state"] == "cancel":
            state = "cancelled"
        elif problems:
            state = "missing_rates"
        return {
            "order_id": row["id"],
            "company_id": row["company_id"],
            "team_id": row["team_id"],
            "warehouse_id": warehouse_id,
            "is_store": bool(place.get("is_store")),
            "split": len(places) > 1,
            "carrier_id": carrier_id,
            "categ_id": row["categ_id"],
            "date": row["day"],
            "state": state,
            "carrier_state": carrier_state,
            "note": self._problems_message(problems, facts) if problems else None,
            "costing_date": now,
            "units": units,
            **{f"amount_{code}": round(values.get(code, 0.0), 2) for code in costing.COMPONENTS},
            "amount_estimated": round(values.get(costing.ESTIMATED, 0.0), 2),
            "amount_actual": round(values.get(costing.ACTUAL, 0.0), 2),
            "amount_total": total,
            "cost_per_unit": round(total / units, 2) if units else 0.0,
            "revenue": revenue,
            "cogs": cogs,
            "margin": margin,
            "margin_percent": round(100.0 * margin / revenue, 2) if revenue else 0.0,
        }

    @api.model
    def _upsert_costs(self, rows):
        columns = list(rows[0])
        uid = self.env.uid
        now = fields.Datetime.now()
        values = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s)",
                SQL(", ").join(row[col] for col in columns),
                uid,
                now,
                uid,
                now,
            )
            for row in rows
        )
        updates = SQL(", ").join(
            SQL("%s = EXCLUDED.%s", SQL.identifier(col), SQL.identifier(col))
            for col in columns
            if col != "order_id"
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO omni_order_cost (%s, create_uid, create_date, write_uid, write_date)
                VALUES %s
                ON CONFLICT (order_id) DO UPDATE SET %s, write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                RETURNING order_id, id
                """,
                SQL(", ").join(SQL.identifier(col) for col in columns),
                values,
                updates,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _post(self, deltas, facts, cost_ids):
        """The cost lines of ``deltas`` and their analytic lines, in two inserts."""
        if not deltas:
            return
        accounts = self.env["account.analytic.account"]._omni_cost_accounts(deltas, facts)
        today = fields.Date.context_today(self)
        order_rows = facts["order_rows"]
        columns = defaultdict(list)
        for item in deltas:
            row = order_rows[item.order_id]
            columns["cost_id"].append(cost_ids[item.order_id])
            columns["order_id"].append(item.order_id)
            columns["company_id"].append(row["company_id"])
            columns["date"].append(today)
            columns["component"].append(item.component)
            columns["cost_state"].append(item.state)
            columns["source_model"].append(item.source_model)
            columns["source_id"].append(item.source_id)
            columns["amount"].append(item.amount)
            columns["minutes"].append(round(item.minutes, 2))
            columns["team_id"].append(row["team_id"])
            columns["warehouse_id"].append(item.warehouse_id)
            columns["carrier_id"].append(item.carrier_id)
            columns["is_reversal"].append(item.amount < 0)
            columns["account_id"].append(accounts[item.key])
        line_ids = self._insert_lines(columns)
        self._insert_analytic_lines(line_ids, columns)
        self._post_accruals(deltas, facts)

    @api.model
    def _post_accruals(self, deltas, facts):
        """For companies accruing carrier costs: one journal entry per company and
        batch for the change of the quoted carrier costs (labels made, quotes replaced
        by invoices, orders cancelled), by carrier."""
        by_company = defaultdict(lambda: defaultdict(float))
        for item in deltas:
            if item.state == costing.ESTIMATED and item.source_model == "omni.shipment":
                company_id = facts["order_rows"][item.order_id]["company_id"]
                by_company[company_id][item.carrier_id] += item.amount
        companies = self.env["res.company"].browse(list(by_company)).filtered("omni_cost_accrual")
        # sudo: whoever may cost orders posts their accruals (checked in _cost_orders)
        moves = self.env["account.move"].sudo()
        for company in companies:
            vals = self._prepare_accrual_move_vals(company, by_company[company.id])
            if vals["line_ids"]:
                moves |= moves.create(vals)
        moves.action_post()
        return moves

    @api.model
    def _prepare_accrual_move_vals(self, company, amounts):
        carriers = self.env["delivery.carrier"].browse([cid for cid in amounts if cid])
        names = {carrier.id: carrier.name for carrier in carriers}
        lines = []
        for carrier_id, amount in sorted(amounts.items(), key=lambda pair: pair[0] or 0):
            amount = company.currency_id.round(amount)
            if company.currency_id.is_zero(amount):
                continue
            label = self.env._(
                "Carrier costs accrued: %(carrier)s", carrier=names.get(carrier_id, "")
            )
            for account, sign in (
                (company.omni_cost_expense_account_id, 1),
                (company.omni_cost_accrued_account_id, -1),
            ):
                balance = sign * amount
                lines.append(
                    Command.create(
                        {
                            "name": label,
                            "account_id": account.id,
                            "debit": max(balance, 0.0),
                            "credit": max(-balance, 0.0),
                        }
                    )
                )
        return {
            "move_type": "entry",
            "company_id": company.id,
            "journal_id": company.omni_cost_accrual_journal_id.id,
            "date": fields.Date.context_today(self),
            "ref": self.env._("Order costing: carrier costs accrued"),
            "line_ids": lines,
        }

    @api.model
    def _insert_lines(self, columns):
        types = {
            "cost_id": "int4",
            "order_id": "int4",
            "company_id": "int4",
            "date": "date",
            "component": "varchar",
            "cost_state": "varchar",
            "source_model": "varchar",
            "source_id": "int4",
            "amount": "numeric",
            "minutes": "float8",
            "team_id": "int4",
            "warehouse_id": "int4",
            "carrier_id": "int4",
            "is_reversal": "bool",
        }
        names = list(types)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO omni_order_cost_line (%s, create_uid, create_date, write_uid,
                                                  write_date)
                SELECT *, %s, now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC'
                  FROM unnest(%s)
                RETURNING id
                """,
                SQL(", ").join(SQL.identifier(name) for name in names),
                self.env.uid,
                self.env.uid,
                SQL(", ").join(SQL("%s::%s[]", columns[name], SQL(types[name])) for name in names),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _insert_analytic_lines(self, line_ids, columns):
        """An analytic line per cost line, on the fulfilment plan (costs are negative
        amounts in analytic accounting), telling the order, channel, place and carrier."""
        plan = self.env["account.analytic.plan"]._omni_cost_plan()
        column = plan._column_name()
        # the components' names in the language of whoever costs (the company's, at night)
        labels = dict(
            self.env["omni.order.cost.line"]._fields["component"]._description_selection(self.env)
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO account_analytic_line
                       (name, date, amount, unit_amount, company_id, currency_id, category,
                        %(column)s, user_id, partner_id, omni_cost_line_id, omni_order_id,
                        omni_component, omni_cost_state, omni_team_id, omni_warehouse_id,
                        omni_carrier_id, create_uid, create_date, write_uid, write_date)
                SELECT so.name || ' - ' || COALESCE(label.name, l.component)
                       || CASE WHEN l.cost_state = 'actual' THEN %(actual)s ELSE '' END,
                       l.date, -l.amount, l.minutes / 60.0,
                       l.company_id, company.currency_id, 'other', data.account_id,
                       %(uid)s, so.partner_id, l.id, l.order_id, l.component, l.cost_state,
                       l.team_id, l.warehouse_id, l.carrier_id,
                       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM unnest(%(ids)s::int4[], %(accounts)s::int4[]) AS data(line_id, account_id)
                  JOIN omni_order_cost_line l ON l.id = data.line_id
                  JOIN sale_order so ON so.id = l.order_id
                  JOIN res_company company ON company.id = l.company_id
                  LEFT JOIN unnest(%(codes)s::varchar[], %(labels)s::varchar[])
                            AS label(code, name) ON label.code = l.component
                """,
                column=SQL.identifier(column),
                codes=list(labels),
                labels=list(labels.values()),
                actual=" (%s)" % self.env._("invoiced"),
                uid=self.env.uid,
                ids=line_ids,
                accounts=columns["account_id"],
            )
        )
