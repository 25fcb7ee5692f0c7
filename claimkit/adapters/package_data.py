"""The package's own data folders (templates, static files, translations, form templates, bundled data, migrations),
found through importlib.resources: an installed wheel reads them where pip put the package, never beside a
checkout (tests/integration/test_wheel.py)."""

from importlib import resources
from pathlib import Path


def package_path(*parts: str) -> Path:
    """A folder or file inside the claimkit package, as a path on disk. Flask, Jinja, Babel and Alembic want real
    paths; pip installs the package unzipped, so the resource is a directory entry and `str()` is its path."""
    resource = resources.files("claimkit")
    for part in parts:
        resource = resource.joinpath(part)
    return Path(str(resource))
