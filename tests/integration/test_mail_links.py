"""Issue 18: a link in a mail dies with its account; a bare user id (the old format) names nobody."""

from flask import Flask

from claimkit.adapters import tokens
from claimkit.adapters.db.models import User
from claimkit.services import notifications
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, Student, post_form


def test_old_unsubscribe_link_does_not_touch_the_next_account(app: Flask, student: Student) -> None:
    with deps(app).sessions() as db:
        first = db.get(User, 1)
        assert first is not None and first.mail_secret
        link = notifications.unsubscribe_token(app.config["SECRET_KEY"], first)
    assert post_form(student.client, "/donnees/suppression", {"password": PASSWORD}).status_code == 302
    newcomer = Student(app.test_client(), "nouvelle@example.ma")
    assert newcomer.sign_up().status_code == 302
    with deps(app).sessions() as db:
        new_id = db.scalar(User.__table__.select().with_only_columns(User.id))
    anonymous = app.test_client()
    assert anonymous.post(f"/desabonnement/{link}").status_code == 404
    bare_id = tokens.make(app.config["SECRET_KEY"], tokens.UNSUBSCRIBE, new_id)  # the format before issue 18
    assert anonymous.post(f"/desabonnement/{bare_id}").status_code == 404
    with deps(app).sessions() as db:
        user = db.get(User, new_id)
        assert user is not None and user.reminders_opt_out is False
        assert user.mail_secret != first.mail_secret
        fresh = notifications.unsubscribe_token(app.config["SECRET_KEY"], user)
    assert anonymous.post(f"/desabonnement/{fresh}").status_code == 200
