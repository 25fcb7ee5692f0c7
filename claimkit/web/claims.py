"""Claim pages: create, the claim page with its quick-add forms, the checklist and the lifecycle actions."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from claimkit.domain import identifiers as ids
from claimkit.domain.claims import ACT_LABELS, KIND_LABELS, Act, ActType, MedicineLine
from claimkit.domain.consistency import default_act_type
from claimkit.domain.deadlines import local_today
from claimkit.services import (
    ServiceError,
    claims,
    packet_cache,
    packets,
    printing,
    reference,
    registrations,
    tracking,
)
from claimkit.web.claim_forms import (
    ActForm,
    DetailsForm,
    MedicineForm,
    NewClaimForm,
    PaymentEditForm,
    PaymentForm,
    ReceivedForm,
    RejectForm,
    ResubmitForm,
    SendForm,
)
from claimkit.web.db import clock, db
from claimkit.web.errors import refused
from claimkit.web.guard import wants_json
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
    except ServiceError as error:
        flash(refused(error), "warning")
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
            form.form_errors.append(refused(error))
        else:
            return redirect(url_for("claims.show", claim_id=claim.id))
    return render_template("claims/new.html", form=form, **registrations.before_claim_context(db(), current_user.id))


@bp.get("/<int:claim_id>")
def show(claim_id: int) -> str:
    page = claims.claim_view(db(), clock(), current_user.id, claim_id)
    act_form = ActForm(formdata=None)
    act_form.performed_on.data = local_today(clock()())
    act_form.type.data = default_act_type(page.facts.kind).value
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
        practitioners=claims.known_practitioners(db(), current_user.id),
        insurer=reference.insurer_on(db(), page.row.sent_on or local_today(clock()())),
        has_sheet=printing.has_sheet(db(), clock(), _uploads(), current_user.id, claim_id),
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


def _act_data(form: ActForm) -> Act:
    """The typed act; a wrong-shape INPE is kept (the cachet may say so) but flagged."""
    inpe, ice = form.inpe.data or "", form.ice.data or ""
    for value, check in ((inpe, ids.inpe_warning), (ice, ids.ice_problem)):
        if value and (warning := check(value)):
            flash(_(warning), "warning")
    return Act(
        form.performed_on.data,
        ActType(form.type.data),
        form.amount.data or Decimal(0),
        form.practitioner.data or "",
        inpe,
        form.dentist_if.data or "",
        form.ice.data or "",
        form.entente.data or "",
    )


@bp.post("/<int:claim_id>/actes")
def add_act(claim_id: int) -> BaseResponse:
    form = ActForm()
    if not form.validate():
        _form_errors(form)
        return redirect(url_for("claims.show", claim_id=claim_id) + "#acte")
    data = _act_data(form)
    return _run(lambda: claims.add_act(db(), clock(), current_user.id, claim_id, data), _("Acte ajouté."), claim_id)


@bp.route("/<int:claim_id>/actes/<int:act_id>/modifier", methods=["GET", "POST"])
def edit_act(claim_id: int, act_id: int) -> str | BaseResponse:
    """Edit an act in place (a wrong amount or date), rather than delete and type it all again."""
    act = claims.owned_act(db(), current_user.id, claim_id, act_id)
    form = ActForm(obj=act)  # the request's fields on POST, the act's on GET
    if request.method == "POST" and form.validate():
        data = _act_data(form)
        try:
            claims.update_act(db(), clock(), current_user.id, claim_id, act_id, data)
        except ServiceError as error:
            form.form_errors.append(refused(error))
        else:
            flash(_("Acte modifié."))
            return redirect(url_for("claims.show", claim_id=claim_id) + "#actes")
    db().rollback()  # a refused form leaves nothing behind, not even the guard's version bump
    fields = [form.performed_on, form.type, form.amount, form.practitioner, form.inpe]
    if act.claim.kind == "dentaire":  # docs/domain.md#checklist-of-attachments
        fields += [form.dentist_if, form.ice, form.entente]
    practitioners = claims.known_practitioners(db(), current_user.id)
    return render_template(
        "claims/edit.html", form=form, fields=fields, title=_("Modifier l'acte"), claim_id=claim_id,
        practitioners=practitioners, version=claims.current_version(db(), current_user.id, claim_id),
    )  # fmt: skip


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
    data = form.details()
    return _run(
        lambda: claims.update_details(db(), clock(), current_user.id, claim_id, data),
        _("Informations enregistrées."),
        claim_id,
    )


@bp.post("/<int:claim_id>/pieces")
def tick(claim_id: int) -> BaseResponse:
    keys = set(request.form.getlist("piece"))
    documents = {key: request.form.get(f"nombre-{key}", "") for key in keys}  # each line's count, as typed
    if wants_json():  # the page's script saves each tick as it is made (static/ticks.js)
        before = claims.claim_view(db(), clock(), current_user.id, claim_id).row.state
        try:
            claims.set_ticks(db(), clock(), current_user.id, claim_id, keys, documents)
        except ServiceError as error:  # a count out of 0–50: said beside the list, nothing saved changes
            version = claims.claim_view(db(), clock(), current_user.id, claim_id).row.version  # the guard took one
            return make_response(jsonify(message=refused(error), version=version), 400)
        page = claims.claim_view(db(), clock(), current_user.id, claim_id)
        return jsonify(
            version=page.row.version,
            ticked_required=page.assessment.ticked_required,
            required=page.assessment.required,
            attachments=page.attachments,
            state_changed=page.row.state != before,
        )
    return _run(
        lambda: claims.set_ticks(db(), clock(), current_user.id, claim_id, keys, documents),
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


def _payment_data(form: PaymentEditForm, final: bool = False) -> tracking.PaymentInput:
    return tracking.PaymentInput(
        form.paid_on.data, form.paid_amount.data or Decimal(0), form.method.data, form.reference.data or "", final
    )


@bp.post("/<int:claim_id>/paiement")
def payment(claim_id: int) -> BaseResponse:
    def record(form: PaymentForm) -> None:
        data = _payment_data(form, bool(form.final.data))
        tracking.record_payment(db(), clock(), current_user.id, claim_id, data)

    return _tracking(claim_id, PaymentForm(), record, _("Remboursement enregistré."))


@bp.post("/<int:claim_id>/solde")
def settle(claim_id: int) -> BaseResponse:
    return _run(
        lambda: tracking.settle(db(), clock(), current_user.id, claim_id),
        _("Dossier soldé : la CNOPS a payé tout ce qu'elle paiera."),
        claim_id,
        "#suivi",
    )


@bp.route("/<int:claim_id>/paiements/<int:payment_id>/modifier", methods=["GET", "POST"])
def edit_payment(claim_id: int, payment_id: int) -> str | BaseResponse:
    """Edit a payment typed wrong (25 for 250): saved in place, the change in the history."""
    row = tracking.owned_payment(db(), current_user.id, claim_id, payment_id)
    form = PaymentEditForm(obj=row, paid_amount=row.amount)  # the request's fields on POST, the row's on GET
    if request.method == "POST" and form.validate():
        try:
            tracking.update_payment(db(), clock(), current_user.id, claim_id, payment_id, _payment_data(form))
        except ServiceError as error:
            form.form_errors.append(refused(error))
        else:
            flash(_("Paiement modifié."))
            return redirect(url_for("claims.show", claim_id=claim_id) + "#suivi")
    db().rollback()  # a refused form leaves nothing behind, not even the guard's version bump
    fields = [form.paid_on, form.paid_amount, form.method, form.reference]
    return render_template(
        "claims/edit.html", form=form, fields=fields, title=_("Modifier le paiement"), claim_id=claim_id,
        practitioners=[], version=claims.current_version(db(), current_user.id, claim_id),
    )  # fmt: skip


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
    except ServiceError as error:
        flash(refused(error), "warning")
        return redirect(url_for("claims.show", claim_id=claim_id))
    flash(_("Nouveau brouillon créé à partir du dossier rejeté."))
    return redirect(url_for("claims.show", claim_id=new_claim.id))


@bp.get("/<int:claim_id>/packet.pdf")
def packet(claim_id: int) -> BaseResponse:
    """ETag of the packet's content: a repeated download is a 304 and builds nothing (services/packet_cache.py)."""
    try:
        current = packet_cache.current(db(), clock(), current_user.id, claim_id, Path(current_app.config["UPLOAD_DIR"]))
    except ServiceError as error:  # e.g. acts on both sides of law 54-23's cut-over: split the claim first
        flash(refused(error), "warning")
        return redirect(url_for("claims.show", claim_id=claim_id))
    if request.if_none_match.contains(current.etag):
        response = Response(status=304)
    else:
        response = file_response(current.content(), "application/pdf", f"dossier-amoe-{claim_id}.pdf", inline=True)
    response.set_etag(current.etag)
    # Kept by the browser but checked each time; logout's Clear-Site-Data wipes it (web/responses.py).
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/<int:claim_id>/feuilles/<form_name>.pdf")
def fillable(claim_id: int, form_name: str) -> BaseResponse:
    try:
        content = packets.fillable_form(db(), clock(), current_user.id, claim_id, form_name)
    except ServiceError as error:  # e.g. acts on both sides of law 54-23's cut-over: split the claim first
        flash(refused(error), "warning")
        return redirect(url_for("claims.show", claim_id=claim_id))
    return file_response(content, "application/pdf", f"{form_name}-{claim_id}.pdf", inline=True)


@bp.get("/<int:claim_id>/valeurs-seules.pdf")
def values_only(claim_id: int) -> BaseResponse:
    """The student's values alone, to print onto a paper feuille bought in a bookshop (services/printing.py)."""
    try:
        content = printing.values_only_pdf(db(), clock(), _uploads(), current_user.id, claim_id)
    except ServiceError as error:  # no sheet loaded, a label not found, acts on both sides of the cut-over
        flash(refused(error), "warning")
        return redirect(url_for("claims.show", claim_id=claim_id))
    return file_response(content, "application/pdf", f"valeurs-seules-{claim_id}.pdf", inline=True)


def _uploads() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


@bp.get("/<int:claim_id>/supprimer")
def confirm_delete(claim_id: int) -> str:
    """Asks once, on its own page, so that it works without JavaScript and a stray tap deletes nothing."""
    page = claims.claim_view(db(), clock(), current_user.id, claim_id)
    return render_template(
        "claims/confirm.html",
        question=_("Supprimer ce dossier ?"),
        explain=_("Il ira dans la corbeille (page « Mes données ») : vous pourrez le restaurer pendant 30 jours."),
        action=url_for("claims.delete", claim_id=claim_id),
        confirm=_("Oui, supprimer ce dossier"),
        claim_id=claim_id,
        version=page.row.version,
        subject=page.row.label or _(KIND_LABELS[page.facts.kind]),
    )


@bp.post("/<int:claim_id>/supprimer")
def delete(claim_id: int) -> BaseResponse:
    claims.delete_claim(db(), clock(), current_user.id, claim_id)
    flash(_("Dossier mis à la corbeille."))
    session["undo_claim"] = claim_id  # the home page offers "Annuler" once, right after
    return redirect(url_for("main.home"))


@bp.post("/<int:claim_id>/restaurer")
def restore(claim_id: int) -> BaseResponse:
    claims.restore_claim(db(), clock(), current_user.id, claim_id, _uploads())
    flash(_("Dossier restauré."))
    return redirect(url_for("claims.show", claim_id=claim_id))


@bp.get("/<int:claim_id>/actes/<int:act_id>/supprimer")
def confirm_remove_act(claim_id: int, act_id: int) -> str:
    act = claims.owned_act(db(), current_user.id, claim_id, act_id)
    return render_template(
        "claims/confirm.html",
        question=_("Supprimer cet acte ?"),
        explain=_("Son montant ne comptera plus dans l'estimation."),
        action=url_for("claims.remove_act", claim_id=claim_id, act_id=act_id),
        confirm=_("Oui, supprimer cet acte"),
        claim_id=claim_id,
        version=act.claim.version,
        subject=_(ACT_LABELS[ActType(act.type)]),
        amount=act.amount,
    )


@english.get("/<int:claim_id>/packet.pdf")
@login_required
def packet_en(claim_id: int) -> BaseResponse:
    return packet(claim_id)
