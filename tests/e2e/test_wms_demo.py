"""The demo central DC: a layout, placed bins with stock, and routed pickings and wave."""


def test_demo_wave_is_walked_along_a_planned_route(env):
    layout = env.ref("omni_demo.demo_pick_layout")
    wave = env.ref("omni_demo.demo_wave")
    central = env.ref("omni_demo.demo_distribution_centers_1")
    assert layout.warehouse_id == central
    assert layout.has_middle_cross_aisle and layout.placed_location_count == 160
    assert env["stock.location"].search_count(
        [("warehouse_id", "=", central.id), ("name", "=", "A-01-1"), ("omni_aisle", "=", 1)]
    )
    assert wave.is_wave and wave.state == "in_progress"
    assert wave.omni_route_method == "optimal" and wave.omni_route_length > 0
    sequences = sorted(wave.move_line_ids.mapped("omni_pick_sequence"))
    assert sequences == list(range(1, len(sequences) + 1))
    assert wave.move_line_ids.location_id.mapped("omni_aisle") and all(
        wave.move_line_ids.location_id.mapped("omni_aisle")
    )


def test_demo_deliveries_of_the_central_dc_have_routes(env):
    central = env.ref("omni_demo.demo_distribution_centers_1")
    reserved = env["stock.picking"].search(
        [
            ("picking_type_id.warehouse_id", "=", central.id),
            ("state", "=", "assigned"),
            ("picking_type_code", "=", "outgoing"),
        ]
    )
    assert reserved
    assert all(picking.omni_route_date for picking in reserved)
    assert not any(picking.omni_unrouted_count for picking in reserved), "stock is in the bins"


def test_demo_pick_list_renders_in_walking_order(env):
    wave = env.ref("omni_demo.demo_wave")
    html, _format = env["ir.actions.report"]._render_qweb_html(
        "omni_wms.stock_picking_batch_report_omni_pick_list", wave.ids
    )
    html = html.decode()
    names = [line.location_id.name for line in wave.move_line_ids.sorted("omni_pick_sequence")]
    positions = [html.index(f"/{name}<") for name in dict.fromkeys(names)]
    assert positions == sorted(positions)


def test_demo_pick_list_prints_as_pdf(env):
    # wkhtmltopdf fetches the report's style sheets from the report URL; no Odoo serves
    # here, so point it at a closed port rather than at whatever listens on the default
    env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
    wave = env.ref("omni_demo.demo_wave")
    pdf, report_format = (
        env["ir.actions.report"]
        .with_context(force_report_rendering=True)
        ._render_qweb_pdf("omni_wms.stock_picking_batch_report_omni_pick_list", wave.ids)
    )
    assert report_format == "pdf"
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
