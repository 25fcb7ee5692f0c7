"""Rows of a medicines price list (the Taawidaty snapshot, or a newer official list with the same columns).

Each row is checked on its own so an import can refuse one bad line, say why and where, and go on.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from claimkit.domain.identifiers import ean13_problem
from claimkit.domain.messages import N_, Message, Refusal

COLUMNS = (
    "barcode", "name", "dci", "dosage", "forme", "presentation", "ppv", "prix_br", "ph", "prix_br_ph",
    "taux_remb", "type", "classe_therapeutique",
)  # fmt: skip


@dataclass(frozen=True)
class MedicineRef:
    ean13: str
    name: str
    dci: str
    dosage: str
    forme: str
    presentation: str
    ppv: Decimal
    pbr: Decimal | None
    rate_percent: int | None
    type: str
    classe: str

    @property
    def key(self) -> str:
        """Boxes with a barcode are tracked by it, so a new price list updates them; others by description
        and price (the snapshot has distinct packs that share a description)."""
        if self.ean13:
            return self.ean13
        return "|".join((self.name, self.dci, self.dosage, self.forme, self.presentation, self.type, str(self.ppv)))


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: Message


def _price(text: str, label: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise Refusal(N_("%(label)s illisible : « %(value)s »."), {"label": label, "value": text}) from None
    if not value.is_finite() or value < 0:
        raise Refusal(N_("%(label)s négatif ou invalide : « %(value)s »."), {"label": label, "value": text})
    return value.quantize(Decimal("0.01"))


def parse_row(row: Mapping[str, str | None]) -> MedicineRef:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    name = cell("name")
    if not name:
        raise Refusal(N_("Nom du médicament manquant."))
    barcode = cell("barcode")
    if barcode and (problem := ean13_problem(barcode)):
        raise Refusal(problem)
    if not cell("ppv"):
        raise Refusal(N_("Prix public (ppv) manquant."))
    rate = cell("taux_remb")
    if rate and not rate.isdigit():
        raise Refusal(N_("Taux de remboursement illisible : « %(value)s »."), {"value": rate})
    return MedicineRef(
        ean13=barcode,
        name=name,
        dci=cell("dci"),
        dosage=cell("dosage"),
        forme=cell("forme"),
        presentation=cell("presentation"),
        ppv=_price(cell("ppv"), "PPV"),
        pbr=_price(cell("prix_br"), "PBR") if cell("prix_br") else None,
        rate_percent=int(rate) if rate else None,
        type=cell("type"),
        classe=cell("classe_therapeutique"),
    )


def missing_columns(header: Iterable[str]) -> list[str]:
    present = {column.strip() for column in header}
    return [column for column in ("barcode", "name", "ppv", "prix_br") if column not in present]


def parse_rows(
    numbered_rows: Iterable[tuple[int, Mapping[str, str | None]]],
) -> tuple[list[MedicineRef], list[RowProblem]]:
    """Good rows and refused ones; a barcode seen twice keeps its first row and refuses the second."""
    refs: list[MedicineRef] = []
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for line, row in numbered_rows:
        try:
            ref = parse_row(row)
        except Refusal as error:
            problems.append(RowProblem(line, error.as_message))
            continue
        if ref.key in seen:
            problems.append(RowProblem(line, Message(N_("Ligne en double (même code-barres ou même produit)."))))
            continue
        seen.add(ref.key)
        refs.append(ref)
    return refs, problems
