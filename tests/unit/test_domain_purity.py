"""The domain stays pure: no web framework, no database, no hidden clock."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "claimkit" / "domain"
FORBIDDEN = (
    "flask",
    "flask_wtf",
    "flask_login",
    "flask_babel",
    "sqlalchemy",
    "wtforms",
    "werkzeug",
    "alembic",
)
CLOCK_CALLS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
}


def modules() -> list[Path]:
    return sorted(DOMAIN.rglob("*.py"))


def imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_there_are_domain_modules() -> None:
    assert len(modules()) >= 3


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.name)
def test_no_framework_or_database_import(path: Path) -> None:
    bad = imported_roots(ast.parse(path.read_text())) & set(FORBIDDEN)
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.name)
def test_no_hidden_clock(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert (node.value.id, node.attr) not in CLOCK_CALLS, f"{path.name} reads the clock: pass `today` in"


def test_the_check_itself_catches_a_forbidden_import() -> None:
    assert imported_roots(ast.parse("from flask import g\nimport sqlalchemy.orm")) == {"flask", "sqlalchemy"}
