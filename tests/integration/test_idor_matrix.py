"""Nobody reads or changes another student's file: every route that takes an id answers 404 to student B
for student A's objects, whatever the method. Routes are discovered from app.url_map, so a new route with an
id and no decision here fails the test."""

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from claimkit.services import notifications, own_sheets
from claimkit.web.deps import deps
from tests.conftest import Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, add_medicine, claim_row, new_claim
from tests.integration.test_profile import VALID
from tests.official_sheets import Sheet, sheet_pdf

ID_ARGS = {"claim_id", "act_id", "line_id", "form_name", "payment_id", "item_key", "photo_id", "kind", "sheet_id"}
# Capability URLs: the random secret in the path is the credential (unsubscribe links, calendar feeds, email
# confirmation, password reset), so there is no owner to check; a guessed or revoked token is a 404, tested in
# test_reminders and test_throttle_and_reset.
CAPABILITY_ENDPOINTS = {
    "notifications.feed", "notifications.unsubscribe_page", "notifications.unsubscribe", "notifications.confirm",
    "auth.reset", "auth.signup_finish", "static",
}  # fmt: skip
FORM_DATA = {
    "performed_on": "2026-11-20", "type": "pharmacie", "amount": "10", "name": "X", "quantity": "1",
    "sent_on": "2026-11-20", "received_on": "2026-11-21", "paid_on": "2026-11-21", "paid_amount": "5",
    "method": "virement", "rejected_on": "2026-11-21", "reason": "x", "resubmitted_on": "2026-11-22",
    "code": "6118000120698", "piece": "feuille_maladie", "label": "pirate",
}  # fmt: skip


def snapshot(app: Flask, claim_id: int) -> tuple[object, ...]:
    row = claim_row(app, claim_id)
    return (row.state, row.label, [(a.id, a.amount) for a in row.acts], [m.id for m in row.medicines],
            sorted(t.item_key for t in row.ticks), [p.amount for p in row.payments], len(row.events))  # fmt: skip


def test_every_id_route_is_404_for_another_student(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    add_act(client, claim_id)
    add_medicine(client, claim_id, ppv="10")
    row = claim_row(app, claim_id)
    with deps(app).sessions() as db:  # A's own official sheet (« Ma feuille officielle »)
        sheet_id = own_sheets.upload(db, deps(app).clock, Path(app.config["UPLOAD_DIR"]), row.user_id,
                                     claim_id, "maladie", sheet_pdf(Sheet(), "text"), "a.pdf")  # fmt: skip
    ids = {"claim_id": claim_id, "act_id": row.acts[0].id, "line_id": row.medicines[0].id, "form_name": "maladie",
           "payment_id": 1, "item_key": "feuille_maladie", "photo_id": 1, "kind": "maladie",
           "sheet_id": sheet_id}  # fmt: skip
    before = snapshot(app, claim_id)

    intruder = app.test_client()
    Student(intruder, "intrus@example.ma").sign_up()
    token = csrf_token(intruder, "/profil/")
    checked = []
    for rule in app.url_map.iter_rules():
        args = set(rule.arguments)
        if not args or rule.endpoint in CAPABILITY_ENDPOINTS:
            continue
        assert args <= ID_ARGS, f"{rule.endpoint}: new argument {args - ID_ARGS}, decide how it is owner-scoped"
        path = rule.rule
        for name in args:
            converter = f"<int:{name}>" if f"<int:{name}>" in path else f"<{name}>"
            path = path.replace(converter, str(ids[name]))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token, **FORM_DATA} if method == "POST" else None
            response = intruder.open(path, method=method, data=data)
            assert response.status_code == 404, f"{method} {path} -> {response.status_code}"
            checked.append(f"{method} {rule.endpoint}")
    assert len(checked) >= 16
    assert snapshot(app, claim_id) == before  # and nothing of A's changed
    with deps(app).sessions() as db:
        assert own_sheets.owned_sheet(db, row.user_id, claim_id, sheet_id).filename == "a.pdf"  # nor A's sheet
    assert client.get(f"/dossiers/{claim_id}").status_code == 200  # while A still sees it


def test_calendar_token_of_another_student_is_not_guessable(app: Flask, client: FlaskClient, student: Student) -> None:
    with deps(app).sessions() as db:
        from claimkit.adapters.db.models import User

        user = db.get(User, 1)
        assert user is not None
        token = notifications.new_calendar_token(db, user)
    assert app.test_client().get(f"/calendrier/{token}.ics").status_code == 200
    assert app.test_client().get(f"/calendrier/{token[:-1]}x.ics").status_code == 404
    assert len(token) >= 32
