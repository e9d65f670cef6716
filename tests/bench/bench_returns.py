"""Returns: receiving and grading 500 returned units in one validation, and the portal's
list of what a customer with 200 orders may return.

Receipt: a return of 50 order lines of 10 units each (500 units), received and graded
(7 units of each line A: resell as new, 2 B: outlet, 1 D: scrap) by Omni's one
validation, against Odoo's own return of the same delivery (the ``stock.return.picking``
wizard, then validating the return transfer, which grades nothing). Omni's return
transfer is made when the return is approved: its time is printed apart. Checked: the
pool's available to sell counts the A units in the same transaction, Odoo's return
received all 500 units.

Portal: the returnable lines of a customer with 200 delivered orders of two lines each,
as the portal lists them (``_returnable_lines``, a few queries), against reading them
the ORM way: each order's lines, their delivered and being-returned quantities and
delivery moves. Checked: both find the same lines and quantities.

Every measure runs on a warm database in one transaction, rolled back at the end, once
the tables' statistics are taken (as a live database has them: a database just
installed has none of the rows built here, and PostgreSQL would plan for empty
tables). Prints one JSON line per measure.
"""

import benchlib

PREFIX = "BRET"
LINES = 50
UNITS = 10
GRADES = (("a", 7), ("b", 2), ("d", 1))  # units of each line per grade
REPEAT = 3
PORTAL_ORDERS = 200
PORTAL_LINES = 2


def build(env):
    """The network, a pool of the central DC and 60 products with stock there."""
    generator = env["omni.demo.generator"]
    dataset = generator._generate(
        stores=1, products=LINES + 10, customers=4, orders=0, prefix=PREFIX, seed=17
    )
    warehouse = dataset["distribution_centers"][:1]
    pool = env["omni.stock.pool"].create(
        {"name": f"{PREFIX} central DC", "warehouse_ids": [(6, 0, warehouse.ids)]}
    )
    Quant = env["stock.quant"]
    for product in dataset["products"]:
        Quant._update_available_quantity(product, warehouse.lot_stock_id, 5_000)
    channel = dataset["channels"].filtered(lambda c: c.omni_channel_type == "marketplace")
    return dataset, generator, warehouse, pool, channel


def delivered_orders(env, dataset, channel, warehouse, lines_per_order, count, units, customer):
    """``count`` orders of ``customer`` for ``lines_per_order`` products (``units``
    each), confirmed and delivered in one validation."""
    from odoo import Command

    products = dataset["products"]
    orders = env["sale.order"].create(
        [
            {
                "partner_id": customer.id,
                "team_id": channel.id,
                "warehouse_id": warehouse.id,
                "pricelist_id": False,
                "order_line": [
                    Command.create(
                        {
                            "product_id": products[(index + line) % len(products)].id,
                            "product_uom_qty": units,
                        }
                    )
                    for line in range(lines_per_order)
                ],
            }
            for index in range(count)
        ]
    )
    orders.action_confirm()
    pickings = orders.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
    pickings.action_assign()
    for move in pickings.move_ids:
        move.quantity = move.product_uom_qty
    pickings.move_ids.picked = True
    # out of the automatic batches first: a batch keeping done transfers takes no other
    pickings.batch_id = False
    pickings.with_context(skip_sms=True)._action_done()
    assert set(pickings.mapped("state")) == {"done"}
    return orders


def analyze(env):
    """Statistics of the tables the measures read, the rows built here included."""
    env.flush_all()
    env.cr.execute(
        "ANALYZE sale_order, sale_order_line, stock_move, stock_move_line, stock_picking,"
        " stock_quant, stock_location, res_partner, product_product, product_template"
    )


# Receipt and grading ---------------------------------------------------------------


def omni_return(env, dataset, generator, order):
    """The approved return of every unit of ``order``, its return transfer made (timed)."""
    Return = env["omni.return"]
    reason = env.ref("omni_returns.omni_return_reason_changed_mind")
    lines = [
        {"sale_line": line, "quantity": line.qty_delivered, "reason": reason}
        for line in order.order_line
    ]
    rma = Return.create(Return._prepare_request(order, lines, "backend", method="label"))
    seconds, _pickings = benchlib.timed(lambda: (rma._create_return_pickings(), env.flush_all()))
    generator._approve_with_label(dataset, rma, delivered=True)
    return rma, seconds


def gradings(env, rma):
    grades = {code: env.ref(f"omni_returns.omni_return_grade_{code}") for code, _n in GRADES}
    return [(line, grades[code], units) for line in rma.line_ids for code, units in GRADES]


def bench_omni_receipt(env, dataset, generator, pool, orders):
    products = orders.order_line.product_id
    durations, transfer_durations, ats_ok, units = [], [], True, 0
    for order in orders:
        rma, transfer_seconds = omni_return(env, dataset, generator, order)
        transfer_durations.append(transfer_seconds)
        env.flush_all()
        before = pool._get_ats(products)
        todo = gradings(env, rma)
        seconds, _result = benchlib.timed(
            lambda rma=rma, todo=todo: (rma._receive_and_grade(todo), env.flush_all())
        )
        durations.append(seconds)
        after = pool._get_ats(products)  # same transaction
        graded_a = dict.fromkeys(products.ids, 0.0)
        for line, grade, quantity in todo:
            if grade == env.ref("omni_returns.omni_return_grade_a"):
                graded_a[line.product_id.id] += quantity
        ats_ok &= all(
            after.get(pid, 0.0) - before.get(pid, 0.0) == graded_a[pid] for pid in products.ids
        )
        ats_ok &= rma.state == "inspected"
        units = sum(rma.line_ids.mapped("qty_received"))
    return (
        sorted(durations)[len(durations) // 2],
        sorted(transfer_durations)[len(transfer_durations) // 2],
        ats_ok,
        units,
    )


def bench_odoo_receipt(env, orders):
    durations, received_ok = [], True
    for order in orders:
        delivery = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")

        def standard_return(delivery=delivery):
            wizard = env["stock.return.picking"].create({"picking_id": delivery.id})
            for line in wizard.product_return_moves:
                line.quantity = line.move_id.quantity
            picking = wizard._create_return()
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.with_context(skip_sms=True, skip_backorder=True).button_validate()
            env.flush_all()
            return picking

        seconds, picking = benchlib.timed(standard_return)
        durations.append(seconds)
        received_ok &= picking.state == "done"
        received_ok &= sum(picking.move_ids.mapped("quantity")) == LINES * UNITS
    return sorted(durations)[len(durations) // 2], received_ok


def bench_receipt(env, dataset, generator, warehouse, pool, channel):
    customer = dataset["customers"][0]
    omni_orders = delivered_orders(env, dataset, channel, warehouse, LINES, REPEAT, UNITS, customer)
    odoo_orders = delivered_orders(env, dataset, channel, warehouse, LINES, REPEAT, UNITS, customer)
    analyze(env)
    omni_seconds, transfer_seconds, ats_ok, units = bench_omni_receipt(
        env, dataset, generator, pool, omni_orders
    )
    odoo_seconds, received_ok = bench_odoo_receipt(env, odoo_orders)
    benchlib.emit(
        "returns_receive_and_grade_500_units",
        omni_seconds=omni_seconds,
        odoo_seconds=odoo_seconds,
        units=units,
        lines=LINES,
        target_seconds=2.0,
        omni_return_transfer_seconds=round(transfer_seconds, 6),
        odoo_measures="stock.return.picking wizard + validating the return transfer (no grading)",
        checks={
            "ats_counts_a_units_in_the_same_transaction": ats_ok,
            "all_units_received_and_graded": units == LINES * UNITS,
            "odoo_return_received_all_units": received_ok,
        },
    )


# Portal list ------------------------------------------------------------------------


def orm_returnable_lines(env, customer):
    """The returnable lines of ``customer``'s orders read the ORM way."""
    from odoo import fields

    policy = env["omni.return.policy"].search([("active", "=", True)], limit=1)
    today = fields.Date.context_today(env["omni.return"])
    rows = []
    orders = env["sale.order"].search(
        [
            ("partner_id", "child_of", customer.commercial_partner_id.id),
            ("state", "=", "sale"),
        ],
        order="date_order desc, id desc",
    )
    for order in orders:
        for line in order.order_line:
            if line.display_type or line.is_delivery or line.product_id.type != "consu":
                continue
            returnable = line.qty_delivered - line.omni_qty_returning
            moves = line.move_ids.filtered(
                lambda m: (
                    m.state == "done"
                    and m.location_dest_id.usage == "customer"
                    and not m.origin_returned_move_id
                )
            )
            if returnable <= 0 or not moves:
                continue
            delivered_at = max(
                m.picking_id.omni_delivered_date or m.picking_id.date_done or m.date for m in moves
            )
            last_day = (
                fields.Date.add(delivered_at.date(), days=policy.return_days)
                if policy.return_days
                else None
            )
            rows.append(
                {
                    "sale_line_id": line.id,
                    "order_name": order.name,
                    "product_id": line.product_id.id,
                    "quantity": returnable,
                    "refusal": bool(last_day and today > last_day),
                }
            )
    return rows


def bench_portal(env, dataset, warehouse, channel):
    # a customer of their own: the orders returned above are not theirs
    customer = env["res.partner"].create(
        {
            "name": f"{PREFIX} Faithful Customer",
            "street": "12 Rue des Fidèles",
            "zip": "69003",
            "city": "Lyon",
            "country_id": env.ref("base.fr").id,
        }
    )
    orders = delivered_orders(
        env, dataset, channel, warehouse, PORTAL_LINES, PORTAL_ORDERS, 1, customer
    )
    analyze(env)
    Return = env["omni.return"].sudo()  # the portal lists as superuser

    def omni():
        env.invalidate_all()
        return Return._returnable_lines(partner=customer)

    def odoo():
        env.invalidate_all()
        return orm_returnable_lines(env, customer)

    omni_seconds, omni_rows = benchlib.timed(omni, repeat=10)
    odoo_seconds, odoo_rows = benchlib.timed(odoo, repeat=3)
    omni_found = {(row["sale_line_id"], row["quantity"], bool(row["refusal"])) for row in omni_rows}
    odoo_found = {(row["sale_line_id"], row["quantity"], row["refusal"]) for row in odoo_rows}
    customer_orders = env["sale.order"].search_count(
        [("partner_id", "child_of", customer.commercial_partner_id.id), ("state", "=", "sale")]
    )
    benchlib.emit(
        "returns_portal_returnable_lines",
        omni_seconds=omni_seconds,
        odoo_seconds=odoo_seconds,
        customer_orders=customer_orders,
        lines=len(omni_rows),
        target_seconds=0.15,
        odoo_measures="sale.order.line fields and delivery moves read per order (ORM)",
        checks={
            "same_lines_and_quantities": omni_found == odoo_found,
            "every_delivered_line_listed": set(orders.order_line.ids)
            <= {row["sale_line_id"] for row in omni_rows},
        },
    )


def main():
    with benchlib.environment() as env:
        dataset, generator, warehouse, pool, channel = build(env)
        bench_receipt(env, dataset, generator, warehouse, pool, channel)
        bench_portal(env, dataset, warehouse, channel)


if __name__ == "__main__":
    benchlib.run(main)
