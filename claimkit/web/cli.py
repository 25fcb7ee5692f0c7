"""Command-line entry points (`flask --app claimkit.web:create_app …`)."""

import click
from flask import Flask, current_app

from claimkit.adapters.db import migrate


@click.command("db-upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations to DATABASE_URL (an embedded SQLite file by default)."""
    migrate.upgrade(current_app.config["DATABASE_URL"])
    click.echo("Base de données à jour.")


def init_app(app: Flask) -> None:
    app.cli.add_command(db_upgrade)
