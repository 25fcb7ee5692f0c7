"""The one home of the app's sizes and lengths: what an upload may weigh, how long a password must be, how much
text a field holds, the bounds of a typed amount or date.

Pure Python in the domain, because every layer enforces or says them: the web config (MAX_CONTENT_LENGTH), the
upload checks and the scan worker (adapters), the services, the forms' validators, the columns' lengths
(adapters/db/models.py) and the messages that state them. Messages never spell a limit: they carry a placeholder
(`%(size)s`, `%(count)s`) filled from here at display, in the reader's language (`shown` for sizes), so changing a
limit here changes what is refused and what the student reads, together.
"""

from datetime import date
from decimal import Decimal

from claimkit.domain.messages import N_, Message

MEBIBYTE = 1024 * 1024

# Uploads. A phone photo is 2–6 MB; 20 MB lets a 48 MP photo of a box through. The request cap (Flask's
# MAX_CONTENT_LENGTH) is the largest upload, so each kind's own check answers before Flask's 413.
UPLOAD_BYTES = 20 * MEBIBYTE  # a photo (barcode scan, checklist original) and any request body
SHEET_BYTES = 15 * MEBIBYTE  # an official or personalised sheet (PDF); a scan in black and white is far less
ATTESTATION_BYTES = 10 * MEBIBYTE  # the CNOPS's attestation is a one-page PDF of some 100 KB

# Accounts.
MIN_PASSWORD_LENGTH = 10  # with the strength check (adapters/password_strength.py); SECURITY.md
EMAIL_LENGTH = 254  # RFC 5321's longest path

# Text typed in forms, and the columns that hold it (a form never accepts more than its column stores).
NAME_LENGTH = 100  # nom, prénom, in Latin letters and in Arabic
PARENT_NAME_LENGTH = 200  # "nom et prénom" of the insured parent, one field
CODE_LENGTH = 20  # CNIE, Massar, immatriculation, INPE, ICE, IF, ALD code, telephone
ESTABLISHMENT_LENGTH = 200
ADDRESS_LENGTH = 500  # a Text column: the form's bound is the limit
LABEL_LENGTH = 120  # the claim's name, a practitioner
REFERENCE_LENGTH = 40  # n° d'accord, d'entente, de recommandé
PAYMENT_REFERENCE_LENGTH = 60
MEDICINE_NAME_LENGTH = 200
REASON_LENGTH = 500  # the CNOPS's reason for a rejection
CIRCUMSTANCES_LENGTH = 1000

# Typed figures. Dates: nothing before 1900 (a birth date) and nothing more than two years ahead (a deadline is at
# most months away); beyond that a date is a typo and would be published in the calendar feed (and 9999-12-31
# + 1 day overflows). Amounts: a student's medical bill stays far below 1 000 000 DH; the columns hold 2 decimals.
MIN_DATE = date(1900, 1, 1)
MAX_DAYS_AHEAD = 2 * 366
MAX_AMOUNT = Decimal("1000000")
AMOUNT_DECIMALS = 2

MEGABYTES = N_("%(count)s Mo")  # the unit in the reader's language (ميغابايت), translated at display


def shown(n_bytes: int) -> Message:
    """20 MiB → "20 Mo" / "20 ميغابايت" once rendered: whole mebibytes, which every size limit here is."""
    return Message(MEGABYTES, {"count": n_bytes // MEBIBYTE})
