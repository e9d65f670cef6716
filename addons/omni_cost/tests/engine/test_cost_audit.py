"""Reading carrier invoice files and auditing their lines."""

import pytest
from omni_cli.engines import load_engine

audit = load_engine("omni_cost").audit

HEADER = "tracking_number,ship_date,billed_weight_kg,amount,surcharge,currency\n"


def test_parse_mondial_relay_format():
    content = (
        "Numero Expedition;Date Depot;Poids Facture;Montant HT;Supplements HT;Devise\n"
        "MR1;05/01/2026;2,5;1 234,50;0,90;EUR\n"
    )
    (line,) = audit.parse(content, "mondialrelay")
    assert (line.tracking, line.weight, line.amount, line.surcharge, line.currency) == (
        "MR1",
        2.5,
        1234.5,
        0.9,
        "EUR",
    )
    assert line.total == 1235.4


def test_every_wrong_line_is_listed():
    content = HEADER + "T1,2026-01-05,2,-3,0,\n,2026-01-05,2,3,0,\nT3,2026-01-05,x,3,0,\n"
    with pytest.raises(audit.AuditError) as caught:
        audit.parse(content, "omni")
    assert [(e.line, e.code) for e in caught.value.errors] == [
        (2, audit.NEGATIVE),
        (3, audit.NO_TRACKING),
        (4, audit.NOT_A_NUMBER),
    ]


def test_wrong_format():
    with pytest.raises(audit.AuditError) as caught:
        audit.parse("a;b\n1;2\n", "omni")
    assert caught.value.errors[0].code == audit.WRONG_HEADER


def test_findings():
    lines = audit.parse(
        HEADER
        + "T1,2026-01-05,30,12,0,\nT2,2026-01-05,2,5,0.5,\nT1,2026-01-05,30,12,0,\n"
        + "T3,2026-01-05,2,6,0,\nT9,2026-01-05,1,3,0,\nT4,2026-01-05,2,5.5,0,\n",
        "omni",
    )
    shipments = {
        "T1": audit.ShipmentFact(1, 7.5, 16.0),
        "T2": audit.ShipmentFact(2, 5.0, 2.0),
        "T3": audit.ShipmentFact(3, 6.0, 2.0, made=False),
        "T4": audit.ShipmentFact(4, 5.0, 2.0),
    }
    found = [(f.status, f.at_stake, f.counts_as_actual) for f in audit.audit(lines, shipments)]
    assert found == [
        (audit.OVERWEIGHT, 4.5, True),
        (audit.SURCHARGE, 0.5, True),
        (audit.DUPLICATE, 12.0, False),
        (audit.NOT_SHIPPED, 6.0, False),
        (audit.UNKNOWN, 3.0, False),
        (audit.OVERPRICED, 0.5, True),
    ]
