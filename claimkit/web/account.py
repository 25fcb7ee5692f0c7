""" "Mes chiffres" and the student's data: what is kept, exports, account deletion (law 09-08)."""

from functools import partial
from pathlib import Path

from flask import Blueprint, Response, current_app, flash, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse
from wtforms import PasswordField
from wtforms.validators import DataRequired

from claimkit.adapters import l10n
from claimkit.services import ServiceError, claims, data_rights, figures
from claimkit.web import charts
from claimkit.web.db import clock, db
from claimkit.web.errors import refused
from claimkit.web.responses import file_response, forget_this_device
from claimkit.web.validators import SafeForm, required_message

bp = Blueprint("account", __name__)


class DeleteForm(SafeForm):
    password = PasswordField(_l("Votre mot de passe, pour confirmer"), validators=[DataRequired(required_message)])


def _uploads() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here is about the signed-in student's own data."""


@bp.get("/chiffres")
def numbers() -> str:
    result = figures.figures(db(), clock(), current_user.id)
    # The SVG is built by web.charts from numbers and html-escaped labels only.
    drawn = result.chart
    svg = charts.bar_chart(
        drawn.months, drawn.series, drawn.title, drawn.legend, partial(l10n.money, locale=get_locale())
    )
    chart = Markup(svg)  # nosec B704
    return render_template("account/figures.html", f=result, chart=chart)


@bp.get("/donnees")
def data() -> str:
    trash = claims.trash(db(), clock(), current_user.id, _uploads())
    return render_template("account/data.html", form=DeleteForm(formdata=None), trash=trash)


@bp.get("/donnees/export.csv")
def export_csv() -> Response:
    content = data_rights.export_csv(db(), clock(), current_user.id)
    return file_response(content, "text/csv", "claimkit-dossiers.csv")


@bp.get("/donnees/export.zip")
def export_zip() -> Response:
    content = data_rights.export_zip(db(), clock(), current_user.id, _uploads())
    return file_response(content, "application/zip", "claimkit-mes-donnees.zip")


@bp.post("/donnees/suppression")
def delete() -> tuple[str, int] | BaseResponse:
    form = DeleteForm()
    if form.validate():
        try:
            outbox = current_app.config["MAIL_OUTBOX_DIR"] if current_app.config["MAIL_BACKEND"] == "outbox" else None
            data_rights.delete_account(
                db(),
                clock(),
                current_user._get_current_object(),
                form.password.data,
                _uploads(),
                outbox and Path(outbox),
            )
        except ServiceError as error:
            form.password.errors = [refused(error)]
        else:
            logout_user()
            session.clear()
            flash(_("Votre compte et toutes ses données ont été supprimés."))
            return forget_this_device(redirect(url_for("auth.signup")))
    trash = claims.trash(db(), clock(), current_user.id, _uploads())
    return render_template("account/data.html", form=form, trash=trash), 400
