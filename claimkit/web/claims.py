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

from claimkit.adapters.db import reference
from claimkit.domain import identifiers as ids
from claimkit.domain.claims import ACT_LABELS, Act, ActType, ClaimKind, MedicineLine, claim_title
from claimkit.domain.consistency import default_act_type
from claimkit.domain.deadlines import local_today
from claimkit.services import (
    ServiceError,
    claims,
    packet_cache,
    packets,
    printing,
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
from claimkit.web.deps import deps
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
    return _page(claim_id)


# The forms drawn on the claim page, by the name the template knows them by; the tracking ones are in a dict.
_TRACKING = ("received", "payment", "reject", "resubmit")
_EDIT_FORMS = ("act_form", "medicine_form", "details_form")  # drawn only while the claim is editable


def _page(claim_id: int, refused: dict[str, Any] | None = None) -> str:
    """The claim page; `refused` holds the form the student just sent with its errors, drawn in place of the
    empty one so every message shows next to its field and nothing typed is lost."""
    page = claims.claim_view(db(), clock(), current_user.id, claim_id)
    act_form = ActForm(formdata=None)
    act_form.performed_on.data = local_today(clock()())
    act_form.type.data = default_act_type(page.facts.kind).value
    send_form = SendForm(formdata=None)
    send_form.sent_on.data = local_today(clock()())
    forms: dict[str, Any] = {
        "act_form": act_form,
        "medicine_form": MedicineForm(formdata=None),
        "details_form": DetailsForm(formdata=None, obj=page.row),
        "send_form": send_form,
        "tracking_forms": _tracking_forms(),
    }
    for name, form in (refused or {}).items():
        if name in _EDIT_FORMS and not page.editable:  # the form is not drawn: its messages go on top
            for message in (m for errors in form.errors.values() for m in errors):
                flash(str(message), "warning")
        if name in _TRACKING:
            forms["tracking_forms"][name] = form
        else:
            forms[name] = form
    return render_template(
        "claims/show.html",
        page=page,
        **forms,
        practitioners=claims.known_practitioners(db(), current_user.id),
        insurer=reference.insurer_on(db(), page.row.sent_on or local_today(clock()())),
        has_sheet=printing.has_sheet(db(), clock(), _uploads(), current_user.id, claim_id),
    )


def _submit(
    claim_id: int, name: str, form: Any, action: Callable[[Any], Any], success: str, anchor: str = ""
) -> BaseResponse | tuple[str, int]:
    """A claim-page form: valid and accepted, back to the page with `success`; refused (by the form or by the
    service), the page again with the typed values and every message next to its field (issue 17)."""
    if form.validate():
        try:
            action(form)
        except ServiceError as error:  # about the claim, not one field (a sent claim, law 54-23's cut-over)
            flash(refused(error), "warning")
        else:
            flash(success)
            return redirect(url_for("claims.show", claim_id=claim_id) + anchor)
    db().rollback()  # a refused form leaves nothing behind, not even the guard's version bump or key
    return _page(claim_id, {name: form}), 422


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
    inpe = form.inpe.data or ""
    if inpe and (warning := ids.inpe_warning(inpe)):
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
def add_act(claim_id: int) -> BaseResponse | tuple[str, int]:
    return _submit(
        claim_id,
        "act_form",
        ActForm(),
        lambda f: claims.add_act(db(), clock(), current_user.id, claim_id, _act_data(f)),
        _("Acte ajouté."),
    )


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
    if act.claim.kind == ClaimKind.DENTAIRE:  # docs/domain.md#checklist-of-attachments
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


def _medicine_data(form: MedicineForm) -> MedicineLine:
    return MedicineLine(
        form.name.data, form.quantity.data, (form.ean13.data or "").replace(" ", ""), form.ppv.data, form.pbr.data
    )


@bp.post("/<int:claim_id>/medicaments")
def add_medicine(claim_id: int) -> BaseResponse | tuple[str, int]:
    return _submit(
        claim_id,
        "medicine_form",
        MedicineForm(),
        lambda f: claims.add_medicine(db(), clock(), current_user.id, claim_id, _medicine_data(f)),
        _("Médicament ajouté."),
    )


@bp.post("/<int:claim_id>/medicaments/<int:line_id>/supprimer")
def remove_medicine(claim_id: int, line_id: int) -> BaseResponse:
    return _run(
        lambda: claims.remove_medicine(db(), clock(), current_user.id, claim_id, line_id),
        _("Médicament supprimé."),
        claim_id,
    )


@bp.post("/<int:claim_id>/details")
def update_details(claim_id: int) -> BaseResponse | tuple[str, int]:
    return _submit(
        claim_id,
        "details_form",
        DetailsForm(),
        lambda f: claims.update_details(db(), clock(), current_user.id, claim_id, f.details()),
        _("Informations enregistrées."),
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
def send(claim_id: int) -> BaseResponse | tuple[str, int]:
    return _submit(
        claim_id,
        "send_form",
        SendForm(),
        lambda f: claims.mark_sent(
            db(), clock(), current_user.id, claim_id, f.sent_on.data, f.recommande_number.data or ""
        ),
        _("Dossier marqué envoyé. Gardez le reçu du recommandé."),
    )


def _tracking(
    claim_id: int, name: str, form: Any, action: Callable[[Any], Any], success: str
) -> BaseResponse | tuple[str, int]:
    return _submit(claim_id, name, form, action, success, "#suivi")


@bp.post("/<int:claim_id>/recu")
def received(claim_id: int) -> BaseResponse | tuple[str, int]:
    return _tracking(
        claim_id,
        "received",
        ReceivedForm(),
        lambda f: tracking.mark_received(db(), clock(), current_user.id, claim_id, f.received_on.data),
        _("Dossier marqué reçu par la CNOPS."),
    )


def _payment_data(form: PaymentEditForm, final: bool = False) -> tracking.PaymentInput:
    return tracking.PaymentInput(
        form.paid_on.data, form.paid_amount.data or Decimal(0), form.method.data, form.reference.data or "", final
    )


@bp.post("/<int:claim_id>/paiement")
def payment(claim_id: int) -> BaseResponse | tuple[str, int]:
    def record(form: PaymentForm) -> None:
        data = _payment_data(form, bool(form.final.data))
        tracking.record_payment(db(), clock(), current_user.id, claim_id, data)

    return _tracking(claim_id, "payment", PaymentForm(), record, _("Remboursement enregistré."))


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
def rejected(claim_id: int) -> BaseResponse | tuple[str, int]:
    def record(form: RejectForm) -> None:
        tracking.reject(db(), clock(), current_user.id, claim_id, form.rejected_on.data, form.reason.data)

    success = _("Rejet enregistré. Vous pouvez recopier le dossier pour le corriger.")
    return _tracking(claim_id, "reject", RejectForm(), record, success)


@bp.post("/<int:claim_id>/resoumission")
def resubmitted(claim_id: int) -> BaseResponse | tuple[str, int]:
    return _tracking(
        claim_id,
        "resubmit",
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
    etag = packet_cache.etag(db(), clock(), current_user.id, claim_id)  # one read: nothing loaded for a 304
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        try:
            root = Path(current_app.config["UPLOAD_DIR"])
            pdf = packet_cache.content(deps().packets, db(), clock(), current_user.id, claim_id, etag, root)
        except ServiceError as error:  # e.g. acts on both sides of law 54-23's cut-over: split the claim first
            flash(refused(error), "warning")
            return redirect(url_for("claims.show", claim_id=claim_id))
        response = file_response(pdf, "application/pdf", f"dossier-amoe-{claim_id}.pdf", inline=True)
    response.set_etag(etag)
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
        subject=claim_title(page.row.label, page.row.kind, page.row.copied_from is not None, _),
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
