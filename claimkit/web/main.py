"""Home page, the language switch and the PWA's root files."""

import json
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale, gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from claimkit.adapters import l10n
from claimkit.services import ServiceError, claims, profiles, registrations, scheme_notices
from claimkit.web.db import clock, db
from claimkit.web.errors import refused
from claimkit.web.extensions import LANGUAGE_COOKIE, LOCALES
from claimkit.web.page_cache import cached

bp = Blueprint("main", __name__)
ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
@cached(lambda: "home")  # drawn again only when something it shows changed (web/page_cache.py)
def home() -> str | Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.signup"))
    profile = profiles.get_profile(db(), current_user.id)
    views = claims.cards(db(), clock(), current_user.id)
    undo = session.pop("undo_claim", None)  # "Annuler", once, right after a deletion
    notice = scheme_notices.banner(db(), clock(), current_user.id, current_user.locale)
    return render_template(
        "home.html",
        **(registrations.before_claim_context(db(), current_user.id) if not views else {}),
        profile=profile,
        views=views,
        undo=undo if isinstance(undo, int) else None,
        scheme_notice=notice,
    )


@bp.post("/loi-54-23/lu")
def dismiss_scheme_notice() -> Response:
    """The law 54-23 banner of the current phase, hidden once read (the next phase shows again)."""
    if current_user.is_authenticated:
        scheme_notices.dismiss(db(), clock(), current_user.id)
    return redirect(url_for("main.home"))


@bp.get("/hors-ligne")
def offline() -> str:
    return render_template("offline.html")


@bp.get("/sw.js")
def service_worker() -> Response:
    """Served from the root so its scope covers the whole site."""
    response = send_from_directory(current_app.static_folder or "static", "sw.js", mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.post("/langue")
def language() -> Response:
    """Remembered on the account when signed in, and in a cookie so the sign-up and login pages follow too."""
    locale = request.form.get("locale", "")
    target = request.form.get("next", "")
    parts = urlsplit(target)
    unsafe = any(ord(char) < 0x20 or char == "\\" for char in target)  # browsers drop tabs, read "\\" as "/"
    if unsafe or parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = url_for("main.home")
    response = redirect(target)
    try:
        if current_user.is_authenticated:
            profiles.set_locale(db(), current_user, locale)
        elif locale not in LOCALES:
            raise ServiceError(profiles.UNKNOWN_LOCALE)
    except ServiceError as error:
        flash(refused(error), "warning")
        return response
    with force_locale(locale):
        flash(gettext("Langue enregistrée."))
    response.set_cookie(
        LANGUAGE_COOKIE,
        locale,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The installed app's name and direction in the visitor's language (a static file could only have one)."""
    locale = get_locale()
    body = {
        "name": gettext("claimkit — remboursements AMO-E"),
        "short_name": "claimkit",
        "lang": l10n.language(locale),
        "dir": l10n.text_direction(locale),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f8f7",
        "theme_color": "#0b5d4b",
        "icons": [
            {"src": url_for("static", filename="icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {
                "src": url_for("static", filename="icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")
    response.vary.update(("Cookie", "Accept-Language"))
    return response
