"""One parcel asked for on two Odoo servers sharing one database at the same moment:
the carrier creates a single shipment, Odoo keeps a single shipment record."""

import threading

from test_tms_shipment_durability import server, shipments, world  # noqa: F401
from two_servers import Fault, rpc_user, rpcs, two_servers  # noqa: F401


def test_shipping_one_picking_on_two_servers_at_once(registry, server, world, rpcs):  # noqa: F811
    outcomes, gate = [], threading.Barrier(len(rpcs))

    def ship(rpc):
        gate.wait()
        try:
            rpc("stock.picking", "send_to_shipper", [world["picking"]])
            outcomes.append("shipped")
        except Fault as fault:
            being_created = "is being created" in fault.message
            outcomes.append("refused while being created" if being_created else fault.message)

    threads = [threading.Thread(target=ship, args=(rpc,)) for rpc in rpcs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)

    assert "shipped" in outcomes
    assert set(outcomes) <= {"shipped", "refused while being created"}, outcomes
    assert len(server.created) == 1, "the carrier created one shipment"
    [record] = shipments(registry, world["picking"])
    assert record["state"] == "done"
    assert record["tracking_number"] == server.created[0]["tracking_number"]
