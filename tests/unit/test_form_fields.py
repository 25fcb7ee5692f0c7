"""`field` in Python (web/form_fields.py) draws exactly what `_forms.html`'s Jinja macro drew: every field of
every form of the app, empty and with two error messages (markup characters in them), with and without a hint, in
French and in Arabic. The macro is kept here verbatim as the reference (claimkit at 0cb0a5d)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale
from markupsafe import Markup

from claimkit.web import create_app
from claimkit.web.form_fields import field
from claimkit.web.validators import SafeForm

MACRO = """{% macro field(f, hint=None, type=None) -%}
  {%- set err_id = f.id ~ '-err' -%}
  {%- set described = ((f.id ~ '-hint ') if hint else '') ~ (err_id if f.errors else '') -%}
  {%- set attrs = {} -%}
  {%- if f.errors %}{% set _ = attrs.update({'aria-invalid': 'true'}) %}{% endif -%}
  {%- if described.strip() %}{% set _ = attrs.update({'aria-describedby': described.strip()}) %}{% endif -%}
  <div class="field{{ ' has-error' if f.errors }}">
    {% if f.type == 'BooleanField' %}
      <label class="check">{{ f(**attrs) }} <span>{{ f.label.text }}</span></label>
    {% elif f.type == 'RadioField' %}
      <fieldset id="{{ f.id }}"{% if f.errors %} aria-describedby="{{ err_id }}"{% endif %}>
        <legend>{{ f.label.text }}</legend>
        {% for option in f %}<label class="check">{{ option(**({'aria-invalid': 'true'} if f.errors else {})) }} \
<span>{{ option.label.text }}</span></label>{% endfor %}
      </fieldset>
    {% else %}
      {{ f.label }}
      {% if hint %}<p class="hint" id="{{ f.id }}-hint">{{ hint }}</p>{% endif %}
      {%- if f.flags.required %}{% set _ = attrs.update({'required': True}) %}{% endif -%}
      {{ f(**attrs) }}
    {% endif %}
    {% if f.errors %}
      <p class="error" id="{{ err_id }}">{% for e in f.errors %}{{ e }}{% if not loop.last %} {% endif %}\
{% endfor %}</p>
    {% endif %}
  </div>
{%- endmacro %}{{ field(f, hint) }}""".replace("\\\n", "")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {"DATABASE_URL": "sqlite://", "SECRET_KEY": "t", "INSTANCE_PATH": tmp_path, "WTF_CSRF_ENABLED": False}
    )
    yield app


def _forms() -> list[type[SafeForm]]:
    found, todo = [], list(SafeForm.__subclasses__())
    while todo:
        form = todo.pop()
        found.append(form)
        todo.extend(form.__subclasses__())
    return found


def test_every_field_of_every_form_is_drawn_as_the_macro_drew_it(app: Flask) -> None:
    reference = app.jinja_env.from_string(MACRO)
    drawn = 0
    with app.test_request_context():
        for locale in ("fr", "ar"):
            with force_locale(locale):
                for form_class in _forms():
                    form = form_class(formdata=None)
                    for f in form:
                        if f.type == "CSRFTokenField":
                            continue
                        for errors, hint in [([], None), (["Trop <long>", Markup("<b>ok</b> & co")], "Aide « x »")]:
                            f.errors = errors
                            expected = reference.render(f=f, hint=hint)
                            assert field(f, hint) == expected, (form_class.__name__, f.name, locale, errors)
                            drawn += 1
    assert drawn > 100  # every form of the app was found (sign-up, profile, claim, tracking, scan…)
