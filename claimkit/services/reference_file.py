"""Loads dated reference rows (insurers, rates, tariffs of one regime) from a JSON file: a data change only.

Law 54-23 moves the AMO to the CNSS; the day its texts fix the CNSS's address, rates and tariffs, the operator
edits `claimkit/data/cnss_54_23.json` (or writes another file) and runs `flask reference load FILE`
(docs/domain.md#law-54-23-and-the-schemes). A row identical to a stored one (same regime, key and valid_from) is
left alone, so loading twice changes nothing; the whole file is refused when one row is wrong.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimkit.adapters.db.models import Insurer, RefundRate, Tariff
from claimkit.domain.claims import ActType
from claimkit.domain.refunds import ACTS, ALD, MEDICINES
from claimkit.domain.schemes import REGIMES
from claimkit.services import ServiceError, schemes

BASES = (MEDICINES, ACTS, ALD)


@dataclass(frozen=True)
class LoadReport:
    added: int
    unchanged: int


def _day(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ServiceError(f"{where} : date illisible « {value} » (AAAA-MM-JJ).") from None


def _number(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ServiceError(f"{where} : nombre illisible « {value} ».") from None
    if number < 0:
        raise ServiceError(f"{where} : nombre négatif « {value} ».")
    return number


def _common(row: dict[str, Any], where: str) -> dict[str, Any]:
    regime = row.get("regime", "")
    if regime not in REGIMES:
        raise ServiceError(f"{where} : régime « {regime} » inconnu ({', '.join(REGIMES)}).")
    valid_from = _day(row.get("valid_from"), where)
    if valid_from is None:
        raise ServiceError(f"{where} : valid_from manque.")
    valid_to = _day(row.get("valid_to"), where)
    if valid_to is not None and valid_to < valid_from:
        raise ServiceError(f"{where} : valid_to est avant valid_from.")
    return {"regime": regime, "valid_from": valid_from, "valid_to": valid_to, "source": str(row.get("source", ""))}


def _rows(data: dict[str, Any]) -> list[Insurer | RefundRate | Tariff]:
    rows: list[Insurer | RefundRate | Tariff] = []
    for i, row in enumerate(data.get("insurers", []), 1):
        where = f"insurers[{i}]"
        if not row.get("name") or not row.get("address"):
            raise ServiceError(f"{where} : name et address sont obligatoires.")
        rows.append(Insurer(name=row["name"], address=row["address"], **_common(row, where)))
    for i, row in enumerate(data.get("rates", []), 1):
        where = f"rates[{i}]"
        if row.get("basis") not in BASES:
            raise ServiceError(f"{where} : basis « {row.get('basis')} » inconnue ({', '.join(BASES)}).")
        rate = _number(row.get("rate"), where)
        if rate > 1:
            raise ServiceError(f"{where} : un taux s'écrit entre 0 et 1 (0.70 pour 70 %).")
        rows.append(RefundRate(basis=row["basis"], rate=rate, **_common(row, where)))
    for i, row in enumerate(data.get("tariffs", []), 1):
        where = f"tariffs[{i}]"
        if row.get("act_type") not in set(ActType):
            raise ServiceError(f"{where} : act_type « {row.get('act_type')} » inconnu.")
        rows.append(Tariff(act_type=row["act_type"], amount=_number(row.get("amount"), where), **_common(row, where)))
    return rows


def _key(row: Insurer | RefundRate | Tariff) -> tuple[object, ...]:
    kind = row.name if isinstance(row, Insurer) else row.basis if isinstance(row, RefundRate) else row.act_type
    return (type(row).__name__, row.regime, kind, row.valid_from)


def read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ServiceError(f"{path.name} : fichier JSON illisible ({error}).") from None
    if not isinstance(data, dict):
        raise ServiceError(f"{path.name} : un objet JSON est attendu (insurers, rates, tariffs).")
    return data


def load(db: Session, data: dict[str, Any]) -> LoadReport:
    """Adds the file's rows that are not stored yet (one transaction: all or nothing)."""
    rows = _rows(data)
    stored: set[tuple[object, ...]] = set()
    stored.update(_key(r) for r in db.scalars(select(Insurer)))
    stored.update(_key(r) for r in db.scalars(select(RefundRate)))
    stored.update(_key(r) for r in db.scalars(select(Tariff)))
    new = [row for row in rows if _key(row) not in stored]
    db.add_all(new)
    if new:
        schemes.forget_open_summaries(db)  # new rates or tariffs: the open claims' stored estimates are recomputed
    db.commit()
    return LoadReport(added=len(new), unchanged=len(rows) - len(new))
