"""The load test's command line and figures, without starting Odoo (the load test itself
is run by hand: ./scripts/omni load)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "load"))

import load_orders
import servers
from omni_cli.main import _parser

LOG = """\
2026-12-01 18:00:01,000 4242 INFO db odoo.addons.omni_oms.models.sale_order: \
Omni peak routing: 40 orders routed in 0.300 s
2026-12-01 18:00:02,000 4242 INFO db odoo.addons.omni_oms.models.sale_order: \
Omni peak routing: 10 orders routed in 0.200 s
2026-12-01 18:00:02,050 4242 INFO db odoo.addons.omni_oms.models.sale_order: \
Omni peak routing: 25 orders sent to their warehouses in 1.250 s
2026-12-01 18:00:02,100 4243 INFO db odoo.service.model: \
SERIALIZATION_FAILURE, 4 tries left, try again in 0.5000 sec...
2026-12-01 18:00:02,200 4243 INFO db odoo.addons.omni_oms.models.sale_order: \
Omni peak routing: batch rolled back (SerializationFailure), attempt 1 of 5
2026-12-01 18:00:02,300 4243 INFO db odoo.addons.omni_oms.models.omni_routing_product_lock: \
Omni selling lock: transaction started again on a newer snapshot
"""


def test_defaults_are_two_servers_of_two_workers_and_every_mode():
    args = load_orders.parse_args([])
    assert (args.servers, args.workers, args.clients, args.orders) == (2, 2, 8, 200)
    assert args.modes == [
        "plain",
        "normal",
        "peak",
        "peak_transfers",
        "peak_backlog",
        "collect_plain",
        "collect",
    ]
    assert not args.drafted, "orders created and confirmed while the clock runs"


def test_scheduled_actions_run_on_a_background_server_by_default(capsys):
    args = load_orders.parse_args([])
    assert (args.cron_workers, args.background_servers, args.background_cron_workers) == (0, 1, 2)
    with pytest.raises(SystemExit):
        load_orders.parse_args(["--background-servers", "0", "--modes", "plain,peak"])
    assert "peak modes need cron workers" in capsys.readouterr().err
    args = load_orders.parse_args(["--background-servers", "0", "--modes", "plain,normal"])
    assert args.background_servers == 0


def test_background_servers_take_no_client_and_run_at_a_lower_priority(tmp_path, monkeypatch):
    started = []

    class Process:
        pid = 4242

    def popen(command, **_kwargs):
        started.append(command)
        return Process()

    monkeypatch.setenv("ODOO_SRC", "/odoo")
    monkeypatch.setenv("OMNI_ADDONS_PATH", "/addons")
    monkeypatch.setenv("OMNI_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(servers.subprocess, "Popen", popen)
    cluster = servers.OdooServers(
        "db", count=2, cron_workers=0, background=1, base_port=8300, log_dir=tmp_path
    )
    assert cluster.urls == ["http://127.0.0.1:8300", "http://127.0.0.1:8302"]
    for server in cluster.servers:
        cluster._start(server)
    web, _other_web, background = started
    assert web[web.index("--max-cron-threads") + 1] == "0"
    assert web[web.index("--workers") + 1] == "2"
    assert background[:3] == ["nice", "-n", str(servers.BACKGROUND_NICE)]
    assert background[background.index("--max-cron-threads") + 1] == "2"
    assert background[background.index("--http-port") + 1] == "8304"


def test_unknown_mode_and_empty_runs_are_refused(capsys):
    with pytest.raises(SystemExit):
        load_orders.parse_args(["--modes", "plain,turbo"])
    error = capsys.readouterr().err
    assert "--modes: choose among plain, normal, peak, peak_transfers, peak_backlog" in error
    with pytest.raises(SystemExit):
        load_orders.parse_args(["--orders", "0"])


def test_the_omni_command_passes_the_options_on():
    args, extra = _parser().parse_known_args(["load", "--servers", "3", "--modes", "plain"])
    assert args.command == "load"
    assert extra == ["--servers", "3", "--modes", "plain"]


def test_background_routing_pace_per_worker_from_the_logs():
    pace = load_orders.routing_pace([LOG])
    # 50 orders routed in 0.5 s busy, 25 sent to their warehouses in 1.25 s
    assert pace == {
        "server 1 pid 4242": {
            "routing": {"batches": 2, "orders": 50, "busy_s": 0.5, "orders_per_s": 100.0},
            "transfers": {"batches": 1, "orders": 25, "busy_s": 1.25, "orders_per_s": 20.0},
        }
    }
    assert load_orders.slowest_worker(pace, "routing") == 100.0
    assert load_orders.slowest_worker(pace, "transfers") == 20.0


def test_retries_counted_from_the_logs(tmp_path):
    cluster = servers.OdooServers("db", count=1, base_port=8300, log_dir=tmp_path)
    cluster.servers[0].logfile.write_text("before\n")
    offsets = cluster.log_offsets()
    with cluster.servers[0].logfile.open("a") as log:
        log.write(LOG)
    assert cluster.retries_since(offsets) == (3, 1, 0)
    assert cluster.servers[0].http_port == 8300
    assert cluster.servers[0].gevent_port == 8301


def test_ratios_and_targets_against_plain_odoo():
    def figures(rate, p95, answered, steady, **extra):
        return {
            "orders_per_s": rate,
            "answered_per_s": answered,
            "steady_answered_per_s": steady,
            "latency_s": {"p95": p95},
            "oversold_units": 0.0,
            "client_errors": 0,
            "orders_routed_twice": 0,
            "routing_states": {"routed": 10},
            "publication": {"published_s_after": 0.4, "published_differing_from_stock": 0},
            **extra,
        }

    results = {
        "plain": figures(10.0, 1.0, 10.0, 12.0),
        "normal": figures(9.0, 1.4, 10.0, 11.4),
        "peak": figures(25.0, 0.5, 27.0, 30.0, background_routing={}),
        "peak_backlog": figures(
            30.0,
            0.4,
            32.0,
            36.0,
            background_routing={"routing_orders_per_s_per_worker_min": 120.0},
        ),
        "collect_plain": figures(4.0, 2.0, 4.0, 4.0),
        "collect": figures(3.6, 2.2, 4.0, 3.8, orders_prepared_by_a_store=200),
    }
    ratios, targets, checks = load_orders.summary(results)
    assert ratios == {
        "normal_over_plain_orders_per_s": 0.9,
        "normal_over_plain_answered_per_s": 1.0,
        "normal_over_plain_steady_answered_per_s": 0.95,
        "normal_over_plain_p95": 1.4,
        "peak_over_plain_orders_per_s": 2.5,
        "peak_over_plain_answered_per_s": 2.7,
        "peak_over_plain_steady_answered_per_s": 2.5,
        "peak_over_plain_p95": 0.5,
        "peak_backlog_over_plain_orders_per_s": 3.0,
        "peak_backlog_over_plain_answered_per_s": 3.2,
        "peak_backlog_over_plain_steady_answered_per_s": 3.0,
        "peak_backlog_over_plain_p95": 0.4,
        "collect_over_collect_plain_orders_per_s": 0.9,
        "collect_over_collect_plain_answered_per_s": 1.0,
        "collect_over_collect_plain_steady_answered_per_s": 0.95,
        "collect_over_collect_plain_p95": 1.1,
    }
    assert targets == {
        "normal_throughput_at_least_0.85x_plain": True,
        "normal_p95_at_most_1.3x_plain": False,
        "peak_throughput_at_least_2x_plain": True,
        "peak_backlog_throughput_at_least_2x_plain": True,
        "peak_backlog_routing_at_least_100_per_s_per_worker": True,
        "collect_throughput_at_least_0.85x_collect_plain": True,
        "collect_p95_at_most_1.3x_collect_plain": True,
    }
    assert all(checks.values())
    results["peak"]["oversold_units"] = 1.0
    assert not load_orders.summary(results)[2]["omni_oversold_units_zero"]
    results["normal"]["publication"]["published_differing_from_stock"] = 2
    assert not load_orders.summary(results)[2]["published_as_stock_once_caught_up"]


def test_steady_pace_leaves_out_the_start_and_the_slowest_requests():
    # 20 answers 0.1 s apart, then one request asleep in retry pauses until 30 s
    moments = [0.1 * index for index in range(20)] + [30.0]
    assert round(len(moments) / moments[-1], 2) == 0.7, "the wall-time pace"
    assert load_orders.steady_pace(moments) == 10.0
    assert load_orders.steady_pace(moments[:9]) is None, "too few answers to tell"


def test_drafts_are_handed_out_once_each():
    budget = load_orders.Budget(3)
    budget.drafts = [11, 12, 13]
    handed = []
    while budget.take():
        handed.append(budget.next_draft())
    assert sorted(handed) == [11, 12, 13]
