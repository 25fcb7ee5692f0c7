"""Files a student owns (uploaded photos), kept outside the static folder under random names, one folder
per student so that deleting an account removes them all."""

import secrets
import shutil
from pathlib import Path


def user_dir(root: Path, user_id: int) -> Path:
    return root / f"user-{user_id}"


def save(root: Path, user_id: int, data: bytes, suffix: str) -> Path:
    folder = user_dir(root, user_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(16)}{suffix}"
    path.write_bytes(data)
    return path


def files_of(root: Path, user_id: int) -> list[Path]:
    folder = user_dir(root, user_id)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def delete_all(root: Path, user_id: int) -> None:
    shutil.rmtree(user_dir(root, user_id), ignore_errors=True)


def path_of(root: Path, user_id: int, name: str) -> Path:
    """A stored file by its random name; a name with a path in it is refused (it comes from the database, but a
    tampered row must not reach outside the student's folder)."""
    if not name or Path(name).name != name or name.startswith("."):
        raise ValueError(f"not a stored file name: {name!r}")
    return user_dir(root, user_id) / name


def remove(root: Path, user_id: int, name: str) -> None:
    path_of(root, user_id, name).unlink(missing_ok=True)
