"""Copies of one signed tracking webhook delivered at the same time to two Odoo servers
sharing one database: each copy is answered 200, each event recorded once."""

import json
import threading

import requests
from test_tms_webhook_concurrency import COPIES, STAGES, recorded, signed_webhook, world  # noqa: F401
from two_servers import two_servers  # noqa: F401


def test_copies_posted_to_two_servers_are_recorded_once(registry, two_servers, world):  # noqa: F811
    body, headers = signed_webhook(world)
    answers, gate = [], threading.Barrier(COPIES)

    def post(index):
        url = f"{two_servers.urls[index % 2]}/omni_tms/webhook/{world['carrier']}"
        gate.wait()
        response = requests.post(url, data=body, headers=headers, timeout=120)
        answers.append((response.status_code, response.text))

    threads = [threading.Thread(target=post, args=(index,)) for index in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)

    assert [status for status, _text in answers] == [200] * COPIES, answers
    counts = sorted((json.loads(text) for _status, text in answers), key=lambda c: -c["created"])
    assert counts[0] == {"created": 3, "duplicates": 0, "unknown": 0}
    assert counts[1:] == [{"created": 0, "duplicates": 3, "unknown": 0}] * (COPIES - 1)
    uids, stage, notified = recorded(registry, world)
    assert uids == sorted(f"{world['tag']}-{code}" for code, _stage in STAGES)
    assert (stage, notified) == ("delivered", ["delivered"])
