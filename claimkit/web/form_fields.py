"""One form field with its label, hint and errors: `_forms.html`'s `field`, written in Python.

Why: the claim page draws about ten fields, and the Jinja macro that wrapped each WTForms widget cost more than the
widget itself (a macro call, a new frame, a dict built with `attrs.update` in the template, ~25 attribute lookups
through the sandboxed getattr): 18 % of the page's CPU time with the widgets (cProfile, bench/profile_pages.py,
issue 20). The markup is the macro's, byte for byte, whitespace included: tests/unit/test_form_fields.py draws every
field of every form of the app with both, with and without errors and hints, and the claim page's snapshots
(tests/integration/test_claim_page_html.py) compare whole pages. `_forms.html` exports this function under the
macro's old name, so templates still `{% from "_forms.html" import field %}`.

An invalid field has aria-invalid and aria-describedby pointing at its message, drawn right under it.
"""

from typing import Any

from flask import Flask
from markupsafe import Markup, escape


def field(f: Any, hint: str | None = None) -> Markup:
    """`f` is a bound WTForms field; `hint` a text drawn under its label (escaped unless Markup)."""
    errors = f.errors
    err_id = f"{f.id}-err"
    described = ((f"{f.id}-hint ") if hint else "") + (err_id if errors else "")
    attrs: dict[str, object] = {}
    if errors:
        attrs["aria-invalid"] = "true"
    if described.strip():
        attrs["aria-describedby"] = described.strip()
    out = [f'<div class="field{" has-error" if errors else ""}">\n    ']
    if f.type == "BooleanField":
        out.append(f'\n      <label class="check">{f(**attrs)} <span>{escape(f.label.text)}</span></label>\n    ')
    elif f.type == "RadioField":
        invalid = {"aria-invalid": "true"} if errors else {}
        options = "".join(
            f'<label class="check">{option(**invalid)} <span>{escape(option.label.text)}</span></label>' for option in f
        )
        fieldset = f'<fieldset id="{escape(f.id)}"' + (f' aria-describedby="{escape(err_id)}"' if errors else "")
        out.append(f"\n      {fieldset}>\n        <legend>{escape(f.label.text)}</legend>\n        {options}\n")
        out.append("      </fieldset>\n    ")
    else:
        hint_html = f'<p class="hint" id="{escape(f.id)}-hint">{escape(hint)}</p>' if hint else ""
        if f.flags.required:
            attrs["required"] = True
        out.append(f"\n      {f.label.__html__()}\n      {hint_html}{f(**attrs)}\n    ")
    out.append("\n    ")
    if errors:
        messages = " ".join(str(escape(message)) for message in errors)
        out.append(f'\n      <p class="error" id="{escape(err_id)}">{messages}</p>\n    ')
    out.append("\n  </div>")
    # Safe: every piece of text above is escaped or a widget's Markup.
    return Markup("".join(out))  # nosec B704


def init_app(app: Flask) -> None:
    app.jinja_env.globals["field_html"] = field
