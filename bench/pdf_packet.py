"""Issue 5 goal: a packet for a claim with 3 acts and 8 medicines in median ≤ 100 ms, ≤ 200 KB.

Run: .venv/bin/python bench/pdf_packet.py [--sample docs/packet]   (--sample also writes the PDF and PNG pages)
"""

import argparse
import statistics
import subprocess
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from claimkit.adapters import pdf
from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, MedicineLine, Student
from claimkit.domain.forms import field_values, forms_for
from claimkit.domain.identifiers import rib_key
from claimkit.domain.refunds import medicine_refund, money

EANS = ["6118000120698", "6118001081103", "6118000041108", "6118000060260", "6118000190226", "6118000020646",
        "6118001030323", "6118000140726"]  # fmt: skip


def sample() -> pdf.PacketData:
    rib = "0117800000012345678901"
    student = Student(nom="Benjelloun-Çelik", prenom="Élodie", cnie="AB123456", nom_ar="بنجلون", prenom_ar="إيلودي",
                      adresse="12 rue Oued Fès, Agdal\n10090 Rabat", massar="D130000000", telephone="0612345678",
                      payout_method="virement", rib=rib + rib_key(rib))  # fmt: skip
    meds = tuple(MedicineLine(f"MÉDICAMENT {i + 1} 500 MG", 1 + i % 2, ean, Decimal("34.90") + i, Decimal("20.00") + i)
                 for i, ean in enumerate(EANS))  # fmt: skip
    claim = Claim(ClaimKind.MALADIE, medicines=meds, acts=(
        Act(date(2026, 11, 3), ActType.CONSULTATION_SPECIALISTE, Decimal("300"), "Dr Alaoui"),
        Act(date(2026, 11, 3), ActType.PHARMACIE, Decimal("412.60")),
        Act(date(2026, 11, 6), ActType.ANALYSES, Decimal("250"))))  # fmt: skip
    return pdf.PacketData(
        student_name="BENJELLOUN-ÇELIK Élodie", student_name_ar="إيلودي بنجلون", student_cnie="AB123456",
        student_address=["12 rue Oued Fès, Agdal", "10090 Rabat"], claim_title="Angine et bilan sanguin",
        claim_summary=["Consultation spécialiste du 03/11/2026 : 300,00 DH", "Total payé : 962,60 DH"],
        deadline_text="À poster au plus tard le 02/01/2027 — il reste 38 jours",
        checklist=[pdf.ChecklistLine("Feuille de soins maladie remplie", True, True),
                   pdf.ChecklistLine("Ordonnance originale", True, True),
                   pdf.ChecklistLine("Facture du laboratoire", True, False),
                   pdf.ChecklistLine("Vignettes / codes-barres des médicaments", False, False)],
        insurer_name="CNOPS — Caisse nationale des organismes de prévoyance sociale",
        insurer_address=["4, rue Al Khalil", "B.P. 209", "Rabat"],
        medicines=[pdf.MedicineRow(m.name, m.ean13, money(m.ppv or Decimal(0)), money(m.pbr or Decimal(0)), m.quantity,
                                   money(medicine_refund(Decimal("0.70"), m.ppv, m.pbr, m.quantity))) for m in meds],
        estimate_text="Remboursement estimé : 512,34 DH (estimation indicative, la CNOPS décide).",
        today=date(2026, 11, 25),
        forms=[(form, field_values(form, student, claim, 6)) for form in forms_for(claim)],
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=Path)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    data = sample()
    pdf.build_packet(data)  # warm-up: fonts and templates are loaded once per process
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        content = pdf.build_packet(data)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"packet (3 acts, 8 medicines): median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms over "
          f"{args.runs} runs; size {len(content) / 1024:.0f} KB")  # fmt: skip
    if args.sample:
        args.sample.mkdir(parents=True, exist_ok=True)
        (args.sample / "sample-packet.pdf").write_bytes(content)
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(args.sample / "sample-packet.pdf"),
                        str(args.sample / "page")], check=True)  # fmt: skip
        print(f"sample written to {args.sample}")


if __name__ == "__main__":
    main()
