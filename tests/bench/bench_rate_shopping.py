"""Rate shopping: 5 carriers answering in ~200 ms each, asked in parallel by Omni and
one after the other the standard Odoo way (rate_shipment per carrier).

Figures: Omni's parallel quoting time, Odoo's sequential time, the slowest single
quote, and Omni's time over the slowest single quote (the target is at most 1.3).
"""

import statistics
import time

import benchlib

CARRIERS = 5
LATENCY = 0.2
REPEAT = 5

fake = benchlib.load_engine("omni_tms", "tests/fake_servers")


def build(env, url):
    generator = env["omni.demo.generator"]
    dataset = generator._generate(
        stores=1, products=5, customers=8, orders=0, prefix="BENCH", carrier_url=url
    )
    carriers = dataset["carriers"]
    extra = carriers[0].copy(
        {"name": "BENCH Extra (test carrier)", "omni_test_account": "BENCH-EXTRA"}
    )
    extra.omni_test_api_key = carriers[0].omni_test_api_key
    carriers |= extra
    carriers.write({"omni_timeout": 5.0, "max_weight": 0})
    customer = dataset["customers"].filtered(lambda partner: partner.country_id.code == "FR")[:1]
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "warehouse_id": dataset["distribution_centers"][0].id,
            "order_line": [
                (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                for product in dataset["products"][:2]
            ],
        }
    )
    return carriers[:CARRIERS], order


def main():
    with fake.OmniTestCarrierServer() as server, benchlib.environment() as env:
        carriers, order = build(env, f"{server.url}/sandbox")
        for carrier in carriers:
            server.account_latency[carrier.omni_test_account] = LATENCY
        selection = env["omni.carrier.selection"]
        shipment = order._omni_shipping_data()

        def parallel():
            quotes = selection._omni_collect_quotes(carriers, shipment, order, order.currency_id)
            assert [quote["state"] for quote in quotes] == ["quoted"] * CARRIERS, quotes
            return quotes

        singles = []

        def sequential():
            results = []
            for carrier in carriers:
                started = time.perf_counter()
                results.append(carrier.rate_shipment(order))
                singles.append(time.perf_counter() - started)
            assert all(result["success"] for result in results), results
            return results

        parallel()  # warm-up: connections, caches
        omni_seconds, _quotes = benchlib.timed(parallel, repeat=REPEAT)
        odoo_seconds, _results = benchlib.timed(sequential, repeat=REPEAT)
        slowest = statistics.median(
            max(singles[run * CARRIERS : (run + 1) * CARRIERS]) for run in range(REPEAT)
        )
        benchlib.emit(
            "rate_shopping_5_carriers",
            omni_seconds=omni_seconds,
            odoo_seconds=odoo_seconds,
            carriers=CARRIERS,
            carrier_latency_seconds=LATENCY,
            slowest_single_quote_seconds=round(slowest, 6),
            omni_over_slowest_single=round(omni_seconds / slowest, 3),
            target_omni_over_slowest_single=1.3,
        )


if __name__ == "__main__":
    benchlib.run(main)
