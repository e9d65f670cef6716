import argparse
import sys

from .bench import bench_command
from .demo import DEMO_DATABASE, demo_command
from .errors import SetupError
from .load import load_command
from .odoo_env import check_python_requirements, find_odoo, find_or_install_odoo
from .odoo_run import CONFIG_FILE
from .pick_route import pick_route_command
from .postgres import ensure_postgres
from .readme import stale_readmes
from .system import ensure_system_programs
from .testrun import odoo_suites_command, test_command


def _parser():
    parser = argparse.ArgumentParser(
        prog="omni", description="Omni project commands: setup, demo, tests, benchmarks."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup", help="find Odoo 18.0, or install the official one")
    demo = commands.add_parser("demo", help="start Odoo with Omni and its demo data")
    demo.add_argument("--database", default=DEMO_DATABASE)
    demo.add_argument("--port", type=int, default=8069)
    test = commands.add_parser("test", help="run every test and static check")
    test.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="ADDON",
        help="while developing: run only the Odoo tests of this add-on (repeatable)",
    )
    commands.add_parser("odoo-tests", help="Odoo's own suites with Omni installed")
    commands.add_parser("readme", help="write each add-on's README.md from readme/")
    bench = commands.add_parser("bench", help="run benchmarks (tests/bench)")
    bench.add_argument("names", nargs="*", help="benchmark script names, default all")
    commands.add_parser(
        "load",
        add_help=False,
        help="load test: several Odoo servers on one database, concurrent orders (heavy); "
        "options of tests/load/load_orders.py (omni load --help)",
    )
    pick_route = commands.add_parser(
        "pick-route", help="plan a picking route: layout and picks as JSON in, route out"
    )
    pick_route.add_argument("file", help="JSON file, or - for standard input")
    return parser


def main(argv):
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != "load" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "pick-route":
        try:
            return pick_route_command(args.file)
        except SetupError as error:
            print(f"omni pick-route: {error}", file=sys.stderr)
            return 2
    if args.command == "readme":
        for addon in stale_readmes(write=True):
            print(f"{addon}/README.md written")
        return 0
    try:
        odoo = find_or_install_odoo() if args.command in ("setup", "demo") else find_odoo()
        check_python_requirements(odoo)
        print(
            f"==> Odoo 18.0 at {odoo.source} (found by {odoo.found_by})",
            file=sys.stderr,
            flush=True,
        )
        if args.command == "setup":
            return 0
        pg_settings = ensure_postgres(odoo, CONFIG_FILE)
        if args.command in ("test", "odoo-tests"):
            ensure_system_programs()
        if args.command == "demo":
            return demo_command(odoo, pg_settings, args.database, args.port)
        if args.command == "test":
            return test_command(odoo, pg_settings, tuple(args.only))
        if args.command == "odoo-tests":
            return odoo_suites_command(odoo, pg_settings)
        if args.command == "load":
            return load_command(odoo, pg_settings, extra)
        return bench_command(odoo, pg_settings, args.names)
    except SetupError as error:
        print(f"omni {args.command}: {error}", file=sys.stderr)
        return 2
