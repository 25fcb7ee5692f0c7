"""French error pages; a refused CSRF token explains how to recover instead of a bare 400."""

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    message = _(
        "Le formulaire a expiré ou n'a pas été envoyé depuis claimkit. Rechargez la page et recommencez : "
        "rien de ce qui était enregistré n'a été modifié."
    )
    return render_template("error.html", title=_("Formulaire refusé"), message=message), 400


def _http_error(error: HTTPException) -> tuple[str, int]:
    messages = {
        404: (_("Page introuvable"), _("Cette page n'existe pas ou ne vous appartient pas.")),
        405: (_("Action impossible"), _("Cette action n'est pas possible sur cette page.")),
        413: (_("Fichier trop lourd"), _("Le fichier dépasse 20 Mo : envoyez une photo plus légère.")),
    }
    title, message = messages.get(error.code or 500, (_("Erreur"), _("La demande n'a pas pu être traitée. Réessayez.")))
    return render_template("error.html", title=title, message=message), error.code or 500


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
