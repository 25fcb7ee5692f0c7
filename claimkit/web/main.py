"""Home page: where a student lands after signing in."""

from flask import Blueprint, current_app, redirect, render_template, send_from_directory, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from claimkit.services import claims, profiles
from claimkit.web.db import clock, db

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str | Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.signup"))
    profile = profiles.get_profile(db(), current_user.id)
    views = claims.dashboard(db(), clock(), current_user.id)
    return render_template("home.html", profile=profile, views=views)


@bp.get("/hors-ligne")
def offline() -> str:
    return render_template("offline.html")


@bp.get("/sw.js")
def service_worker() -> Response:
    """Served from the root so its scope covers the whole site."""
    response = send_from_directory(current_app.static_folder or "static", "sw.js", mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
