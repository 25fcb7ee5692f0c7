"""The phone preview of a student's own sheet (« Ma feuille remplie »): what each step costs on the 2-core box.

- first preview of an uploaded sheet: read (OCR for an image-only page), write the values, render, whole-page PNG;
- after a nudge: the sheet is already read (official_forms keeps it), so write, render and PNG again;
- one value's enlarged line (PNG crop of the kept render).
Prints median and p95; run `.venv/bin/python bench/own_sheet_preview.py`. No goal is enforced: the figures go in
the report (a nudge should feel immediate, well under a second; the first look at a scan may take the OCR's time).
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claimkit.adapters import official_forms, sheet_preview
from tests.official_sheets import Sheet, sheet_pdf

FIELDS = {"nom_prenom": "EL AMRANI Salma", "immatriculation": "AB123456", "cin": "AB123456",
          "adresse": "12 rue Ibn Sina, Agdal, Rabat", "montant_frais": "350,00", "pieces_jointes": "4"}  # fmt: skip


def stats(step: Callable[[int], object], runs: int) -> str:
    step(-1)  # warm-up: fonts, tesseract data
    times = []
    for i in range(runs):
        start = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms ({runs} runs)"


def first_look(pdf: bytes) -> Callable[[int], object]:
    def step(_i: int) -> object:
        official_forms.forget_read_sheets()
        sheet_preview._RENDERED.clear()  # a new sheet: nothing rendered yet
        return sheet_preview.png(official_forms.fill(pdf, FIELDS))

    return step


def after_nudge(pdf: bytes) -> Callable[[int], object]:
    def step(i: int) -> object:  # each run one more mm: a new written PDF, rendered again
        return sheet_preview.png(official_forms.fill(pdf, FIELDS, offsets={"nom_prenom": (i + 2, 0)}))

    return step


def one_line(pdf: bytes) -> Callable[[int], object]:
    filled = official_forms.fill(pdf, FIELDS)
    return lambda _i: sheet_preview.png(filled, "adresse")


if __name__ == "__main__":
    sheets = (("text PDF", sheet_pdf(Sheet(), "text"), 10), ("image-only PDF", sheet_pdf(Sheet(), "image"), 5))
    for name, pdf, runs in sheets:
        print(f"{name}: first preview {stats(first_look(pdf), runs)}")
        print(f"{name}: preview after a nudge {stats(after_nudge(pdf), runs)}")
        print(f"{name}: one value's line {stats(one_line(pdf), runs)}")
