"""Reminder settings, email confirmation, one-click unsubscribe and the private calendar feed."""

import logging

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from claimkit.services import ServiceError, account_mails, notifications
from claimkit.web.db import clock, db
from claimkit.web.deps import deps
from claimkit.web.errors import refused
from claimkit.web.extensions import csrf

bp = Blueprint("notifications", __name__)
log = logging.getLogger(__name__)


@bp.get("/rappels/")
@login_required
def settings() -> str:
    token = current_user.calendar_token
    feed = url_for("notifications.feed", token=token, _external=True) if token else None
    # webcal:// is the same address that a phone's calendar subscribes to in one tap (RFC-less but universal).
    webcal = "webcal://" + feed.split("://", 1)[1] if feed else None
    return render_template("notifications/settings.html", feed=feed, webcal=webcal)


@bp.post("/rappels/confirmation")
@login_required
def resend() -> BaseResponse:
    try:  # the scheduler sends it (services/account_mails.py): the page never waits for a mail server
        account_mails.request_confirmation(db(), clock(), current_user._get_current_object())
    except ServiceError as error:
        flash(refused(error), "warning")
        return redirect(url_for("notifications.settings"))
    flash(_("Un lien de confirmation vient d'être envoyé à %(email)s.", email=current_user.email))
    return redirect(url_for("notifications.settings"))


@bp.get("/rappels/confirmer/<token>")
def confirm(token: str) -> BaseResponse:
    if notifications.confirm_email(db(), clock(), current_app.config["SECRET_KEY"], token):
        flash(_("Adresse confirmée : vous recevrez les rappels avant chaque date limite."))
    else:
        flash(_("Ce lien de confirmation est invalide ou a expiré : demandez-en un nouveau."), "warning")
    return redirect(url_for("notifications.settings" if current_user.is_authenticated else "auth.login"))


@bp.post("/rappels/activation")
@login_required
def toggle() -> BaseResponse:
    """The form says the state it asks for (a stale tab's "désactiver" never turns them back on); a form
    without it (an old page) flips them as before."""
    asked = request.form.get("enabled", "")
    enabled = asked == "1" if asked in ("0", "1") else current_user.reminders_opt_out
    notifications.set_reminders(db(), current_user, enabled)
    flash(_("Rappels activés.") if enabled else _("Rappels désactivés."))
    return redirect(url_for("notifications.settings"))


@bp.post("/rappels/calendrier")
@login_required
def new_feed() -> BaseResponse:
    notifications.new_calendar_token(db(), current_user)
    flash(_("Nouveau lien de calendrier créé : l'ancien ne fonctionne plus."))
    return redirect(url_for("notifications.settings"))


@bp.post("/rappels/calendrier/revoquer")
@login_required
def revoke_feed() -> BaseResponse:
    notifications.revoke_calendar(db(), current_user)
    flash(_("Lien de calendrier supprimé."))
    return redirect(url_for("notifications.settings"))


@bp.get("/calendrier/<token>.ics")
def feed(token: str) -> Response:
    text = notifications.calendar_feed(db(), token, clock()(), deps().links)
    if text is None:
        abort(404)
    return Response(text, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=900"})


@bp.get("/desabonnement/<token>")
def unsubscribe_page(token: str) -> str:
    """A GET never unsubscribes (mail scanners follow links); the page's button, or the mail client's
    RFC 8058 one-click POST, does."""
    return render_template("notifications/unsubscribe.html", token=token)


@bp.post("/desabonnement/<token>")
@csrf.exempt  # the signed token is the credential; mail clients post without a form (RFC 8058)
def unsubscribe(token: str) -> tuple[str, int]:
    if not notifications.unsubscribe(db(), current_app.config["SECRET_KEY"], token):
        abort(404)
    return render_template("notifications/unsubscribed.html"), 200
