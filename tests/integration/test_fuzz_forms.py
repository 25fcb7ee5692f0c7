"""Hypothesis throws arbitrary text at every form of the app: never an HTTP 500, and a refused request leaves
what was saved unchanged."""

import html
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, new_claim
from tests.integration.test_idor_matrix import FORM_DATA, snapshot
from tests.integration.test_profile import VALID

FIELDS = sorted({
    *FORM_DATA, *VALID, "email", "password", "confirm", "consent", "current", "new", "ean13", "ppv", "pbr",
    "treatment_start", "treatment_end", "accident_date", "recommande_number", "recommande",
})  # fmt: skip
# Routes that take no form data, or end the session, are left out: their refusals are covered elsewhere.
SKIP = {
    "account.delete",
    "auth.logout",
    "auth.logout_everywhere",
    "claims.delete",
    "claims.remove_act",
    "claims.remove_medicine",
}
# Issue 18: NUL and other controls, lone surrogates (sent as the bytes a broken client would send), 100 KB
# strings, NaN spellings and extreme dates, on SQLite and PostgreSQL (`make test-pg` runs this file too).
controls = st.text(st.characters(categories=["Cc", "Cs", "Zl", "Zp", "Cf"]), min_size=1, max_size=8)
nasty = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec=None, categories=["Cc", "Cs", "Lo", "Nd", "Po"]), max_size=40),
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=8), controls, st.text(max_size=8)),
    st.sampled_from(["x" * 100_000, "é" * 50_000, "\x00" * 1000, "\ud800", "a\udfffb", "sNaN", "-NaN", "Infinity",
                     "1e5", "1E-7", "0x10", "9999-12-31", "0001-01-01", "1900-01-01", "2099-12-31", "10000-01-01",
                     "-0001-01-01", "2026-11-25T10:00", "١٢/١٢/٢٠٢٦"]),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "34,90", "2026-02-30", "9999-12-31", "0001-01-01",
                     "٣٤٫٩٠", "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "é" * 600, "6118000120698"]),
)  # fmt: skip
payloads = st.dictionaries(st.sampled_from(FIELDS), nasty, max_size=8)


@pytest.fixture
def seeded(app: Flask, client: FlaskClient, student: Student) -> tuple[int, list[str]]:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    add_act(client, claim_id)
    paths = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint not in SKIP:
            path = rule.rule.replace("<int:claim_id>", str(claim_id)).replace("<token>", "jeton-invalide")
            paths.append(path)
    return claim_id, sorted(paths)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_500_and_refusals_change_nothing(
    app: Flask, client: FlaskClient, seeded: tuple[int, list[str]], data: st.DataObject
) -> None:
    claim_id, paths = seeded
    path = data.draw(st.sampled_from(paths))
    payload = data.draw(payloads)
    before = snapshot(app, claim_id)
    token = csrf_token(client, "/profil/")
    # Encoded by hand: lone surrogates go out as the (invalid) UTF-8 bytes a broken client would send.
    body = "&".join(
        f"{k}={quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in {"csrf_token": token, **payload}.items()
    )
    response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (path, payload)
    if response.status_code in (400, 404, 413):
        assert snapshot(app, claim_id) == before
    if response.status_code == 302 and path.endswith(("/actes", "/pieces", "/details")):
        followed = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
        assert "Traceback" not in followed
    assert client.get(f"/dossiers/{claim_id}").status_code == 200  # the claim page still renders


HARD = ["\x00", "a\x00b", "\ud800", "x" * 100_000, "NaN", "sNaN", "-NaN", "1e5", "9999-12-31", "0001-01-01",
        "10000-01-01", "\x1b[31m", "\r\n"]  # fmt: skip


def _encoded(data: dict[str, str]) -> str:
    return "&".join(f"{k}={quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in data.items())


def test_every_form_with_every_hard_value(app: Flask, client: FlaskClient, seeded: tuple[int, list[str]]) -> None:
    """The sweep hypothesis may miss: each hard value in every field of every form at once."""
    claim_id, paths = seeded
    failures = []
    for path in paths:
        for value in HARD:
            token = csrf_token(client, "/profil/")
            body = _encoded({"csrf_token": token, **dict.fromkeys(FIELDS, value)})
            response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
            if response.status_code >= 500:
                failures.append((path, value[:10]))
    assert failures == []
    assert client.get(f"/dossiers/{claim_id}").status_code == 200
