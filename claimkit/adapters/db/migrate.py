"""Alembic driven from code, so `flask db-upgrade`, the tests and the CLI share one configuration."""

from alembic import command
from alembic.config import Config

from claimkit.adapters.package_data import package_path

MIGRATIONS = package_path("adapters", "db", "migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
