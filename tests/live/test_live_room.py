"""Live rooms through the Flask-SocketIO test client: joining, questions, votes, moderation, state."""
from datetime import timedelta

from roadshow.accounts.models import Role
from roadshow.common.timeutil import utcnow
from roadshow.live.models import Question, QuestionVote
from roadshow.roadshows.models import SessionStatus

from ..support.live_room import book


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


def question_ids(events) -> list[int]:
    return [q["id"] for q in events]


def test_ask_vote_moderate_pin_answer_reach_every_other_client(live_room, connect, db):
    alice, bob = live_room.investors
    a, b = connect(alice, live_room.session), connect(bob, live_room.session)
    host = connect(live_room.host, live_room.session)
    for client in (a, b, host):
        client.received()

    ack = a.emit("ask", {"body": "800G 模块的良率现在是多少？"})
    assert ack["ok"] and ack["status"] == "approved"
    qid = ack["id"]
    seen_by_b = b.received("question")
    assert seen_by_b[0]["body"] == "800G 模块的良率现在是多少？" and seen_by_b[0]["author"] == "张投资"
    assert host.received("question")[0]["author_id"] == alice.id

    assert b.emit("vote", {"question_id": qid})["votes"] == 1
    again = b.emit("vote", {"question_id": qid})
    assert again["ok"] is False and again["code"] == "already_voted"
    assert b.received("error")[-1]["code"] == "already_voted"
    assert a.received("question")[-1]["votes"] == 1
    assert db.session.get(Question, qid).votes == 1
    assert db.session.query(QuestionVote).count() == 1

    for action in ("pin", "answer"):
        assert host.emit("host:moderate", {"question_id": qid, "action": action})["ok"]
    latest = b.received("question")[-1]
    assert latest["pinned"] and latest["answered"]
    assert a.received("question")[-1]["pinned"]

    assert host.emit("host:moderate", {"question_id": qid, "action": "hide"})["ok"]
    assert qid in [e["id"] for e in b.received("question_removed")]
    reconnected = connect(bob, live_room.session)
    assert qid not in question_ids(reconnected.last("state")["questions"])


def test_anonymous_question_names_nobody_to_attendees_but_the_host_sees_the_author(live_room, connect):
    alice, bob = live_room.investors
    a, b = connect(alice, live_room.session), connect(bob, live_room.session)
    host = connect(live_room.host, live_room.session)
    a.emit("ask", {"body": "请问核心团队的股权结构？", "anonymous": True})
    public = b.received("question")[-1]
    assert public["anonymous"] and public["author"] is None and public["institution"] is None
    assert "author_id" not in public
    assert host.received("question")[-1]["author"] == "张投资"
    assert connect(bob, live_room.session).last("state")["questions"][0]["author"] is None


def test_premoderation_hides_questions_until_the_host_approves(live_room, connect):
    alice, bob = live_room.investors
    host = connect(live_room.host, live_room.session)
    assert host.emit("host:settings", {"premoderation": True})["ok"]
    a, b = connect(alice, live_room.session), connect(bob, live_room.session)
    b.received()

    ack = a.emit("ask", {"body": "产能爬坡计划？"})
    assert ack["status"] == "pending"
    assert b.received("question") == []
    assert a.received("question")[-1]["status"] == "pending"  # the author sees their own
    assert host.received("question")[-1]["status"] == "pending"
    assert question_ids(connect(bob, live_room.session).last("state")["questions"]) == []
    assert question_ids(connect(alice, live_room.session).last("state")["questions"]) == [ack["id"]]
    assert b.emit("vote", {"question_id": ack["id"]})["code"] == "not_found"

    host.emit("host:moderate", {"question_id": ack["id"], "action": "approve"})
    assert b.received("question")[-1]["status"] == "approved"


def test_reconnecting_client_gets_the_full_current_state(live_room, connect):
    alice, bob = live_room.investors
    host = connect(live_room.host, live_room.session)
    a = connect(alice, live_room.session)
    host.emit("host:advance")  # first project's pitch
    qid = a.emit("ask", {"body": "客户验证进展如何？"})["id"]
    host.emit("host:moderate", {"question_id": qid, "action": "pin"})
    host.emit("host:announce", {"body": "下一个项目 15:10 开始"})
    b = connect(bob, live_room.session)
    b.emit("vote", {"question_id": qid})
    b.emit("interest", {})
    b.disconnect()

    again = connect(bob, live_room.session)  # missed nothing that matters: all of it is in `state`
    state = again.last("state")
    assert state["room"]["phase"] == "pitch" and state["room"]["current_slot_id"] == live_room.slots[0].id
    assert state["room"]["timer_ends_at"] > state["room"]["server_now"]
    assert state["questions"][0]["id"] == qid and state["questions"][0]["pinned"] and state["questions"][0]["votes"] == 1
    assert [a["body"] for a in state["announcements"]] == ["下一个项目 15:10 开始"]
    assert state["you"]["voted"] == [qid] and state["you"]["interested"] == [live_room.slots[0].project_id]
    assert state["presence"]["count"] == 3  # host, alice, bob (once, however many tabs)


def test_host_runs_the_order_pitch_qa_next_and_ending_the_last_ends_the_session(live_room, connect, db):
    host = connect(live_room.host, live_room.session)
    a = connect(live_room.investors[0], live_room.session)
    first, second = live_room.slots
    phases = []
    for _ in range(4):
        assert host.emit("host:advance")["ok"]
        room = a.received("room")[-1]
        phases.append((room["phase"], room["current_slot_id"]))
    assert phases == [("pitch", first.id), ("qa", first.id), ("pitch", second.id), ("qa", second.id)]
    before = room["timer_ends_at"]
    host.emit("host:extend", {"minutes": 3})
    assert a.received("room")[-1]["timer_ends_at"] == before + 3 * 60 * 1000
    assert host.emit("host:advance")["ok"]
    ended = a.received("room")[-1]
    assert ended["phase"] == "ended" and ended["status"] == "ended"
    assert db.session.get(type(live_room.session), live_room.session.id).status == SessionStatus.ENDED
    refused = a.emit("ask", {"body": "还能提问吗？"})
    assert refused["code"] == "not_live"


def test_host_opens_the_room_when_the_scheduler_has_not(live_room, connect, db):
    live_room.session.status = SessionStatus.SCHEDULED
    live_room.session.starts_at = utcnow() + timedelta(minutes=20)  # within the half hour before the start
    db.session.commit()
    a = connect(live_room.investors[0], live_room.session)
    assert a.emit("ask", {"body": "开始了吗？"})["code"] == "not_live"
    assert a.emit("host:open")["code"] == "forbidden"
    host = connect(live_room.host, live_room.session)
    assert host.emit("host:open")["ok"]
    assert a.received("room")[-1]["status"] == "live"
    assert a.emit("ask", {"body": "开始了吗？"})["ok"]


def test_opening_the_room_more_than_half_an_hour_early_needs_the_hosts_confirmation(live_room, connect, db):
    session = live_room.session
    session.status = SessionStatus.SCHEDULED
    session.starts_at, session.ends_at = utcnow() + timedelta(days=10), utcnow() + timedelta(days=10, hours=2)
    db.session.commit()
    host = connect(live_room.host, session)
    refused = host.emit("host:open")
    assert refused["ok"] is False and refused["code"] == "too_early" and "确定现在开启吗" in refused["message"]
    assert db.session.get(type(session), session.id).status == SessionStatus.SCHEDULED  # not public as live
    assert host.emit("host:open", {"early": True})["ok"]
    assert db.session.get(type(session), session.id).status == SessionStatus.LIVE


def test_only_the_host_moderates_and_controls(live_room, connect):
    a = connect(live_room.investors[0], live_room.session)
    founder = connect(live_room.founder, live_room.session)
    qid = a.emit("ask", {"body": "问题"})["id"]
    for client in (a, founder):
        assert client.emit("host:moderate", {"question_id": qid, "action": "pin"})["code"] == "forbidden"
        assert client.emit("host:advance")["code"] == "forbidden"
        assert client.emit("host:announce", {"body": "假公告"})["code"] == "forbidden"
    assert founder.emit("ask", {"body": "我也问一个"})["code"] == "forbidden"


def test_author_withdraws_own_question_only(live_room, connect):
    alice, bob = live_room.investors
    a, b = connect(alice, live_room.session), connect(bob, live_room.session)
    qid = a.emit("ask", {"body": "要撤回的问题"})["id"]
    assert b.emit("withdraw", {"question_id": qid})["code"] == "forbidden"
    assert a.emit("withdraw", {"question_id": qid})["ok"]
    assert qid in [e["id"] for e in b.received("question_removed")]
    assert connect(bob, live_room.session).last("state")["questions"] == []


def test_interest_in_the_presenting_project_reaches_its_startup_live_and_becomes_a_meeting_request(
        live_room, connect, db):
    from roadshow.meetings.models import MeetingRequest
    from roadshow.live.models import Interest

    host = connect(live_room.host, live_room.session)
    founder = connect(live_room.founder, live_room.session)
    a = connect(live_room.investors[0], live_room.session)
    assert a.emit("interest", {})["code"] == "no_presenter"
    host.emit("host:advance")
    ack = a.emit("interest", {})
    assert ack["created"] and ack["project_id"] == live_room.slots[0].project_id
    flag = founder.received("interest")[-1]
    assert flag["investor"] == "张投资" and flag["count"] == 1
    assert a.emit("interest", {})["created"] is False  # one flag per session, project and investor
    assert db.session.query(Interest).count() == 1
    request = db.session.query(MeetingRequest).one()
    assert request.investor_id == live_room.investors[0].id and request.session_id == live_room.session.id
    assert connect(live_room.founder, live_room.session).last("state")["interests"][0]["institution"]


def test_removed_user_is_disconnected_and_cannot_rejoin(live_room, connect):
    alice = live_room.investors[0]
    host = connect(live_room.host, live_room.session)
    a = connect(alice, live_room.session)
    assert host.emit("host:remove", {"user_id": alice.id})["ok"]
    assert not a.connected
    assert a.received("removed")[-1]["code"] == "banned"
    assert not connect(alice, live_room.session).connected
    assert host.emit("host:remove", {"user_id": live_room.host.id})["code"] == "forbidden"


def test_session_ended_by_the_scheduler_stops_the_room_and_tells_the_clients(live_room, connect, db):
    from datetime import timedelta

    from roadshow.live.models import LiveRoom
    from roadshow.scheduling.lifecycle import LIVE_OVERRUN, advance_sessions

    host = connect(live_room.host, live_room.session)
    a = connect(live_room.investors[0], live_room.session)
    host.emit("host:advance")
    advance_sessions(now=live_room.session.ends_at + LIVE_OVERRUN + timedelta(minutes=1))
    db.session.commit()
    room = a.received("room")[-1]
    assert room["status"] == "ended" and room["phase"] == "ended" and room["timer_ends_at"] is None
    assert db.session.get(LiveRoom, live_room.session.id).phase.value == "ended"


def test_an_upvote_can_be_taken_back_once(live_room, connect, db):
    alice, bob = live_room.investors
    a, b = connect(alice, live_room.session), connect(bob, live_room.session)
    qid = a.emit("ask", {"body": "量产时间表？"})["id"]
    assert b.emit("vote", {"question_id": qid})["votes"] == 1
    a.received()
    assert b.emit("unvote", {"question_id": qid})["votes"] == 0
    assert a.received("question")[-1]["votes"] == 0  # everyone sees the count go down
    assert db.session.get(Question, qid).votes == 0 and db.session.query(QuestionVote).count() == 0
    assert b.emit("unvote", {"question_id": qid})["code"] == "not_voted"
    assert db.session.get(Question, qid).votes == 0
    assert b.emit("vote", {"question_id": qid})["votes"] == 1  # and given again


def test_an_answered_question_cannot_be_withdrawn(live_room, connect, db):
    alice = live_room.investors[0]
    a, host = connect(alice, live_room.session), connect(live_room.host, live_room.session)
    answered, open_ = (a.emit("ask", {"body": body})["id"] for body in ("已回答的问题", "还没回答的问题"))
    assert host.emit("host:moderate", {"question_id": answered, "action": "answer"})["ok"]
    refused = a.emit("withdraw", {"question_id": answered})
    assert refused["ok"] is False and refused["code"] == "answered"
    assert db.session.get(Question, answered).status.value == "approved"
    assert a.emit("withdraw", {"question_id": open_})["ok"]
