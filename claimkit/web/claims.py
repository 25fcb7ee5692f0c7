"""Claim pages: create, the claim page with its quick-add forms, the checklist and the lifecycle actions."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from claimkit.domain.claims import Act, ActType, MedicineLine
from claimkit.domain.deadlines import local_today
from claimkit.services import ServiceError, claims, packets, tracking
from claimkit.services.ownership import NotFound
from claimkit.web.claim_forms import (
    ActForm,
    DetailsForm,
    MedicineForm,
    NewClaimForm,
    PaymentForm,
    ReceivedForm,
    RejectForm,
    ResubmitForm,
    SendForm,
)
from claimkit.web.db import clock, db
from claimkit.web.responses import file_response

bp = Blueprint("claims", __name__, url_prefix="/dossiers")
# The specification's English path to the packet, kept as an alias of /dossiers/<id>/packet.pdf.
english = Blueprint("claims_en", __name__, url_prefix="/claims")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every claim page needs a signed-in student (login_required applied once for the blueprint)."""


def _run(action: Callable[[], Any], success: str, claim_id: int, anchor: str = "") -> BaseResponse:
    """Calls a service; a refusal is shown in French and nothing saved is lost."""
    try:
        action()
    except NotFound:
        abort(404)
    except ServiceError as error:
        flash(_(error.message), "warning")
    else:
        flash(success)
    return redirect(url_for("claims.show", claim_id=claim_id) + anchor)


def _form_errors(form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "warning")


@bp.route("/nouveau", methods=["GET", "POST"])
def new() -> str | BaseResponse:
    form = NewClaimForm()
    if form.validate_on_submit():
        try:
            claim = claims.create_claim(db(), clock(), current_user.id, form.kind.data, form.label.data or "")
        except ServiceError as error:
            form.form_errors.append(_(error.message))
        else:
            return redirect(url_for("claims.show", claim_id=claim.id))
    return render_template("claims/new.html", form=form)


@bp.get("/<int:claim_id>")
def show(claim_id: int) -> str:
    try:
        page = claims.claim_view(db(), clock(), current_user.id, claim_id)
    except NotFound:
        abort(404)
    act_form = ActForm(formdata=None)
    act_form.performed_on.data = local_today(clock()())
    if last := claims.last_practitioner(db(), current_user.id):
        act_form.practitioner.data, act_form.inpe.data = last
    details = DetailsForm(formdata=None, obj=page.row)
    send_form = SendForm(formdata=None)
    send_form.sent_on.data = local_today(clock()())
    return render_template(
        "claims/show.html",
        page=page,
        act_form=act_form,
        medicine_form=MedicineForm(formdata=None),
        details_form=details,
        send_form=send_form,
        tracking_forms=_tracking_forms(),
    )


def _tracking_forms() -> dict[str, Any]:
    today = local_today(clock()())
    forms: dict[str, Any] = {
        "received": ReceivedForm(formdata=None),
        "payment": PaymentForm(formdata=None),
        "reject": RejectForm(formdata=None),
        "resubmit": ResubmitForm(formdata=None),
    }
    forms["received"].received_on.data = forms["payment"].paid_on.data = today
    forms["reject"].rejected_on.data = forms["resubmit"].resubmitted_on.data = today
    return forms


@bp.post("/<int:claim_id>/actes")
def add_act(claim_id: int) -> BaseResponse:
    form = ActForm()
    if not form.validate():
        _form_errors(form)
        return redirect(url_for("claims.show", claim_id=claim_id) + "#acte")
    data = Act(
        form.performed_on.data,
        ActType(form.type.data),
        form.amount.data or Decimal(0),
        form.practitioner.data or "",
        form.inpe.data or "",
    )
    return _run(lambda: claims.add_act(db(), clock(), current_user.id, claim_id, data), _("Acte ajouté."), claim_id)


@bp.post("/<int:claim_id>/actes/<int:act_id>/supprimer")
def remove_act(claim_id: int, act_id: int) -> BaseResponse:
    return _run(
        lambda: claims.remove_act(db(), clock(), current_user.id, claim_id, act_id), _("Acte supprimé."), claim_id
    )


@bp.post("/<int:claim_id>/medicaments")
def add_medicine(claim_id: int) -> BaseResponse:
    form = MedicineForm()
    if not form.validate():
        _form_errors(form)
        return redirect(url_for("claims.show", claim_id=claim_id) + "#medicament")
    data = MedicineLine(
        form.name.data, form.quantity.data, (form.ean13.data or "").replace(" ", ""), form.ppv.data, form.pbr.data
    )
    return _run(
        lambda: claims.add_medicine(db(), clock(), current_user.id, claim_id, data), _("Médicament ajouté."), claim_id
    )


@bp.post("/<int:claim_id>/medicaments/<int:line_id>/supprimer")
def remove_medicine(claim_id: int, line_id: int) -> BaseResponse:
    return _run(
        lambda: claims.remove_medicine(db(), clock(), current_user.id, claim_id, line_id),
        _("Médicament supprimé."),
        claim_id,
    )


@bp.post("/<int:claim_id>/details")
def update_details(claim_id: int) -> BaseResponse:
    form = DetailsForm()
    if not form.validate():
        _form_errors(form)
        return redirect(url_for("claims.show", claim_id=claim_id) + "#details")
    data = claims.DetailsInput(
        label=form.label.data or "",
        treatment_start=form.treatment_start.data,
        treatment_end=form.treatment_end.data,
        ald_code=form.ald_code.data or "",
        ald_accord=form.ald_accord.data or "",
        ald_exoneration=bool(form.ald_exoneration.data),
        ald_private_sector=bool(form.ald_private_sector.data),
        accident_date=form.accident_date.data,
        accident_circumstances=form.accident_circumstances.data or "",
        third_party_liable=bool(form.third_party_liable.data),
    )
    return _run(
        lambda: claims.update_details(db(), clock(), current_user.id, claim_id, data),
        _("Informations enregistrées."),
        claim_id,
    )


@bp.post("/<int:claim_id>/pieces")
def tick(claim_id: int) -> BaseResponse:
    keys = set(request.form.getlist("piece"))
    return _run(
        lambda: claims.set_ticks(db(), clock(), current_user.id, claim_id, keys),
        _("Pièces enregistrées."),
        claim_id,
        "#pieces",
    )


@bp.post("/<int:claim_id>/envoyer")
def send(claim_id: int) -> BaseResponse:
    form = SendForm()
    if not form.validate():
        _form_errors(form)
        return redirect(url_for("claims.show", claim_id=claim_id) + "#etat")
    return _run(
        lambda: claims.mark_sent(
            db(), clock(), current_user.id, claim_id, form.sent_on.data, form.recommande_number.data or ""
        ),
        _("Dossier marqué envoyé. Gardez le reçu du recommandé."),
        claim_id,
    )


def _tracking(claim_id: int, form: Any, action: Callable[[Any], Any], success: str) -> BaseResponse:
    if not form.validate():
        _form_errors(form)
        return redirect(url_for("claims.show", claim_id=claim_id) + "#suivi")
    return _run(lambda: action(form), success, claim_id, "#suivi")


@bp.post("/<int:claim_id>/recu")
def received(claim_id: int) -> BaseResponse:
    return _tracking(
        claim_id,
        ReceivedForm(),
        lambda f: tracking.mark_received(db(), clock(), current_user.id, claim_id, f.received_on.data),
        _("Dossier marqué reçu par la CNOPS."),
    )


@bp.post("/<int:claim_id>/paiement")
def payment(claim_id: int) -> BaseResponse:
    def record(form: PaymentForm) -> None:
        data = tracking.PaymentInput(
            form.paid_on.data, form.paid_amount.data or Decimal(0), form.method.data, form.reference.data or ""
        )
        tracking.record_payment(db(), clock(), current_user.id, claim_id, data)

    return _tracking(claim_id, PaymentForm(), record, _("Remboursement enregistré."))


@bp.post("/<int:claim_id>/rejet")
def rejected(claim_id: int) -> BaseResponse:
    def record(form: RejectForm) -> None:
        tracking.reject(db(), clock(), current_user.id, claim_id, form.rejected_on.data, form.reason.data)

    return _tracking(
        claim_id, RejectForm(), record, _("Rejet enregistré. Vous pouvez recopier le dossier pour le corriger.")
    )


@bp.post("/<int:claim_id>/resoumission")
def resubmitted(claim_id: int) -> BaseResponse:
    return _tracking(
        claim_id,
        ResubmitForm(),
        lambda f: tracking.resubmit(
            db(), clock(), current_user.id, claim_id, f.resubmitted_on.data, f.recommande.data or ""
        ),
        _("Nouvel envoi enregistré."),
    )


@bp.post("/<int:claim_id>/copie")
def copy(claim_id: int) -> BaseResponse:
    try:
        new_claim = tracking.copy_as_draft(db(), clock(), current_user.id, claim_id)
    except NotFound:
        abort(404)
    except ServiceError as error:
        flash(_(error.message), "warning")
        return redirect(url_for("claims.show", claim_id=claim_id))
    flash(_("Nouveau brouillon créé à partir du dossier rejeté."))
    return redirect(url_for("claims.show", claim_id=new_claim.id))


@bp.get("/<int:claim_id>/packet.pdf")
def packet(claim_id: int) -> Response:
    try:
        content = packets.packet(db(), clock(), current_user.id, claim_id, Path(current_app.config["UPLOAD_DIR"]))
    except NotFound:
        abort(404)
    return file_response(content, "application/pdf", f"dossier-amoe-{claim_id}.pdf", inline=True)


@bp.get("/<int:claim_id>/feuilles/<form_name>.pdf")
def fillable(claim_id: int, form_name: str) -> Response:
    try:
        content = packets.fillable_form(db(), clock(), current_user.id, claim_id, form_name)
    except NotFound:
        abort(404)
    return file_response(content, "application/pdf", f"{form_name}-{claim_id}.pdf", inline=True)


@bp.post("/<int:claim_id>/supprimer")
def delete(claim_id: int) -> BaseResponse:
    try:
        claims.delete_claim(db(), current_user.id, claim_id)
    except NotFound:
        abort(404)
    flash(_("Dossier supprimé."))
    return redirect(url_for("main.home"))


@english.get("/<int:claim_id>/packet.pdf")
@login_required
def packet_en(claim_id: int) -> Response:
    return packet(claim_id)
