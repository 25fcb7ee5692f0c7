"""The dashboard and the claim page served from their drawn HTML when nothing they show has changed (issue 20).

A repeat GET costs the session query, which brings the key's revisions (services/page_keys.py), and a lookup in the
app's `PageStore` (one per worker, bounded in bytes, `PAGE_CACHE_BYTES`, 0 = off). What differs on every response is
never stored: the page is kept with placeholders where the CSRF token and the forms' idempotency keys go, and each
response gets the request's own `generate_csrf()` (timed, of this session) and fresh keys; a miss is served
through the same filling, so the two paths cannot drift apart.

Never stored nor served from the store: anything but a GET of a signed-in student; a request with one-time session
state (flashes waiting to be shown, the dashboard's "Annuler" after a deletion); a page that showed or left a
flash; anything but a drawn page (a redirect, an error). A refused form drawn again is a POST and has its own
path (claims._page).
"""

import functools
import secrets
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import g, get_flashed_messages, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from claimkit.services import page_keys
from claimkit.web.db import clock, db
from claimkit.web.deps import deps

_NONCE = secrets.token_hex(12)  # per process: a student cannot type a placeholder into a label
CSRF_SLOT = f"csrf-{_NONCE}"
KEY_SLOT = f"idem-{_NONCE}"
ONE_TIME = ("_flashes", "undo_claim")  # session entries a page shows once (base.html, main.home)
_DRAWING = "claimkit_page_drawing"  # g: a stored page is being drawn, idempotency keys become slots

View = TypeVar("View", bound=Callable[..., Any])


def idempotency_key() -> str:
    """A fresh key for web/guard.form_guard, or its slot while a page to keep is drawn."""
    return KEY_SLOT if g.get(_DRAWING) else secrets.token_urlsafe(24)


def fill(kept: str) -> str:
    """The kept page for this response: this request's CSRF token, and a new idempotency key in each form."""
    pieces = kept.replace(CSRF_SLOT, generate_csrf()).split(KEY_SLOT)
    return pieces[0] + "".join(secrets.token_urlsafe(24) + piece for piece in pieces[1:])


def _may_cache() -> bool:
    return (
        deps().pages.enabled
        and request.method == "GET"
        and current_user.is_authenticated
        and not any(name in session for name in ONE_TIME)
    )


def _draw(view: Callable[..., Any], args: dict[str, Any]) -> tuple[Any, str | None]:
    """The view's answer, and the page to keep (with its slots) when there is one to keep."""
    token = generate_csrf()  # drawn into the page as the request's token: replaced by its slot below
    g.setdefault(_DRAWING, True)
    try:
        answer = view(**args)
    finally:
        g.pop(_DRAWING, None)
    if not isinstance(answer, str):
        return answer, None
    kept = answer.replace(token, CSRF_SLOT)
    if get_flashed_messages() or session.get("_flashes"):  # shown now, or left for the next page
        return fill(kept), None
    return fill(kept), kept


def cached(page: Callable[..., str]) -> Callable[[View], View]:
    """Serves the decorated GET view from the app's PageStore; `page(**view_args)` names the page in its key."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def serve(**args: Any) -> Any:
            if not _may_cache():
                return view(**args)
            store = deps().pages

            def key() -> bytes:
                return page_keys.page_key(
                    db(), clock(), current_user.id, page(**args), str(get_locale()), request.script_root
                )

            wanted = key()
            if (kept := store.get(wanted)) is not None:
                return fill(kept)
            answer, drawn = _draw(view, args)
            # Kept only if nothing changed while it was drawn: newer HTML never sits under an older key.
            if drawn is not None and key() == wanted:
                store.put(wanted, drawn)
            return answer

        return cast(View, serve)

    return decorate
