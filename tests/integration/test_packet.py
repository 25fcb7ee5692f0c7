"""The packet and the filled forms, read back: pypdf values, pdftotext, pdftoppm, barcodes decoded."""

import html
import io
import re
import subprocess
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfReader
from pyzbar import pyzbar
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from claimkit.adapters.db.models import Act, Insurer, OfficialSheet, RefundRate
from claimkit.services import packet_cache
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, add_medicine, new_claim, tick
from tests.integration.test_profile import VALID

EANS = ["6118000120698", "6118001081103"]


@pytest.fixture
def claim_id(client: FlaskClient, student: Student) -> int:
    post_form(client, "/profil/", VALID)
    claim = new_claim(client, label="Angine")
    add_act(client, claim, performed_on="2026-11-03", practitioner="Dr Alaoui")
    add_act(client, claim, performed_on="2026-11-04", type="pharmacie", amount="126,40")
    add_act(client, claim, performed_on="2026-11-05", type="analyses", amount="300")
    add_medicine(client, claim, ean13=EANS[0], ppv="34,90", pbr="20.00", quantity="2")
    add_medicine(client, claim, ean13=EANS[1], name="ELOXATINE", ppv="2206", pbr="2206")
    add_medicine(client, claim, name="SIROP SANS CODE", ppv="15.5")
    tick(client, claim, ["feuille_maladie", "ordonnance"])
    return claim


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
    return unicodedata.normalize("NFKC", out.stdout)


def test_fillable_form_values_equal_profile_and_claim(client: FlaskClient, claim_id: int) -> None:
    response = client.get(f"/dossiers/{claim_id}/feuilles/maladie.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    fields = PdfReader(io.BytesIO(response.data)).get_fields()
    assert fields is not None
    value = {name: str(f.get("/V", "")) for name, f in fields.items()}
    assert value["assure_nom_prenom"] == "BENJELLOUN-ÇELIK Élodie"
    assert value["assure_immatriculation"] == "AB123456" == value["assure_cin"]
    assert value["assure_affiliation"] == ""  # students have no affiliation number
    assert value["assure_adresse"] == "12 rue Oued Fès, Agdal, Rabat"
    assert value["assure_paiement"].startswith("Virement — RIB 011 780 0000012345678901")
    assert value["assure_montant_frais"] == "576,40"
    assert value["assure_pieces_jointes"] == "1"  # the ordonnance; the sheet itself is not a pièce jointe
    assert not [n for n in value if n.startswith("acte_") and value[n]]  # the professionals' table stays empty
    professional = [n for n in value if n.startswith(("medecin_", "pharmacien_", "labo_"))]
    assert professional and all(value[n] in ("", "/Off") for n in professional)  # claimkit never signs for anyone
    assert client.get(f"/dossiers/{claim_id}/feuilles/dentaire.pdf").status_code == 404


def test_packet_reads_back(client: FlaskClient, claim_id: int, tmp_path: Path) -> None:
    response = client.get(f"/dossiers/{claim_id}/packet.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert not any(a.get_object().get("/Subtype") == "/Widget" for p in reader.pages for a in p.get("/Annots") or [])
    assert all(abs(float(p.mediabox.width) - 595.28) < 1 for p in reader.pages)  # A4
    text = text_of(response.data, tmp_path)
    for expected in ("Élodie", "BENJELLOUN-ÇELIK", "À envoyer en recommandé", "4, rue Al Khalil", "B.P. 209",
                     "À poster au plus tard le 02/01/2027", "il reste 38 jours", "Ordonnance originale",
                     "Facture du laboratoire", "ELOXATINE", "code-barres inconnu", "RECOMMANDÉ"):  # fmt: skip
        assert expected in text, expected
    assert "إيلودي" in text or "إيلودي"[::-1] in text
    assert "بنجلون" in text or "بنجلون"[::-1] in text
    rendered = subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "p")],
                              capture_output=True, check=True)  # fmt: skip
    pages = sorted(tmp_path.glob("p-*.png"))
    assert rendered.returncode == 0 and len(pages) == len(reader.pages) >= 4
    found = set()
    for page in pages:
        found |= {s.data.decode() for s in pyzbar.decode(Image.open(page)) if s.type == "EAN13"}
    assert found == set(EANS)


@pytest.mark.usefixtures("restore_reference")
def test_packet_insurer_address_is_dated_configuration(app: Flask, client: FlaskClient, claim_id: int,
                                                       tmp_path: Path) -> None:  # fmt: skip
    from datetime import date

    from claimkit.adapters.db.models import Insurer

    with deps(app).sessions() as db:
        db.query(Insurer).update({"valid_to": date(2026, 11, 24)})
        db.add(Insurer(name="CNSS — AMO", address="Boulevard Test\nCasablanca", valid_from=date(2026, 11, 25)))
        db.commit()
    text = text_of(client.get(f"/dossiers/{claim_id}/packet.pdf").data, tmp_path)
    assert "CNSS — AMO" in text and "Boulevard Test" in text and "Al Khalil" not in text


def test_another_students_packet_is_404(app: Flask, claim_id: int) -> None:
    other = app.test_client()
    Student(other, "autre@example.ma").sign_up()
    assert other.get(f"/dossiers/{claim_id}/packet.pdf").status_code == 404
    assert other.get(f"/dossiers/{claim_id}/feuilles/maladie.pdf").status_code == 404
    assert other.get(f"/claims/{claim_id}/packet.pdf").status_code == 404


def test_english_path_serves_the_same_packet(client: FlaskClient, claim_id: int) -> None:
    assert client.get(f"/claims/{claim_id}/packet.pdf").data == client.get(f"/dossiers/{claim_id}/packet.pdf").data


def plain(text: str) -> str:
    """pdftotext's Arabic without the bidi marks it adds nor the harakat (the shaper leaves them out)."""
    return re.sub(r"[\u064b-\u0652\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def test_arabic_students_packet_speaks_arabic_to_the_student_and_french_to_the_agent(
    app: Flask, client: FlaskClient, claim_id: int, tmp_path: Path
) -> None:
    from claimkit.adapters.db.models import User

    french = text_of(client.get(f"/dossiers/{claim_id}/packet.pdf").data, tmp_path)
    with deps(app).sessions() as db:
        db.query(User).update({"locale": "ar"})
        db.commit()
    add_act(client, claim_id, performed_on="2026-10-20")  # due 19 December: a month the Moroccan way
    text = plain(text_of(client.get(f"/dossiers/{claim_id}/packet.pdf").data, tmp_path))
    for expected in (
        "الوصفة الطبية الأصلية",  # checklist labels: the domain's msgids, translated
        "معبأة",  # "Feuille de soins maladie remplie"
        "ناقص",
        "قبل الإرسال",  # the "before sending" steps
        "اطلب ملء الأجزاء المخصصة",
        "ثم أرسلها بالبريد المضمون قبل الأجل الأقصى",
        "المجموع المؤدى",
        "درهم",
        "تتبع الإرسال",
    ):
        assert expected in text, expected
    # pdftotext rebuilds the logical order of digits and punctuation inside Arabic lines its own way
    due = next(line for line in text.splitlines() if "أجل أقصاه" in line)
    assert re.search(r"19\s*دجنبر", due) and "2026" in due, due  # the due date, with the Moroccan month name
    assert re.search(r"يتبقى\s*24\s*يوما", due), due
    for expected in ("N° d'immatriculation (= n° de CNIE) : AB123456", "4, rue Al Khalil", "B.P. 209", "RECOMMANDÉ",
                     "BENJELLOUN-ÇELIK", "EAN-13", "ELOXATINE"):  # fmt: skip
        assert expected in text, expected
    assert "Avant d'envoyer" not in text and "Ordonnance originale" not in text and "À poster" not in text
    # the French student's packet, for comparison: same agent-facing block, French instructions
    assert "Avant d'envoyer" in french and "Ordonnance originale" in french and "ناقص" not in plain(french)


def test_an_ald_claim_with_exoneration(app: Flask, client: FlaskClient, student: Student,
                                                       tmp_path: Path) -> None:  # fmt: skip
    """The ALD details the student types reach the estimate (acts at the ordinary rate), the checklist (the
    exonération request) and the packet (accord number on the ALD sheet, the request form attached)."""
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client, kind="ald", label="Diabète")
    add_act(client, claim_id, type="consultation_specialiste", amount="300")
    assert client.get(f"/dossiers/{claim_id}/feuilles/exoneration.pdf").status_code == 404  # not asked for yet
    token = csrf_token(client, f"/dossiers/{claim_id}")
    details = {"csrf_token": token, "ald_code": "14", "ald_accord": "ETM-2026-77", "ald_exoneration": "y"}
    page = html.unescape(
        client.post(f"/dossiers/{claim_id}/details", data=details, follow_redirects=True).get_data(as_text=True)
    )
    assert "120,00\u00a0DH" in page  # 80 % of the 150 DH TNR: the ALD 100 % is for medicines (January 2024)
    assert "Demande d'exonération du ticket modérateur (partie médicale remplie)" in page
    packet = client.get(f"/dossiers/{claim_id}/packet.pdf").data
    fields = {
        name: field.get("/V")
        for name, field in (PdfReader(io.BytesIO(client.get(f"/dossiers/{claim_id}/feuilles/ald.pdf").data))
                            .get_fields() or {}).items()
    }  # fmt: skip
    assert fields["ald_accord"] == "ETM-2026-77" and fields["ald_code"] == "14"
    assert "exonération" in text_of(packet, tmp_path).lower()
    assert client.get(f"/dossiers/{claim_id}/feuilles/exoneration.pdf").status_code == 200


def test_repeated_download_is_304_and_any_change_gives_a_new_etag(
    app: Flask, client: FlaskClient, claim_id: int, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[int] = []
    real_build = packet_cache.packets.pdf.build_packet

    def counting_build(data: packet_cache.packets.pdf.PacketData, sheets: object = None) -> bytes:
        builds.append(1)
        return real_build(data, sheets)  # type: ignore[arg-type]

    monkeypatch.setattr(packet_cache.packets.pdf, "build_packet", counting_build)
    url = f"/dossiers/{claim_id}/packet.pdf"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Cache-Control"] == "private, no-cache"
    statements: list[str] = []
    engine = deps(app).engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    repeat = client.get(url, headers={"If-None-Match": etag})
    event.remove(engine, "before_cursor_execute", listener)
    assert repeat.status_code == 304 and repeat.data == b"" and repeat.headers["ETag"] == etag
    # the session (with the user and profile), then the key: no act, medicine, tick or rate is read for a 304
    assert len(statements) == 2 and not any(t in " ".join(statements) for t in ("acts", "medicine_lines", "rates"))
    again = client.get(url)  # a browser that dropped its copy: same bytes, from the cache
    assert again.data == first.data and again.headers["ETag"] == etag
    assert len(builds) == 1

    add_act(client, claim_id, performed_on="2026-11-06", type="analyses", amount="90")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Analyses" in text_of(changed.data, tmp_path) and changed.data.count(b"%PDF") == 1
    assert len(builds) == 2

    clock.advance(days=1)  # "il reste N jours" changes with the day
    next_day = client.get(url, headers={"If-None-Match": changed.headers["ETag"]})
    assert next_day.status_code == 200 and next_day.headers["ETag"] != changed.headers["ETag"]


@pytest.mark.usefixtures("restore_reference")
def test_every_change_gives_a_new_etag(app: Flask, client: FlaskClient, claim_id: int, tmp_path: Path) -> None:
    """The key is read from revisions (adapters/db/revisions.py), not from the content: each kind of change the
    packet shows — the claim and each of its rows, the profile (address, payout method), the language, the
    reference rates and scheme data, the insurer's sheets — must move it, and the new PDF must show the change."""
    url = f"/dossiers/{claim_id}/packet.pdf"
    seen = [client.get(url).headers["ETag"]]

    def changed_packet() -> str:
        response = client.get(url, headers={"If-None-Match": seen[-1]})
        assert response.status_code == 200, "a change kept the old ETag: the browser would keep a stale packet"
        assert response.headers["ETag"] not in seen
        seen.append(response.headers["ETag"])
        return text_of(response.data, tmp_path)

    def in_session(change: Callable[[Session], object]) -> None:
        with deps(app).sessions() as db:
            change(db)
            db.commit()

    add_act(client, claim_id, performed_on="2026-11-07", type="radiologie", amount="200")
    assert "Radiologie" in changed_packet()
    add_medicine(client, claim_id, name="DOLIPRANE", ppv="12")
    assert "DOLIPRANE" in changed_packet()
    tick(client, claim_id, ["feuille_maladie", "ordonnance", "facture_laboratoire"])
    changed_packet()
    post_form(client, f"/dossiers/{claim_id}/details", {"treatment_start": "2026-11-01", "treatment_end": "2026-11-10"})
    changed_packet()
    post_form(client, "/profil/", {**VALID, "adresse": "7 avenue Hassan II, Fès"})
    assert "7 avenue Hassan II" in changed_packet()
    post_form(client, "/profil/", {**VALID, "payout_method": "mandat", "rib": ""})
    changed_packet()
    post_form(client, "/langue", {"locale": "ar", "next": "/"})
    changed_packet()

    def revise_rate(db: Session) -> None:
        rate = db.scalars(select(RefundRate).order_by(RefundRate.id)).first()
        assert rate is not None
        rate.source = "révisé"

    in_session(revise_rate)
    changed_packet()
    in_session(lambda db: db.add(Insurer(name="CNSS bis", address="Casablanca", valid_from=date(2040, 1, 1))))
    changed_packet()
    sheet = OfficialSheet(
        insurer="CNSS",
        kind="maladie",
        valid_from=date(2040, 1, 1),
        path="x.pdf",
        sha256="0" * 64,
        created_at=datetime.now(UTC),
    )
    in_session(lambda db: db.add(sheet))  # an insurer's sheet, loaded by the operator
    changed_packet()
    in_session(lambda db: db.delete(db.get(Act, 1)))  # a row changed outside any form, straight in the database
    changed_packet()
    assert client.get(url, headers={"If-None-Match": seen[-1]}).status_code == 304  # and nothing else moved it


def _amount(text: str) -> float:
    return float(text.replace(" ", "").replace(",", "."))


def test_packet_estimate_never_exceeds_what_was_paid(client: FlaskClient, claim_id: int, tmp_path: Path) -> None:
    # the fixture's boxes add up to 2 291,30 DH of public prices, the pharmacy act to 126,40 DH
    text = " ".join(text_of(client.get(f"/dossiers/{claim_id}/packet.pdf").data, tmp_path).split())
    paid = re.search(r"Total payé : ([\d ,]+) DH", text)
    estimate = re.search(r"Remboursement estimé : ([\d ,]+) DH", text)
    assert paid and estimate, text[:2000]
    assert 0 < _amount(estimate.group(1)) <= _amount(paid.group(1)) == 576.40
    assert "ramené au montant payé à la pharmacie" in text
    home = " ".join(html.unescape(client.get("/").get_data(as_text=True)).split())
    shown = re.search(r"Estimé : \u2068([\d ,]+) DH", home)  # split() made every no-break space a space
    assert shown and _amount(shown.group(1)) == _amount(estimate.group(1))  # the stored figure follows the rule


def test_seven_acts_stay_off_the_acts_table_and_all_seven_are_on_the_cover(
    client: FlaskClient, student: Student, tmp_path: Path
) -> None:
    """docs/domain.md, "Acts, dates and amounts go on the cover's récapitulatif": more acts than claimkit's drawn
    table has rows (6). The fillable download writes none of them in the table (the doctor's), « Montant des frais »
    is the total of all 7; the packet's cover lists the 7 and their total, its guide page carries no act."""
    post_form(client, "/profil/", VALID)
    claim = new_claim(client, label="Kiné")
    amounts = [f"{100 + n},00" for n in range(1, 8)]  # 101,00 … 107,00: 728,00 in all
    for day, amount in enumerate(amounts, 3):
        add_act(client, claim, performed_on=f"2026-11-{day:02d}", amount=amount)
    fillable = client.get(f"/dossiers/{claim}/feuilles/maladie.pdf")
    assert fillable.status_code == 200
    value = {
        name: str(f.get("/V", "")) for name, f in (PdfReader(io.BytesIO(fillable.data)).get_fields() or {}).items()
    }
    assert "acte_6_date" in value and not {n: v for n, v in value.items() if n.startswith("acte_") and v}
    assert value["assure_montant_frais"] == "728,00"
    packet = client.get(f"/dossiers/{claim}/packet.pdf").data
    pages = [" ".join(page.split()) for page in text_of(packet, tmp_path).split("\f")]  # pdftotext: \f per page
    cover = pages[0]
    assert "Récapitulatif des soins déclarés" in cover and "Total payé : 728,00 DH" in cover
    assert [len(re.findall(rf"Consultation généraliste du [^:]+ : {a} DH", cover)) for a in amounts] == [1] * 7
    guide = [page for page in pages if "Réservé au médecin : date, nature, code, montant" in page]
    assert len(guide) == 1 and "728,00" in guide[0] and not [a for a in amounts if a in guide[0]]
