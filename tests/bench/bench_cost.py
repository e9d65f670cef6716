"""Cost per order: the nightly costing of 10,000 delivered orders, the pivot of cost per
order by channel and month over 100,000 costed orders, and the audit of a 20,000-line
carrier invoice.

Data: 20 real orders (two lines each, one from a store) are confirmed, picked, packed,
delivered and labelled through the ORM; their rows (orders, lines, transfers, moves,
move lines, valuation layers, shipments) are then copied in SQL to make 20,000
delivered orders; 80,000 more orders and their cost records are copied for the pivot.

Costing: Omni's batch (``omni.cost.service._cost_orders``, 2,000 orders per batch: a
few queries, the plain-Python engine, two inserts and an upsert) on 10,000 orders,
against the way a module would do it with the ORM: each order's done deliveries, moves,
packages and shipments read record by record and one analytic line created per cost
(measured on 500 orders, extrapolated to 10,000). Checked: both find the same total
for those 500 orders.

Pivot: ``read_group`` of cost per order by channel and month over 100,000 cost
records (what the pivot view asks), against reading the records with ``search_read``
and summing them in Python. Checked: same totals.

Invoice: importing a 20,000-line carrier invoice (parsing, matching every line to its
shipment in one query, auditing, one insert), against searching each line's shipment
by tracking number with the ORM and creating each line (measured on 1,000 lines,
extrapolated). Checked: same lines matched, over-charges found.

Everything runs in one transaction, rolled back at the end. Prints one JSON line per
measure.
"""

import base64
import random
import time

import benchlib

PREFIX = "BCOST"
BASE_ORDERS = 20
ORDERS = 20_000
COSTED = 10_000
PIVOT_ORDERS = 100_000
INVOICE_LINES = 20_000
ODOO_SAMPLE = 500
ODOO_INVOICE_SAMPLE = 1_000

# Tables copied for each delivered order: {table: {column: table it refers to}}.
CLONED = {
    "sale_order": {},
    "sale_order_line": {"order_id": "sale_order"},
    "stock_picking": {"sale_id": "sale_order"},
    "stock_move": {"picking_id": "stock_picking", "sale_line_id": "sale_order_line"},
    "stock_move_line": {"picking_id": "stock_picking", "move_id": "stock_move"},
    "stock_valuation_layer": {"stock_move_id": "stock_move"},
    "omni_shipment": {"picking_id": "stock_picking"},
}
# Columns made unique again in the copies.
SUFFIXED = {
    "sale_order": ["name"],
    "stock_picking": ["name"],
    "omni_shipment": ["name", "tracking_number"],
}
# Columns the copies leave empty (links to records that are not copied).
EMPTIED = {
    "stock_picking": ["backorder_id", "return_id", "batch_id"],
    "stock_move": ["origin_returned_move_id", "move_dest_id", "created_purchase_line_id"],
    "stock_valuation_layer": [
        "account_move_id",
        "account_move_line_id",
        "stock_valuation_layer_id",
    ],
    "omni_shipment": ["label_attachment_id"],
}


def build(env):
    """A distribution centre and a store with their rates, a channel with fees, a
    carrier, 10 products in stock, and 20 delivered orders with labels."""
    from odoo import Command

    company = env.company
    Warehouse = env["stock.warehouse"]
    dc = Warehouse.create(
        {
            "name": f"{PREFIX} DC",
            "code": "BCDC",
            "omni_cost_labour_rate": 30.0,
            "omni_cost_walk_speed": 60.0,
            "omni_cost_line_seconds": 20.0,
            "omni_cost_unit_seconds": 6.0,
            "omni_cost_parcel_seconds": 90.0,
        }
    )
    store = Warehouse.create(
        {
            "name": f"{PREFIX} Store",
            "code": "BCST",
            "omni_is_store": True,
            "omni_ship_from_store": True,
            "omni_cost_labour_rate": 24.0,
            "omni_cost_store_order_minutes": 10.0,
        }
    )
    channels = env["crm.team"].create(
        [
            {"name": f"{PREFIX} Web", "omni_fee_percent": 2.0, "omni_fee_fixed": 0.25},
            {"name": f"{PREFIX} Marketplace", "omni_fee_percent": 12.0},
        ]
    )
    box = env["stock.package.type"].create({"name": f"{PREFIX} box", "omni_cost_amount": 0.6})
    carrier = env["delivery.carrier"].create(
        {
            "name": f"{PREFIX} carrier",
            "delivery_type": "fixed",
            "product_id": env["product.product"]
            .create({"name": f"{PREFIX} shipping", "type": "service"})
            .id,
        }
    )
    products = env["product.product"].create(
        [
            {
                "name": f"{PREFIX} product {index}",
                "is_storable": True,
                "list_price": 20.0 + index,
                "standard_price": 8.0 + index,
                "weight": 0.5 + index / 10,
                "taxes_id": False,
            }
            for index in range(10)
        ]
    )
    Quant = env["stock.quant"]
    for product in products:
        Quant._update_available_quantity(product, dc.lot_stock_id, 10_000)
        Quant._update_available_quantity(product, store.lot_stock_id, 10_000)
    partner = env["res.partner"].create({"name": f"{PREFIX} customer"})
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "team_id": channels[index % 2].id,
                "warehouse_id": (store if index % 5 == 4 else dc).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": products[(index + line) % 10].id,
                            "product_uom_qty": 1 + line,
                            "tax_id": False,
                        }
                    )
                    for line in range(2)
                ],
            }
            for index in range(BASE_ORDERS)
        ]
    )
    orders.action_confirm()
    pickings = orders.picking_ids
    pickings.action_assign()
    for picking in pickings:
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.move_line_ids.result_package_id = env["stock.quant.package"].create(
            {"package_type_id": box.id}
        )
    pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()
    rng = random.Random(7)
    for index, picking in enumerate(pickings):
        picking.omni_route_length = rng.uniform(20, 200)
        env["omni.shipment"].create(
            {
                "name": f"{PREFIX}-SHIP-{index}",
                "picking_id": picking.id,
                "carrier_id": carrier.id,
                "company_id": company.id,
                "state": "done",
                "tracking_number": f"{PREFIX}{index:04d}",
                "price": round(rng.uniform(4, 9), 2),
                "currency_id": company.currency_id.id,
            }
        )
    env.flush_all()
    return orders, carrier


def clone(env, base_ids, copies, tables):
    """Copy the rows of ``tables`` belonging to orders ``base_ids`` ``copies`` times,
    the copies taking the ids after each table's highest (the references between
    copied rows following); the new orders' ids."""
    cr = env.cr
    cr.execute("SELECT id FROM stock_picking WHERE sale_id = ANY(%s)", [base_ids])
    picking_ids = [row[0] for row in cr.fetchall()]
    cr.execute("SELECT id FROM stock_move WHERE picking_id = ANY(%s)", [picking_ids])
    move_ids = [row[0] for row in cr.fetchall()]
    selections = {
        "sale_order": ("id", base_ids),
        "sale_order_line": ("order_id", base_ids),
        "stock_picking": ("id", picking_ids),
        "stock_move": ("id", move_ids),
        "stock_move_line": ("picking_id", picking_ids),
        "stock_valuation_layer": ("stock_move_id", move_ids),
        "omni_shipment": ("picking_id", picking_ids),
    }
    # the rows copied of each table, numbered, and where their copies' ids start
    bases, sizes = {}, {}
    for table, (key, ids) in selections.items():
        cr.execute(f"DROP TABLE IF EXISTS bench_map_{table}")
        cr.execute(
            f"""CREATE TEMP TABLE bench_map_{table} AS
                SELECT id AS old_id, ROW_NUMBER() OVER (ORDER BY id) AS idx
                  FROM {table} WHERE {key} = ANY(%s)""",
            [ids],
        )
        cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        bases[table] = cr.fetchone()[0]
        cr.execute(f"SELECT COUNT(*) FROM bench_map_{table}")
        sizes[table] = cr.fetchone()[0]

    def new_id(table, alias):
        return f"{bases[table]} + (k.k - 1) * {sizes[table]} + {alias}.idx"

    for table in tables:
        references = CLONED[table]
        cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
            [table],
        )
        columns = [row[0] for row in cr.fetchall()]
        expressions, joins = [], []
        for column in columns:
            if column in references:
                target = references[column]
                alias = f"ref_{column}"
                joins.append(f"LEFT JOIN bench_map_{target} {alias} ON {alias}.old_id = t.{column}")
                expressions.append(
                    f"CASE WHEN {alias}.idx IS NULL THEN t.{column} "
                    f"ELSE {new_id(target, alias)} END"
                )
            elif column in SUFFIXED.get(table, ()):
                expressions.append(f"t.{column} || '-' || k.k")
            elif column in EMPTIED.get(table, ()):
                expressions.append("NULL")
            else:
                expressions.append(f"t.{column}")
        cr.execute(
            f"""INSERT INTO {table} (id, {", ".join(columns)})
                SELECT {new_id(table, "m")}, {", ".join(expressions)}
                  FROM {table} t
                  JOIN bench_map_{table} m ON m.old_id = t.id
                  CROSS JOIN generate_series(1, %s) AS k(k)
                  {" ".join(joins)}""",
            [copies],
        )
        cr.execute(f"SELECT setval('{table}_id_seq', (SELECT MAX(id) FROM {table}))")
    size = sizes["sale_order"]
    return [
        bases["sale_order"] + (k - 1) * size + idx
        for k in range(1, copies + 1)
        for idx in range(1, size + 1)
    ]


def analyze(env):
    env.cr.execute(
        "ANALYZE sale_order, sale_order_line, stock_picking, stock_move, stock_move_line,"
        " stock_valuation_layer, omni_shipment, omni_order_cost, omni_order_cost_line,"
        " account_analytic_line, omni_carrier_invoice_line"
    )


def orm_cost(env, orders):
    """Cost orders the ORM way: read each order's deliveries and labels record by
    record, the same formulas, one analytic line created per cost."""
    AnalyticLine = env["account.analytic.line"]
    plan = env["account.analytic.plan"]._omni_cost_plan()
    account = env["account.analytic.account"].create({"name": "ORM costing", "plan_id": plan.id})
    column = plan._column_name()
    total = 0.0
    for order in orders:
        costs = []
        for picking in order.picking_ids:
            if picking.state != "done" or picking.picking_type_code != "outgoing":
                continue
            warehouse = picking.picking_type_id.warehouse_id
            rate = warehouse.omni_cost_labour_rate
            moves = picking.move_ids.filtered(lambda move: move.state == "done")
            packages = picking.move_line_ids.result_package_id
            packaging = sum(packages.package_type_id.mapped("omni_cost_amount"))
            if warehouse.omni_is_store:
                costs.append(round(warehouse.omni_cost_store_order_minutes * rate / 60, 2))
                if packaging:
                    costs.append(round(packaging, 2))
            else:
                walk = picking.omni_route_length / warehouse.omni_cost_walk_speed
                handling = (
                    len(moves) * warehouse.omni_cost_line_seconds
                    + sum(moves.mapped("quantity")) * warehouse.omni_cost_unit_seconds
                ) / 60
                costs.append(round((walk + handling) * rate / 60, 2))
                parcels = max(len(packages), 1)
                costs.append(
                    round(parcels * warehouse.omni_cost_parcel_seconds / 60 * rate / 60, 2)
                    + round(packaging, 2)
                )
            for shipment in env["omni.shipment"].search(
                [("picking_id", "=", picking.id), ("state", "=", "done")]
            ):
                costs.append(round(shipment.price, 2))
        if costs:
            team = order.team_id
            costs.append(
                round(order.amount_total * team.omni_fee_percent / 100 + team.omni_fee_fixed, 2)
            )
        for amount in costs:
            AnalyticLine.create(
                {
                    "name": order.name,
                    "amount": -amount,
                    column: account.id,
                    "omni_order_id": order.id,
                }
            )
        total += sum(costs)
    env.flush_all()
    return round(total, 2)


def bench_costing(env, order_ids):
    Service = env["omni.cost.service"]

    def omni():
        for start in range(0, len(order_ids), 2000):
            Service._cost_orders(order_ids[start : start + 2000])
        env.flush_all()

    omni_seconds, _ = benchlib.timed(omni)
    costs = env["omni.order.cost"].search([("order_id", "in", order_ids)])
    sample = env["sale.order"].browse(order_ids[-ODOO_SAMPLE:])
    sample_costs = env["omni.order.cost"].search([("order_id", "in", sample.ids)])
    env.cr.execute("SAVEPOINT orm_costing")
    odoo_sample_seconds, orm_total = benchlib.timed(lambda: orm_cost(env, sample))
    env.cr.execute("ROLLBACK TO SAVEPOINT orm_costing")
    env.invalidate_all()
    odoo_seconds = odoo_sample_seconds * len(order_ids) / ODOO_SAMPLE
    again_started = time.perf_counter()
    lines_before = env["omni.order.cost.line"].search_count([])
    for start in range(0, len(order_ids), 2000):
        Service._cost_orders(order_ids[start : start + 2000])
    rerun_seconds = time.perf_counter() - again_started
    benchlib.emit(
        "cost_orders",
        omni_seconds,
        odoo_seconds,
        checks={
            "every_order_costed": len(costs) == len(order_ids),
            "same_total_as_orm_way": abs(sum(sample_costs.mapped("amount_total")) - orm_total)
            < 0.05,
            "rerun_posts_nothing": env["omni.order.cost.line"].search_count([]) == lines_before,
        },
        orders=len(order_ids),
        postings=lines_before,
        odoo_measured_orders=ODOO_SAMPLE,
        odoo_extrapolated=True,
        rerun_seconds=round(rerun_seconds, 3),
        total_cost=round(sum(costs.mapped("amount_total")), 2),
    )


def pivot_data(env, costed_ids, pivot_ids):
    """Cost records for ``pivot_ids``, copied from the costed ones, spread over 24
    months."""
    env.cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'omni_order_cost' AND column_name NOT IN ('id', 'order_id', 'date')"
    )
    columns = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        f"""INSERT INTO omni_order_cost (order_id, date, {", ".join(columns)})
            SELECT n.order_id, c.date - (n.position %% 24) * INTERVAL '1 month',
                   {", ".join("c." + column for column in columns)}
              FROM unnest(%s::int[]) WITH ORDINALITY AS n(order_id, position)
              JOIN omni_order_cost c
                ON c.order_id = (%s::int[])[1 + (n.position - 1) %% %s]
        """,
        [pivot_ids, costed_ids, len(costed_ids)],
    )


def bench_pivot(env):
    Cost = env["omni.order.cost"]
    count = Cost.search_count([])
    analyze(env)

    def omni():
        return Cost.read_group(
            [], ["amount_total:sum", "margin:sum"], ["team_id", "date:month"], lazy=False
        )

    def odoo():
        totals = {}
        for record in Cost.search_read([], ["team_id", "date", "amount_total", "margin"]):
            key = (record["team_id"] and record["team_id"][0], record["date"].strftime("%Y-%m"))
            amounts = totals.setdefault(key, [0.0, 0.0])
            amounts[0] += record["amount_total"]
            amounts[1] += record["margin"]
        return totals

    omni_seconds, groups = benchlib.timed(omni, repeat=3)
    Cost.invalidate_model()
    odoo_seconds, totals = benchlib.timed(odoo)
    benchlib.emit(
        "cost_pivot",
        omni_seconds,
        odoo_seconds,
        checks={
            "same_totals": abs(
                sum(group["amount_total"] for group in groups)
                - sum(amounts[0] for amounts in totals.values())
            )
            < 1.0,
            "same_groups": len(groups) == len(totals),
        },
        cost_records=count,
        groups=len(groups),
    )


def invoice_file(env, carrier, count):
    """An invoice of ``count`` shipments, one in 50 billed 30 % above its quote and one
    in 100 with a surcharge."""
    env.cr.execute(
        "SELECT tracking_number, price FROM omni_shipment WHERE carrier_id = %s "
        "AND tracking_number IS NOT NULL ORDER BY id LIMIT %s",
        [carrier.id, count],
    )
    rows = env.cr.fetchall()
    lines = ["tracking_number,ship_date,billed_weight_kg,amount,surcharge,currency"]
    for index, (tracking, price) in enumerate(rows):
        amount = round(price * 1.3, 2) if index % 50 == 0 else price
        surcharge = 1.5 if index % 100 == 1 else 0
        lines.append(f"{tracking},2026-01-05,1,{amount},{surcharge},")
    return "\n".join(lines), len(rows)


def bench_invoice(env, carrier):
    content, count = invoice_file(env, carrier, INVOICE_LINES)
    wizard = env["omni.carrier.invoice.import"].create(
        {
            "carrier_id": carrier.id,
            "name": f"{PREFIX}-INV",
            "data_file": base64.b64encode(content.encode()),
            "file_name": "invoice.csv",
        }
    )
    env.flush_all()
    omni_seconds, action = benchlib.timed(wizard.action_import)
    invoice = env["omni.carrier.invoice"].browse(action["res_id"])
    Line = env["omni.carrier.invoice.line"]
    matched = Line.search_count([("invoice_id", "=", invoice.id), ("shipment_id", "!=", False)])
    flagged = Line.search_count([("invoice_id", "=", invoice.id), ("is_flagged", "=", True)])

    def odoo():
        other = env["omni.carrier.invoice"].create(
            {
                "name": f"{PREFIX}-INV-ORM",
                "carrier_id": carrier.id,
                "company_id": env.company.id,
                "currency_id": env.company.currency_id.id,
                "date": "2026-01-05",
            }
        )
        found = 0
        for row in content.splitlines()[1 : ODOO_INVOICE_SAMPLE + 1]:
            tracking, _date, weight, amount, surcharge, _currency = row.split(",")
            shipment = env["omni.shipment"].search(
                [("tracking_number", "=", tracking), ("carrier_id", "=", carrier.id)], limit=1
            )
            found += bool(shipment)
            stake = max(float(amount) - shipment.price, 0) + float(surcharge)
            Line.create(
                {
                    "invoice_id": other.id,
                    "tracking_number": tracking,
                    "shipment_id": shipment.id,
                    "billed_weight": float(weight),
                    "amount": float(amount),
                    "surcharge": float(surcharge),
                    "amount_total": float(amount) + float(surcharge),
                    "expected_amount": shipment.price,
                    "at_stake": stake,
                    "is_flagged": stake > 0,
                }
            )
        env.flush_all()
        return found

    odoo_sample_seconds, found = benchlib.timed(odoo)
    benchlib.emit(
        "cost_invoice_audit",
        omni_seconds,
        odoo_sample_seconds * count / ODOO_INVOICE_SAMPLE,
        checks={
            "every_line_matched": matched == count,
            "orm_way_matched_its_sample": found == ODOO_INVOICE_SAMPLE,
            "over_charges_found": flagged == count // 50 + count // 100,
        },
        lines=count,
        flagged=flagged,
        at_stake=round(invoice.amount_at_stake, 2),
        odoo_measured_lines=ODOO_INVOICE_SAMPLE,
        odoo_extrapolated=True,
    )


def main():
    with benchlib.environment() as env:
        env = env(context={**env.context, "tracking_disable": True})
        orders, carrier = build(env)
        order_ids = orders.ids + clone(env, orders.ids, ORDERS // BASE_ORDERS - 1, list(CLONED))
        env.invalidate_all()
        analyze(env)
        costed = order_ids[:COSTED]
        bench_costing(env, costed)
        extra = clone(env, orders.ids, (PIVOT_ORDERS - COSTED) // BASE_ORDERS, ["sale_order"])
        pivot_data(env, costed, extra)
        bench_pivot(env)
        bench_invoice(env, carrier)


if __name__ == "__main__":
    benchlib.run(main)
