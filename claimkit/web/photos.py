"""Photos of the originals on the claim page's checklist: add (camera or gallery), view, remove."""

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from claimkit.services import ServiceError, photos
from claimkit.web.db import clock, db
from claimkit.web.errors import refused

bp = Blueprint("photos", __name__, url_prefix="/dossiers")


@bp.before_request
@login_required
def _signed_in() -> None:
    """A student's photos are theirs only."""


def _root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _back(claim_id: int) -> BaseResponse:
    return redirect(url_for("claims.show", claim_id=claim_id) + "#pieces")


@bp.post("/<int:claim_id>/pieces/<item_key>/photos")
def add(claim_id: int, item_key: str) -> BaseResponse:
    upload = request.files.get("photo")
    try:
        data = upload.read() if upload is not None else b""  # no file: "vide", after the ownership check
        photos.add_photo(db(), clock(), current_user.id, claim_id, item_key, data, _root())
    except ServiceError as error:
        flash(refused(error), "warning")
    else:
        flash(_("Photo gardée avec cette pièce."))
    return _back(claim_id)


@bp.get("/<int:claim_id>/photos/<int:photo_id>.jpg")
def show(claim_id: int, photo_id: int) -> BaseResponse:
    path = photos.photo_path(db(), current_user.id, claim_id, photo_id, _root(), "mini" in request.args)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@bp.post("/<int:claim_id>/photos/<int:photo_id>/supprimer")
def remove(claim_id: int, photo_id: int) -> BaseResponse:
    photos.remove_photo(db(), clock(), current_user.id, claim_id, photo_id, _root())
    flash(_("Photo supprimée."))
    return _back(claim_id)
