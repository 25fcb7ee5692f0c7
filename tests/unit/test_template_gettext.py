"""A template's `_()` (web/template_i18n._translate, one call) gives what Jinja's own alias of the newstyle gettext
gave: Markup when autoescaping, escaped variables, "%%" always read as "%", in French and in Arabic, and the same
from a macro file imported without context (where it falls back to Flask-Babel)."""

from pathlib import Path

from flask import render_template_string
from flask_babel import force_locale
from jinja2.ext import _gettext_alias

from claimkit.web import create_app

TEMPLATE = """{{ _("Mes dossiers") }}|{{ _("Motif du rejet : %(reason)s", reason="<b>x</b> & y") }}|\
{{ _("100 %% sûr") }}|{{ _("Un texte que le catalogue ne connaît pas") }}|{% from "_forms.html" import form_errors %}\
{{ form_errors(form) }}"""


class _Refused:
    def __init__(self) -> None:
        self.form_errors, self.errors, self._prefix = ["<Refusé>"], {}, ""


def test_the_one_call_gettext_gives_what_jinjas_alias_gave(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "t", "INSTANCE_PATH": tmp_path})
    with app.test_request_context():
        for locale in ("fr", "ar"):
            with force_locale(locale):
                fast = render_template_string(TEMPLATE, form=_Refused())
                assert app.jinja_env.globals["_"] is not _gettext_alias
                saved, app.jinja_env.globals["_"] = app.jinja_env.globals["_"], _gettext_alias
                app.jinja_env.cache.clear()  # templates bind globals when loaded
                try:
                    assert render_template_string(TEMPLATE, form=_Refused()) == fast
                finally:
                    app.jinja_env.globals["_"] = saved
                    app.jinja_env.cache.clear()
                assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in fast and "100 % sûr" in fast and "&lt;Refusé&gt;" in fast
                assert fast.startswith("ملفاتي|" if locale == "ar" else "Mes dossiers|")
