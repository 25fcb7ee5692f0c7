"""Scanning a medicine box: photo upload (works without JavaScript), live camera where the browser allows,
typed digits as the fallback; the result is confirmed by the student before it joins the claim."""

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from claimkit.adapters.db.ownership import owned_claim
from claimkit.adapters.decoders import ScanRefused
from claimkit.domain.messages import N_
from claimkit.services import ServiceError, scanning
from claimkit.web.claim_forms import MedicineForm
from claimkit.web.db import clock, db
from claimkit.web.deps import deps
from claimkit.web.errors import refused

bp = Blueprint("scan", __name__, url_prefix="/dossiers")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Scanning belongs to a claim of the signed-in student."""


def _result(claim_id: int, found: list[scanning.Found]) -> str:
    forms = []
    for item in found:
        form = MedicineForm(formdata=None)
        form.name.data = item.name or ""
        form.ean13.data = item.scan.ean13 or ""
        form.ppv.data, form.pbr.data = item.ppv, item.pbr
        forms.append((item, form))
    return render_template("scan/result.html", claim_id=claim_id, results=forms)


@bp.get("/<int:claim_id>/scanner")
def page(claim_id: int) -> str:
    owned_claim(db(), current_user.id, claim_id)
    return render_template("scan/page.html", claim_id=claim_id)


@bp.post("/<int:claim_id>/scanner")
def upload(claim_id: int) -> str | BaseResponse:
    photo = request.files.get("photo")
    code = (request.form.get("code") or "").strip()
    try:
        if code:
            found = scanning.typed_code(db(), clock(), current_user.id, claim_id, code)
        elif photo is None or not photo.filename:
            raise ServiceError(N_("Choisissez une photo du code-barres, ou tapez les 13 chiffres."))
        else:
            found = scanning.scan_photo(db(), clock(), deps().scanner, current_user.id, claim_id, photo.read())
    except (ServiceError, ScanRefused) as error:
        flash(refused(error), "warning")
        return redirect(url_for("scan.page", claim_id=claim_id))
    if not found:  # what helps, and the digits field at once (the photo is not kept: nothing to lose)
        return render_template("scan/page.html", claim_id=claim_id, missed=True)
    return _result(claim_id, found)
