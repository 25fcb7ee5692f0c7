"""Sign-up, sign-in, sign-out and password change."""

import logging
import secrets
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from claimkit.adapters import l10n
from claimkit.adapters.db.models import User
from claimkit.adapters.email_templates import render_email
from claimkit.services import ServiceError, accounts
from claimkit.web.db import clock, db
from claimkit.web.deps import deps
from claimkit.web.errors import refused
from claimkit.web.extensions import login_manager
from claimkit.web.notifications import mailer, send_confirmation
from claimkit.web.responses import forget_this_device
from claimkit.web.validators import SafeForm, email_address, required_message

bp = Blueprint("auth", __name__, url_prefix="/compte")
log = logging.getLogger(__name__)


class SignUpForm(SafeForm):
    email = EmailField(_l("Adresse électronique"), validators=[DataRequired(required_message), email_address])
    password = PasswordField(_l("Mot de passe (10 caractères au moins)"), validators=[DataRequired(required_message)])
    confirm = PasswordField(
        _l("Confirmez le mot de passe"),
        validators=[
            DataRequired(required_message),
            EqualTo("password", _l("Les deux mots de passe diffèrent.")),
        ],
    )
    consent = BooleanField(
        _l(
            "J'accepte que claimkit conserve mes données de santé (actes, montants, médicaments) "
            "pour préparer mes dossiers de remboursement."
        ),
        validators=[DataRequired(_l("Votre accord est nécessaire pour créer le compte."))],
    )

    def validate_password(self, field: PasswordField) -> None:
        """The strength rule, checked with the other fields so every mistake shows in one try (the service
        checks it again)."""
        if problem := accounts.password_problem(field.data or "", self.email.data or ""):
            raise ValidationError(_(problem))


class LoginForm(SafeForm):
    email = EmailField(_l("Adresse électronique"), validators=[DataRequired(required_message)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(required_message)])


class PasswordForm(SafeForm):
    current = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired(required_message)])
    new = PasswordField(_l("Nouveau mot de passe"), validators=[DataRequired(required_message)])
    confirm = PasswordField(
        _l("Confirmez le nouveau mot de passe"),
        validators=[DataRequired(required_message), EqualTo("new", _l("Les deux mots de passe diffèrent."))],
    )


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """Only a live server-side session counts: a cookie copied before logout is refused."""
    token = session.get("sid")
    if not token:
        return None
    return accounts.user_for_session(db(), clock(), token, user_id, session_policy())


def session_policy() -> accounts.SessionPolicy:
    config = current_app.config
    return accounts.SessionPolicy(
        idle=timedelta(hours=float(config["SESSION_IDLE_HOURS"])),
        lifetime=timedelta(days=float(config["SESSION_MAX_DAYS"])),
    )


def _start_session(user: User, token: str) -> None:
    session.clear()
    session["sid"] = token
    login_user(user)


@bp.route("/inscription", methods=["GET", "POST"])
def signup() -> str | Response:
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_up(
                db(),
                clock(),
                form.email.data,
                form.password.data,
                form.consent.data,
                l10n.language(get_locale()),
                request.remote_addr or "",
            )
        except ServiceError as error:
            form.form_errors.append(refused(error))
        else:
            _start_session(user, accounts.open_session(db(), clock(), user, session_policy()))
            send_confirmation(user)
            flash(_("Compte créé. Complétez votre profil : il remplit la partie assuré de vos feuilles."))
            flash(
                _(
                    "Confirmez votre adresse : un lien vient d'être envoyé à %(email)s. Sans confirmation, "
                    "aucun rappel ne part.",
                    email=user.email,
                ),
                "warning",
            )
            return redirect(url_for("profile.edit"))
    return render_template("auth/signup.html", form=form)


@bp.route("/connexion", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_in(db(), clock(), form.email.data, form.password.data, request.remote_addr or "")
        except ServiceError as error:
            form.form_errors.append(refused(error))
        else:
            _start_session(user, accounts.open_session(db(), clock(), user, session_policy()))
            return redirect(url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/deconnexion")
@login_required
def logout() -> Response:
    accounts.close_session(db(), clock(), session["sid"])
    logout_user()
    session.clear()
    flash(_("Vous êtes déconnecté(e)."))
    return forget_this_device(redirect(url_for("auth.login")))


@bp.post("/deconnexion-partout")
@login_required
def logout_everywhere() -> Response:
    accounts.close_all_sessions(db(), clock(), current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("Vous êtes déconnecté(e) de tous vos appareils."))
    return forget_this_device(redirect(url_for("auth.login")))


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@login_required
def password() -> str | Response:
    form = PasswordForm()
    user: User = current_user._get_current_object()  # the proxy itself must not be stored as the user
    if form.validate_on_submit():
        try:
            token = accounts.change_password(db(), clock(), user, form.current.data, form.new.data)
        except ServiceError as error:
            form.form_errors.append(refused(error))
        else:
            _start_session(user, token)
            flash(_("Mot de passe changé. Vos autres appareils ont été déconnectés."))
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form)


class ForgotForm(SafeForm):
    email = EmailField(_l("Adresse électronique du compte"), validators=[DataRequired(required_message), email_address])


class ResetForm(SafeForm):
    new = PasswordField(
        _l("Nouveau mot de passe (10 caractères au moins)"), validators=[DataRequired(required_message)]
    )
    confirm = PasswordField(
        _l("Confirmez le nouveau mot de passe"),
        validators=[DataRequired(required_message), EqualTo("new", _l("Les deux mots de passe diffèrent."))],
    )


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
def forgot() -> str | Response:
    form = ForgotForm()
    if form.validate_on_submit():
        try:
            started = accounts.start_reset(db(), clock(), form.email.data, request.remote_addr or "")
        except ServiceError as error:
            form.form_errors.append(refused(error))
            return render_template("auth/forgot.html", form=form)
        # The same work on both paths (issue 18): a mail is rendered either way, and sent only to an account.
        config = current_app.config
        if started is not None:
            to, locale, token = started[0].email, started[0].locale, started[1]
        else:
            to, locale, token = form.email.data.strip(), l10n.language(get_locale()), secrets.token_urlsafe(32)
        message = render_email(
            "reset",
            {"reset_url": deps().links.reset_password(token)},
            locale=locale,
            to=to,
            sender=config["MAIL_FROM"],
            message_id=f"<reset-{secrets.token_hex(8)}@claimkit>",
        )
        if started is not None:
            try:
                mailer().send(message)
            except OSError:
                log.warning("password reset email not sent")
        flash(_("Si un compte existe avec cette adresse, un lien vient d'y être envoyé (valable 1 heure)."))
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reinitialiser/<token>", methods=["GET", "POST"])
def reset(token: str) -> str | Response:
    form = ResetForm()
    if form.validate_on_submit():
        try:
            accounts.finish_reset(db(), clock(), token, form.new.data)
        except ServiceError as error:
            form.form_errors.append(refused(error))
        else:
            logout_user()
            session.clear()
            flash(_("Mot de passe changé : connectez-vous. Toutes vos sessions ouvertes ont été fermées."))
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
