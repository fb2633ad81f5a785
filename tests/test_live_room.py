"""Live rooms through the Flask-SocketIO test client: joining, questions, votes, moderation, state."""
import pytest

from roadshow.accounts.models import Role
from roadshow.live.models import Question, QuestionVote
from roadshow.roadshows.models import SessionStatus

from .test_live_support import book, connect, live_room  # noqa: F401  (fixtures)


def test_join_refused_without_login_or_booking_and_allowed_with_a_seat(live_room, connect, make_user):
    anonymous = connect(None, live_room.session)
    assert not anonymous.connected
    outsider = connect(make_user(Role.INVESTOR), live_room.session)
    assert not outsider.connected
    seated = connect(live_room.investors[0], live_room.session)
    assert seated.connected
    state = seated.last("state")
    assert state["you"]["role"] == "attendee" and state["you"]["can_ask"]
    assert [s["title"] for s in state["lineup"]] == [s.project.title for s in live_room.slots]


def test_public_viewing_lets_anyone_watch_but_not_ask(live_room, connect, db, make_user):
    live_room.session.public_viewing = True
    db.session.commit()
    viewer = connect(None, live_room.session)
    assert viewer.connected
    assert viewer.last("state")["you"]["role"] == "viewer"
    investor = connect(make_user(Role.INVESTOR), live_room.session)
    ack = investor.emit("ask", {"body": "能介绍一下毛利率吗？"})
    assert ack["ok"] is False and ack["code"] == "forbidden"
    assert db.session.query(Question).count() == 0
