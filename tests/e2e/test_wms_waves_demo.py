"""The demo central DC: wave rules, waves ready to pick with their totes, pick faces
with one being replenished and one short."""


def test_demo_wave_rules_released_waves_ready_to_pick(env):
    central = env.ref("omni_demo.demo_distribution_centers_1")
    rules = env["omni.wave.rule"].search([("warehouse_id", "=", central.id)])
    assert set(rules.mapped("order_type")) == {"priority", "single_unit", "multi_line"}
    assert env.ref("omni_demo.demo_wave_rule_1") in rules
    waves = rules.wave_ids
    assert waves and set(waves.mapped("state")) == {"in_progress"}
    assert all(wave.omni_route_length > 0 for wave in waves)
    for wave in waves:
        totes = wave.picking_ids.mapped("omni_tote")
        assert sorted(totes) == list(range(1, len(totes) + 1))
        assert wave.omni_screen_next_step()["line"]["tote"] in totes
    multi_line = rules.filtered(lambda rule: rule.order_type == "multi_line")
    assert multi_line.last_saved_length >= 0
    assert multi_line.last_arrival_length >= multi_line.last_release_length > 0


def test_demo_pick_faces_replenished_and_short(env):
    central = env.ref("omni_demo.demo_distribution_centers_1")
    faces = env["omni.pick.face"].search([("warehouse_id", "=", central.id)])
    assert len(faces) >= 2
    assert all(face.reserve_location_id for face in faces)
    replenished = faces.filtered("replenishment_move_ids")
    assert replenished and replenished.replenishment_move_ids.picking_id.omni_route_date
    assert faces.filtered(lambda face: face.short_qty > 0)
