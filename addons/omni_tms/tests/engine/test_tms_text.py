"""Text helpers of the carrier connectors: ASCII spelling of any letter a carrier can
take, and values cut to a field's length between words."""

import pytest
from omni_cli.engines import load_engine

connector = load_engine("omni_tms", "connector")
text = connector.text


@pytest.mark.parametrize(
    ("value", "ascii"),
    [
        ("Łódź", "Lodz"),
        ("ŁÓDŹ", "LODZ"),
        ("Zoé Lefèvre", "Zoe Lefevre"),
        ("Große Straße", "Grosse Strasse"),
        ("Ærøskøbing", "AEroskobing"),
        ("Αθήνα", "Athina"),
        ("Ελένη Παπαδοπούλου", "Eleni Papadopoulou"),
        ("ΘΕΣΣΑΛΟΝΙΚΗ", "THESSALONIKI"),
        ("Москва", "Moskva"),
        ("улица Щукина, 5", "ulitsa Shchukina, 5"),
        ("Rue de l’Église – Bât. «A»", 'Rue de l\'Eglise - Bat. "A"'),
        ("ＡＢＣ１２３", "ABC123"),
        ("北京 5", " 5"),
        (None, ""),
    ],
)
def test_letters_are_spelt_in_ascii_not_dropped(value, ascii):
    assert text.to_ascii(value) == ascii


def test_lines_are_cut_between_words_and_each_text_keeps_its_line_when_it_fits():
    assert text.wrap(["27 rue Henri Rolland", "Batiment B"], 32, 2) == [
        "27 rue Henri Rolland",
        "Batiment B",
    ]
    assert text.wrap(["Zone Industrielle des Grandes Terres 12 Allee des Erables"], 32, 2) == [
        "Zone Industrielle des Grandes",
        "Terres 12 Allee des Erables",
    ]
    # Too long for two lines each: run together, and what does not fit is left out.
    lines = text.wrap(
        ["Residence Les Tilleuls, 14 Avenue", "Escalier B, Quatrieme etage, porte gauche"], 32, 2
    )
    assert lines == ["Residence Les Tilleuls, 14", "Avenue Escalier B, Quatrieme"]
    assert text.wrap(["", "  "], 32, 2) == ["", ""]
    assert text.wrap(["X" * 40], 32, 2) == ["X" * 32, "X" * 8]
    assert text.fit("Saint-Remy-de-Provence-les-Alpilles", 26) == "Saint-Remy-de-Provence-"
    assert text.fit("Villeneuve  Saint Georges sur Seine", 26) == "Villeneuve Saint Georges"


def test_phone_numbers_keep_their_digits_whatever_they_were_typed_with():
    assert text.phone_number("+33 (0)1 23 45 67 89") == "+330123456789"
    assert text.phone_number("٠٦ ١٢") == "0612"
    assert text.phone_number("＋３３ ６") == "+336"
    assert text.phone_number(None) == ""
