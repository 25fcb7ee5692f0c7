from decimal import Decimal

import pytest

from claimkit.domain.medicines import missing_columns, parse_row, parse_rows
from claimkit.domain.messages import Refusal

GOOD = {
    "barcode": "6118000120698",
    "name": "ZADRYL",
    "dci": "CETIRIZINE",
    "dosage": "10 MG",
    "forme": "COMPRIME",
    "presentation": "1 BOITE 30",
    "ppv": "91.5",
    "prix_br": "57,00",
    "taux_remb": "70",
    "type": "Générique",
    "classe_therapeutique": "ANTIHISTAMINIQUE H1",
}


def test_good_row() -> None:
    ref = parse_row(GOOD)
    assert (ref.ean13, ref.ppv, ref.pbr, ref.rate_percent) == ("6118000120698", Decimal("91.50"), Decimal("57.00"), 70)
    assert ref.key == "6118000120698"


def test_row_without_barcode_is_keyed_by_description_and_price() -> None:
    a = parse_row({**GOOD, "barcode": "", "prix_br": "", "taux_remb": ""})
    b = parse_row({**GOOD, "barcode": "", "ppv": "12"})
    assert a.pbr is None and a.rate_percent is None
    assert a.key != b.key and "ZADRYL" in a.key


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"name": " "}, "Nom du médicament manquant."),
        ({"barcode": "6118000120699"}, "clé de contrôle"),
        ({"ppv": ""}, "Prix public (ppv) manquant."),
        ({"ppv": "abc"}, "PPV illisible : « abc »."),
        ({"prix_br": "-3"}, "PBR négatif ou invalide : « -3 »."),
        ({"ppv": "NaN"}, "PPV négatif ou invalide"),
        ({"taux_remb": "70%"}, "Taux de remboursement illisible"),
    ],
)
def test_bad_rows_say_why(change: dict[str, str], reason: str) -> None:
    with pytest.raises(Refusal) as refused:
        parse_row({**GOOD, **change})
    assert reason in refused.value.as_message.render()  # msgid and values apart, filled at display


def test_parse_rows_keeps_going_and_numbers_lines() -> None:
    rows = [(2, GOOD), (3, {**GOOD, "ppv": "x"}), (4, GOOD), (5, {**GOOD, "barcode": "", "name": "AUTRE"})]
    refs, problems = parse_rows(rows)
    assert [r.name for r in refs] == ["ZADRYL", "AUTRE"]
    assert [(p.line, p.reason.render().split(" ")[0]) for p in problems] == [(3, "PPV"), (4, "Ligne")]


def test_missing_columns() -> None:
    assert missing_columns(["barcode", "name", "ppv", "prix_br", "x"]) == []
    assert missing_columns(["name", " ppv "]) == ["barcode", "prix_br"]
