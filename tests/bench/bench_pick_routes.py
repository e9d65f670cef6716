"""Pick routes: Omni's optimal routes against the heuristics and Odoo's location order.

Odoo walks pick lines in location-name order (the batch pick list sorts locations by
complete name); a picker following that list takes the shortest way between two
consecutive locations, which is how it is measured here. Figures:

* exactness: on small generated warehouses (one block, and two blocks with a middle
  cross-aisle) the engine's length against an independent exact solver (Held-Karp over
  shortest paths in the aisle graph);
* walking distance: average over generated layouts of 10 aisles with 10 to 50 picks
  stored at random, for Omni (optimal), S-shape, largest gap, combined and Odoo's order;
* speed: 200 picks in a 30-aisle layout;
* in Odoo: a wave built by the data generator in a warehouse with a layout, routed by
  the Odoo layer (time, queries) and compared with Odoo's order of the same lines.
"""

import random
import statistics
import sys
import time

from benchlib import PROJECT_ROOT, emit, environment, load_engine, run, timed

# the independent exact solver the engine's tests check it against
sys.path.insert(0, str(PROJECT_ROOT / "addons" / "omni_wms" / "tests" / "engine"))
from pick_route_reference import exact_tour_length

engine = load_engine("omni_wms")

SEED = 2024
AISLES, BAYS, LEVELS, BAY_WIDTH, SPACING = 10, 20, 3, 1.5, 3.0
METHODS = ("optimal", "s_shape", "largest_gap", "combined")


def aisle_label(number):
    label = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        label = chr(ord("A") + remainder) + label
    return label


def random_picks(rng, aisles, bays, count):
    """``count`` picks in distinct slots chosen at random, named like A-03-2."""
    slots = rng.sample(
        [
            (aisle, bay, level)
            for aisle in range(1, aisles + 1)
            for bay in range(1, bays + 1)
            for level in range(1, LEVELS + 1)
        ],
        count,
    )
    return [
        (f"WH/Stock/{aisle_label(aisle)}-{bay:02d}-{level}", aisle, (bay - 0.5) * BAY_WIDTH)
        for aisle, bay, level in slots
    ]


def odoo_order_length(layout, picks):
    """Odoo's order: by location complete name, shortest legs between locations."""
    return engine.plan_route(layout, sorted(picks), "input_order").length


def bench_exactness(rng):
    checked = matches = 0
    worst = 0.0
    for middle in (False, True):
        for _instance in range(200):
            length = rng.choice([10.0, 15.0, 30.0])
            layout = engine.AisleLayout(
                aisles=AISLES,
                aisle_length=length,
                aisle_spacing=SPACING,
                middle_cross_aisles=(length / 2,) if middle else (),
                depot=rng.choice([0.0, rng.uniform(0, (AISLES - 1) * SPACING)]),
            )
            picks = [
                (index, rng.randint(1, AISLES), round(rng.uniform(0, length), 2))
                for index in range(rng.randint(1, 9))
            ]
            route = engine.plan_route(layout, picks)
            exact = exact_tour_length(
                AISLES,
                length,
                SPACING,
                [(aisle, position) for _key, aisle, position in picks],
                layout.depot,
                layout.middle_cross_aisles,
            )
            checked += 1
            matches += abs(route.length - exact) <= 1e-6
            worst = max(worst, abs(route.length - exact))
    emit(
        "pick_routes_exactness",
        instances=checked,
        exact_matches=matches,
        exactness_rate=round(matches / checked, 4),
        worst_difference_m=round(worst, 9),
        reference="Held-Karp over shortest paths in the aisle graph",
        checks={"every_route_exact": matches == checked},
    )


def bench_walking_distance(rng):
    layout = engine.AisleLayout(
        aisles=AISLES, aisle_length=BAYS * BAY_WIDTH, aisle_spacing=SPACING, depot=0.0
    )
    lengths = {method: [] for method in (*METHODS, "odoo_order")}
    for _instance in range(500):
        picks = random_picks(rng, AISLES, BAYS, rng.randint(10, 50))
        for method in METHODS:
            lengths[method].append(engine.plan_route(layout, picks, method).length)
        lengths["odoo_order"].append(odoo_order_length(layout, picks))
    average = {method: round(statistics.mean(values), 2) for method, values in lengths.items()}
    emit(
        "pick_routes_walking_distance",
        layout=f"{AISLES} aisles of {BAYS * BAY_WIDTH} m, {SPACING} m apart, depot at aisle A",
        instances=500,
        picks="10-50, random storage",
        average_m={
            "omni_optimal": average["optimal"],
            "s_shape": average["s_shape"],
            "largest_gap": average["largest_gap"],
            "combined": average["combined"],
            "odoo_order": average["odoo_order"],
        },
        omni_saving_vs_odoo=round(1 - average["optimal"] / average["odoo_order"], 4),
        omni_saving_vs_best_heuristic=round(
            1 - average["optimal"] / min(average[method] for method in METHODS[1:]), 4
        ),
        checks={
            "omni_is_shortest": all(
                optimal <= min(lengths[method][index] for method in lengths) + 1e-9
                for index, optimal in enumerate(lengths["optimal"])
            )
        },
    )


def bench_speed(rng):
    for middle in (False, True):
        layout = engine.AisleLayout(
            aisles=30,
            aisle_length=BAYS * BAY_WIDTH,
            aisle_spacing=SPACING,
            middle_cross_aisles=(BAYS * BAY_WIDTH / 2,) if middle else (),
        )
        picks = random_picks(rng, 30, BAYS, 200)
        engine.plan_route(layout, picks)  # the DP's transition tables are built once
        omni_seconds, route = timed(
            lambda layout=layout, picks=picks: engine.plan_route(layout, picks), 20
        )
        odoo_seconds, _order = timed(lambda picks=picks: sorted(picks), 20)
        emit(
            "pick_routes_speed",
            omni_seconds=omni_seconds,
            odoo_seconds=odoo_seconds,
            layout=f"30 aisles, {'two blocks' if middle else 'one block'}",
            picks=200,
            omni_ms=round(omni_seconds * 1000, 2),
            target_ms=50,
            route_length_m=round(route.length, 2),
            odoo_order_length_m=round(odoo_order_length(layout, picks), 2),
            note="odoo_seconds: sorting by location name, no routing",
        )


def bench_odoo_wave():
    with environment() as env:
        dataset = env["omni.demo.generator"]._generate(
            stores=1,
            products=80,
            customers=10,
            orders=0,
            prefix="BPR",
            seed=SEED,
            wms_aisles=AISLES,
            wms_bays=BAYS,
            wms_levels=LEVELS,
            wms_wave_pickings=25,
        )
        wave, layout = dataset["wave"], dataset["pick_layout"]
        lines = wave.move_line_ids

        def route_wave():
            env.invalidate_all()
            before = env.cr.sql_log_count
            wave._omni_compute_routes()
            return env.cr.sql_log_count - before

        omni_seconds, queries = timed(route_wave, 5)
        odoo_seconds, odoo_lines = timed(
            lambda: lines.sorted(lambda line: (line.location_id.complete_name, line.id)), 5
        )
        geometry = layout._engine_layout()
        odoo_length = geometry.tour_length(
            [geometry.point(line.omni_aisle, line.omni_aisle_position) for line in odoo_lines]
        )
        emit(
            "pick_routes_odoo_wave",
            omni_seconds=omni_seconds,
            odoo_seconds=odoo_seconds,
            pickings=len(wave.picking_ids),
            lines=len(lines),
            queries_per_routing=queries,
            omni_route_m=round(wave.omni_route_length, 2),
            odoo_order_m=round(odoo_length, 2),
            omni_saving_vs_odoo=round(1 - wave.omni_route_length / odoo_length, 4),
            note="odoo_seconds: sorting the lines by location name, as the batch pick list does",
        )


def main():
    rng = random.Random(SEED)
    started = time.perf_counter()
    bench_exactness(rng)
    bench_walking_distance(rng)
    bench_speed(rng)
    bench_odoo_wave()
    emit("pick_routes_total", seconds=round(time.perf_counter() - started, 1))


if __name__ == "__main__":
    run(main)
