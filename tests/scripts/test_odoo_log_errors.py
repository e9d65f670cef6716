"""The test command fails on any ERROR line of Odoo's log but one: the test HTTP server
closing a browser's idle spare connection."""

from omni_cli.testrun import odoo_error_lines

IDLE = (
    "2026-12-02 09:00:09,100 25992 ERROR ? werkzeug: 127.0.0.1 - - [02/Dec/2026 09:00:09] "
    "Request timed out: TimeoutError('timed out') - - -"
)
SERVER_ERROR = (
    "2026-12-02 09:00:09,100 25992 ERROR omni_test werkzeug: 127.0.0.1 - - "
    '"POST /omni/promise HTTP/1.1" 500 -'
)
ADDON_ERROR = (
    "2026-12-02 09:00:09,100 25992 ERROR omni_test odoo.addons.omni_oms.models.sale_order: "
    "Request timed out: TimeoutError('timed out')"
)
INFO = "2026-12-02 09:00:09,100 25992 INFO omni_test odoo.modules.loading: loading 1 modules..."


def test_an_idle_browser_connection_closed_is_not_an_error():
    assert odoo_error_lines([IDLE, INFO]) == []


def test_every_other_error_line_counts():
    assert odoo_error_lines([SERVER_ERROR, ADDON_ERROR, IDLE]) == [SERVER_ERROR, ADDON_ERROR]
