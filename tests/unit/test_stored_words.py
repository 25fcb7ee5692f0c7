"""Issue 17: what is stored is language-neutral; the words are said at display time (a title, a timeline detail),
and rows stored with French words before are read the same way."""

from claimkit.domain.claims import claim_title
from claimkit.domain.lifecycle import COPY_OF, PAID_BY, copy_detail, payment_detail, said_detail
from claimkit.domain.messages import Message

ARABIC = {"%(label)s (nouvel envoi)": "%(label)s (إرسال جديد)", "Soins dentaires": "علاجات الأسنان"}


def arabic(msgid: str) -> str:
    return ARABIC.get(msgid, msgid)


def test_a_copy_says_nouvel_envoi_in_the_readers_language() -> None:
    assert claim_title("Angine", "maladie") == "Angine"
    assert claim_title("", "dentaire", translate=arabic) == "علاجات الأسنان"
    assert claim_title("Angine", "maladie", resent=True, translate=arabic) == "Angine (إرسال جديد)"
    assert claim_title("", "dentaire", resent=True, translate=arabic) == "علاجات الأسنان (إرسال جديد)"


def test_labels_stored_in_french_before_are_read_as_copies() -> None:
    assert claim_title("Angine (nouvel envoi)", "maladie", translate=arabic) == "Angine (إرسال جديد)"
    assert claim_title("Dossier (nouvel envoi)", "dentaire", translate=arabic) == "علاجات الأسنان (إرسال جديد)"


def test_timeline_details_keep_keys_and_figures_and_say_the_words_later() -> None:
    assert copy_detail(12) == "copy:12"
    assert said_detail("created", "copy:12") == (Message(COPY_OF, {"number": "12"}), "")
    assert said_detail("created", "copie du dossier n° 4") == (Message(COPY_OF, {"number": "4"}), "")
    assert payment_detail("virement", " VIR 77 ") == "virement VIR 77"
    assert payment_detail("mandat", "") == "mandat"
    assert said_detail("partielle", "virement VIR 77") == (Message(PAID_BY["virement"]), "VIR 77")
    assert said_detail("remboursee", "mandat") == (Message(PAID_BY["mandat"]), "")
    assert said_detail("remboursee", "mandat postal MP 5") == (Message(PAID_BY["mandat"]), "MP 5")  # stored before


def test_details_typed_by_the_student_are_left_alone() -> None:
    assert said_detail("rejetee", "virement refusé") == (None, "virement refusé")  # a reason, not a payment
    assert said_detail("created", "") == (None, "")
    assert said_detail("partielle", "chèque 5") == (None, "chèque 5")
