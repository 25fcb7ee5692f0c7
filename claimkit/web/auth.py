"""Sign-up, sign-in, sign-out and password change."""

import logging
from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from claimkit.adapters import l10n
from claimkit.adapters.db.models import User
from claimkit.domain import limits
from claimkit.services import ServiceError, account_mails, accounts
from claimkit.web.db import clock, db
from claimkit.web.errors import refused
from claimkit.web.extensions import LANGUAGE_COOKIE, login_manager
from claimkit.web.responses import forget_this_device
from claimkit.web.validators import SafeForm, email_address, required_message

bp = Blueprint("auth", __name__, url_prefix="/compte")
log = logging.getLogger(__name__)


class SignUpForm(SafeForm):
    """Sign-up's first step: only the address, which gets a link (services/account_mails.py)."""

    email = EmailField(_l("Adresse électronique"), validators=[DataRequired(required_message), email_address])


PASSWORD_LABEL = _l("Mot de passe (%(count)s caractères au moins)", count=limits.MIN_PASSWORD_LENGTH)
NEW_PASSWORD_LABEL = _l("Nouveau mot de passe (%(count)s caractères au moins)", count=limits.MIN_PASSWORD_LENGTH)


class FinishSignUpForm(SafeForm):
    """Sign-up's last step, from the mailed link: the address is proven, the password and consent are asked."""

    password = PasswordField(PASSWORD_LABEL, validators=[DataRequired(required_message)])
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

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proven_email = email  # from the signed link: a password made of the address is refused

    def validate_password(self, field: PasswordField) -> None:
        """The strength rule, checked with the other fields so every mistake shows in one try (the service
        checks it again)."""
        if problem := accounts.password_problem(field.data or "", self.proven_email):
            raise ValidationError(l10n.render(problem, get_locale()))


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
    """Mail-first (issue 18): the same answer and the same work whether the address has an account or not; the
    mail says which (a link to finish, or "you already have an account")."""
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            account_mails.request_sign_up(
                db(), clock(), form.email.data, l10n.language(get_locale()), request.remote_addr or ""
            )
        except ServiceError as error:
            form.form_errors.append(refused(error))
        else:
            return redirect(url_for("auth.signup_sent"))
    return render_template("auth/signup.html", form=form)


@bp.get("/inscription/envoye")
def signup_sent() -> str:
    return render_template("auth/signup_sent.html")


@bp.route("/inscription/<token>", methods=["GET", "POST"])
def signup_finish(token: str) -> str | Response:
    found = account_mails.read_sign_up_token(current_app.config["SECRET_KEY"], token)
    if found is None:
        return render_template("auth/signup_finish.html", form=None, email="")
    email, mail_locale = found
    # The page speaks the language the student signed up in, unless they chose one here (cookie).
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    with force_locale(l10n.regional(chosen if chosen in l10n.LANGUAGES else mail_locale)):
        if accounts.has_account(db(), email):
            flash(_("Un compte existe déjà avec cette adresse : connectez-vous."))
            return redirect(url_for("auth.login"))
        form = FinishSignUpForm(email=email)
        if form.validate_on_submit():
            try:
                user = accounts.sign_up(
                    db(), clock(), email, form.password.data, form.consent.data, l10n.language(get_locale())
                )
            except ServiceError as error:
                form.form_errors.append(refused(error))
            else:
                _start_session(user, accounts.open_session(db(), clock(), user, session_policy()))
                flash(_("Compte créé. Complétez votre profil : il remplit la partie assuré de vos feuilles."))
                return redirect(url_for("profile.edit"))
        return render_template("auth/signup_finish.html", form=form, email=email)


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
    new = PasswordField(NEW_PASSWORD_LABEL, validators=[DataRequired(required_message)])
    confirm = PasswordField(
        _l("Confirmez le nouveau mot de passe"),
        validators=[DataRequired(required_message), EqualTo("new", _l("Les deux mots de passe diffèrent."))],
    )


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
def forgot() -> str | Response:
    form = ForgotForm()
    if form.validate_on_submit():
        try:  # the same work whether the address has an account or not: one outbox row (issue 18)
            account_mails.request_reset(
                db(), clock(), form.email.data, l10n.language(get_locale()), request.remote_addr or ""
            )
        except ServiceError as error:
            form.form_errors.append(refused(error))
            return render_template("auth/forgot.html", form=form)
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
