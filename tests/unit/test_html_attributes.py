"""The fast `html_params` (web/html_attributes.py) writes exactly what WTForms' own does, for every kind of value a
widget passes it: plain and Markup text with quotes and markup characters, numbers, lazy translations, booleans,
`data_`/`aria_`/`class_` names — and whole widgets drawn with it are unchanged."""

import itertools

from flask import Flask
from flask_babel import Babel, lazy_gettext
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    Form,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import core

from claimkit.web import html_attributes

VALUES: list[object] = [
    "",
    "plain",
    "a \"quoted\" <b>&amp;</b> 'x'",
    Markup('<i class="x">already safe</i> " &amp;'),
    0,
    150,
    12.5,
    None,
    True,
    False,
    "عربي « guillemets »",
]
NAMES = ["id", "class_", "for_", "data_share_it", "aria_describedby", "aria-invalid", "value", "name", '<odd">']


def test_every_name_and_value_gives_the_same_attributes() -> None:
    for name, value in itertools.product(NAMES, VALUES):
        assert html_attributes.html_params(**{name: value}) == html_attributes.ORIGINAL(**{name: value})
    for values in itertools.permutations(VALUES[:6], 3):
        kwargs = dict(zip(NAMES, values, strict=False))
        fast = html_attributes.html_params(**kwargs)
        assert fast == html_attributes.ORIGINAL(**kwargs) and isinstance(fast, Markup)
    assert html_attributes.html_params() == html_attributes.ORIGINAL() == Markup("")


def test_a_lazy_translation_gives_the_same_attribute() -> None:
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        label = lazy_gettext('Nom « du » "dossier"')
        assert html_attributes.html_params(title=label) == html_attributes.ORIGINAL(title=label)


class _Every(Form):
    text = StringField("Texte", validators=[DataRequired(), Length(max=20)], render_kw={"inputmode": "numeric"})
    day = DateField("Jour")
    count = IntegerField("Nombre", default=3)
    choice = SelectField("Choix", choices=[SelectChoice("a", 'A "1"'), SelectChoice("b", "B <2>")], default="b")
    radio = RadioField("Radio", choices=[SelectChoice("x", "X"), SelectChoice("y", "Y")], default="y")
    box = BooleanField("Case", default=True)
    note = TextAreaField("Note", default='<script>"x"</script>')


def test_whole_widgets_are_unchanged() -> None:
    form = _Every()
    fields = [form.text, form.day, form.count, form.choice, form.box, form.note, *form.radio]
    attrs = {"aria-invalid": "true", "aria-describedby": 'x-err "y"', "required": True}

    def drawn() -> list[str]:
        return [str(f(**attrs)) + str(f.label) + str(f.label(class_="c")) for f in fields]

    html_attributes.install()
    fast = drawn()
    assert core.html_params is widgets.html_params is html_attributes.html_params  # what the widgets call
    core.html_params = widgets.html_params = html_attributes.ORIGINAL
    core.Input.html_params = staticmethod(html_attributes.ORIGINAL)
    try:
        assert drawn() == fast
    finally:
        html_attributes.install()
