"""French error pages; a refused CSRF token explains how to recover instead of a bare 400.

An unexpected error is logged by its type and stack only: exception messages can quote user data (a database
error quotes the statement, a `ValueError` its input), and a log is read by people who must not see a CNIE.
The 500 page rolls the request's database session back first, or rendering it (which loads the signed-in
user) would fail again with `PendingRollbackError`.
"""

import traceback
from types import TracebackType

from flask import Flask, flash, g, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Response

from claimkit.adapters import l10n
from claimkit.adapters.db.ownership import NotFound as NotOwned
from claimkit.domain import limits
from claimkit.domain.messages import Refusal
from claimkit.web.filters import size_text

ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]


class App(Flask):
    """Flask whose unhandled-exception log line names the route pattern (never a path holding a token) and the
    exception types of the chain, with file/line frames, but no exception message."""

    def log_exception(self, exc_info: ExcInfo) -> None:
        _type, error, trace = exc_info
        rule = request.url_rule.rule if request.url_rule else "?"
        chain: list[str] = []
        while error is not None and len(chain) < 5:
            chain.append(type(error).__module__ + "." + type(error).__qualname__)
            error = error.__cause__ or error.__context__
        frames = "".join(traceback.format_tb(trace)) if trace else ""
        self.logger.error("Exception on %s [%s]: %s\n%s", rule, request.method, " <- ".join(chain), frames)


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    message = _(
        "Le formulaire a expiré ou n'a pas été envoyé depuis claimkit. Rechargez la page et recommencez : "
        "rien de ce qui était enregistré n'a été modifié."
    )
    return render_template("error.html", title=_("Formulaire refusé"), message=message), 400


def _rollback() -> None:
    session = g.get("db")
    if session is not None:
        session.rollback()


def _http_error(error: HTTPException) -> tuple[str, int]:
    if (error.code or 500) >= 500:
        _rollback()
    messages = {
        404: (_("Page introuvable"), _("Cette page n'existe pas ou ne vous appartient pas.")),
        405: (_("Action impossible"), _("Cette action n'est pas possible sur cette page.")),
        413: (
            _("Fichier trop lourd"),
            _("Le fichier dépasse %(size)s : envoyez une photo plus légère.", size=size_text(limits.UPLOAD_BYTES)),
        ),
    }
    title, message = messages.get(error.code or 500, (_("Erreur"), _("La demande n'a pas pu être traitée. Réessayez.")))
    return render_template("error.html", title=title, message=message), error.code or 500


def refused(error: Refusal) -> str:
    """A refusal in the reader's language: translated first, then filled with dates and amounts written for it."""
    return l10n.render(error.as_message, get_locale())


def _refusal(error: Refusal) -> Response | tuple[str, int]:
    """A refusal no view caught: said on the page the student came from, nothing saved changed (the use case
    refused before committing); a plain page when there is no such page."""
    _rollback()
    back = request.referrer
    if request.method == "POST" and back and back.startswith(request.host_url):
        flash(refused(error), "warning")
        return redirect(back)
    return render_template("error.html", title=_("Action refusée"), message=refused(error)), 400


def _not_owned(_error: NotOwned) -> tuple[str, int]:
    """Another student's claim, or one that does not exist: the same 404, never a hint that it exists."""
    return _http_error(NotFound())


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Refusal, _refusal)
    app.register_error_handler(NotOwned, _not_owned)
