"""The profile's « Immatriculation et droits » block (issue 15): the status as the CNOPS's page words it, the
dates that decide the rights, and the attestation d'immatriculation kept as a file.

Its own form, posted to its own URL: the identity form above it keeps its own errors. When this form has errors
it is drawn again alone on /profil/immatriculation with what was typed, so nothing typed is lost.
"""

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse
from wtforms import BooleanField, DateField, FileField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from claimkit.adapters.db.models import Registration
from claimkit.domain import limits
from claimkit.domain.deadlines import local_today
from claimkit.domain.registration import STATUS_LABELS
from claimkit.services import ServiceError, registrations
from claimkit.services.registrations import StatusInput
from claimkit.web.db import clock, db
from claimkit.web.errors import refused
from claimkit.web.filters import lazy_size
from claimkit.web.responses import file_response
from claimkit.web.validators import SafeForm

bp = Blueprint("registration", __name__, url_prefix="/profil/immatriculation")


@bp.before_request
@login_required
def _signed_in() -> None:
    """The status and the attestation are the signed-in student's only: no URL carries an id."""


def _not_future(_form: SafeForm, field: DateField) -> None:
    if field.data and field.data > local_today(clock()()):
        raise ValidationError(_(registrations.FUTURE_DATE))


class StatusForm(SafeForm):
    status = RadioField(
        _l("Statut de ma demande d'immatriculation (tel que l'affiche le site de la CNOPS)"),
        choices=[
            SelectChoice("", _l("Je ne sais pas encore")),
            *(SelectChoice(str(key), _l(label)) for key, label in STATUS_LABELS.items()),
        ],
        default="",
        validators=[Optional()],
    )
    attestation = FileField(
        _l(
            "Attestation d'immatriculation (PDF, JPEG ou PNG, %(size)s au plus)",
            size=lazy_size(limits.ATTESTATION_BYTES),
        ),
        render_kw={"accept": "application/pdf,image/jpeg,image/png"},
    )
    traditional_final_cycle = BooleanField(_l("Je suis au cycle terminal de l'enseignement traditionnel"))
    cnops_letter_on = DateField(
        _l("Lettre recommandée de la CNOPS (changement de statut) datée du"), validators=[Optional(), _not_future]
    )
    studies_interrupted_on = DateField(_l("Études interrompues depuis le"), validators=[Optional(), _not_future])


def _root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def status_form(row: Registration | None) -> StatusForm:
    """The block's form drawn from the saved row (the profile page shows it under the identity form)."""
    form = StatusForm(formdata=None, obj=row)
    form.status.data = row.status if row else ""
    return form


def block_context() -> dict[str, object]:
    """What the profile page needs to draw the block."""
    row = registrations.get(db(), current_user.id)
    return {"status_form": status_form(row), "registration": row}


def _save(form: StatusForm) -> None:
    """The file first: a refused file leaves the status as it was, and the page says the form was not saved."""
    upload = request.files.get(form.attestation.name)
    if upload is not None and upload.filename:
        registrations.save_attestation(db(), clock(), current_user.id, upload.read(), _root())
        flash(_("Attestation d'immatriculation gardée."))
    data = StatusInput(
        status=form.status.data or "",
        traditional_final_cycle=bool(form.traditional_final_cycle.data),
        cnops_letter_on=form.cnops_letter_on.data,
        studies_interrupted_on=form.studies_interrupted_on.data,
    )
    registrations.save_status(db(), clock(), current_user.id, data)


@bp.route("/", methods=["GET", "POST"])
def edit() -> str | BaseResponse:
    form = StatusForm()
    if not form.is_submitted():
        return redirect(url_for("profile.edit") + "#immatriculation")
    if form.validate():
        try:
            _save(form)
        except ServiceError as error:
            form.form_errors.append(refused(error))
        else:
            flash(_("Situation enregistrée."))
            return redirect(url_for("profile.edit") + "#immatriculation")
    row = registrations.get(db(), current_user.id)
    return render_template("profile/registration.html", status_form=form, registration=row)


@bp.get("/attestation")
def attestation() -> BaseResponse:
    found = registrations.attestation_file(db(), current_user.id, _root())  # NotFound: 404 (web/errors.py)
    return file_response(found.path.read_bytes(), found.content_type, found.download_name)


@bp.post("/attestation/supprimer")
def remove_attestation() -> BaseResponse:
    registrations.remove_attestation(db(), clock(), current_user.id, _root())
    flash(_("Attestation supprimée."))
    return redirect(url_for("profile.edit") + "#immatriculation")
