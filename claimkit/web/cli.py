"""Command-line entry points (`flask --app claimkit.web:create_app …`)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.orm import Session

from claimkit.adapters import backup as backup_adapter
from claimkit.adapters import l10n, mailer
from claimkit.adapters.db import migrate, pass_lock, reference, revisions
from claimkit.adapters.official_forms import SheetRefused
from claimkit.domain.languages import SOURCE
from claimkit.domain.sheets import SheetKind
from claimkit.services import (
    ServiceError,
    account_mails,
    claims,
    official_sheets,
    reference_file,
    reminders,
    schemes,
)
from claimkit.services import medicines as medicine_service
from claimkit.services import scheme_notices as notice_service
from claimkit.web.deps import deps

forms_cli = AppGroup("forms", help="Feuilles officielles des organismes (datées, par organisme et par type).")
medicines_cli = AppGroup("medicines", help="Référentiel des médicaments (nom, PPV, PBR par code-barres).")


def _session() -> Session:
    return deps().sessions()


@click.command("db-upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply the migrations, then load the reference data a new install needs (medicines snapshot)."""
    migrate.upgrade(current_app.config["DATABASE_URL"])
    with _session() as db:
        reference.seed_defaults(db)
        report = medicine_service.seed_snapshot(db)
        filled = claims.backfill_summaries(db, deps().clock)
    click.echo("Base de données à jour.")
    _summaries_recomputed(filled)
    if report:
        click.echo(f"Référentiel des médicaments chargé : {report.added} produits.")


@medicines_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), help="Date des prix (défaut : aujourd'hui).")
@click.option("--source", default="", help="Origine de la liste (ex. « liste officielle du ministère, juin 2027 »).")
def import_medicines(csv_file: Path, as_of: datetime | None, source: str) -> None:
    """Upsert a price list (same columns as data/medicines_ma.csv); bad rows are refused, not fatal."""
    day = as_of.date() if as_of else deps().clock().date()
    try:
        with _session() as db:
            report = medicine_service.import_reference(
                db, medicine_service.read_csv(csv_file), day, source or csv_file.name
            )
    except ServiceError as error:
        raise click.ClickException(l10n.render(error.as_message, SOURCE)) from None
    for problem in report.refused:
        click.echo(f"ligne {problem.line} refusée : {l10n.render(problem.reason, SOURCE)}", err=True)
    click.echo(
        f"ajoutés : {report.added}, mis à jour : {report.updated}, inchangés : {report.unchanged}, "
        f"refusés : {len(report.refused)}"
    )


def _summaries_recomputed(filled: int) -> None:
    """The stored dashboard figures are recomputed at once after a change of rules, not on every dashboard view."""
    if filled:
        click.echo(f"Chiffres du tableau de bord calculés pour {filled} dossiers.")


scheme_cli = AppGroup("scheme", help="Loi 54-23 : date de bascule de l'AMO-E vers la CNSS, avis aux étudiants.")
reference_cli = AppGroup("reference", help="Données de référence datées (assureur, taux, tarifs).")


@scheme_cli.command("cutover")
@click.argument("day", required=False, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--source", default="", help="Texte qui fixe la date (ex. « décret n° …, BO du … »).")
@click.option("--unset", is_flag=True, help="Retirer la date (tout redevient AMO-E / CNOPS).")
def scheme_cutover(day: datetime | None, source: str, unset: bool) -> None:
    """Set law 54-23's cut-over day (care from that day on falls under the CNSS schemes)."""
    if day is None and not unset:
        raise click.UsageError("Donnez la date (AAAA-MM-JJ) ou --unset.")
    with _session() as db:
        schemes.set_cutover(db, deps().clock, None if unset else day and day.date(), source)
        current = schemes.cutover(db)
        filled = claims.backfill_summaries(db, deps().clock)
    click.echo(f"Date de bascule (loi 54-23) : {current.isoformat() if current else 'non fixée'}")
    _summaries_recomputed(filled)


@scheme_cli.command("show")
def scheme_show() -> None:
    """Print the cut-over day, or that it is not fixed yet."""
    with _session() as db:
        current = schemes.cutover(db)
    click.echo(f"Date de bascule (loi 54-23) : {current.isoformat() if current else 'non fixée'}")


def _notify_pass() -> int | None:
    """The law 54-23 notice of the current phase to every student not told yet, under its own pass lock (two
    schedulers never email the same student twice); None when another process is doing it right now."""
    app = current_app
    with pass_lock.exclusive(deps(app).engine, "scheme-notices") as mine:
        if not mine:
            return None
        with _session() as db:
            return notice_service.send_notices(db, deps(app).clock, deps(app).mailer, sender_settings())


@scheme_cli.command("notify")
def scheme_notify() -> None:
    """Email each student the law 54-23 notice of the current phase, once (safe to run again; the scheduler
    runs it on every pass too)."""
    sent = _notify_pass()
    click.echo("passage sauté : un autre processus envoie les avis" if sent is None else f"avis envoyés : {sent}")


@reference_cli.command("load")
@click.argument("json_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def reference_load(json_file: Path) -> None:
    """Add the dated insurer, rate and tariff rows of a JSON file (e.g. claimkit/data/cnss_54_23.json)."""
    try:
        with _session() as db:
            report = reference_file.load(db, reference_file.read(json_file))
            filled = claims.backfill_summaries(db, deps().clock)
    except ServiceError as error:
        raise click.ClickException(l10n.render(error.as_message, SOURCE)) from None
    click.echo(f"lignes ajoutées : {report.added}, déjà présentes : {report.unchanged}")
    _summaries_recomputed(filled)


@forms_cli.command("add-official")
@click.argument("pdf_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", required=True, type=click.Choice([k.value for k in SheetKind]), help="Type de feuille.")
@click.option("--insurer", required=True, help="Organisme (ex. CNOPS, CNSS).")
@click.option("--valid-from", "valid_from", required=True, type=click.DateTime(["%Y-%m-%d"]), help="AAAA-MM-JJ")
@click.option("--valid-to", "valid_to", type=click.DateTime(["%Y-%m-%d"]), help="AAAA-MM-JJ (défaut : sans fin)")
@click.option("--source", default="", help="Origine (ex. « cnops.org.ma, téléchargée le 2026-12-01 »).")
def add_official(
    pdf_file: Path, kind: str, insurer: str, valid_from: datetime, valid_to: datetime | None, source: str
) -> None:
    """Load an insurer's blank sheet: the packets of claims cared for from VALID_FROM carry it, filled."""
    try:
        with _session() as db:
            loaded = official_sheets.add_official(
                db,
                deps().clock,
                Path(current_app.config["UPLOAD_DIR"]),
                pdf_file.read_bytes(),
                kind=SheetKind(kind),
                insurer=insurer,
                valid_from=valid_from.date(),
                valid_to=valid_to.date() if valid_to else None,
                filename=pdf_file.name,
                source=source,
            )
    except SheetRefused as error:
        raise click.ClickException(error.text(SOURCE)) from None
    click.echo(f"Feuille {kind} {insurer.upper()} chargée (n° {loaded.sheet_id}), en vigueur au {valid_from:%Y-%m-%d}.")
    click.echo(f"Étiquettes trouvées : {', '.join(loaded.labels) or 'aucune'}")
    if loaded.missing:
        click.echo(f"Étiquettes introuvables (à écrire à la main) : {', '.join(loaded.missing)}", err=True)


def sender_settings() -> reminders.SenderSettings:
    config = current_app.config
    lease = timedelta(seconds=float(config.get("REMINDER_LEASE_SECONDS", 300)))
    return reminders.SenderSettings(config["SECRET_KEY"], deps().links, config["MAIL_FROM"], lease)


def send_pass() -> reminders.PassReport | None:
    """One pass under the pass lock (docs/deployment.md: one or more schedulers); None when another scheduler,
    on this machine or another, is running it right now."""
    app = current_app
    with pass_lock.exclusive(deps(app).engine, "reminders") as mine:
        if not mine:
            return None
        return reminders.send_due(
            deps(app).sessions,
            deps(app).clock,
            deps(app).mailer,
            sender_settings(),
        )


def _summary(report: reminders.PassReport | None) -> str:
    if report is None:
        return "passage sauté : un autre planificateur est en train de le faire"
    return (
        f"envoyés : {report.sent}, à réessayer : {report.retried}, échoués : {report.failed}, "
        f"ignorés : {report.skipped}"
    )


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """One pass over the outbox: due reminders and account mails (safe to run from cron or several processes)."""
    click.echo(_summary(send_pass()))


@click.command("mail-links")
@with_appcontext
@click.option("--count", default=5, show_default=True, help="Nombre de courriels, du plus récent au plus ancien.")
def mail_links(count: int) -> None:
    """Development: the newest mails of the outbox folder (MAIL_OUTBOX_DIR) with their links, e.g. the link that
    finishes a sign-up (`make run` writes mails there instead of sending them)."""
    folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
    mails = mailer.latest_mails(folder, count)
    if not mails:
        click.echo(f"Aucun courriel dans {folder} (le planificateur les écrit en quelques secondes).")
    for to, subject, links in mails:
        click.echo(f"{to} — {subject}")
        for link in links:
            click.echo(f"    {link}")


def _purge_pass() -> int:
    """Claims in the corbeille for more than 30 days go for good, with their photos; so do the outbox's account
    mails a week old (they hold addresses typed by anyone)."""
    app = current_app
    with deps(app).sessions() as db:
        clock = deps(app).clock
        account_mails.purge(db, clock())
        return claims.purge_deleted(db, clock, Path(app.config["UPLOAD_DIR"]))


@click.command("purge-trash")
@with_appcontext
def purge_trash() -> None:
    """One pass over the corbeille (the scheduler runs it every minute too)."""
    click.echo(f"dossiers effacés : {_purge_pass()}")


@click.command("run-scheduler")
@with_appcontext
@click.option("--interval", default=60.0, show_default=True, help="Secondes entre deux passages.")
@click.option(
    "--mail-interval",
    default=5.0,
    show_default=True,
    help="Secondes entre deux envois de la boîte d'envoi (courriels d'inscription et de mot de passe).",
)
@click.option("--passes", default=0, show_default=True, help="S'arrêter après ce nombre de passages (0 : jamais).")
@click.option("--verbose", is_flag=True, help="Afficher le résultat de chaque passage.")
def run_scheduler(interval: float, mail_interval: float, passes: int, verbose: bool) -> None:
    """Runs the reminder pass every minute in this process (never inside the web workers), with the corbeille
    purge and the law 54-23 notices; the outbox is also sent every few seconds, as a student waits for the
    sign-up or reset mail that the page only queued. Several schedulers
    (one per machine) may run at once: a pass lock lets one of them work at a time."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    scheduler = BlockingScheduler(timezone="UTC")
    done = 0

    def job() -> None:
        nonlocal done
        with app.app_context():
            summary = _summary(send_pass())
            _purge_pass()
            _notify_pass()
        done += 1
        if verbose:
            click.echo(f"passage {done} à {datetime.now(UTC):%H:%M:%S.%f} : {summary}")
        if passes and done >= passes and scheduler.running:
            scheduler.shutdown(wait=False)

    click.echo(f"Planificateur démarré : rappels toutes les {interval:g} s.")
    job()
    # The first interval counts from now (next_run_time=None would add the job paused: it never ran again).
    scheduler.add_job(job, "interval", seconds=interval, max_instances=1, coalesce=True)

    def mail_job() -> None:
        with app.app_context():
            send_pass()

    if mail_interval < interval:
        scheduler.add_job(mail_job, "interval", seconds=mail_interval, max_instances=1, coalesce=True)
    if not passes or done < passes:
        scheduler.start()


@click.command("backup")
@with_appcontext
@click.option(
    "--to",
    "target",
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier cible (défaut : instance/backups).",
)
def backup_command(target: Path | None) -> None:
    """Consistent online copy of the database and the uploads, safe while the site keeps running."""
    app = current_app
    target_dir = target or Path(app.instance_path) / "backups"
    try:
        path = backup_adapter.backup(
            app.config["DATABASE_URL"], Path(app.config["UPLOAD_DIR"]), target_dir, deps(app).clock()
        )
    except backup_adapter.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Sauvegarde écrite : {path}")


@click.command("restore")
@with_appcontext
@click.argument("backup_path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
def restore_command(backup_path: Path, yes: bool) -> None:
    """Replaces the database and the uploads with a backup folder (stop the web workers first)."""
    app = current_app
    if not yes:
        click.confirm("Remplacer la base de données et les fichiers actuels par cette sauvegarde ?", abort=True)
    deps(app).engine.dispose()  # no pooled connection keeps a view of the old content
    try:
        backup_adapter.restore(backup_path, app.config["DATABASE_URL"], Path(app.config["UPLOAD_DIR"]))
    except backup_adapter.BackupError as error:
        raise click.ClickException(str(error)) from None
    with deps(app).sessions() as db:  # the packets' ETags must not name older content again
        revisions.new_epoch(db)
    click.echo(f"Sauvegarde restaurée : {backup_path}")


def init_app(app: Flask) -> None:
    app.cli.add_command(send_reminders)
    app.cli.add_command(mail_links)
    app.cli.add_command(run_scheduler)
    app.cli.add_command(purge_trash)
    app.cli.add_command(db_upgrade)
    app.cli.add_command(medicines_cli)
    app.cli.add_command(scheme_cli)
    app.cli.add_command(reference_cli)
    app.cli.add_command(forms_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
