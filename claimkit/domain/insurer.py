"""Where the paper file goes. Dated, because law 54-23 moves the CNOPS-managed AMO into the CNSS in 2027:
adding a row with the new address changes every packet from its valid_from date, with no code change."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class InsurerRow:
    name: str
    address: str  # one line per printed line
    valid_from: date
    valid_to: date | None = None
    source: str = ""

    @property
    def lines(self) -> list[str]:
        return [line for line in self.address.splitlines() if line.strip()]


DEFAULT_INSURERS = (
    InsurerRow(
        name="CNOPS — Caisse nationale des organismes de prévoyance sociale",
        address="4, rue Al Khalil\nB.P. 209\nRabat",
        valid_from=date(2016, 1, 1),
        source="Seeds 000 et 003 (« 4, rue Al Khalil, B.P. 209 »); le seed 002 écrit « 10-8 Rue Al Khalil - BP 209 ».",
    ),
)
