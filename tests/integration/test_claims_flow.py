"""The heart of the product through the real app and database: a claim from draft to sent."""

import html
import re
from datetime import date
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from claimkit.adapters.db.models import Claim
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, csrf_token, post_form
from tests.integration.test_profile import VALID


def claim_row(app: Flask, claim_id: int) -> Claim:
    with deps(app).sessions() as db:
        row = db.get(Claim, claim_id)
        assert row is not None
        _ = (row.acts, row.medicines, row.ticks, row.events, row.payments, row.photos)
        return row


def new_claim(client: FlaskClient, kind: str = "maladie", label: str = "") -> int:
    response = post_form(client, "/dossiers/nouveau", {"kind": kind, "label": label})
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/dossiers/(\d+)$", response.headers["Location"])
    assert match
    return int(match.group(1))


def add_act(client: FlaskClient, claim_id: int, **fields: str) -> str:
    token = csrf_token(client, f"/dossiers/{claim_id}")
    data = {"csrf_token": token, "performed_on": "2026-11-20", "type": "consultation_generaliste", "amount": "150"}
    return html.unescape(
        client.post(f"/dossiers/{claim_id}/actes", data={**data, **fields}, follow_redirects=True).get_data(
            as_text=True
        )
    )


def add_medicine(client: FlaskClient, claim_id: int, **fields: str) -> str:
    token = csrf_token(client, f"/dossiers/{claim_id}")
    data = {"csrf_token": token, "name": "ZADRYL", "quantity": "1", **fields}
    return html.unescape(
        client.post(f"/dossiers/{claim_id}/medicaments", data=data, follow_redirects=True).get_data(as_text=True)
    )


def tick(client: FlaskClient, claim_id: int, keys: list[str]) -> str:
    token = csrf_token(client, f"/dossiers/{claim_id}")
    return html.unescape(
        client.post(
            f"/dossiers/{claim_id}/pieces", data={"csrf_token": token, "piece": keys}, follow_redirects=True
        ).get_data(as_text=True)
    )


def test_full_flow_three_acts_two_medicines_ready_then_sent(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client, label="Angine")
    add_act(client, claim_id, performed_on="2026-11-03", practitioner="Dr Alaoui", inpe="123456789")
    add_act(
        client, claim_id, performed_on="2026-11-04", type="pharmacie", amount="126,40", practitioner="Pharmacie Atlas"
    )
    page = add_act(client, claim_id, performed_on="2026-11-05", type="analyses", amount="1 200.50", practitioner="Labo")
    assert "Acte ajouté." in page
    add_medicine(client, claim_id, ean13="6118000120698", ppv="34,90", pbr="20.00", quantity="2")
    page = add_medicine(client, claim_id, name="DOLIPRANE", ppv="15.5")
    assert "Médicament ajouté." in page

    row = claim_row(app, claim_id)
    assert [a.amount for a in row.acts] == [Decimal("150.00"), Decimal("126.40"), Decimal("1200.50")]
    assert row.deadline == date(2027, 1, 2)  # 3 Nov + 60 days = 2 Jan; + 2 months = 3 Jan → earlier
    assert row.state == "brouillon"
    assert "Date limite légale :" in page and "2 janvier 2027" in page
    assert "Postez avant le \u2068lundi 28 décembre 2026\u2069" in page
    assert "Il reste 38 jours" in page  # 25 Nov (fake clock) → 2 Jan
    # 70 % (ZADRYL's reference rate) × min(34.90, 20.00) × 2 + 70 % × 15.50 + 80 % × min(150, 80); the analyses
    # have no known TNR: "non estimé", not 80 % of what was paid (docs/domain.md#refund-estimate)
    expected = Decimal("28.00") + Decimal("10.85") + Decimal("64.00")
    assert f"{expected:.2f}".replace(".", ",") in page.replace("\u202f", "").replace(" ", "")

    page = tick(client, claim_id, ["feuille_maladie", "ordonnance", "facture_medecin"])
    assert "Pour être prêt à envoyer, il manque" in page
    assert "Facture du laboratoire" in page and "Résultats originaux des analyses" in page
    assert claim_row(app, claim_id).state == "brouillon"

    everything = [
        "feuille_maladie",
        "ordonnance",
        "facture_medecin",
        "facture_laboratoire",
        "resultats_analyses",
        "codes_barres",
    ]
    page = tick(client, claim_id, everything)
    assert "le dossier est prêt à envoyer" in page
    assert claim_row(app, claim_id).state == "prete"

    token = csrf_token(client, f"/dossiers/{claim_id}")
    page = client.post(
        f"/dossiers/{claim_id}/envoyer",
        data={"csrf_token": token, "sent_on": "2026-11-25", "recommande_number": "RR123456789MA"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Dossier marqué envoyé" in page
    row = claim_row(app, claim_id)
    assert (row.state, row.sent_on, row.recommande_number) == ("envoyee", date(2026, 11, 25), "RR123456789MA")
    assert [e.kind for e in row.events] == ["created", "prete", "envoyee"]

    refused = add_act(client, claim_id)
    assert "Ce dossier est déjà envoyé" in refused
    assert len(claim_row(app, claim_id).acts) == 3


def test_unticking_sends_back_to_draft_and_cannot_send(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    add_act(client, claim_id)
    tick(client, claim_id, ["feuille_maladie", "facture_medecin"])
    assert claim_row(app, claim_id).state == "prete"
    tick(client, claim_id, ["feuille_maladie"])
    row = claim_row(app, claim_id)
    assert row.state == "brouillon"
    assert [e.kind for e in row.events] == ["created", "prete", "brouillon"]
    token = csrf_token(client, f"/dossiers/{claim_id}")
    page = client.post(
        f"/dossiers/{claim_id}/envoyer", data={"csrf_token": token, "sent_on": "2026-11-25"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Seul un dossier prêt (toutes les pièces cochées) peut être marqué envoyé." in page


def test_profile_gaps_block_readiness(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id)
    page = tick(client, claim_id, ["feuille_maladie", "facture_medecin"])
    assert "votre n° de CNIE (profil)" in page and "votre adresse (profil)" in page
    assert claim_row(app, claim_id).state == "brouillon"


def test_bad_amounts_and_dates_are_refused_in_french(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    assert "Montant illisible : écrivez par exemple 34,90." in add_act(client, claim_id, amount="trente")
    assert "au plus 2 décimales" in add_act(client, claim_id, amount="12,345")
    assert "Le montant payé doit être supérieur à 0." in add_act(client, claim_id, amount="0")
    assert "La date de l'acte est dans le futur" in add_act(client, claim_id, performed_on="2026-12-25")
    assert "clé de contrôle" in add_medicine(client, claim_id, ean13="6118000120699")
    assert claim_row(app, claim_id).acts == []


def test_earlier_practitioners_are_offered_never_prefilled_and_today_is(
    client: FlaskClient, student: Student, clock: FakeClock
) -> None:
    first = new_claim(client)
    add_act(client, first, practitioner="Dr Bennani", inpe="987654321")
    second = new_claim(client, kind="dentaire")
    page = client.get(f"/dossiers/{second}").get_data(as_text=True)
    assert '<option value="Dr Bennani">' in page  # in the datalist
    assert 'value="Dr Bennani" ' not in page and "987654321" not in page  # the fields start empty
    assert f'value="{clock.now.date().isoformat()}"' in page
    assert '<option selected value="soins_dentaires">' in page  # the act's kind follows the claim's


def test_another_students_claim_is_404_everywhere(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id)
    act_id = claim_row(app, claim_id).acts[0].id
    other = app.test_client()
    Student(other, "intrus@example.ma").sign_up()
    token = csrf_token(other, "/profil/")
    assert other.get(f"/dossiers/{claim_id}").status_code == 404
    for path in ("actes", f"actes/{act_id}/supprimer", "medicaments", "details", "pieces", "envoyer", "supprimer"):
        data = {"csrf_token": token, "performed_on": "2026-11-20", "type": "pharmacie", "amount": "10",
                "name": "X", "quantity": "1", "sent_on": "2026-11-20"}  # fmt: skip
        assert other.post(f"/dossiers/{claim_id}/{path}", data=data).status_code == 404, path
    assert len(claim_row(app, claim_id).acts) == 1


def test_dashboard_orders_by_urgency_with_constant_queries(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    engine = deps(app).engine
    statements: list[str] = []

    def count(*_args: object) -> None:
        statements.append("q")

    def queries_for_dashboard() -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        body = client.get("/").get_data(as_text=True)
        event.remove(engine, "before_cursor_execute", count)
        assert "Nouvelle feuille" in body
        return len(statements)

    late = new_claim(client, label="Ancien")
    add_act(client, late, performed_on="2026-10-01")
    add_medicine(client, late, ppv="10")
    baseline = queries_for_dashboard()
    for day in range(10, 20):
        claim_id = new_claim(client, label=f"Dossier {day}")
        add_act(client, claim_id, performed_on=f"2026-11-{day}")
        add_medicine(client, claim_id, ppv="10")
        tick(client, claim_id, ["feuille_maladie"])
    assert queries_for_dashboard() == baseline
    body = client.get("/").get_data(as_text=True)
    assert body.index("Ancien") < body.index("Dossier 10") < body.index("Dossier 19")
    assert "Il reste 5 jours" in body  # 1 Oct + 60 days = 30 Nov; clock on 25 Nov


def test_claim_details_and_delete(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client, kind="accident")
    token = csrf_token(client, f"/dossiers/{claim_id}")
    page = client.post(
        f"/dossiers/{claim_id}/details",
        data={
            "csrf_token": token,
            "treatment_start": "2026-11-01",
            "accident_date": "2026-10-30",
            "third_party_liable": "y",
            "accident_circumstances": "Chute à vélo",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Indiquez le début et la fin du traitement continu" in page
    client.post(
        f"/dossiers/{claim_id}/details",
        data={
            "csrf_token": token,
            "treatment_start": "2026-11-01",
            "treatment_end": "2026-11-20",
            "accident_date": "2026-10-30",
            "third_party_liable": "y",
        },
    )
    add_act(client, claim_id, performed_on="2026-11-02")
    row = claim_row(app, claim_id)
    assert row.third_party_liable and row.deadline == date(2027, 1, 19)  # from the treatment's end
    page = html.unescape(client.get(f"/dossiers/{claim_id}").get_data(as_text=True))
    assert "Engagement à restituer" in page and "Déclaration d'accident" in page
    client.post(f"/dossiers/{claim_id}/supprimer", data={"csrf_token": token})
    assert client.get(f"/dossiers/{claim_id}").status_code == 404


def test_future_means_after_today_in_morocco(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock
) -> None:
    """At 23:30 UTC it is already the next day in Casablanca (UTC+1): an act of that day is not in the future."""
    claim_id = new_claim(client)
    clock.now = clock.now.replace(hour=23, minute=30)
    assert "dans le futur" in add_act(client, claim_id, performed_on="2026-11-27")
    assert "Acte ajouté." in add_act(client, claim_id, performed_on="2026-11-26")
    assert [act.performed_on.isoformat() for act in claim_row(app, claim_id).acts] == ["2026-11-26"]


def test_a_medicine_name_is_shown_as_typed_never_translated(client: FlaskClient, student: Student) -> None:
    """A "%" or markup in a typed name must neither break the claim page nor reach it as HTML."""
    claim_id = new_claim(client)
    add_medicine(client, claim_id, name="SIROP 2% <i>x</i>", ppv="10")
    response = client.get(f"/dossiers/{claim_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "SIROP 2% &lt;i&gt;x&lt;/i&gt;" in page and "<i>x</i>" not in page


def test_the_details_card_draws_the_details_of_the_claims_kind(client: FlaskClient, student: Student) -> None:
    """The card draws DetailsForm.shown(kind) (domain/claims.details_for): the ALD fields on an ALD claim only, the
    accident fields on an accident claim only, the general ones everywhere."""
    drawn = {}
    for kind in ("maladie", "ald", "accident"):
        page = client.get(f"/dossiers/{new_claim(client, kind)}").get_data(as_text=True)
        drawn[kind] = set(re.findall(r'<(?:input|textarea)[^>]*\bname="([a-z_]+)"', page[page.index('id="details"') :]))
    general = {"label", "treatment_start", "treatment_end"}
    ald, accident = {"ald_code", "ald_accord", "ald_exoneration"}, {"accident_date", "accident_circumstances"}
    assert general <= drawn["maladie"] and not (ald | accident) & drawn["maladie"]
    assert general | ald <= drawn["ald"] and not accident & drawn["ald"]
    assert general | accident | {"third_party_liable"} <= drawn["accident"] and not ald & drawn["accident"]
