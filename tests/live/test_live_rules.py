"""Live-room rules that protect the room: bad input, other sessions' questions, limits, escaping, restarts."""
from datetime import timedelta

import pytest

from roadshow import create_app
from roadshow.extensions import db as _db
from roadshow.live.models import Announcement, Question, QuestionVote
from roadshow.roadshows.models import SessionStatus

from ..support.live_room import LiveClient, book

XSS = "<img src=x onerror=alert(1)>"


def snapshot(db) -> tuple:
    return (db.session.query(Question).count(), db.session.query(QuestionVote).count(),
            db.session.query(Announcement).count())


@pytest.mark.parametrize("event, data", [
    ("ask", None),
    ("ask", {}),
    ("ask", {"body": 42}),
    ("ask", {"body": "问题", "votes": 99}),
    ("ask", "就一个字符串"),
    ("ask", {"body": "问题", "project_id": "1"}),
    ("vote", {"question_id": "1"}),
    ("vote", {"id": 1}),
    ("host:moderate", {"question_id": 1, "action": "delete"}),
    ("host:extend", {"minutes": "5"}),
    ("host:announce", {"text": "公告"}),
])
def test_events_with_missing_or_wrong_fields_get_an_error_and_change_nothing(live_room, connect, db, event, data):
    host = connect(live_room.host, live_room.session)
    client = host if event.startswith("host:") else connect(live_room.investors[0], live_room.session)
    before = snapshot(db)
    ack = client.emit(event, data)
    assert ack["ok"] is False and ack["code"] == "invalid_payload"
    error = client.received("error")[-1]
    assert error["code"] == "invalid_payload" and error["message"]
    assert snapshot(db) == before


def test_oversize_and_empty_text_is_refused(live_room, connect, db):
    client = connect(live_room.investors[0], live_room.session)
    host = connect(live_room.host, live_room.session)
    assert client.emit("ask", {"body": "问" * 501})["code"] == "too_long"
    assert client.emit("ask", {"body": "   "})["code"] == "empty"
    assert host.emit("host:announce", {"body": "告" * 301})["code"] == "too_long"
    assert client.emit("ask", {"body": "问" * 500})["ok"]
    assert host.emit("host:announce", {"body": "告" * 300})["ok"]


def test_actions_on_another_sessions_question_are_refused(live_room, connect, db, make_session, make_user):
    other = make_session(host=live_room.host, status=SessionStatus.LIVE, starts_in=timedelta(days=5))
    investor = live_room.investors[0]
    book(db, other, investor)
    elsewhere = connect(investor, other)
    foreign = elsewhere.emit("ask", {"body": "另一场的问题"})["id"]

    here = connect(investor, live_room.session)
    host = connect(live_room.host, live_room.session)
    assert here.emit("vote", {"question_id": foreign})["code"] == "not_found"
    assert here.emit("withdraw", {"question_id": foreign})["code"] == "not_found"
    for action in ("pin", "hide", "answer"):
        assert host.emit("host:moderate", {"question_id": foreign, "action": action})["code"] == "not_found"
    untouched = db.session.get(Question, foreign)
    assert (untouched.votes, untouched.pinned, untouched.answered_at, untouched.status.value) == (0, False, None, "approved")
    other_slot_project = live_room.slots[0].project_id
    assert elsewhere.emit("ask", {"body": "问别场项目", "project_id": other_slot_project})["code"] == "not_found"


def test_rate_limits_on_asking_and_voting(app, live_room, connect):
    app.config.update(LIVE_QUESTION_RATE="3/minute", LIVE_VOTE_RATE="2/minute")
    alice, bob = live_room.investors
    a, b = connect(alice, live_room.session), connect(bob, live_room.session)
    ids = [a.emit("ask", {"body": f"第{n}个问题"})["id"] for n in range(3)]
    refused = a.emit("ask", {"body": "第四个问题"})
    assert refused["code"] == "rate_limited" and "3" in refused["message"]
    assert b.emit("ask", {"body": "别人不受影响"})["ok"]
    assert [b.emit("vote", {"question_id": q})["ok"] for q in ids] == [True, True, False]
    assert b.received("error")[-1]["code"] == "rate_limited"


def test_questions_and_votes_survive_a_restart(app, live_room, connect):
    alice, bob = live_room.investors
    host = connect(live_room.host, live_room.session)
    a = connect(alice, live_room.session)
    host.emit("host:settings", {"qa_locked": False, "premoderation": False})
    host.emit("host:advance")
    qid = a.emit("ask", {"body": "重启后还在吗？", "anonymous": True})["id"]
    connect(bob, live_room.session).emit("vote", {"question_id": qid})
    host.emit("host:moderate", {"question_id": qid, "action": "pin"})
    for client in (host, a):
        client.disconnect()

    restarted = create_app(dict(app.config))  # a new process on the same database
    with restarted.app_context():
        state = LiveClient(restarted, bob, live_room.session.id).last("state")
        _db.session.remove()
    question = state["questions"][0]
    assert (question["id"], question["votes"], question["pinned"], question["author"]) == (qid, 1, True, None)
    assert state["room"]["phase"] == "pitch" and state["room"]["current_slot_id"] == live_room.slots[0].id
    assert state["you"]["voted"] == [qid]


def test_xss_payload_is_escaped_in_the_record_page_and_not_markup_in_the_live_page(live_room, connect, db):
    a = connect(live_room.investors[0], live_room.session)
    host = connect(live_room.host, live_room.session)
    host.emit("host:advance")
    qid = a.emit("ask", {"body": XSS})["id"]
    assert connect(live_room.investors[1], live_room.session).last("state")["questions"][0]["body"] == XSS
    host.emit("host:announce", {"body": XSS})

    page = a.http.get(f"/live/{live_room.session.id}").get_data(as_text=True)
    assert XSS not in page and "onerror" not in page  # questions reach the page only as data, set with textContent

    host.emit("host:end")
    record = a.http.get(f"/live/{live_room.session.id}/record")
    html = record.get_data(as_text=True)
    assert record.status_code == 200
    assert XSS not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert db.session.get(Question, qid).body == XSS  # stored as typed, escaped when shown
