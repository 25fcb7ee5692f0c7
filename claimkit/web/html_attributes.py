"""WTForms' `html_params`, byte for byte the same output, without `Markup.format`.

Why: every widget (input, select and each of its options, textarea, label, the CSRF hidden field) builds its
attributes with `wtforms.widgets.core.html_params`, which formats each attribute through `Markup.format` — a
Python-level `string.Formatter` that escapes as it goes. The claim page calls it ~29 times, ~80 attributes, and
it was 14 % of the page's CPU time (cProfile, bench/profile_pages.py, issue 20). Here each attribute is the same
`escape()` (markupsafe's C function) joined with an f-string: the same bytes, several times cheaper.
`tests/unit/test_html_attributes.py` compares both on every kind of value a widget passes; the claim page's
snapshots (tests/integration/test_claim_page_html.py) compare whole pages.

`install()` puts it where WTForms looks it up: the module global (Select, Option, TextArea, ListWidget), the
package's re-export (Label) and the `Input`/`Button` class attributes bound at their definition.
"""

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets import core

ORIGINAL = core.html_params


def html_params(**kwargs: object) -> Markup:
    """Attributes sorted by name; `True` alone (`checked`), `False` left out, every name and value escaped and a
    double quote written `&quot;` even inside Markup (as `wtforms.widgets.core.html_params`)."""
    params = []
    for key, value in sorted(kwargs.items()):
        name = escape(core.clean_key(key))
        if value is True:
            params.append(str(name))
        elif value is not False:
            params.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    # Safe: names and values escaped above.
    return Markup(" ".join(params))  # nosec B704


def install() -> None:
    """Idempotent: each app created in a process installs the same function."""
    core.html_params = html_params
    widgets.html_params = html_params
    core.Input.html_params = staticmethod(html_params)
    core.Button.html_params = staticmethod(html_params)
