"""The web side of services/guards.py: hidden fields drawn into each state-changing form, checked before the
view runs (an app-level before_request, after CSRF), so no view repeats it.

A form opts in with `{{ form_guard(row.version) }}` (claim forms, the profile form) or `{{ form_guard() }}` (no
versioned row: settings, account, a claim not yet created). A POST
without the fields (an old page, a script) is handled as before: the guard never blocks what it cannot check.
"""

import re

from flask import Flask, flash, jsonify, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from claimkit.services import guards, profiles
from claimkit.web.db import clock, db
from claimkit.web.page_cache import idempotency_key

KEY_FIELD, VERSION_FIELD = "idem", "version"
_KEY_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def form_guard(version: int | None = None) -> Markup:
    """A fresh idempotency key (its slot in a page being kept, web/page_cache.py), and the claim's version when the
    form changes a claim."""
    # Nothing to escape: a constant name, a URL-safe token and an integer (Markup.format cost ~60 µs a form, and a
    # claim page draws about ten, issue 20).
    fields = f'<input type="hidden" name="{KEY_FIELD}" value="{idempotency_key()}">'
    if version is not None:
        fields += f'<input type="hidden" name="{VERSION_FIELD}" value="{int(version)}">'
    # Safe: a constant name, a URL-safe token and an int.
    return Markup(fields)  # nosec B704


def wants_json() -> bool:
    """A page script (fetch) asks for JSON; a plain form post gets redirects as always."""
    return request.accept_mimetypes.best == "application/json"


def _refused(message: str, target: str) -> BaseResponse:
    if wants_json():
        return make_response(jsonify(message=message), 409)
    flash(message, "warning")
    return redirect(target)


# Where a refused form sends the student back to: the page the form was on (a POST-only route cannot be shown).
_BACK = {
    "profile": "profile.edit",
    "notifications": "notifications.settings",
    "account": "account.data",
    "auth": "auth.password",
}


def _back() -> str:
    claim_id = (request.view_args or {}).get("claim_id")
    if claim_id:
        return url_for("claims.show", claim_id=claim_id)
    return url_for(_BACK.get(request.blueprint or "", "main.home"))


def _stale() -> BaseResponse | None:
    """The optimistic lock of the row the form changes: the claim of a claim form, the profile of the profile
    form. A form without a version (no row yet, an old page) is not checked."""
    version = request.form.get(VERSION_FIELD, "")
    if not (version.isdigit() and len(version) < 10):
        return None
    claim_id = (request.view_args or {}).get("claim_id")
    if isinstance(claim_id, int):
        if guards.take_version(db(), current_user.id, claim_id, int(version)):
            return None
        message = _(
            "Ce dossier a changé (dans un autre onglet ou sur un autre appareil) : voici la dernière "
            "version. Rien n'a été enregistré : vérifiez et recommencez si besoin."
        )
        return _refused(message, url_for("claims.show", claim_id=claim_id))
    if request.endpoint == "profile.edit" and not guards.take_profile_version(db(), current_user.id, int(version)):
        return _refused(_(profiles.PROFILE_CHANGED), url_for("profile.edit"))
    return None


def _guard() -> BaseResponse | None:
    if request.method != "POST" or not current_user.is_authenticated:
        return None
    key = request.form.get(KEY_FIELD, "")
    if _KEY_SHAPE.fullmatch(key) and not guards.take_key(db(), current_user.id, key, clock()()):
        return _refused(_("Ce formulaire avait déjà été envoyé : il n'a été enregistré qu'une fois."), _back())
    return _stale()


def init_app(app: Flask) -> None:
    app.before_request(_guard)
    app.jinja_env.globals["form_guard"] = form_guard
