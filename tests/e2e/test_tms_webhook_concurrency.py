"""Copies of one signed tracking webhook delivered at the same time, to a running
server, with real commits: each copy is answered 200, each event recorded once."""

import hashlib
import hmac
import json
import threading
import time
import uuid

import odoo_session
import pytest
import requests
from werkzeug.serving import make_server

COPIES = 6
SECRET = "whsec_e2e"
STAGES = (("PU", "picked_up"), ("IT", "in_transit"), ("DL", "delivered"))


def run(registry, function):
    """``function(env)`` in a transaction of its own, committed unless it raises."""
    with registry.cursor() as cr:
        return function(odoo_session.environment(cr))


@pytest.fixture(scope="module")
def server(registry):
    """Odoo's HTTP application on a free local port, serving requests in threads."""
    import odoo.http  # importable once the registry fixture set Odoo up

    httpd = make_server("127.0.0.1", 0, odoo.http.root, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_port}"
    # A first request alone builds Odoo's per-process caches (the add-ons' manifests):
    # Python 3.11 can fail parsing them in several threads at once (SystemError: AST
    # constructor recursion depth mismatch), which is not what these tests are about.
    requests.get(f"{url}/omni_tms/static/description/icon.png", timeout=30).raise_for_status()
    yield url
    httpd.shutdown()
    thread.join()


@pytest.fixture
def world(registry):
    """A carrier taking signed webhooks and a shipment it carries, committed; removed
    after, with what the webhooks recorded."""
    tag = uuid.uuid4().hex[:8]

    def build(env):
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        shipping = env["product.product"].create({"name": f"E2E shipping {tag}", "type": "service"})
        carrier = env["delivery.carrier"].create(
            {
                "name": f"E2E webhook carrier {tag}",
                "delivery_type": "omni_test",
                "product_id": shipping.id,
                "omni_webhook_secret": SECRET,
            }
        )
        # no email: the delivered notification is posted, nothing is sent
        customer = env["res.partner"].create({"name": f"E2E customer {tag}"})
        picking = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": customer.id,
                "carrier_id": carrier.id,
            }
        )
        shipment = env["omni.shipment"].create(
            {
                "name": f"E2E-{tag}",
                "picking_id": picking.id,
                "carrier_id": carrier.id,
                "company_id": env.company.id,
                "state": "done",
                "tracking_number": f"E2E{tag}",
            }
        )
        return {
            "tag": tag,
            "carrier": carrier.id,
            "product": shipping.id,
            "customer": customer.id,
            "picking": picking.id,
            "shipment": shipment.id,
            "tracking_number": shipment.tracking_number,
        }

    ids = run(registry, build)
    yield ids

    def clean(env):
        env["omni.shipment"].browse(ids["shipment"]).unlink()
        env["stock.picking"].browse(ids["picking"]).unlink()
        env["delivery.carrier"].browse(ids["carrier"]).unlink()
        env["product.product"].browse(ids["product"]).product_tmpl_id.unlink()
        env["res.partner"].browse(ids["customer"]).unlink()

    run(registry, clean)


def signed_webhook(world):
    body = json.dumps(
        {
            "tracking_number": world["tracking_number"],
            "events": [
                {
                    "id": f"{world['tag']}-{code}",
                    "code": code,
                    "timestamp": f"2026-01-0{rank}T10:00:00Z",
                }
                for rank, (code, _stage) in enumerate(STAGES, start=1)
            ],
        }
    ).encode()
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "X-Omni-Signature": signature}


def post_copies(url, body, headers, started=None):
    """Post COPIES copies of the webhook at once; their answers, when all came back."""
    answers, gate = [], threading.Barrier(COPIES)

    def post():
        gate.wait()
        response = requests.post(url, data=body, headers=headers, timeout=120)
        answers.append((response.status_code, response.text))

    threads = [threading.Thread(target=post) for _copy in range(COPIES)]
    for thread in threads:
        thread.start()
    if started:
        started()
    for thread in threads:
        thread.join(180)
    return answers


def recorded(registry, world):
    def read(env):
        shipment = env["omni.shipment"].browse(world["shipment"])
        return (
            sorted(shipment.event_ids.mapped("uid")),
            shipment.tracking_stage,
            shipment.notification_ids.mapped("stage"),
        )

    return run(registry, read)


def test_copies_posted_together_are_all_answered_and_recorded_once(registry, server, world):
    body, headers = signed_webhook(world)
    answers = post_copies(f"{server}/omni_tms/webhook/{world['carrier']}", body, headers)

    assert [status for status, _text in answers] == [200] * COPIES, answers
    counts = sorted((json.loads(text) for _status, text in answers), key=lambda c: -c["created"])
    assert counts[0] == {"created": 3, "duplicates": 0, "unknown": 0}
    assert counts[1:] == [{"created": 0, "duplicates": 3, "unknown": 0}] * (COPIES - 1)
    uids, stage, notified = recorded(registry, world)
    assert uids == sorted(f"{world['tag']}-{code}" for code, _stage in STAGES)
    assert (stage, notified) == ("delivered", ["delivered"])


def lock_waits(cr):
    """How many sessions of the database wait for a lock on a tracking event."""
    cr.execute(
        """
        SELECT COUNT(*) FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'
           AND query LIKE %s
        """,
        ['%"omni_tracking_event"%'],
    )
    return cr.fetchone()[0]


def test_copies_waiting_for_a_first_recording_all_find_it_done(registry, server, world):
    """A first copy has recorded the events and not committed yet: every other copy
    waits for it on the carrier's event ids, then finds them recorded."""
    body, headers = signed_webhook(world)
    waited = []
    with registry.cursor() as first, registry.cursor() as watcher:
        env = odoo_session.environment(first)
        carrier = env["delivery.carrier"].browse(world["carrier"])
        events = carrier._omni_connector().parse_webhook(headers, body)
        counts = env["omni.tracking.event"]._omni_record_events(carrier, events, "webhook")
        assert counts["created"] == 3
        first.flush()

        def commit_once_all_wait():
            deadline = time.monotonic() + 60
            while lock_waits(watcher) < COPIES and time.monotonic() < deadline:
                watcher.rollback()
                time.sleep(0.1)
            waited.append(lock_waits(watcher))
            first.commit()

        answers = post_copies(
            f"{server}/omni_tms/webhook/{world['carrier']}", body, headers, commit_once_all_wait
        )

    assert waited == [COPIES], "every copy waited for the first recording"
    assert answers == [(200, '{"created": 0, "duplicates": 3, "unknown": 0}')] * COPIES
    uids, stage, notified = recorded(registry, world)
    assert len(uids) == 3
    assert (stage, notified) == ("delivered", ["delivered"])
