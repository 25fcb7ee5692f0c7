"""`flask backup` then `flask restore` into a fresh instance and database gives back the same rows and files.

Runs on SQLite by default and on PostgreSQL under `make test-pg` (restored into a second, throw-away database).
"""

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Table, create_engine, make_url, select, text

from claimkit.adapters import storage
from claimkit.adapters.db.engine import make_engine
from claimkit.adapters.db.models import Base, User
from claimkit.web import create_app
from claimkit.web.deps import deps
from tests.conftest import PG_URL, Student, post_form
from tests.integration.test_claims_flow import add_act, new_claim
from tests.integration.test_profile import VALID

KEY_TABLES = ("users", "profiles", "claims", "acts")
PHOTO = b"\xff\xd8\xff\xe0 not really a jpeg \x00\x01\x02" + secrets.token_bytes(64)


def table_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (and the schema version), ordered by primary key."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables: list[Table] = list(Base.metadata.sorted_tables)
            rows = {
                t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))] for t in tables
            }
            rows["alembic_version"] = [tuple(r) for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
            return rows
    finally:
        engine.dispose()


def upload_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the test one: a new SQLite path, or a new PostgreSQL database."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'fresh' / 'claimkit.sqlite3'}"
        return
    name = f"claimkit_restore_{secrets.token_hex(4)}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fill(app: Flask, client: FlaskClient) -> tuple[int, Path]:
    """A realistic account through the real app: profile, a claim with two acts, one uploaded photo."""
    assert post_form(client, "/profil/", VALID).status_code == 302
    claim_id = new_claim(client, label="Angine")
    assert "Acte ajouté." in add_act(client, claim_id, practitioner="Dr Alaoui", inpe="123456789")
    assert "Acte ajouté." in add_act(client, claim_id, type="pharmacie", amount="126,40", practitioner="Atlas")
    with deps(app).sessions() as db:
        user_id = db.scalars(select(User.id)).one()
    photo = storage.save(Path(app.config["UPLOAD_DIR"]), user_id, PHOTO, ".jpg")
    return claim_id, photo


def test_backup_restored_into_fresh_instance_is_identical(
    app: Flask, client: FlaskClient, student: Student, database_url: str, fresh_database_url: str, tmp_path: Path
) -> None:
    claim_id, photo = fill(app, client)
    target = tmp_path / "backups"

    result = app.test_cli_runner().invoke(args=["backup", "--to", str(target)])
    assert result.exit_code == 0, result.output
    (backup_path,) = target.iterdir()
    assert backup_path.name == "claimkit-backup-20261125T100000Z"  # the app clock names it
    assert f"Sauvegarde écrite : {backup_path}" in result.output
    expected_rows = table_rows(database_url)
    expected_files = upload_files(Path(app.config["UPLOAD_DIR"]))
    assert all(expected_rows[name] for name in KEY_TABLES)
    assert list(expected_files.values()) == [PHOTO]

    # Changes after the backup must not come back: the restore is the snapshot, not the live data.
    assert "Acte ajouté." in add_act(client, claim_id, practitioner="Après la sauvegarde")
    photo.unlink()

    fresh = create_app(
        {
            "INSTANCE_PATH": tmp_path / "fresh",
            "DATABASE_URL": fresh_database_url,
            "TESTING": True,
            "SERVER_NAME": "localhost",
        }
    )
    try:
        result = fresh.test_cli_runner().invoke(args=["restore", str(backup_path)], input="y\n")
        assert result.exit_code == 0, result.output

        restored = table_rows(fresh_database_url)
        for name in KEY_TABLES:
            assert restored[name] == expected_rows[name], name
        # everything as backed up, but the packets' revision counter, moved so no ETag names older content again
        assert restored.pop("revisions") != expected_rows.pop("revisions")
        assert restored == expected_rows
        assert len(table_rows(database_url)["acts"]) == len(restored["acts"]) + 1
        assert Path(fresh.config["UPLOAD_DIR"]) != Path(app.config["UPLOAD_DIR"])
        assert upload_files(Path(fresh.config["UPLOAD_DIR"])) == expected_files

        # The restored instance works: the student logs in and finds the claim with its two acts.
        fresh_client = fresh.test_client()
        assert Student(fresh_client).log_in().status_code == 302
        page = fresh_client.get(f"/dossiers/{claim_id}").get_data(as_text=True)
        assert "Dr Alaoui" in page and "Atlas" in page and "Après la sauvegarde" not in page
    finally:
        deps(fresh).engine.dispose()


def test_backup_defaults_to_instance_folder_and_restore_refuses_other_folders(
    app: Flask, student: Student, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup"]).exit_code == 0
    (backup_path,) = (Path(app.instance_path) / "backups").iterdir()
    assert (backup_path / "manifest.json").is_file() and (backup_path / "uploads").is_dir()
    assert not list(backup_path.parent.glob("*.partial"))

    assert runner.invoke(args=["backup"]).exit_code == 0  # same second: a second folder, not an overwrite
    assert len(list(backup_path.parent.iterdir())) == 2

    not_a_backup = tmp_path / "random"
    not_a_backup.mkdir()
    result = runner.invoke(args=["restore", "--yes", str(not_a_backup)])
    assert result.exit_code != 0 and "pas une sauvegarde complète" in result.output

    result = runner.invoke(args=["restore", str(backup_path)], input="n\n")
    assert result.exit_code != 0  # declining the confirmation changes nothing
