"""Command-line entry points (`flask --app claimkit.web:create_app …`)."""

from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from claimkit.adapters.db import migrate
from claimkit.services import ServiceError, reference
from claimkit.services import medicines as medicine_service

medicines_cli = AppGroup("medicines", help="Référentiel des médicaments (nom, PPV, PBR par code-barres).")


def _session() -> Session:
    session: Session = current_app.extensions["claimkit.sessions"]()
    return session


@click.command("db-upgrade")
def db_upgrade() -> None:
    """Apply the migrations, then load the reference data a new install needs (medicines snapshot)."""
    migrate.upgrade(current_app.config["DATABASE_URL"])
    with _session() as db:
        reference.seed_defaults(db)
        report = medicine_service.seed_snapshot(db)
    click.echo("Base de données à jour.")
    if report:
        click.echo(f"Référentiel des médicaments chargé : {report.added} produits.")


@medicines_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), help="Date des prix (défaut : aujourd'hui).")
@click.option("--source", default="", help="Origine de la liste (ex. « liste officielle du ministère, juin 2027 »).")
def import_medicines(csv_file: Path, as_of: datetime | None, source: str) -> None:
    """Upsert a price list (same columns as data/medicines_ma.csv); bad rows are refused, not fatal."""
    day = as_of.date() if as_of else current_app.extensions["claimkit.clock"]().date()
    try:
        with _session() as db:
            report = medicine_service.import_reference(
                db, medicine_service.read_csv(csv_file), day, source or csv_file.name
            )
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    for problem in report.refused:
        click.echo(f"ligne {problem.line} refusée : {problem.reason}", err=True)
    click.echo(
        f"ajoutés : {report.added}, mis à jour : {report.updated}, inchangés : {report.unchanged}, "
        f"refusés : {len(report.refused)}"
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(db_upgrade)
    app.cli.add_command(medicines_cli)
