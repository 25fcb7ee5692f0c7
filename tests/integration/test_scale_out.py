"""Two app instances ("machines") on one database, with the same SECRET_KEY and separate instance folders, as in
docs/deployment.md: whatever one worker keeps between requests, the other must not need it."""

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from claimkit.web import create_app
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, csrf_token
from tests.integration.test_claims_flow import add_act, new_claim


def second_machine(app: Flask, clock: FakeClock, tmp_path: Path) -> Flask:
    return create_app(
        {
            "INSTANCE_PATH": tmp_path / "machine-b",
            "DATABASE_URL": app.config["DATABASE_URL"],
            "SECRET_KEY": app.config["SECRET_KEY"],  # one key for every machine (docs/deployment.md)
            "TESTING": True,
            "CLOCK": clock,
            "SERVER_NAME": "localhost",
        }
    )


def same_browser(other: Flask, client: FlaskClient) -> FlaskClient:
    """A client of `other` carrying `client`'s session cookie: the same browser sent to another machine."""
    b = other.test_client()
    cookie = client.get_cookie("session", domain="localhost")
    assert cookie is not None
    b.set_cookie("session", cookie.value, domain="localhost")
    return b


def test_a_student_moves_between_machines_mid_session(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock, tmp_path: Path
) -> None:
    other = second_machine(app, clock, tmp_path)
    try:
        b = same_browser(other, client)

        claim_id = new_claim(client, label="Angine")  # machine A
        add_act(client, claim_id, performed_on="2026-11-20", amount="150")
        assert "Angine" in b.get("/").get_data(as_text=True)  # machine B: same session, same dashboard
        assert "Acte ajouté." in add_act(b, claim_id, performed_on="2026-11-21", type="analyses", amount="90")
        page_a = client.get(f"/dossiers/{claim_id}").get_data(as_text=True)
        assert "Analyses" in page_a  # B's write, read on A

        etag = client.get(f"/dossiers/{claim_id}/packet.pdf").headers["ETag"]  # built on A
        repeat = b.get(f"/dossiers/{claim_id}/packet.pdf", headers={"If-None-Match": etag})
        assert repeat.status_code == 304, "the ETag depends on the content only, not on the worker"

        b.post("/compte/deconnexion", data={"csrf_token": csrf_token(b, "/profil/")})  # sign out on B
        assert client.get("/").status_code == 302, "the session is revoked for every machine"
    finally:
        deps(other).engine.dispose()
