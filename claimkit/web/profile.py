"""The student's profile page."""

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from claimkit.domain import identifiers as ids
from claimkit.domain import limits
from claimkit.domain.claims import PayoutMethod
from claimkit.domain.deadlines import local_today
from claimkit.domain.schemes import PARENT_INSURERS
from claimkit.services import ServiceError, printing, profiles, registrations
from claimkit.services.profiles import ProfileInput
from claimkit.web import registration
from claimkit.web.db import clock, db
from claimkit.web.errors import refused
from claimkit.web.responses import file_response
from claimkit.web.validators import LATIN_CODE, SafeForm, domain_check, latin_name, required_message

bp = Blueprint("profile", __name__, url_prefix="/profil")


def _rib_when_virement(form: "ProfileForm", field: StringField) -> None:
    if form.payout_method.data != PayoutMethod.VIREMENT and not (field.data or "").strip():
        return
    if message := ids.rib_problem(field.data or ""):
        raise ValidationError(_(message))


class ProfileForm(SafeForm):
    nom = StringField(
        _l("Nom (lettres latines, comme sur la CNIE)"),
        validators=[DataRequired(required_message), Length(max=limits.NAME_LENGTH), latin_name],
    )
    prenom = StringField(
        _l("Prénom"), validators=[DataRequired(required_message), Length(max=limits.NAME_LENGTH), latin_name]
    )
    nom_ar = StringField(_l("Nom en arabe (facultatif)"), validators=[Optional(), Length(max=limits.NAME_LENGTH)])
    prenom_ar = StringField(_l("Prénom en arabe (facultatif)"), validators=[Optional(), Length(max=limits.NAME_LENGTH)])
    cnie = StringField(
        _l("N° de CNIE (porté dans la case « N° d'immatriculation »)"),
        validators=[DataRequired(required_message), Length(max=limits.CODE_LENGTH), domain_check(ids.cnie_problem)],
        render_kw=LATIN_CODE,
    )
    massar = StringField(
        _l("CNE / code Massar"), validators=[Optional(), Length(max=limits.CODE_LENGTH)], render_kw=LATIN_CODE
    )
    date_naissance = DateField(
        _l("Date de naissance"),
        validators=[Optional()],
        render_kw={"autocomplete": "bday"},
    )
    etablissement = StringField(_l("Établissement"), validators=[Optional(), Length(max=limits.ESTABLISHMENT_LENGTH)])
    adresse = TextAreaField(_l("Adresse postale"), validators=[Optional(), Length(max=limits.ADDRESS_LENGTH)])
    telephone = TelField(
        _l("Téléphone"), validators=[Optional(), Length(max=limits.CODE_LENGTH), domain_check(ids.phone_problem)]
    )
    payout_method = RadioField(
        _l("Mode de remboursement"),
        choices=[
            SelectChoice(PayoutMethod.VIREMENT, _l("Virement sur mon compte (RIB)")),
            SelectChoice(PayoutMethod.MANDAT, _l("Mandat postal (Barid Al-Maghrib), sans compte bancaire")),
        ],
        default=PayoutMethod.MANDAT,
        validators=[DataRequired(_l("Choisissez le mode de remboursement."))],
    )
    rib = StringField(
        _l("RIB (24 chiffres) ou IBAN (MA…), espaces acceptés"),
        validators=[_rib_when_virement],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    other_coverage = BooleanField(_l("J'ai une autre couverture de base (parent CNOPS, CNSS, mutuelle…)"))
    # The optional insured parent (law 54-23): the assuré of the sheets once the student is their ayant droit.
    parent_nom_prenom = StringField(
        _l("Nom et prénom du parent (lettres latines)"),
        validators=[Optional(), Length(max=limits.PARENT_NAME_LENGTH), latin_name],
        render_kw={"dir": "ltr"},
    )
    parent_immatriculation = StringField(
        _l("N° d'immatriculation CNSS du parent"),
        validators=[Optional(), Length(max=limits.CODE_LENGTH), domain_check(ids.immatriculation_problem)],
        render_kw={**LATIN_CODE, "inputmode": "numeric", "autocomplete": "off"},
    )
    parent_cin = StringField(
        _l("N° de CIN du parent"),
        validators=[Optional(), Length(max=limits.CODE_LENGTH), domain_check(ids.cnie_problem)],
        render_kw=LATIN_CODE,
    )
    parent_insurer = SelectField(
        _l("Caisse du parent"),
        choices=[SelectChoice("", _l("— choisir —")), *(SelectChoice(k, _l(v)) for k, v in PARENT_INSURERS.items())],
        validators=[Optional()],
    )
    parent_adresse = TextAreaField(
        _l("Adresse du parent"), validators=[Optional(), Length(max=limits.ADDRESS_LENGTH)], render_kw={"dir": "auto"}
    )

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """The parent block's rules (a name and a CIN once anything of it is typed) are said next to each
        field with the form's other mistakes, not one per try after the rest is right."""
        valid = super().validate(extra_validators)
        for name, problem in profiles.parent_problems(_input(self)).items():
            field = self[name]
            if not field.errors:
                field.errors = [_(problem)]
                valid = False
        return valid


def _input(form: ProfileForm) -> ProfileInput:
    return ProfileInput(
        nom=form.nom.data or "",
        prenom=form.prenom.data or "",
        nom_ar=form.nom_ar.data or "",
        prenom_ar=form.prenom_ar.data or "",
        cnie=form.cnie.data or "",
        massar=form.massar.data or "",
        date_naissance=form.date_naissance.data,
        etablissement=form.etablissement.data or "",
        adresse=form.adresse.data or "",
        telephone=form.telephone.data or "",
        payout_method=form.payout_method.data or "",
        rib=form.rib.data or "",
        other_coverage=bool(form.other_coverage.data),
        parent_nom_prenom=form.parent_nom_prenom.data or "",
        parent_immatriculation=form.parent_immatriculation.data or "",
        parent_cin=form.parent_cin.data or "",
        parent_insurer=form.parent_insurer.data or "",
        parent_adresse=form.parent_adresse.data or "",
    )


def _traditional() -> bool:
    row = registrations.get(db(), current_user.id)
    return bool(row and row.traditional_final_cycle)


@bp.route("/", methods=["GET", "POST"])
@login_required
def edit() -> str | Response:
    profile = profiles.get_profile(db(), current_user.id)
    form = ProfileForm(obj=profile)
    if form.validate_on_submit():
        try:
            profile = profiles.save_profile(db(), clock(), current_user.id, _input(form))
        except ServiceError as error:
            form.form_errors.append(refused(error))
        else:
            flash(_("Profil enregistré."))
            for warning in profiles.profile_warnings(profile, local_today(clock()()), _traditional()):
                flash(_(warning), "warning")
            return redirect(url_for("profile.edit"))
    db().rollback()  # a refused form leaves nothing behind, not even the guard's version bump or key
    profile = profiles.get_profile(db(), current_user.id)
    if profile is not None and form.rib.data:
        form.rib.data = ids.format_rib(form.rib.data) if len(form.rib.data) == ids.RIB_LENGTH else form.rib.data
    today = local_today(clock()())
    warnings = profiles.profile_warnings(profile, today, _traditional()) if profile and not form.errors else []
    version = profile.version if profile else 0  # 0: drawn before the first save (services/guards.py)
    return render_template(
        "profile/edit.html",
        form=form,
        warnings=warnings,
        version=version,
        offset=printing.offset(db(), current_user.id),
        **registration.block_context(),
    )


@bp.post("/impression")
@login_required
def print_offset() -> Response:
    """The printer offset measured on the calibration page; a value out of ±15 mm keeps the saved one."""
    try:
        printing.set_offset(db(), current_user.id, request.form.get("offset_x", ""), request.form.get("offset_y", ""))
    except ServiceError as error:
        flash(refused(error), "warning")
    else:
        flash(_("Décalage d'impression enregistré."))
    return redirect(url_for("profile.edit") + "#impression")


@bp.get("/calibrage.pdf")
@login_required
def calibration() -> Response:
    content = printing.calibration_pdf(db(), current_user.id)
    return file_response(content, "application/pdf", "calibrage-imprimante.pdf", inline=True)
