"""Waves: orders batched by route savings against grouping them in arrival order.

Odoo's automatic batches and waves fill a batch in the order transfers arrive, up to a
number of transfers or lines; Omni's wave rules group the same orders to shorten the
pick routes. Figures:

* engine: 2,000 orders in a 20-aisle warehouse (popular products near the front, as
  ABC slotting places them), waves of at most 20 orders and 60 lines: time to build the
  waves and route them, total route length against arrival-order grouping with the same
  limits, both routed optimally;
* in Odoo: 2,000 reserved deliveries in a warehouse with a layout; building the waves of
  a wave rule (reading the open orders in two queries, matching them to the rules,
  batching) with the route lengths, then creating the wave transfers;
* picking screen: the server's next-step call on a 200-line wave, against reading the
  next line through the ORM.
"""

import importlib
import random
import time

from benchlib import emit, environment, load_engine, run, timed

engine = load_engine("omni_wms")
waves = importlib.import_module(f"{engine.__name__}.waves")

SEED = 2026
AISLES, BAYS, BAY_WIDTH, SPACING = 20, 20, 1.5, 3.0
ORDERS = 2000
MAX_ORDERS, MAX_LINES = 20, 60
# lines per order, drawn evenly
LINES = (1, 1, 1, 2, 2, 3, 4)


def aisle_label(number):
    label = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        label = chr(ord("A") + remainder) + label
    return label


def slots():
    """Bins sorted by walking distance from the depot: popular products go first."""
    return sorted(
        ((aisle, bay) for aisle in range(1, AISLES + 1) for bay in range(1, BAYS + 1)),
        key=lambda slot: ((slot[0] - 1) * SPACING + (slot[1] - 0.5) * BAY_WIDTH, slot),
    )


def random_orders(rng, count, places):
    """Orders of 1 to 4 lines, products drawn by popularity (a long tail)."""
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(places))]
    return [
        list(dict.fromkeys(rng.choices(range(len(places)), weights, k=rng.choice(LINES))))
        for _index in range(count)
    ]


def bench_engine(rng):
    layout = engine.AisleLayout(
        aisles=AISLES, aisle_length=BAYS * BAY_WIDTH, aisle_spacing=SPACING, depot=0.0
    )
    places = slots()
    orders = [
        waves.WaveOrder(
            key=index,
            picks=tuple((places[p][0], (places[p][1] - 0.5) * BAY_WIDTH) for p in products),
            lines=len(products),
            units=len(products),
            rank=index,
        )
        for index, products in enumerate(random_orders(rng, ORDERS, places))
    ]
    limits = waves.WaveLimits(max_orders=MAX_ORDERS, max_lines=MAX_LINES)
    omni_seconds, plan = timed(lambda: waves.plan_waves(layout, orders, limits), 3)
    grouping_seconds, _waves = timed(lambda: waves.savings_batches(layout, orders, limits), 3)
    odoo_seconds, _arrival = timed(lambda: waves.arrival_batches(orders, limits), 3)
    saved = 1 - plan.length / plan.arrival_length
    emit(
        "waves_engine",
        layout=f"{AISLES} aisles of {BAYS * BAY_WIDTH} m, {SPACING} m apart",
        orders=ORDERS,
        limits=f"{MAX_ORDERS} orders, {MAX_LINES} lines",
        build_and_route_seconds=round(omni_seconds, 3),
        grouping_seconds=round(grouping_seconds, 3),
        arrival_grouping_seconds=round(odoo_seconds, 4),
        waves=len(plan.waves),
        arrival_waves=len(plan.arrival_waves),
        omni_route_m=round(plan.length, 1),
        arrival_route_m=round(plan.arrival_length, 1),
        saved_ratio=round(saved, 4),
        target_saved_ratio=0.15,
        target_seconds=5,
        checks={
            "every_order_in_one_wave": sorted(k for wave in plan.waves for k in wave)
            == list(range(ORDERS)),
        },
    )


def build_warehouse(env, rng):
    """A warehouse with a layout, a bin per slot stocked with a product, and ORDERS
    reserved deliveries. Returns (warehouse, picking type)."""
    warehouse = env["stock.warehouse"].create({"name": "Bench Waves", "code": "BWV"})
    warehouse.out_type_id.write({"auto_batch": False, "reservation_method": "manual"})
    layout = env["omni.warehouse.layout"].create(
        {
            "warehouse_id": warehouse.id,
            "aisle_count": AISLES,
            "aisle_length": BAYS * BAY_WIDTH,
            "aisle_spacing": SPACING,
            "bay_width": BAY_WIDTH,
        }
    )
    places = slots()
    bins = env["stock.location"].create(
        [
            {"name": f"{aisle_label(aisle)}-{bay:02d}-1", "location_id": warehouse.lot_stock_id.id}
            for aisle, bay in places
        ]
    )
    layout._assign_locations_from_pattern()
    products = env["product.product"].create(
        [
            {"name": f"Bench wave {index}", "is_storable": True, "barcode": f"BWV{index:05d}"}
            for index in range(len(places))
        ]
    )
    quants = env["stock.quant"]
    for product, location in zip(products, bins, strict=True):
        quants._update_available_quantity(product, location, 10000)
    customers = env.ref("stock.stock_location_customers")
    stock = warehouse.lot_stock_id
    vals = [
        {
            "picking_type_id": warehouse.out_type_id.id,
            "location_id": stock.id,
            "location_dest_id": customers.id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": products[index].name,
                        "product_id": products[index].id,
                        "product_uom_qty": 1,
                        "location_id": stock.id,
                        "location_dest_id": customers.id,
                    },
                )
                for index in order
            ],
        }
        for order in random_orders(rng, ORDERS, places)
    ]
    pickings = env["stock.picking"].create(vals)
    pickings.action_confirm()
    pickings.action_assign()
    return warehouse, pickings


def bench_odoo(rng):
    with environment() as env:
        started = time.perf_counter()
        warehouse, pickings = build_warehouse(env, rng)
        setup_seconds = time.perf_counter() - started
        env.cr.execute("ANALYZE stock_picking, stock_move, stock_move_line, stock_location")
        rule = env["omni.wave.rule"].create(
            {
                "name": "Bench rule",
                "warehouse_id": warehouse.id,
                "max_orders": MAX_ORDERS,
                "max_lines": MAX_LINES,
            }
        )

        def build():
            env.invalidate_all()
            orders = rule._orders_of_rule()
            return orders, rule._group_orders(list(orders.values()))

        omni_seconds, (orders, (groups, (length, arrival_length))) = timed(build, 3)
        started = time.perf_counter()
        waves = env["stock.picking.batch"]
        for keys in groups:
            waves |= rule._create_wave(env["stock.picking"].browse(keys))
        waves._omni_compute_routes()
        create_seconds = time.perf_counter() - started
        emit(
            "waves_in_odoo",
            orders=len(orders),
            setup_seconds=round(setup_seconds, 1),
            build_seconds=round(omni_seconds, 3),
            target_seconds=5,
            create_wave_transfers_seconds=round(create_seconds, 2),
            waves=len(groups),
            omni_route_m=round(length, 1),
            arrival_route_m=round(arrival_length, 1),
            saved_ratio=round(1 - length / arrival_length, 4),
            checks={
                "all_open_orders_batched": len(orders) == len(pickings),
                "routes_as_planned": abs(sum(waves.mapped("omni_route_length")) - length) < 0.5,
            },
        )
        bench_next_step(env, pickings)


def bench_next_step(env, pickings):
    """A 200-line wave: the screen's next step against the ORM's way to find it."""
    chosen, lines = env["stock.picking"], 0
    for picking in pickings:
        if lines >= 200:
            break
        chosen |= picking
        lines += len(picking.move_line_ids)
    chosen.batch_id = False
    wave = env["stock.picking.batch"].create({"is_wave": True, "name": "BWV 200"})
    chosen.move_line_ids._add_to_wave(wave)
    if wave.state == "draft":
        wave.action_confirm()
    # half of the wave picked, as in the middle of a round
    ordered = wave.move_line_ids._omni_walking_order()
    ordered[: len(ordered) // 2].write({"picked": True})
    env.flush_all()

    def next_step():
        env.invalidate_all()
        return wave.omni_screen_next_step()

    def orm_next_step():
        env.invalidate_all()
        line = wave.move_line_ids.filtered(lambda line: not line.picked)._omni_walking_order()[:1]
        return line.read(["location_id", "product_id", "lot_id", "quantity", "product_uom_id"])

    next_step()
    omni_seconds, step = timed(next_step, 20)
    odoo_seconds, orm_line = timed(orm_next_step, 20)
    emit(
        "picking_screen_next_step",
        omni_seconds=omni_seconds,
        odoo_seconds=odoo_seconds,
        wave_lines=len(wave.move_line_ids),
        omni_ms=round(omni_seconds * 1000, 2),
        target_ms=50,
        checks={"same_next_line": step["line"]["id"] == orm_line[0]["id"]},
    )


def main():
    rng = random.Random(SEED)
    bench_engine(rng)
    bench_odoo(random.Random(SEED))


if __name__ == "__main__":
    run(main)
