"""Claim pages: create, the claim page with its quick-add forms, the checklist and the lifecycle actions."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

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
from claimkit.domain.claims import ACT_LABELS, Act, ActType, MedicineLine, claim_title
from claimkit.domain.consistency import default_act_type
from claimkit.domain.deadlines import local_today
from claimkit.services import (
    ServiceError,
    claim_records,
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
from claimkit.web.page_cache import cached
from claimkit.web.responses import file_response

bp = Blueprint("claims", __name__, url_prefix="/dossiers")
# The specification's English path to the packet, kept as an alias of /dossiers/<id>/packet.pdf.
english = Blueprint("claims_en", __name__, url_prefix="/claims")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every claim page needs a signed-in student (login_required applied once for the blueprint)."""


T = TypeVar("T")


@bp.errorhandler(ServiceError)
@english.errorhandler(ServiceError)
def _back_to_claim(error: ServiceError) -> BaseResponse:
    """A use case of a claim refused (a sent claim, acts across law 54-23's cut-over, a copy of a claim that is
    not rejected…): said on top of the claim page in the reader's language; nothing was committed."""
    db().rollback()
    flash(refused(error), "warning")
    claim_id = (request.view_args or {}).get("claim_id")
    return redirect(url_for("claims.show", claim_id=claim_id) if claim_id else url_for("main.home"))


def _attempt(action: Callable[[], T], say: Callable[[str], object]) -> tuple[T] | None:
    """Runs a use case: its result in a 1-tuple, or None after `say`-ing its refusal (a form's errors, a flash)
    in the reader's language, for the pages that draw the refusal next to the form rather than on the claim."""
    try:
        return (action(),)
    except ServiceError as error:
        say(refused(error))
        return None


def _run(action: Callable[[], Any], success: str, claim_id: int, anchor: str = "") -> BaseResponse:
    """Calls a use case and goes back to the claim page; a refusal is said there (`_back_to_claim`)."""
    action()
    flash(success)
    return redirect(url_for("claims.show", claim_id=claim_id) + anchor)


@bp.route("/nouveau", methods=["GET", "POST"])
def new() -> str | BaseResponse:
    form = NewClaimForm()
    if form.validate_on_submit() and (
        done := _attempt(
            lambda: claims.create_claim(db(), clock(), current_user.id, form.kind.data, form.label.data or ""),
            form.form_errors.append,
        )
    ):
        return redirect(url_for("claims.show", claim_id=done[0].id))
    return render_template("claims/new.html", form=form, **registrations.before_claim_context(db(), current_user.id))


@bp.get("/<int:claim_id>")
@cached(lambda claim_id: f"claim:{claim_id}")  # drawn again only when something it shows changed (web/page_cache.py)
def show(claim_id: int) -> str:
    return _page(claim_id)


def _page(claim_id: int, refused: dict[str, Any] | None = None) -> str:
    """The claim page, with the forms its state offers only (`lifecycle.allowed`); `refused` holds the form the
    student just sent with its errors, drawn in place of the empty one so every message shows next to its field
    and nothing typed is lost (a form the page no longer draws says its messages on top)."""
    page = claims.claim_view(db(), clock(), current_user.id, claim_id)
    claim = claim_records.record_of(page.row, page.facts)
    forms, tracking_forms = _drawn_forms(page, claim)
    for name, form in (refused or {}).items():
        drawn = tracking_forms if name in tracking_forms else forms if name in forms else None
        if drawn is None:
            for message in (m for errors in form.errors.values() for m in errors):
                flash(str(message), "warning")
        else:
            drawn[name] = form
    return render_template(
        "claims/show.html",
        page=page,
        claim=claim,
        **forms,
        tracking_forms=tracking_forms,
        practitioners=claims.known_practitioners(db(), current_user.id) if page.editable else [],
        insurer=reference.insurer_on(db(), claim.sent_on or local_today(clock()())),
        has_sheet=printing.has_sheet(db(), clock(), _uploads(), page),
    )


def _drawn_forms(page: claims.ClaimView, claim: claim_records.ClaimRecord) -> tuple[dict[str, Any], dict[str, Any]]:
    """The empty forms the page draws for the claim's state (the page's forms, the tracking ones), dated today."""
    today = local_today(clock()())
    forms: dict[str, Any] = {}
    if page.editable:
        forms["act_form"] = ActForm(formdata=None, performed_on=today, type=default_act_type(page.facts.kind).value)
        forms["medicine_form"] = MedicineForm(formdata=None)
        forms["details_form"] = DetailsForm(formdata=None, obj=page.row)
    if claim.allowed.send:
        forms["send_form"] = SendForm(formdata=None, sent_on=today)
    tracking_forms: dict[str, Any] = {}
    if claim.allowed.receive:
        tracking_forms["received"] = ReceivedForm(formdata=None, received_on=today)
    if claim.allowed.pay:
        tracking_forms["payment"] = PaymentForm(formdata=None, paid_on=today)
    if claim.allowed.reject:
        tracking_forms["reject"] = RejectForm(formdata=None, rejected_on=today)
    if claim.allowed.resubmit:
        tracking_forms["resubmit"] = ResubmitForm(formdata=None, resubmitted_on=today)
    return forms, tracking_forms


def _submit(
    claim_id: int, name: str, form: Any, action: Callable[[Any], Any], success: str, anchor: str = ""
) -> BaseResponse | tuple[str, int]:
    """A claim-page form: valid and accepted, back to the page with `success`; refused (by the form or by the
    service), the page again with the typed values and every message next to its field (issue 17)."""
    # A refusal of the use case is about the claim, not one field (a sent claim, law 54-23's cut-over): on top.
    if form.validate() and _attempt(lambda: action(form), lambda message: flash(message, "warning")):
        flash(success)
        return redirect(url_for("claims.show", claim_id=claim_id) + anchor)
    db().rollback()  # a refused form leaves nothing behind, not even the guard's version bump or key
    return _page(claim_id, {name: form}), 422


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
        if _attempt(
            lambda: claims.update_act(db(), clock(), current_user.id, claim_id, act_id, data), form.form_errors.append
        ):
            flash(_("Acte modifié."))
            return redirect(url_for("claims.show", claim_id=claim_id) + "#actes")
    db().rollback()  # a refused form leaves nothing behind, not even the guard's version bump
    fields = form.shown(act.claim.kind)  # the claim's kind decides (domain/claims.act_fields_for)
    practitioners = claims.known_practitioners(db(), current_user.id)
    return render_template(
        "claims/edit.html",
        form=form,
        fields=fields,
        title=_("Modifier l'acte"),
        claim_id=claim_id,
        practitioners=practitioners,
        version=claims.current_version(db(), current_user.id, claim_id),
    )


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
        data = _payment_data(form)
        if _attempt(
            lambda: tracking.update_payment(db(), clock(), current_user.id, claim_id, payment_id, data),
            form.form_errors.append,
        ):
            flash(_("Paiement modifié."))
            return redirect(url_for("claims.show", claim_id=claim_id) + "#suivi")
    db().rollback()  # a refused form leaves nothing behind, not even the guard's version bump
    fields = [form.paid_on, form.paid_amount, form.method, form.reference]
    return render_template(
        "claims/edit.html",
        form=form,
        fields=fields,
        title=_("Modifier le paiement"),
        claim_id=claim_id,
        practitioners=[],
        version=claims.current_version(db(), current_user.id, claim_id),
    )


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
    new_claim = tracking.copy_as_draft(db(), clock(), current_user.id, claim_id)  # refused: `_back_to_claim`
    flash(_("Nouveau brouillon créé à partir du dossier rejeté."))
    return redirect(url_for("claims.show", claim_id=new_claim.id))


@bp.get("/<int:claim_id>/packet.pdf")
def packet(claim_id: int) -> BaseResponse:
    """ETag of the packet's content: a repeated download is a 304 and builds nothing (services/packet_cache.py)."""
    etag = packet_cache.etag(db(), clock(), current_user.id, claim_id)  # one read: nothing loaded for a 304
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        # Refused (e.g. acts on both sides of law 54-23's cut-over: split the claim first): `_back_to_claim`.
        pdf = packet_cache.content(deps().packets, db(), clock(), current_user.id, claim_id, etag, _uploads())
        response = file_response(pdf, "application/pdf", f"dossier-amoe-{claim_id}.pdf", inline=True)
    response.set_etag(etag)
    # Kept by the browser but checked each time; logout's Clear-Site-Data wipes it (web/responses.py).
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/<int:claim_id>/feuilles/<form_name>.pdf")
def fillable(claim_id: int, form_name: str) -> BaseResponse:
    content = packets.fillable_form(db(), clock(), current_user.id, claim_id, form_name)  # see _back_to_claim
    return file_response(content, "application/pdf", f"{form_name}-{claim_id}.pdf", inline=True)


@bp.get("/<int:claim_id>/valeurs-seules.pdf")
def values_only(claim_id: int) -> BaseResponse:
    """The student's values alone, to print onto a paper feuille bought in a bookshop (services/printing.py)."""
    # Refused (no sheet loaded, a label not found, acts across the cut-over): said on the claim page.
    content = printing.values_only_pdf(db(), clock(), _uploads(), current_user.id, claim_id)
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
