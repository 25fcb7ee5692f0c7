"""« Ma feuille officielle » on the claim (claims blueprint): upload the student's own sheet per form kind, see it
filled (PNG), nudge a value by 1 mm, remove it. Plain forms and links: all of it works without JavaScript."""

from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from claimkit.adapters import l10n, official_forms
from claimkit.domain import limits
from claimkit.domain.forms import FORM_TITLES
from claimkit.domain.languages import Language
from claimkit.services import ServiceError, claims, own_sheets
from claimkit.web.claims import bp
from claimkit.web.db import clock, db
from claimkit.web.errors import refused
from claimkit.web.filters import size_text


def _root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _locale() -> Language:
    return l10n.language(get_locale())


def _titles() -> dict[object, str]:
    rtl = _locale().rtl
    return {form: (arabic if rtl else _(french)) for form, (french, arabic) in FORM_TITLES.items()}


def _page(claim_id: int) -> BaseResponse:
    return redirect(url_for("claims.own_sheet", claim_id=claim_id))


@bp.get("/<int:claim_id>/feuille-officielle")
def own_sheet(claim_id: int) -> str | BaseResponse:
    try:
        page = claims.claim_view(db(), clock(), current_user.id, claim_id)
        kinds = own_sheets.kinds(db(), clock(), current_user.id, claim_id)
    except ServiceError as error:  # acts on both sides of law 54-23's cut-over: split the claim first
        flash(refused(error), "warning")
        return redirect(url_for("claims.show", claim_id=claim_id))
    return render_template("claims/own_sheet.html", page=page, kinds=kinds, titles=_titles())


@bp.post("/<int:claim_id>/feuille-officielle/<kind>")
def upload_sheet(claim_id: int, kind: str) -> BaseResponse:
    upload = request.files.get("feuille")
    data = upload.read(limits.SHEET_BYTES + 1) if upload is not None else b""
    try:
        if len(data) > limits.SHEET_BYTES:
            size = size_text(limits.SHEET_BYTES)
            flash(
                _("Fichier trop lourd : %(size)s au plus. Scannez la feuille en noir et blanc.", size=size), "warning"
            )
            own_sheets.kinds(db(), clock(), current_user.id, claim_id)  # 404 for another student's claim
            return _page(claim_id)
        if not data:
            own_sheets.kinds(db(), clock(), current_user.id, claim_id)
            flash(_("Choisissez d'abord le fichier PDF de votre feuille."), "warning")
            return _page(claim_id)
        sheet_id = own_sheets.upload(
            db(), clock(), _root(), current_user.id, claim_id, kind, data, (upload.filename if upload else "") or ""
        )
    except official_forms.SheetRefused as error:
        flash(refused(error), "warning")
        return _page(claim_id)
    except ServiceError as error:
        flash(refused(error), "warning")
        return _page(claim_id)
    flash(_("Feuille gardée : vérifiez où chaque valeur est écrite."))
    return redirect(url_for("claims.sheet_preview", claim_id=claim_id, sheet_id=sheet_id))


@bp.post("/<int:claim_id>/feuille-officielle/<int:sheet_id>/retirer")
def remove_sheet(claim_id: int, sheet_id: int) -> BaseResponse:
    own_sheets.remove(db(), _root(), current_user.id, claim_id, sheet_id)
    flash(_("Feuille retirée : le dossier reprend la feuille officielle de claimkit, ou la page qui dit où l'obtenir."))
    return _page(claim_id)


def _preview(claim_id: int, sheet_id: int) -> own_sheets.Preview:
    return own_sheets.preview(db(), clock(), _root(), current_user.id, claim_id, sheet_id)


@bp.get("/<int:claim_id>/feuille-officielle/<int:sheet_id>")
def sheet_preview(claim_id: int, sheet_id: int) -> str | BaseResponse:
    try:
        preview = _preview(claim_id, sheet_id)
    except official_forms.SheetRefused as error:  # the claim's values changed and now need a missing label
        flash(refused(error), "warning")
        return _page(claim_id)
    except ServiceError as error:
        flash(refused(error), "warning")
        return redirect(url_for("claims.show", claim_id=claim_id))
    return render_template(
        "claims/sheet_preview.html",
        preview=preview,
        claim_id=claim_id,
        title=_titles()[preview.form],
        label=official_forms.label_name,
        version="-".join(f"{k}{dx}.{dy}" for k, (dx, dy) in sorted(preview.offsets.items())),
    )


@bp.get("/<int:claim_id>/feuille-officielle/<int:sheet_id>/apercu.png")
def sheet_png(claim_id: int, sheet_id: int) -> BaseResponse:
    """The filled page, or with ?cle= the line of one value, as PNG; private to its student."""
    try:
        content = own_sheets.preview_png(_preview(claim_id, sheet_id), request.args.get("cle", ""))
    except (official_forms.SheetRefused, ServiceError):
        abort(404)  # the page explains it; an image has nothing to show
    return Response(content, mimetype="image/png", headers={"Cache-Control": "private, no-cache"})


@bp.post("/<int:claim_id>/feuille-officielle/<int:sheet_id>/decaler")
def nudge_value(claim_id: int, sheet_id: int) -> BaseResponse:
    key = request.form.get("cle", "")
    try:
        own_sheets.nudge(db(), current_user.id, claim_id, sheet_id, key, request.form.get("sens", ""))
    except ServiceError as error:
        flash(refused(error), "warning")
    return redirect(url_for("claims.sheet_preview", claim_id=claim_id, sheet_id=sheet_id) + f"#valeur-{key}")
