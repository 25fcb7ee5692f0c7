"""The medicines reference: bundled snapshot, `flask medicines import`, lookups."""

from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, update

from claimkit.adapters.db import medicines as lookups
from claimkit.adapters.db.models import Medicine, MedicinePrice, RefundRate
from claimkit.adapters.db.reference import seed_defaults
from claimkit.services import medicines
from claimkit.web.deps import deps

HEADER = "barcode,name,dci,dosage,forme,presentation,ppv,prix_br,ph,prix_br_ph,taux_remb,type,classe_therapeutique\n"


def count(app: Flask, model: type) -> int:
    with deps(app).sessions() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_snapshot_is_loaded_with_real_barcodes(app: Flask) -> None:
    with deps(app).sessions() as db:
        assert medicines.seed_snapshot(db) is None  # already loaded: first run only
        zadryl = lookups.by_barcode(db, "6118000120698")
        assert zadryl is not None and zadryl.name == "ZADRYL"
        assert (zadryl.ppv, zadryl.pbr) == (Decimal("91.50"), Decimal("91.50"))
        assert lookups.by_barcode(db, "") is None
        assert [m.name for m in lookups.search(db, "zadr")] == ["ZADRYL"]
        with_barcode = db.scalar(select(func.count()).where(Medicine.ean13 != ""))
    assert count(app, Medicine) == 5679
    assert with_barcode == 1525


@pytest.mark.usefixtures("restore_reference")
def test_import_is_idempotent_dated_and_refuses_bad_rows(app: Flask, tmp_path: Path) -> None:
    new_list = tmp_path / "liste.csv"
    new_list.write_text(
        HEADER
        + "6118000120698,ZADRYL,CETIRIZINE,10 MG,COMPRIME ENROBE SECABLE,"
        + "1 BOITE 30 COMPRIME ENROBE,95.0,60.0,,,70,Générique,\n"
        + "6118000120699,FAUX,,,,,10,10,,,70,,\n"
        + ',"NOUVEAU\nSUR DEUX LIGNES",X,1 MG,SIROP,1 FLACON,12.5,10,,,70,Générique,\n'
        + ",SANS PRIX,,,,,,,,,70,,\n",
        encoding="utf-8",
    )
    runner = app.test_cli_runner()
    first = runner.invoke(args=["medicines", "import", str(new_list), "--as-of", "2027-01-15", "--source", "test"])
    assert first.exit_code == 0, first.output
    assert "ajoutés : 1, mis à jour : 1, inchangés : 0, refusés : 2" in first.output
    assert "ligne 3 refusée" in first.output and "clé de contrôle" in first.output
    assert "ligne 6 refusée : Prix public (ppv) manquant." in first.output  # numbered as a spreadsheet shows it
    again = runner.invoke(args=["medicines", "import", str(new_list), "--as-of", "2027-01-15"])
    assert "ajoutés : 0, mis à jour : 0, inchangés : 2, refusés : 2" in again.output
    with deps(app).sessions() as db:
        zadryl = lookups.by_barcode(db, "6118000120698")
        assert zadryl is not None and zadryl.ppv == Decimal("95.00") and zadryl.prices_as_of.isoformat() == "2027-01-15"
        history = db.scalars(
            select(MedicinePrice).where(MedicinePrice.medicine_id == zadryl.id).order_by(MedicinePrice.valid_from)
        ).all()
        assert [(h.valid_from.isoformat(), h.ppv) for h in history] == [
            ("2025-11-01", Decimal("91.50")),
            ("2027-01-15", Decimal("95.00")),
        ]


def test_import_refuses_a_file_without_the_columns(app: Flask, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("nom;prix\nX;1\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["medicines", "import", str(bad)])
    assert result.exit_code == 1
    assert "Colonnes manquantes : barcode, name, ppv, prix_br." in result.output
    assert count(app, Medicine) == 5679


@pytest.mark.usefixtures("restore_reference")
def test_a_new_default_rate_basis_reaches_an_existing_database(app: Flask) -> None:
    """An operator's edited rows stay; a basis the database has never seen (here: ALD, deleted) is added."""
    with deps(app).sessions() as db:
        db.execute(delete(RefundRate).where(RefundRate.basis == "ald"))
        db.execute(update(RefundRate).where(RefundRate.basis == "actes").values(rate=Decimal("0.85")))
        db.commit()
        seed_defaults(db)
        seed_defaults(db)  # idempotent
        rows = {(r.basis, r.rate) for r in db.scalars(select(RefundRate))}
    assert ("ald", Decimal("1.00")) in rows and ("actes", Decimal("0.85")) in rows
    assert len(rows) == 3 and "ald_prive" not in {basis for basis, _ in rows}  # the unsourced 90 % row is gone
