"""The figures stored on each claim row for the dashboard (migration 0013) always equal the claim page's own
view, after every use case that changes a claim; the dashboard reads no child table; old rows are backfilled."""

import re
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, update

from claimkit.adapters.db.models import Claim
from claimkit.services import claims
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, post_form
from tests.integration.test_claims_flow import add_act, add_medicine, new_claim, tick
from tests.integration.test_profile import VALID
from tests.integration.test_tracking_and_data import act, sent_claim


def stored_matches_view(app: Flask, clock: FakeClock, user_id: int, claim_id: int) -> tuple[object, ...]:
    with deps(app).sessions() as db:
        view = claims.claim_view(db, clock, user_id, claim_id)
        row = view.row
        stored = (row.first_act_on, row.pieces_ticked, row.pieces_required, row.estimate_total, row.paid_total)
        derived = (
            view.facts.first_act_date,
            view.assessment.ticked_required,
            view.assessment.required,
            view.estimate.total,
            view.reimbursed,
        )
        assert stored == derived
        return stored


def page(client: FlaskClient) -> str:
    """The dashboard's HTML without its CSRF tokens (signed with a timestamp, so they differ between requests)."""
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "csrf", client.get("/").get_data(as_text=True))


def user_id(app: Flask, claim_id: int) -> int:
    with deps(app).sessions() as db:
        row = db.get(Claim, claim_id)
        assert row is not None
        return row.user_id


def test_every_change_refreshes_the_stored_figures(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    owner = user_id(app, claim_id)
    assert stored_matches_view(app, clock, owner, claim_id)[3] == Decimal("0.00")  # created: no act yet
    add_act(client, claim_id, performed_on="2026-11-20", amount="150")
    first = stored_matches_view(app, clock, owner, claim_id)
    assert first[0] is not None and first[3] and first[3] > 0
    add_act(client, claim_id, performed_on="2026-11-02", amount="80")
    add_medicine(client, claim_id, ppv="34,90", pbr="20.00")
    second = stored_matches_view(app, clock, owner, claim_id)
    assert second[0] < first[0] and second[3] > first[3]  # type: ignore[operator]
    tick(client, claim_id, ["feuille_maladie"])
    assert stored_matches_view(app, clock, owner, claim_id)[1] == 1
    body = client.get("/").get_data(as_text=True)
    assert f"Pièces : 1/{second[2]}" in body

    paid = sent_claim(client)
    act(client, paid, "recu", received_on="2026-11-12")
    act(client, paid, "paiement", paid_on="2026-11-20", paid_amount="50,00", method="virement")
    act(client, paid, "paiement", paid_on="2026-11-24", paid_amount="28", method="mandat")
    assert stored_matches_view(app, clock, owner, paid)[4] == Decimal("78.00")


def test_dashboard_reads_claim_rows_only_and_computes_never_stored_rows(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock
) -> None:
    ids = [new_claim(client, label=f"D{i}") for i in range(3)]
    for claim_id in ids:
        add_act(client, claim_id, performed_on="2026-11-20", amount="150")
    expected = page(client)
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    engine = deps(app).engine
    event.listen(engine, "before_cursor_execute", record)
    client.get("/")
    event.remove(engine, "before_cursor_execute", record)
    for child in ("FROM acts", "FROM medicine_lines", "FROM checklist_ticks", "FROM payments", "FROM refund_rates"):
        assert not any(child in s for s in statements), (child, statements)

    # Rows written before migration 0013 (or by bulk SQL): the page computes them, db-upgrade stores them.
    with deps(app).sessions() as db:
        db.execute(update(Claim).values(estimate_total=None, pieces_required=None, first_act_on=None))
        db.commit()
    assert page(client) == expected
    result = app.test_cli_runner().invoke(args=["db-upgrade"])
    assert "Chiffres du tableau de bord calculés pour 3 dossiers." in result.output, result.output
    with deps(app).sessions() as db:
        assert db.query(Claim).filter(Claim.estimate_total.is_(None)).count() == 0
    assert page(client) == expected
