"""Issue 5 goal: a packet for a claim with 3 acts and 8 medicines in median ≤ 100 ms, ≤ 200 KB (2-core machine).

Run: .venv/bin/python bench/pdf_packet.py [--runs 50] [--kind accident] [--sample docs/packet]
--sample also writes the sample PDF and a PNG of every page (pdftoppm -r 60) for the docs.
The first build (fonts parsed, templates read) is timed apart: it is paid once per worker process.
"""

import argparse
import statistics
import subprocess
import time
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from claimkit.adapters import l10n, pdf
from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, MedicineLine, Student
from claimkit.domain.identifiers import rib_key
from claimkit.domain.packet import ChecklistLine, PacketData, packet_data

EANS = ["6118000120698", "6118001081103", "6118000041108", "6118000060260", "6118000190226", "6118000020646",
        "6118001030323", "6118000140726"]  # fmt: skip
NAMES = ["ZADRYL 10 MG, 30 comprimés enrobés", "ELOXATINE 5 MG/ML, flacon 50 ML", "AMOXIL 1 G, 14 comprimés",
         "DOLIPRANE 1000 MG, 8 comprimés", "SPASFON LYOC 80 MG", "MAXILASE sirop 200 ML", "ASPÉGIC 500 MG",
         "VOLTARÈNE ÉMULGEL 1 %"]  # fmt: skip


def sample(kind: ClaimKind = ClaimKind.MALADIE) -> PacketData:
    """Élodie Benjelloun-Çelik's claim: 3 acts, 8 medicines (accented and Arabic names on purpose)."""
    rib = "0117800000012345678901"
    student = Student(nom="Benjelloun-Çelik", prenom="Élodie", cnie="AB123456", nom_ar="بنجلون", prenom_ar="إيلودي",
                      adresse="12 rue Oued Fès, Agdal\n10090 Rabat", massar="D130000000", telephone="0612345678",
                      payout_method="virement", rib=rib + rib_key(rib))  # fmt: skip
    meds = tuple(MedicineLine(name, 1 + i % 2, ean, Decimal("34.90") + 7 * i, Decimal("20.00") + 5 * i)
                 for i, (name, ean) in enumerate(zip(NAMES, EANS, strict=True)))  # fmt: skip
    claim = Claim(kind, medicines=meds, acts=(
        Act(date(2026, 11, 3), ActType.CONSULTATION_SPECIALISTE, Decimal("300"), "Dr Alaoui"),
        Act(date(2026, 11, 3), ActType.PHARMACIE, Decimal("412.60")),
        Act(date(2026, 11, 6), ActType.ANALYSES, Decimal("250"))),
        accident_date=date(2026, 11, 2) if kind is ClaimKind.ACCIDENT else None,
        accident_circumstances="Chute à vélo, percutée par une voiture au carrefour de l'avenue de France."
        if kind is ClaimKind.ACCIDENT else "",
        third_party_liable=kind is ClaimKind.ACCIDENT)  # fmt: skip
    refunds = [(Decimal("0.70") * min(m.ppv or 0, m.pbr or 0) * m.quantity).quantize(Decimal("0.01")) for m in meds]
    return packet_data(
        student, claim, title="Angine et bilan sanguin",
        summary=["Consultation spécialiste du 03/11/2026 : 300,00 DH", "Pharmacie du 03/11/2026 : 412,60 DH",
                 "Analyses de laboratoire du 06/11/2026 : 250,00 DH", "Total payé : 962,60 DH"],
        deadline_text="À poster au plus tard le 02/01/2027",
        posting_text="Postez avant le 28/12/2026 (marge pour l'acheminement du recommandé).",
        checklist=[ChecklistLine("Feuille de soins maladie remplie et signée", True, True),
                   ChecklistLine("Ordonnance originale", True, True),
                   ChecklistLine("Facture du laboratoire", True, False),
                   ChecklistLine("Résultats des analyses", True, True),
                   ChecklistLine("Vignettes / codes-barres des médicaments", False, False)],
        insurer_name="CNOPS — Caisse nationale des organismes de prévoyance sociale",
        insurer_address=["4, rue Al Khalil", "B.P. 209", "Rabat"],
        medicine_refunds=refunds,
        estimate_text="Remboursement estimé : 742,78 DH (estimation indicative, la CNOPS décide).",
        today=date(2026, 11, 25), money=partial(l10n.money, locale="fr"),
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=Path)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--kind", choices=[k.value for k in ClaimKind], default=ClaimKind.MALADIE.value)
    args = parser.parse_args()
    data = sample(ClaimKind(args.kind))
    t0 = time.perf_counter()
    pdf.build_packet(data)  # first build: fonts and templates are loaded once per process
    first = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        content = pdf.build_packet(data)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(f"packet ({args.kind}: 3 acts, 8 medicines, {len(data.forms)} form(s)): median "
          f"{statistics.median(times):.1f} ms, p95 {p95:.1f} ms over {args.runs} runs (first build {first:.0f} ms); "
          f"size {len(content) / 1024:.0f} KB")  # fmt: skip
    if args.sample:
        args.sample.mkdir(parents=True, exist_ok=True)
        for old in args.sample.glob("page-*.png"):
            old.unlink()
        (args.sample / "sample-packet.pdf").write_bytes(content)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(args.sample / "sample-packet.pdf"),
                        str(args.sample / "page")], check=True)  # fmt: skip
        print(f"sample written to {args.sample}")


if __name__ == "__main__":
    main()
