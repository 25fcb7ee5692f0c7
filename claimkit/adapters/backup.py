"""Online backup and restore of the database and the uploaded files.

A backup is one folder, `<target_dir>/claimkit-backup-<YYYYMMDDTHHMMSSZ>/`, holding:

- `database.sqlite3` (SQLite, taken with the backup API so it is consistent while the app keeps writing) or
  `database.pgdump` (PostgreSQL, `pg_dump -Fc`, which reads one snapshot transaction);
- `uploads/`, a copy of UPLOAD_DIR (one `user-<id>/` folder per student);
- `manifest.json`, saying which of the two database files to use and when the backup was taken.

The folder is written under a `.partial` name and renamed at the end, so a folder with the final name is
always complete: a crash or a full disk leaves only a `.partial` folder, never a half backup that looks whole.
A folder (not a .tar.gz) keeps restoring one student's file a plain `cp` away; archive it for off-site copies.

Passwords in the database URL are given to pg_dump/pg_restore through PGPASSWORD, never on the command line
(which any local user can read in `ps`).
"""

import json
import os
import shutil
import sqlite3

# pg_dump/pg_restore run from an argument list, never through a shell.
import subprocess  # nosec B404
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
UPLOADS = "uploads"


class BackupError(Exception):
    """A backup or restore that cannot be done (unsupported URL, missing tool, tool failure)."""


def _url(database_url: str) -> URL:
    return make_url(database_url)


def _kind(url: URL) -> str:
    backend = url.get_backend_name()
    if backend in ("sqlite", "postgresql"):
        return backend
    raise BackupError(f"base de données non prise en charge pour la sauvegarde : {backend}")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("seule une base SQLite sur fichier peut être sauvegardée")
    return Path(url.database)


def _pg_tool(name: str) -> str:
    """The newest server-version binary first: Debian's /usr/bin wrapper may pick an older one, and
    pg_dump refuses to dump a server newer than itself."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if versions:
        return str(versions[-1])
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"{name} introuvable : installez le client PostgreSQL")


def _pg_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password (visible in `ps` otherwise) and the environment carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return libpq, env


def _run(args: list[str], env: dict[str, str]) -> None:
    # A fixed PostgreSQL tool with an argument list and no shell: nothing from a user reaches a command line.
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} a échoué ({result.returncode}) : {result.stderr.strip()}")


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page-by-page copy through SQLite itself: consistent even with writers, and the WAL content is included."""
    if not source.is_file():
        raise BackupError(f"base SQLite introuvable : {source}")
    src = sqlite3.connect(source)  # read-write open: a read-only one cannot always join a WAL database
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()


def _copy_uploads(upload_dir: Path, target: Path) -> None:
    if upload_dir.exists():
        shutil.copytree(upload_dir, target, symlinks=False)
    else:
        target.mkdir()


def _folder_name(target_dir: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = target_dir / f"claimkit-backup-{stamp}"
    n = 1
    while candidate.exists() or candidate.with_name(candidate.name + ".partial").exists():
        n += 1
        candidate = target_dir / f"claimkit-backup-{stamp}-{n}"
    return candidate


def backup(database_url: str, upload_dir: Path, target_dir: Path, now: datetime) -> Path:
    """Writes a complete backup folder under target_dir and returns its path (see the module docstring).

    The database is copied first, then the uploads: a file uploaded in between is in the copy without its
    row, which is harmless (an orphan file), whereas the other order could lose a file a row points to.
    """
    url = _url(database_url)
    kind = _kind(url)
    target_dir.mkdir(parents=True, exist_ok=True)
    final = _folder_name(target_dir, now)
    partial = final.with_name(final.name + ".partial")
    partial.mkdir()
    try:
        partial.chmod(0o700)  # it holds health data and password hashes
        if kind == "sqlite":
            _sqlite_copy(_sqlite_path(url), partial / SQLITE_FILE)
            database_file = SQLITE_FILE
        else:
            libpq, env = _pg_target(url)
            _run([_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(partial / PG_FILE), "-d", libpq], env)
            database_file = PG_FILE
        _copy_uploads(upload_dir, partial / UPLOADS)
        manifest = {
            "format": FORMAT,
            "created_at": now.astimezone(UTC).isoformat(),
            "database": kind,
            "database_file": database_file,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def _read_manifest(backup_path: Path) -> dict[str, Any]:
    manifest_file = backup_path / MANIFEST
    if not manifest_file.is_file():
        raise BackupError(f"{backup_path} n'est pas une sauvegarde complète (pas de {MANIFEST})")
    data: dict[str, Any] = json.loads(manifest_file.read_text())
    if data.get("format") != FORMAT:
        raise BackupError(f"format de sauvegarde inconnu : {data.get('format')}")
    return data


def _sqlite_restore(source: Path, target: Path) -> None:
    """The backup API in reverse: one transaction on the target, so a running app sees the old or the new
    database, never a mix, and no file is swapped under its open connections."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        src.close()


def _restore_uploads(source: Path, upload_dir: Path) -> None:
    """Copies next to the destination first, then swaps, so a failed copy leaves the current files alone."""
    incoming = upload_dir.with_name(upload_dir.name + ".restoring")
    previous = upload_dir.with_name(upload_dir.name + ".previous")
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.rmtree(previous, ignore_errors=True)
    shutil.copytree(source, incoming, symlinks=False)
    if upload_dir.exists():
        upload_dir.rename(previous)
    incoming.rename(upload_dir)
    shutil.rmtree(previous, ignore_errors=True)


def restore(backup_path: Path, database_url: str, upload_dir: Path) -> None:
    """Replaces the database content and the uploads folder with those of a backup folder.

    The backup must come from the same kind of database (SQLite → SQLite, PostgreSQL → PostgreSQL); the
    target database must exist (for PostgreSQL, `createdb` it; its old objects are dropped and recreated).
    """
    manifest = _read_manifest(backup_path)
    url = _url(database_url)
    kind = _kind(url)
    if manifest["database"] != kind:
        raise BackupError(f"sauvegarde {manifest['database']} : ne peut pas être restaurée dans une base {kind}")
    database_file = backup_path / manifest["database_file"]
    if kind == "sqlite":
        _sqlite_restore(database_file, _sqlite_path(url))
    else:
        libpq, env = _pg_target(url)
        args = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*args, "-d", libpq, str(database_file)], env)
    _restore_uploads(backup_path / UPLOADS, upload_dir)
