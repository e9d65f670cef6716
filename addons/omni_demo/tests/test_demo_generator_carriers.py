from odoo.tests import tagged

from odoo.addons.omni_tms.tests.common import TmsCommon
from odoo.addons.omni_tms.tests.fake_servers import DEMO_SERVERS as TEST_CARRIER_SERVERS
from odoo.addons.omni_tms_chronopost.tests.fake_servers import (
    DEMO_SERVERS as CHRONOPOST_SERVERS,
)
from odoo.addons.omni_tms_chronopost.tests.fake_servers import ChronopostServer
from odoo.addons.omni_tms_mondialrelay.tests.fake_servers import (
    DEMO_SERVERS as MONDIALRELAY_SERVERS,
)
from odoo.addons.omni_tms_mondialrelay.tests.fake_servers import MondialRelayServer
from odoo.addons.omni_tms_sendcloud.tests.fake_servers import (
    DEMO_SERVERS as SENDCLOUD_SERVERS,
)

from ..models.omni_demo_generator_chronopost import CHRONOPOST_DEMO_ACCOUNT, CHRONOPOST_DEMO_URL
from ..models.omni_demo_generator_mondialrelay import MONDIALRELAY_DEMO_URL
from ..models.omni_demo_generator_sendcloud import SENDCLOUD_DEMO_URL
from ..models.omni_demo_generator_tms import DEMO_CARRIER_URL


@tagged("post_install", "-at_install")
class TestDemoGeneratorCarriers(TmsCommon):
    """The generator's carriers, each on the fake server of its carrier."""

    def _generate(self, prefix, **params):
        return self.env["omni.demo.generator"]._generate(
            stores=1, products=2, customers=2, orders=0, prefix=prefix, seed=5, **params
        )

    def _ship(self, dataset, carrier):
        """A delivery of the dataset's central DC validated with ``carrier``."""
        warehouse = dataset["distribution_centers"][0]
        product = dataset["products"][0]
        self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 5)
        order = self._order(partner=dataset["customers"][0], product=product)
        order.warehouse_id = warehouse
        rate = carrier.rate_shipment(order)
        self.assertTrue(rate["success"], rate["error_message"])
        order.set_delivery_line(carrier, rate["price"])
        picking = self._ready(order)
        picking.button_validate()
        return picking

    def test_demo_carriers_call_the_ports_the_demo_serves(self):
        for url, servers, name in (
            (DEMO_CARRIER_URL, TEST_CARRIER_SERVERS, "omni_test"),
            (MONDIALRELAY_DEMO_URL, MONDIALRELAY_SERVERS, "mondialrelay"),
            (CHRONOPOST_DEMO_URL, CHRONOPOST_SERVERS, "chronopost"),
            (SENDCLOUD_DEMO_URL, SENDCLOUD_SERVERS, "sendcloud"),
        ):
            _server, port = servers[name]
            self.assertTrue(url.startswith(f"http://127.0.0.1:{port}"), name)

    def test_mondialrelay_carriers_ship_against_the_fake_web_services(self):
        # the demo carriers use Mondial Relay's public test brand
        with MondialRelayServer(accounts={"BDTEST13": "TestAPI1key"}) as server:
            dataset = self._generate("TMR", mondialrelay_url=server.url)
            relay = dataset["carriers_by_key"]["mondialrelay_relay"]
            home = dataset["carriers_by_key"]["mondialrelay_home"]
            self.assertTrue(relay.omni_mondialrelay_use_locations)
            self.assertFalse(home.omni_mondialrelay_use_locations)
            picking = self._ship(dataset, home)
        self.assertEqual(picking.omni_shipment_ids.state, "done")
        self.assertTrue(picking._omni_label_attachments().raw.startswith(b"%PDF"))

    def test_chronopost_carriers_ship_against_the_fake_web_services(self):
        with ChronopostServer(accounts=dict([CHRONOPOST_DEMO_ACCOUNT])) as server:
            dataset = self._generate("TCP", chronopost_url=server.url)
            carriers = dataset["carriers_by_key"]
            self.assertTrue(carriers["chronopost_relay"].omni_chronopost_use_locations)
            picking = self._ship(dataset, carriers["chronopost_13"])
        self.assertEqual(picking.omni_shipment_ids.state, "done")
        self.assertTrue(picking._omni_label_attachments().raw.startswith(b"%PDF"))
