"""The key of a cached page (the dashboard, a claim page): everything its HTML is drawn from.

Why: drawing these pages is mostly Jinja, WTForms and babel now (issue 20: the claim page cost 7.6 times the login
page's CPU, the dashboard 2.9 times), and a student opens the same page again and again with nothing changed. The
web layer keeps the drawn HTML per process (web/page_cache.py) under this key; any change to what the page shows
gives another key, so a changed page is drawn again and an unchanged one is not. What the key holds, found by
reading the views and their templates (main.home, claims.show):
- the student and `users.revision`: account (email confirmed or not), profile (rights, the first-step card),
  registration (the before-the-first-claim card), law 54-23 notices (the banner, dismissed or not);
- the fingerprint of every claim of the student, deleted ones too (count, highest id, sum of revision + version,
  adapters/db/revisions.claims_fingerprint): the cards, the claim shown and its rows (acts, medicines, ticks,
  photos, payments, events, own sheet), the practitioners of the other claims, and the `version` every form
  carries (the guard bumps it without a revision);
- the "reference" counter the request's reference rows were read at (rates, tariffs, margins, holidays, the
  cut-over, insurers and their sheets, medicines);
- the locale the page is drawn in, and the student's today in Casablanca (days left, the urgency, the dates the
  forms offer, the law 54-23 phase and the contacts of the day): nothing on these pages reads the time of day;
- the URL prefix the links are drawn under (`script_root`).
The revisions are bumped at every flush that changes those rows (adapters/db/revisions.py), so this needs no
invalidation; what a use case writes with Core statements is listed there. All of it rides on the session query
(services/accounts.user_for_session): a page served from the store costs that one statement.
"""

import hashlib

from sqlalchemy.orm import Session

from claimkit.adapters.db import reference_cache, revisions
from claimkit.domain.deadlines import local_today
from claimkit.services import Clock


def page_key(db: Session, clock: Clock, user_id: int, page: str, locale: str, script_root: str = "") -> bytes:
    """The key of `page` ("home", "claim:<id>") for the student, in `locale`, as of now (32 bytes): from what the
    session query read on the first call of a request, from a fresh read on the next."""
    user_revision, claims = revisions.page_revisions(db, user_id)
    parts = (
        page,
        user_id,
        user_revision,
        claims,
        reference_cache.revision(db),
        locale,
        local_today(clock()).isoformat(),
        script_root,
    )
    return hashlib.sha256(repr(parts).encode()).digest()
