"""Order intake under load: several Odoo servers on one database, concurrent clients
creating and confirming orders through Odoo's external API (XML-RPC). As the README's
deployment note advises for a peak, the web servers run no scheduled action: a
background server does (peak mode's batches), at a lower CPU priority since it shares
the machine with them.

The same load runs three times in one run, each on a sales channel and products of its
own, so the figures compare:

- ``plain``: Odoo's own confirmation (Omni installed, its stock pools and routing rules
  archived during the mode);
- ``normal``: Omni's confirmation, the pool blocking oversell and the routing rule applied
  while the client waits;
- ``peak``: the channel in peak mode, the order reserved at once and routed by the
  background server's cron workers in batches while the clients go on, its transfers
  created once the intake ends (the company's *Transfers After the Peak*, turned off
  then);
- ``peak_transfers``: the same with the transfers created alongside too;
- ``peak_backlog``: peak mode with the background actions paused during the intake
  (a burst faster than they follow), then resumed: the pace at which the cron workers
  route the backlog and create its transfers.

Then website carts for click & collect, on the website's own routes (JSON requests of
an anonymous visitor: products added to the cart, the pickup store chosen), the order
confirmed once the customer is known (what the payment's confirmation does):

- ``collect_plain``: Odoo's click & collect (``website_sale_collect``), the pools and
  rules archived as for ``plain``, the pickup at a warehouse that is no Omni store;
- ``collect``: Omni's, the channel's pool blocking oversell, the pickup at an Omni store
  (its store order made at confirmation).

With ``--drafted``, the XML-RPC modes measure the confirmation alone: each mode's
orders are created as drafts before its clock starts, and the clients only confirm
them (the website modes keep their carts).

Prints one JSON document: orders confirmed per second over the mode's wall time,
orders answered (confirmed, or refused for want of stock: Odoo's own modes refuse
none, they oversell) per second over it and at the steady pace between the 10th and
90th percentile of the answers, latency p50/p95/max, client-visible errors,
serialization retries counted in the servers' logs, oversold units checked
afterwards, the background routing's pace, and the ratios against plain Odoo. Heavy:
run it by hand (see the README), not in the test suite. Exits 1 when a correctness
check fails (oversold units, an order routed twice, an order left unrouted).
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import xmlrpc.client
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers as odoo_servers

MODES = ("plain", "normal", "peak", "peak_transfers", "peak_backlog", "collect_plain", "collect")
PEAK_MODES = ("peak", "peak_transfers", "peak_backlog")
COLLECT_MODES = ("collect_plain", "collect")
# Odoo's own: every stock pool and routing rule archived meanwhile
PLAIN_MODES = ("plain", "collect_plain")
PEAK_CRONS = (
    "omni_oms.sale_order_cron_omni_route_queued",
    "omni_oms.sale_order_cron_omni_launch_planned",
)
PASSWORD = "admin"
PRODUCTS_PER_MODE = 20
STOCK_PER_WAREHOUSE = 150
# the first product of each mode is scarce: the orders race for its last units
SCARCE_PER_WAREHOUSE = 5
CUSTOMERS = 10
BATCH_LINE = re.compile(
    r"^\S+ \S+ (\d+) .*Omni peak routing: (\d+) orders "
    r"(routed|sent to their warehouses) in ([\d.]+) s"
)
STEPS = {"routed": "routing", "sent to their warehouses": "transfers"}
SHORTAGE = "cannot be confirmed"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=f"omni_load_{os.getpid()}")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="HTTP workers per server")
    parser.add_argument("--cron-workers", type=int, default=0, help="cron workers per (web) server")
    parser.add_argument(
        "--background-servers",
        type=int,
        default=1,
        help="servers more for the scheduled actions alone, at a lower CPU priority",
    )
    parser.add_argument(
        "--background-cron-workers", type=int, default=2, help="cron workers per background server"
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--orders", type=int, default=200, help="orders per mode")
    parser.add_argument("--lines", type=int, default=3, help="lines per order")
    parser.add_argument(
        "--time-limit", type=float, default=300, help="seconds per mode, then clients stop"
    )
    parser.add_argument("--base-port", type=int, default=0, help="first port (default: free)")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--log-dir", default=None)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument(
        "--drafted",
        action="store_true",
        help="XML-RPC modes: create the orders as drafts first, time their confirmation alone",
    )
    args = parser.parse_args(argv)
    args.modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    unknown = set(args.modes) - set(MODES)
    if unknown or not args.modes:
        parser.error(f"--modes: choose among {', '.join(MODES)}")
    if args.servers < 1 or args.clients < 1 or args.orders < 1 or args.lines < 1:
        parser.error("--servers, --clients, --orders and --lines must be at least 1")
    background_crons = args.background_servers * args.background_cron_workers
    if args.background_servers < 0 or args.cron_workers < 0 or background_crons < 0:
        parser.error("--background-servers and the cron workers cannot be negative")
    if set(args.modes) & set(PEAK_MODES) and not (args.cron_workers or background_crons):
        parser.error("peak modes need cron workers: --cron-workers or --background-servers")
    if args.lines > PRODUCTS_PER_MODE:
        parser.error(f"--lines: at most {PRODUCTS_PER_MODE}")
    return args


# Database -----------------------------------------------------------------------------


def database_exists(name):
    import psycopg2

    with psycopg2.connect(dbname="postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return bool(cr.fetchone())


def install(database):
    import subprocess

    if database_exists(database):
        return False
    # with the website's click & collect (and Omni's, installed with it)
    modules = "omni_oms,website_sale_collect"
    print(f"==> installing {modules} into {database}", file=sys.stderr, flush=True)
    subprocess.run(
        odoo_servers.odoo_command(
            *odoo_servers.base_args(database),
            "-i",
            modules,
            "--without-demo",
            "all",
            "--stop-after-init",
            "--log-level",
            "warn",
        ),
        check=True,
    )
    return True


def drop(database):
    import subprocess

    subprocess.run(
        odoo_servers.odoo_command(
            "db",
            "-c",
            str(odoo_servers.CONFIG_FILE),
            "--data-dir",
            os.environ["OMNI_DATA_DIR"],
            "drop",
            database,
        ),
        capture_output=True,
        check=False,
    )


def close_connections(database):
    if "odoo" in sys.modules:
        import odoo.sql_db

        odoo.sql_db.close_db(database)


def registry(database):
    source = os.environ["ODOO_SRC"]
    if source not in sys.path:
        sys.path.insert(0, source)
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [
            "--addons-path",
            os.environ["OMNI_ADDONS_PATH"],
            "--data-dir",
            os.environ["OMNI_DATA_DIR"],
            "-d",
            database,
            "--log-level",
            "warn",
        ]
    )
    return Registry(database)


def build(reg, tag):
    """Two warehouses, customers, and per mode a channel and its products in stock;
    Omni's pool and routing rule for the normal and peak channels. Returns ids."""
    from odoo import SUPERUSER_ID, Command, api

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        env["res.users"].browse(2).password = PASSWORD
        france = env.ref("base.fr")
        north = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        north.partner_id.write(
            {"country_id": france.id, "partner_latitude": 48.86, "partner_longitude": 2.35}
        )
        south = env["stock.warehouse"].create(
            {
                "name": f"Load South {tag}",
                "code": f"S{tag[-4:]}",
                "partner_id": env["res.partner"]
                .create(
                    {
                        "name": f"Load South {tag}",
                        "country_id": france.id,
                        "partner_latitude": 43.30,
                        "partner_longitude": 5.37,
                    }
                )
                .id,
            }
        )
        warehouses = north | south
        customers = env["res.partner"].create(
            [
                {
                    "name": f"Load customer {tag} {index}",
                    "country_id": france.id,
                    "partner_latitude": 44.0 + index * 0.4,
                    "partner_longitude": 2.0 + index * 0.3,
                }
                for index in range(CUSTOMERS)
            ]
        )
        group = env["omni.location.group"].create(
            {"name": f"Load {tag}", "warehouse_ids": [Command.set(warehouses.ids)]}
        )
        store = env["stock.warehouse"].create(
            {
                "name": f"Load Store {tag}",
                "code": f"C{tag[-4:]}",
                "omni_is_store": True,
                "omni_click_collect": True,
                "omni_resupply_warehouse_id": south.id,
                "omni_opening_hours_id": env["resource.calendar"]
                .create({"name": f"Load Store {tag}"})
                .id,
                "partner_id": env["res.partner"]
                .create({"name": f"Load Store {tag}", "country_id": france.id, "zip": "75002"})
                .id,
            }
        )
        env["delivery.carrier"].create(
            {
                "name": f"Load pickup {tag}",
                "delivery_type": "in_store",
                "product_id": env["product.product"]
                .create({"name": f"Load pickup {tag}", "type": "service", "list_price": 0})
                .id,
                "warehouse_ids": [Command.set((north | store).ids)],
                "is_published": True,
            }
        )
        pickup = {"collect_plain": north, "collect": store}
        data = {
            "customers": customers.ids,
            "website": env["website"].get_current_website().id,
            "modes": {},
        }
        for mode in ("warmup", "warmup_collect", *MODES):
            channel = env["crm.team"].create(
                {"name": f"Load {mode} {tag}", "omni_channel_type": "web"}
            )
            products = env["product.product"].create(
                [
                    {
                        "name": f"Load {mode} {tag} {index}",
                        "is_storable": True,
                        "list_price": 10.0 + index,
                        "weight": 0.5,
                    }
                    for index in range(PRODUCTS_PER_MODE)
                ]
            )
            stock = {}
            stocked = warehouses
            if mode in COLLECT_MODES or mode == "warmup_collect":
                products.product_tmpl_id.is_published = True
                stocked = pickup.get(mode, north) | south
            for index, product in enumerate(products):
                per_warehouse = SCARCE_PER_WAREHOUSE if index == 0 else STOCK_PER_WAREHOUSE
                for warehouse in stocked:
                    env["stock.quant"]._update_available_quantity(
                        product, warehouse.lot_stock_id, per_warehouse
                    )
                stock[product.id] = per_warehouse * len(stocked)
            if mode in ("normal", *PEAK_MODES, "collect"):
                env["omni.stock.pool"].create(
                    {
                        "name": f"Load {mode} {tag}",
                        "warehouse_ids": [Command.set(stocked.ids)],
                        "channel_ids": [Command.set(channel.ids)],
                        "block_oversell": True,
                    }
                )
            if mode in ("normal", *PEAK_MODES):
                env["omni.routing.rule"].create(
                    {
                        "name": f"Load {mode} {tag}",
                        "team_ids": [Command.set(channel.ids)],
                        "location_group_ids": [Command.set(group.ids)],
                    }
                )
            channel.omni_peak_mode = mode in PEAK_MODES
            data["modes"][mode] = {
                "channel": channel.id,
                "products": products.ids,
                "stock": stock,
            }
            if mode in COLLECT_MODES or mode == "warmup_collect":
                data["modes"][mode]["pickup"] = {
                    "id": pickup.get(mode, north).id,
                    "name": pickup.get(mode, north).name,
                    "street": "1 rue du Commerce",
                    "city": "Paris",
                    "zip_code": "75002",
                    "country_code": "FR",
                }
        cr.commit()
    return data


# Clients ------------------------------------------------------------------------------


class Client(threading.Thread):
    """Creates and confirms orders through XML-RPC, one at a time, until the shared
    budget of orders or the time limit runs out."""

    def __init__(self, url, database, budget, deadline, mode_data, customers, lines, rng):
        super().__init__(daemon=True)
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        self.database = database
        self.budget = budget
        self.deadline = deadline
        self.mode_data = mode_data
        self.customers = customers
        self.lines = lines
        self.rng = rng
        self.latencies = []
        # when each order was confirmed, or refused for want of stock
        self.answered_at = []
        self.refused = 0
        self.errors = []

    def call(self, model, method, *args):
        return self.models.execute_kw(self.database, 2, PASSWORD, model, method, list(args))

    def order_vals(self):
        products = self.rng.sample(self.mode_data["products"], self.lines)
        return {
            "partner_id": self.rng.choice(self.customers),
            "team_id": self.mode_data["channel"],
            "order_line": [
                (0, 0, {"product_id": product, "product_uom_qty": self.rng.choice((1, 2))})
                for product in products
            ],
        }

    def place_order(self):
        order_id = self.call("sale.order", "create", self.order_vals())
        self.call("sale.order", "action_confirm", [order_id])

    def draft_orders(self, count):
        """Ids of ``count`` orders created as drafts, in one request."""
        return self.call("sale.order", "create", [self.order_vals() for _index in range(count)])

    def run(self):
        while time.monotonic() < self.deadline and self.budget.take():
            started = time.perf_counter()
            try:
                self.place_order()
                self.answered_at.append(time.perf_counter())
                self.latencies.append(self.answered_at[-1] - started)
            except xmlrpc.client.Fault as fault:
                self.failed(fault.faultString)
            except WebsiteError as error:
                self.failed(str(error))
            except (OSError, xmlrpc.client.ProtocolError) as error:
                self.errors.append(repr(error)[:300])

    def failed(self, message):
        if SHORTAGE in message:
            self.refused += 1
            self.answered_at.append(time.perf_counter())
        else:
            self.errors.append(message.strip().splitlines()[-1][:300])


class WebsiteError(Exception):
    """The error a website's JSON route answered."""


class CollectClient(Client):
    """Fills a website cart as an anonymous visitor (the JSON requests of the shop's
    pages), chooses the pickup store, then confirms the order once the customer is
    known, as the payment's confirmation does."""

    def __init__(self, url, *args):
        super().__init__(url, *args)
        self.url = url

    def json(self, session, path, params):
        response = session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=300,
        )
        response.raise_for_status()
        answer = response.json()
        if "error" in answer:
            error = answer["error"].get("data") or answer["error"]
            raise WebsiteError(error.get("message") or str(error))
        return answer.get("result")  # left out when None

    def place_order(self):
        import requests

        with requests.Session() as session:
            for product in self.rng.sample(self.mode_data["products"], self.lines):
                cart = self.json(
                    session,
                    "/shop/cart/update_json",
                    {"product_id": product, "add_qty": self.rng.choice((1, 2))},
                )
            self.json(
                session,
                "/shop/set_click_and_collect_location",
                {"pickup_location_data": json.dumps(self.mode_data["pickup"])},
            )
        line = self.call("sale.order.line", "read", [cart["line_id"]], ["order_id"])[0]
        order_id = line["order_id"][0]
        # the website's channel is kept: a new customer would bring their own
        vals = {"partner_id": self.rng.choice(self.customers), "team_id": self.mode_data["channel"]}
        self.call("sale.order", "write", [order_id], vals)
        self.call("sale.order", "action_confirm", [order_id])


class DraftConfirmingClient(Client):
    """Confirms, one at a time, orders drafted before the clock started."""

    def place_order(self):
        self.call("sale.order", "action_confirm", [self.budget.next_draft()])


class Budget:
    """The orders the clients share: how many are left to place, and the drafts left
    to confirm when they were created beforehand."""

    def __init__(self, count):
        self.left = count
        self.drafts = []
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True

    def next_draft(self):
        with self.lock:
            return self.drafts.pop()


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def steady_pace(moments):
    """Answers per second between the 10th and the 90th percentile of their moments:
    the pace of the intake without its start nor its slowest requests (one request in
    Odoo's retry pauses, at the end, makes a mode's wall time)."""
    if len(moments) < 10:
        return None
    first, last = round(len(moments) * 0.1), round(len(moments) * 0.9) - 1
    seconds = moments[last] - moments[first]
    return round((last - first) / seconds, 2) if seconds > 0 else None


def drive(cluster, args, data, mode, orders, seed, drafted=False):
    """Place ``orders`` through the clients; with ``drafted``, create them as drafts
    first and time their confirmation alone."""
    mode_data = data["modes"][mode]
    budget = Budget(orders)
    deadline = None

    def new_client(client_class, index):
        return client_class(
            cluster.urls[index % len(cluster.urls)],
            args.database,
            budget,
            deadline,
            mode_data,
            data["customers"],
            args.lines,
            random.Random(seed * 1000 + index),
        )

    client_class = CollectClient if "pickup" in mode_data else Client
    if drafted:
        budget.drafts = new_client(Client, args.clients).draft_orders(orders)
        client_class = DraftConfirmingClient
    deadline = time.monotonic() + args.time_limit
    clients = [new_client(client_class, index) for index in range(args.clients)]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    seconds = time.perf_counter() - started
    latencies = [latency for client in clients for latency in client.latencies]
    errors = [error for client in clients for error in client.errors]
    refused = sum(client.refused for client in clients)
    answered_at = sorted(moment for client in clients for moment in client.answered_at)
    return {
        "orders_sent": orders - max(budget.left, 0),
        "confirmed": len(latencies),
        "refused_out_of_stock": refused,
        "client_errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "seconds": round(seconds, 3),
        "orders_per_s": round(len(latencies) / seconds, 2) if seconds else None,
        "answered_per_s": round(len(answered_at) / seconds, 2) if seconds else None,
        "steady_answered_per_s": steady_pace(answered_at),
        "latency_s": {
            "p50": round(statistics.median(latencies), 3) if latencies else None,
            "p95": round(percentile(latencies, 0.95), 3) if latencies else None,
            "max": round(max(latencies), 3) if latencies else None,
        },
    }


# Checks -------------------------------------------------------------------------------


def sold_and_states(reg, mode_data):
    """Quantities confirmed per product on the mode's channel, orders per routing state,
    orders with more than one routing decision."""
    from odoo import SUPERUSER_ID, api

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute(
            """
            SELECT sol.product_id, SUM(sol.product_uom_qty)
              FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
             WHERE so.team_id = %s AND so.state = 'sale' AND sol.product_id = ANY(%s)
          GROUP BY sol.product_id
            """,
            (mode_data["channel"], mode_data["products"]),
        )
        sold = dict(cr.fetchall())
        cr.execute(
            """
            SELECT omni_routing_state, COUNT(*) FROM sale_order
             WHERE team_id = %s AND state = 'sale' GROUP BY 1
            """,
            (mode_data["channel"],),
        )
        states = dict(cr.fetchall())
        cr.execute(
            """
            SELECT COUNT(*) FROM (
                SELECT d.order_id FROM omni_routing_decision d
                  JOIN sale_order so ON so.id = d.order_id
                 WHERE so.team_id = %s GROUP BY d.order_id HAVING COUNT(*) > 1
            ) twice
            """,
            (mode_data["channel"],),
        )
        routed_twice = cr.fetchone()[0]
        cr.execute(
            """
            SELECT COUNT(*) FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
             WHERE l.usage = 'internal' AND q.quantity < 0 AND q.product_id = ANY(%s)
            """,
            (mode_data["products"],),
        )
        negative_quants = cr.fetchone()[0]
        env.invalidate_all()
    return sold, states, routed_twice, negative_quants


def oversold(mode_data, sold):
    stock = {int(product): quantity for product, quantity in mode_data["stock"].items()}
    return sum(max(0.0, quantity - stock.get(product, 0.0)) for product, quantity in sold.items())


def wait_for(reg, mode_data, states, timeout):
    """Seconds until the mode's channel has no order left in the routing ``states``
    (or None at the timeout)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        with reg.cursor() as cr:
            cr.execute(
                "SELECT COUNT(*) FROM sale_order WHERE team_id = %s AND state = 'sale' "
                "AND omni_routing_state = ANY(%s)",
                (mode_data["channel"], list(states)),
            )
            if not cr.fetchone()[0]:
                return time.perf_counter() - started
        time.sleep(0.2)
    return None


def published_after(reg, mode_data, timeout):
    """Seconds until every change queued for the channels is published (or None at the
    timeout), and then the (pool, product) pairs of the mode's products whose published
    available to sell differs from the one computed from stock."""
    started = time.perf_counter()
    while True:
        with reg.cursor() as cr:
            cr.execute("SELECT EXISTS (SELECT 1 FROM omni_stock_pool_ats_queue)")
            if not cr.fetchone()[0]:
                break
        if time.perf_counter() - started > timeout:
            return None, None
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    from odoo import SUPERUSER_ID, api

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        products = env["product.product"].browse(mode_data["products"])
        differing = 0
        for pool in env["omni.stock.pool"].search([]):
            computed = pool._get_ats(products)
            cr.execute(
                "SELECT product_id, qty_ats FROM omni_stock_pool_ats"
                " WHERE pool_id = %s AND product_id = ANY(%s)",
                (pool.id, products.ids),
            )
            published = dict(cr.fetchall())
            differing += sum(
                abs(computed.get(product_id, 0.0) - published.get(product_id, 0.0)) > 1e-6
                for product_id in products.ids
            )
    return seconds, differing


def routing_pace(texts):
    """Background batches found in the servers' logs, per cron worker (process) and
    step (routing, transfers): batches, orders, busy seconds, orders per second."""
    per_worker = {}
    for server_index, text in enumerate(texts):
        for line in text.splitlines():
            match = BATCH_LINE.match(line)
            if match:
                key = f"server {server_index + 1} pid {match.group(1)}"
                worker = per_worker.setdefault(key, {})
                totals = worker.setdefault(STEPS[match.group(3)], [0, 0, 0.0])
                totals[0] += 1
                totals[1] += int(match.group(2))
                totals[2] += float(match.group(4))
    return {
        key: {
            step: {
                "batches": batches,
                "orders": orders,
                "busy_s": round(busy, 3),
                "orders_per_s": round(orders / busy, 1) if busy else None,
            }
            for step, (batches, orders, busy) in sorted(steps.items())
        }
        for key, steps in per_worker.items()
    }


def slowest_worker(workers, step):
    """The lowest pace of ``step`` among the workers that ran it."""
    return min(
        (
            steps[step]["orders_per_s"]
            for steps in workers.values()
            if step in steps and steps[step]["orders_per_s"]
        ),
        default=None,
    )


def pause_background(reg, active):
    """Pause (or resume and wake up) peak mode's background actions on every server;
    an action running at that moment is waited for."""
    from odoo import SUPERUSER_ID, api
    from odoo.exceptions import UserError

    deadline = time.monotonic() + 60
    while True:
        with reg.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            crons = env["ir.cron"].browse(env.ref(xmlid).id for xmlid in PEAK_CRONS)
            try:
                crons.active = active
            except UserError:  # running now
                if time.monotonic() > deadline:
                    raise
                cr.rollback()
                time.sleep(0.5)
                continue
            if active:
                for cron in crons:
                    cron._trigger()
            cr.commit()
            return


def hold_transfers(reg, hold):
    """Turn the company's *Transfers After the Peak* on, or off (which wakes peak mode's
    actions up)."""
    from odoo import SUPERUSER_ID, api

    with reg.cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {}).company.omni_peak_hold_transfers = hold
        cr.commit()


# Run ----------------------------------------------------------------------------------


def store_orders(reg, mode_data):
    """Confirmed orders of the mode's channel that a store prepares (Omni's click &
    collect makes a store order at confirmation)."""
    with reg.cursor() as cr:
        cr.execute(
            """
            SELECT COUNT(DISTINCT so.id) FROM sale_order so
              JOIN omni_store_order store_order ON store_order.sale_order_id = so.id
             WHERE so.team_id = %s AND so.state = 'sale'
            """,
            (mode_data["channel"],),
        )
        return cr.fetchone()[0]


def switch_omni(reg, active):
    """Archive (or restore) every stock pool and routing rule: Odoo's own modes run
    without what Omni does for the other channels on the same stock."""
    from odoo import SUPERUSER_ID, api

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
        env["omni.stock.pool"].search([]).active = active
        env["omni.routing.rule"].search([]).active = active
        cr.commit()


def sell_on_website(reg, data, mode):
    """The website's carts go to the mode's channel."""
    from odoo import SUPERUSER_ID, api

    with reg.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["website"].browse(data["website"]).salesteam_id = data["modes"][mode]["channel"]
        cr.commit()


def run_mode(cluster, reg, args, data, mode, seed):
    offsets = cluster.log_offsets()
    mode_data = data["modes"][mode]
    if mode in COLLECT_MODES:
        sell_on_website(reg, data, mode)
    # each condition of the intake set up, and undone once it ends
    with ExitStack() as undo:
        if mode == "peak_backlog":
            pause_background(reg, active=False)
            undo.callback(pause_background, reg, active=True)
        if mode == "peak":
            hold_transfers(reg, hold=True)
            undo.callback(hold_transfers, reg, hold=False)
        if mode in PLAIN_MODES:
            switch_omni(reg, active=False)
            undo.callback(switch_omni, reg, active=True)
        drafted = args.drafted and mode not in COLLECT_MODES
        result = drive(cluster, args, data, mode, args.orders, seed, drafted=drafted)
        result["intake"] = "confirmation of drafts" if drafted else "creation and confirmation"
    if mode in PEAK_MODES:
        timeout = max(args.time_limit, 120)
        routed = wait_for(reg, mode_data, ("queued",), timeout)
        sent = wait_for(reg, mode_data, ("queued", "planned"), timeout)
        if routed is not None and sent is not None:
            sent += routed
        workers = routing_pace(cluster.logs_since(offsets))
        result["background_routing"] = {
            "routed_s_after_intake": round(routed, 3) if routed is not None else None,
            "transfers_done_s_after_intake": round(sent, 3) if sent is not None else None,
            "workers": workers,
            "routing_orders_per_s_per_worker_min": slowest_worker(workers, "routing"),
            "transfers_orders_per_s_per_worker_min": slowest_worker(workers, "transfers"),
        }
    if mode not in PLAIN_MODES:
        seconds, differing = published_after(reg, mode_data, max(args.time_limit, 120))
        result["publication"] = {
            "published_s_after": round(seconds, 3) if seconds is not None else None,
            "published_differing_from_stock": differing,
        }
    retries, restarts, gave_up = cluster.retries_since(offsets)
    sold, states, routed_twice, negative_quants = sold_and_states(reg, mode_data)
    result.update(
        {
            "serialization_retries": retries,
            "retries_started_again_at_once": restarts,
            "requests_out_of_retries": gave_up,
            "oversold_units": oversold(mode_data, sold),
            "negative_quants": negative_quants,
            "routing_states": states,
            "orders_routed_twice": routed_twice,
        }
    )
    if mode in COLLECT_MODES:
        result["orders_prepared_by_a_store"] = store_orders(reg, mode_data)
    return result


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def compare(ratios, results, mode, base):
    """Add ``mode``'s throughput and p95 against ``base``'s to ``ratios``; return
    both ratios."""
    throughput = ratios[f"{mode}_over_{base}_orders_per_s"] = ratio(
        results[mode]["orders_per_s"], results[base]["orders_per_s"]
    )
    for pace in ("answered_per_s", "steady_answered_per_s"):
        ratios[f"{mode}_over_{base}_{pace}"] = ratio(results[mode][pace], results[base][pace])
    p95 = ratios[f"{mode}_over_{base}_p95"] = ratio(
        results[mode]["latency_s"]["p95"], results[base]["latency_s"]["p95"]
    )
    return throughput, p95


def summary(results):
    ratios, targets = {}, {}
    # Omni's confirmation while the client waits, against Odoo's own on the same route
    for mode, base in (("normal", "plain"), ("collect", "collect_plain")):
        if mode in results and base in results:
            throughput, p95 = compare(ratios, results, mode, base)
            targets[f"{mode}_throughput_at_least_0.85x_{base}"] = (throughput or 0) >= 0.85
            targets[f"{mode}_p95_at_most_1.3x_{base}"] = (p95 or 99) <= 1.3
    for mode in PEAK_MODES:
        if mode in results and "plain" in results:
            throughput, _p95 = compare(ratios, results, mode, "plain")
            targets[f"{mode}_throughput_at_least_2x_plain"] = (throughput or 0) >= 2
    # the routing's pace where it has a backlog to catch up with: while orders come in,
    # its batches are as small as the arrivals between two of them
    if "peak_backlog" in results:
        pace = results["peak_backlog"]["background_routing"]["routing_orders_per_s_per_worker_min"]
        targets["peak_backlog_routing_at_least_100_per_s_per_worker"] = (pace or 0) >= 100
    omni = [results[mode] for mode in ("normal", *PEAK_MODES, "collect") if mode in results]
    checks = {
        "omni_oversold_units_zero": all(result["oversold_units"] == 0 for result in omni),
        "omni_client_errors_zero": all(result["client_errors"] == 0 for result in omni),
        "no_order_routed_twice": all(result["orders_routed_twice"] == 0 for result in omni),
        "published_as_stock_once_caught_up": all(
            result["publication"]["published_differing_from_stock"] == 0 for result in omni
        ),
        "no_order_left_queued": all(
            result["routing_states"].get(state, 0) == 0
            for result in omni
            for state in ("queued", "planned")
        ),
    }
    return ratios, targets, checks


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    created = install(args.database)
    tag = f"{os.getpid()}{int(time.time()) % 100000}"
    try:
        reg = registry(args.database)
        data = build(reg, tag)
        log_dir = args.log_dir or Path(os.environ["OMNI_DATA_DIR"]) / "load-logs" / tag
        results = {}
        with odoo_servers.OdooServers(
            args.database,
            count=args.servers,
            workers=args.workers,
            cron_workers=args.cron_workers,
            background=args.background_servers,
            background_cron_workers=args.background_cron_workers,
            base_port=args.base_port or None,
            log_dir=log_dir,
        ) as cluster:
            # every worker process loads the registry on its first requests
            drive(cluster, args, data, "warmup", 4 * args.servers * max(args.workers, 1), 0)
            if set(args.modes) & set(COLLECT_MODES):
                sell_on_website(reg, data, "warmup_collect")
                drive(
                    cluster,
                    args,
                    data,
                    "warmup_collect",
                    4 * args.servers * max(args.workers, 1),
                    0,
                )
            for seed, mode in enumerate(args.modes, start=1):
                print(f"==> {mode}", file=sys.stderr, flush=True)
                results[mode] = run_mode(cluster, reg, args, data, mode, seed)
        ratios, targets, checks = summary(results)
        report = {
            "load_test": "order_intake_xmlrpc",
            "servers": args.servers,
            "http_workers_per_server": args.workers,
            "cron_workers_per_server": args.cron_workers,
            "background_servers": args.background_servers,
            "cron_workers_per_background_server": args.background_cron_workers,
            "background_nice": odoo_servers.BACKGROUND_NICE,
            "clients": args.clients,
            "orders_per_mode": args.orders,
            "lines_per_order": args.lines,
            "cpu_count": os.cpu_count(),
            "server_logs": str(log_dir),
            "modes": results,
            "ratios": ratios,
            "targets": targets,
            "checks": checks,
        }
        print(json.dumps(report, indent=2), flush=True)
        return 0 if all(checks.values()) else 1
    finally:
        if created and not args.keep_database:
            close_connections(args.database)
            drop(args.database)


if __name__ == "__main__":
    sys.exit(main())
