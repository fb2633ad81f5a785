"""After the roadshow: attendees give feedback per project, startups read a digest, matching hears it."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.checkin.models import Attendance
from roadshow.api import tokens
from roadshow.common.choices import IndustryChain
from roadshow.common.timeutil import utcnow
from roadshow.feedback.models import Feedback
from roadshow.live.models import Question, QuestionStatus
from roadshow.matching.models import Match
from roadshow.matching.profiles import behaviour_by_institution
from roadshow.matching.scoring import CHAIN_INDEX
from roadshow.matching.services import recompute_all, refresh_stale
from roadshow.notifications.models import Notification
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.lifecycle import change_session_status
from roadshow.roadshows.models import Booking, BookingStatus, SessionStatus, Slot


@pytest.fixture
def room(db, make_user, make_company, make_project, make_institution, make_session):
    """A session with two pitches, four investors with a seat (one from a second institution), one whose
    booking was cancelled and one who never booked; it has just ended through the lifecycle."""
    founder = make_user(Role.STARTUP)
    company = make_company(founder, industry_chain=IndustryChain.INTEGRATED_CIRCUITS)
    chip = make_project(company, ProjectStatus.SCHEDULED, industry_chain=IndustryChain.INTEGRATED_CIRCUITS)
    other = make_project(make_company(make_user(Role.STARTUP)), ProjectStatus.SCHEDULED)
    session = make_session(starts_in=timedelta(hours=-3))
    session.slots = [Slot(project=chip, position=0), Slot(project=other, position=1)]
    fund = make_institution(make_user(Role.INVESTOR, name="赵一"))
    attendees = [fund.members[0]] + [make_user(Role.INVESTOR, institution=fund, name=n) for n in ("钱二", "孙三")]
    attendees.append(make_user(Role.INVESTOR, institution=make_institution(), name="李四"))
    cancelled, stranger = make_user(Role.INVESTOR, institution=fund), make_user(Role.INVESTOR, institution=fund)
    for user in attendees:
        db.session.add(Booking(session=session, user=user))
    db.session.add(Booking(session=session, user=cancelled, status=BookingStatus.CANCELLED))
    db.session.add(Question(session_id=session.id, project_id=chip.id, author_id=attendees[0].id, body="毛利率多少？"))
    db.session.add(Question(session_id=session.id, project_id=chip.id, author_id=attendees[1].id, body="撤回的问题",
                            status=QuestionStatus.WITHDRAWN))
    db.session.commit()
    change_session_status(session, SessionStatus.ENDED)
    db.session.commit()
    return {"session": session, "chip": chip, "other": other, "founder": founder, "attendees": attendees,
            "cancelled": cancelled, "stranger": stranger, "fund": fund}


def form_url(room, project=None):
    return f"/feedback/sessions/{room['session'].id}/projects/{(project or room['chip']).id}"


def digest_url(room, project=None):
    return form_url(room, project) + "/digest"


def answer(client, room, **fields):
    data = {"interest": "meet", "note": "", **fields}
    return client.post(form_url(room), data=data)


def answers(db):
    return db.session.scalars(sa.select(Feedback).order_by(Feedback.id)).all()


def test_ending_a_session_asks_each_attendee_and_opens_each_startups_digest(db, room):
    kinds = {(n.user_id, n.kind, n.link) for n in db.session.scalars(sa.select(Notification))}
    asked = {user for user, kind, _ in kinds if kind == "feedback_request"}
    assert asked == {u.id for u in room["attendees"]}  # not the cancelled booking, not the stranger
    digests = {(user, link) for user, kind, link in kinds if kind == "feedback_digest"}
    assert (room["founder"].id, digest_url(room)) in digests
    assert len(digests) == 2  # one per presenting company's member


def test_an_attendee_answers_once_per_project_and_may_change_it_until_the_deadline(client, db, login, room):
    investor = room["attendees"][0]
    login(investor)
    page = client.get("/feedback/").get_data(as_text=True)
    assert room["chip"].title in page and room["other"].title in page
    assert answer(client, room, concerns=["valuation", "team"], note="估值偏高").status_code == 302
    assert answer(client, room, interest="due_diligence", concerns=["team"]).status_code == 302
    [given] = answers(db)
    assert (given.investor_id, given.interest.value, given.concerns) == (investor.id, "due_diligence", ["team"])
    assert not given.shared

    room["session"].starts_at = utcnow() - timedelta(days=15, hours=2)  # the window has closed
    room["session"].ends_at = utcnow() - timedelta(days=15)
    db.session.commit()
    closed = answer(client, room, interest="none")
    assert closed.status_code == 200 and "截止" in closed.get_data(as_text=True)
    db.session.expire_all()
    assert [a.interest.value for a in answers(db)] == ["due_diligence"]


@pytest.mark.parametrize("fields, message", [
    ({"interest": ""}, "请选择您对项目的兴趣程度"),
    ({"interest": "maybe"}, None),  # WTForms' own "not a valid choice", in the page's language
    ({"concerns": ["weather"]}, None),
    ({"note": "长" * 1001}, "1000"),
])
def test_bad_answers_are_refused_with_a_message_and_write_nothing(client, db, login, room, fields, message):
    login(room["attendees"][0])
    response = answer(client, room, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "invalid-feedback" in page
    assert message is None or message in page
    assert answers(db) == []


def test_only_attendees_of_an_ended_session_see_a_form_others_get_404(client, db, login, switch_to, room,
                                                                   make_session, make_project):
    login(room["stranger"])
    assert client.get(form_url(room)).status_code == 404
    assert answer(client, room).status_code == 404
    switch_to(room["cancelled"])
    assert client.get(form_url(room)).status_code == 404
    switch_to(room["attendees"][0])
    assert client.get(form_url(room)).status_code == 200
    outsider = make_project(room["chip"].company, ProjectStatus.APPROVED)
    assert client.get(form_url(room, outsider)).status_code == 404  # did not pitch in this session
    upcoming = make_session()
    upcoming.slots = [Slot(project=outsider, position=0)]
    db.session.add(Booking(session=upcoming, user=room["attendees"][0]))
    db.session.commit()
    assert client.get(f"/feedback/sessions/{upcoming.id}/projects/{outsider.id}").status_code == 404  # not ended
    assert answers(db) == []


def test_the_digest_shows_totals_only_when_no_answer_can_be_singled_out(client, db, login, switch_to, room):
    first, second, third, fourth = room["attendees"]
    switch_to(first)
    answer(client, room, interest="meet", concerns=["valuation"], note="想约团队详谈", shared="y")
    switch_to(second)
    answer(client, room, interest="none", concerns=["market"], note="私下的顾虑")
    switch_to(room["founder"])
    page = client.get(digest_url(room)).get_data(as_text=True)
    assert "想约团队详谈" in page and first.name in page  # consented: shown with the name
    assert "私下的顾虑" not in page and second.name not in page
    assert "毛利率多少？" in page and "撤回的问题" not in page
    assert "为保护投资人隐私" in page  # two answers: no totals

    switch_to(third)
    answer(client, room, interest="follow", shared="y")
    switch_to(room["founder"])
    assert "为保护投资人隐私" in client.get(digest_url(room)).get_data(as_text=True)  # 3 answers, 1 private: hidden

    for investor in (fourth, room["attendees"][0]):
        switch_to(investor)
        answer(client, room, interest="due_diligence", shared="" if investor is fourth else "y")
    switch_to(room["founder"])
    page = client.get(digest_url(room)).get_data(as_text=True)
    # 4 answers, 2 private: still hidden, since the totals minus the shown answers would give the two away
    assert "为保护投资人隐私" in page

    db.session.execute(sa.update(Feedback).values(shared=False))
    db.session.commit()
    page = client.get(digest_url(room)).get_data(as_text=True)
    assert "为保护投资人隐私" not in page and "希望约见" in page and first.name not in page


def test_only_the_startup_and_admins_read_a_digest(client, db, login, switch_to, room, make_user):
    login(room["founder"])
    assert client.get(digest_url(room)).status_code == 200
    assert client.get(digest_url(room, room["other"])).status_code == 404  # another company's pitch
    switch_to(room["other"].company.members[0])
    assert client.get(digest_url(room)).status_code == 404
    switch_to(room["attendees"][0])
    assert client.get(digest_url(room)).status_code == 403  # an investor: the role gate, before any look-up


def test_a_meet_answer_raises_the_institutions_match_with_that_chain(client, db, login, room):
    refresh_stale()
    db.session.commit()
    fund = room["fund"]
    chain = CHAIN_INDEX[IndustryChain.INTEGRATED_CIRCUITS.value]
    before = behaviour_by_institution({fund.id}).get(fund.id, (0.0,) * 11)[chain]
    score = lambda: db.session.scalar(sa.select(Match.score).where(  # noqa: E731
        Match.fund_id == fund.funds[0].id, Match.project_id == room["chip"].id))
    stored_before = score()
    login(room["attendees"][2])
    answer(client, room, interest="meet")
    after = behaviour_by_institution({fund.id})[fund.id][chain]
    assert after > before
    refresh_stale()
    db.session.commit()
    assert score() > stored_before
    incremental = score()
    recompute_all()
    assert score() == incremental


@pytest.fixture
def bearer(db):
    def make(user):
        _token, plaintext = tokens.create_token(user, "反馈", ["read", "write"])
        db.session.commit()
        return {"Authorization": f"Bearer {plaintext}"}

    return make


def test_api_gives_and_lists_my_feedback(client, db, room, bearer):
    investor = room["attendees"][0]
    url = f"/api/v1/me/feedback/{room['session'].id}/{room['chip'].id}"
    done = client.put(url, json={"interest": "meet", "concerns": ["team"], "shared": True}, headers=bearer(investor))
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["interest"] == "meet" and done.get_json()["concerns"] == ["team"]
    mine = client.get("/api/v1/me/feedback", headers=bearer(investor)).get_json()
    assert [(a["project"]["id"], a["interest"]) for a in mine] == [(room["chip"].id, "meet")]

    bad = client.put(url, json={"interest": "maybe"}, headers=bearer(investor))
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    foreign = client.put(url, json={"interest": "meet"}, headers=bearer(room["stranger"]))
    assert foreign.status_code == 404 and foreign.mimetype == "application/problem+json"
    assert len(answers(db)) == 1


def test_the_digest_says_who_actually_came_once_the_door_checked_people_in(client, db, login, room):
    login(room["founder"])
    booked_only = client.get(digest_url(room)).get_data(as_text=True)
    fund, other = room["fund"].name, room["attendees"][3].institution.name
    assert "预约投资人" in booked_only and "预约机构" in booked_only and fund in booked_only and other in booked_only

    came = db.session.scalars(sa.select(Booking).where(Booking.user_id == room["attendees"][3].id)).one()
    db.session.add(Attendance(booking_id=came.id, session_id=room["session"].id))
    db.session.commit()
    page = client.get(digest_url(room)).get_data(as_text=True)
    assert "到场投资人" in page and "预约 4 人" in page and "到场机构" in page
    assert other in page and fund not in page  # the fund's three booked investors did not come
