"""Issue 17: Latin text, dates and codes inside the Arabic packet keep their order, « » and ( ) read back the
right way round, and step numbers sit as on an Arabic web page. Read back from the real packet with pdfplumber
(the glyphs' positions: what the student sees) and pdftotext (the text a reader extracts)."""

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.db.models import User
from claimkit.web.deps import deps
from tests.conftest import Student, post_form
from tests.integration.test_claims_flow import add_act, new_claim
from tests.integration.test_packet import plain, text_of
from tests.integration.test_profile import VALID

Line = list[dict]  # pdfplumber chars of one visual line, left to right


@pytest.fixture
def arabic_packet(app: Flask, client: FlaskClient, student: Student) -> bytes:
    post_form(client, "/profil/", {**VALID, "adresse": "12 rue Oued Fès, Agdal\n10090 Rabat"})
    claim = new_claim(client, kind="dentaire", label="Carie molaire · 28")
    add_act(client, claim, performed_on="2026-11-03", type="soins_dentaires", practitioner="Dr Tazi")
    with deps(app).sessions() as db:
        db.query(User).update({"locale": "ar"})
        db.commit()
    return bytes(client.get(f"/dossiers/{claim}/packet.pdf").data)


def visual_lines(pdf: bytes, page: int = 0) -> list[Line]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = document.pages[page].chars
    lines: dict[int, Line] = {}
    for char in chars:
        lines.setdefault(-round(char["matrix"][5]), []).append(char)  # by baseline: the fonts' boxes differ
    return [sorted(line, key=lambda c: c["x0"]) for _, line in sorted(lines.items())]


def shown(line: Line) -> str:
    return "".join(c["text"] for c in line)


def is_arabic(char: dict) -> bool:
    return bool(re.match("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]", char["text"]))


def test_latin_runs_dates_and_codes_read_left_to_right_inside_arabic_lines(arabic_packet: bytes) -> None:
    lines = visual_lines(arabic_packet)
    footer = next(line for line in lines if "CNIE" in shown(line) and any(is_arabic(c) for c in line))
    right = [c for c in footer if c["x0"] > 250]  # the footer's right-hand text (the left one is the date)
    assert "BENJELLOUN-ÇELIK Élodie — CNIE AB123456 — Carie molaire · 28" in shown(right)
    # "ملف <name> — … — <title>": read from the right, the Arabic word comes first, so it is drawn right of it
    assert max(c["x1"] for c in right if not is_arabic(c)) <= min(c["x0"] for c in right if is_arabic(c)) + 0.5
    prepared = next(line for line in lines if "2026" in shown(line) and any(is_arabic(c) for c in line))
    assert "25/11/2026" in shown(prepared) and "2026/11" not in shown(prepared)


def test_the_address_with_its_postcode_stays_whole_on_the_sheet_page(arabic_packet: bytes) -> None:
    lines = visual_lines(arabic_packet, 1)
    assert any("12 rue Oued Fès, Agdal, 10090 Rabat" in shown(line) for line in lines)


def test_guillemets_and_brackets_read_back_the_right_way_round(arabic_packet: bytes, tmp_path: Path) -> None:
    text = plain(text_of(arabic_packet, tmp_path))
    assert "« أين تجدها »" in text, [line for line in text.splitlines() if "تجدها" in line]
    assert "الطالب(ة)" in text or "الطالب(ة)" in text.replace(" ", "")
    assert "» أين تجدها «" not in text and ")ة(" not in text


def test_step_numbers_sit_at_the_right_with_the_full_stop_after_them(arabic_packet: bytes) -> None:
    lines = visual_lines(arabic_packet)
    markers = [line for line in lines if re.fullmatch(r"\.[1-4]", shown(line[-2:])) and is_arabic(line[-3])]
    assert [shown(line[-2:]) for line in markers] == [".1", ".2", ".3", ".4"]
    for line in markers:
        stop, digit = line[-2:]
        assert stop["x1"] <= digit["x0"] + 0.5 and line[-3]["x1"] < stop["x0"]  # the text is left of its number
