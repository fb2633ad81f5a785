"""Both sides start contact: a startup asks an institution, the investor accepts with a slot, proposes or
declines; an investor picks a startup's slot when asking; the civil limits; races over one slot."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow.common.errors import PermissionDenied, RuleViolation
from roadshow.common.timeutil import utcnow
from roadshow.extensions import db as _db
from roadshow.investors.models import Institution
from roadshow.meetings.models import AvailabilitySlot, MeetingMute, MeetingRequest, MeetingSide, MeetingStatus
from roadshow.meetings.services import (
    Place, accept, add_slot, ask_institution, cancel, decline, free_slots, meetings_for, mute, propose,
    request_meeting, unmute,
)
from roadshow.notifications.models import Notification
from roadshow.projects.models import Project, ProjectStatus

from ..support.concurrency import at_once
from ..support.factories import VenueFactory


@pytest.fixture
def world(make_user, make_company, make_project, make_institution):
    """A founder with a public project, a colleague, and a verified institution with two investors."""
    founder = make_user(Role.STARTUP, name="李创始")
    company = make_company(founder)
    colleague = make_user(Role.STARTUP, name="王同事")
    colleague.company = company
    project = make_project(company, ProjectStatus.APPROVED)
    investor = make_user(Role.INVESTOR, name="张投资")
    institution = make_institution(investor)
    partner = make_user(Role.INVESTOR, name="陈合伙")
    partner.institution = institution
    _db.session.commit()
    return founder, colleague, project, institution, investor, partner


def soon(hours: int = 48):
    return utcnow().replace(microsecond=0) + timedelta(hours=hours)


def requests_count() -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(MeetingRequest))


def told(user: User, kind: str) -> bool:
    return _db.session.scalar(sa.select(Notification.id).where(
        Notification.user_id == user.id, Notification.kind == kind).limit(1)) is not None


def test_a_startup_asks_an_institution_and_every_member_hears_of_it(db, world):
    founder, _, project, institution, investor, partner = world
    meeting = ask_institution(founder, institution, project, "我们在做 A 轮，想介绍产线进展。")
    db.session.commit()
    assert meeting.initiator is MeetingSide.STARTUP and meeting.investor_id is None
    assert meeting.awaiting is MeetingSide.INVESTOR
    assert told(investor, "meeting_requested") and told(partner, "meeting_requested")
    assert meeting in meetings_for(investor) and meeting in meetings_for(partner) and meeting in meetings_for(founder)


def test_bad_asks_are_refused_and_change_nothing(db, world, make_institution, make_user, make_company,
                                                 make_project):
    founder, _, project, institution, investor, _ = world
    unverified = make_institution(verified=False)
    other_project = make_project(make_company(make_user(Role.STARTUP)), ProjectStatus.APPROVED)
    draft = make_project(founder.company, ProjectStatus.DRAFT)
    with pytest.raises(RuleViolation, match="请写几句话"):
        ask_institution(founder, institution, project, "   ")
    with pytest.raises(RuleViolation, match="不能超过 1000"):
        ask_institution(founder, institution, project, "长" * 10_000)
    with pytest.raises(RuleViolation, match="已认证"):
        ask_institution(founder, unverified, project, "你好")
    with pytest.raises(RuleViolation, match="贵司的项目"):
        ask_institution(founder, institution, other_project, "你好")
    with pytest.raises(RuleViolation, match="公开后"):
        ask_institution(founder, institution, draft, "你好")
    with pytest.raises(PermissionDenied):
        ask_institution(investor, institution, project, "你好")
    db.session.rollback()
    assert requests_count() == 0


def test_no_second_open_request_to_the_same_institution(db, world):
    founder, colleague, project, institution, investor, _ = world
    first = ask_institution(founder, institution, project, "第一次")
    db.session.commit()
    with pytest.raises(RuleViolation, match="等待对方回复"):
        ask_institution(colleague, institution, project, "同事也来问")
    db.session.rollback()
    decline(investor, first, "暂不考虑")
    db.session.commit()
    again = ask_institution(colleague, institution, project, "更新了数据，再约一次")
    db.session.commit()
    assert again.id != first.id and requests_count() == 2


def test_the_daily_cap_counts_today_only(app, db, world, make_institution):
    founder, _, project, _, _, _ = world
    app.config["MEETING_ASKS_PER_DAY"] = 2
    institutions = [make_institution() for _ in range(3)]
    for institution in institutions[:2]:
        ask_institution(founder, institution, project, "你好")
    db.session.commit()
    with pytest.raises(RuleViolation, match="每日上限"):
        ask_institution(founder, institutions[2], project, "你好")
    db.session.rollback()
    db.session.execute(sa.update(MeetingRequest).values(created_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    ask_institution(founder, institutions[2], project, "第二天再来")
    db.session.commit()
    assert requests_count() == 3


def test_an_investor_mutes_a_startup(db, world):
    founder, _, project, institution, investor, partner = world
    meeting = ask_institution(founder, institution, project, "你好")
    db.session.commit()
    with pytest.raises(PermissionDenied):
        mute(founder, meeting)
    row = mute(partner, meeting)
    decline(investor, meeting)
    db.session.commit()
    with pytest.raises(RuleViolation, match="不接收"):
        ask_institution(founder, institution, project, "再试一次")
    db.session.rollback()
    unmute(investor, db.session.get(MeetingMute, row.id))
    db.session.commit()
    assert ask_institution(founder, institution, project, "再试一次").status is MeetingStatus.REQUESTED


def test_the_investor_accepts_with_one_of_the_startups_slots(db, world):
    founder, _, project, institution, investor, partner = world
    meeting = ask_institution(founder, institution, project, "你好")
    slot = add_slot(founder, soon(), 45, place=Place(note="光谷金融港 B3"))
    db.session.commit()
    with pytest.raises(RuleViolation, match="等待对方回复"):
        accept(founder, meeting, slot.id)  # the side that asked does not answer its own request
    accept(partner, meeting, slot.id)
    db.session.commit()
    assert meeting.status is MeetingStatus.ACCEPTED and meeting.investor_id == partner.id
    assert meeting.starts_at == slot.starts_at and meeting.location == "光谷金融港 B3"
    assert told(founder, "meeting_accepted") and free_slots(project.company_id) == []


def test_the_investor_proposes_a_time_and_the_startup_confirms_it(db, world):
    founder, _, project, institution, investor, _ = world
    meeting = ask_institution(founder, institution, project, "你好")
    db.session.commit()
    with pytest.raises(RuleViolation, match="过去"):
        propose(investor, meeting, utcnow() - timedelta(hours=1), 30, Place())
    when = soon(72)
    propose(investor, meeting, when, 30, Place(mode=None, note="我们来贵司"))
    db.session.commit()
    assert meeting.status is MeetingStatus.PROPOSED and meeting.awaiting is MeetingSide.STARTUP
    assert told(founder, "meeting_proposed")
    accept(founder, meeting)
    db.session.commit()
    assert meeting.status is MeetingStatus.ACCEPTED and meeting.slot.company_id == project.company_id
    assert meeting.slot.starts_at == when and told(investor, "meeting_accepted")


def test_an_investor_picks_a_slot_when_asking_and_holds_it(db, world, make_user, make_institution):
    founder, _, project, _, investor, _ = world
    slot = add_slot(founder, soon(), 30)
    db.session.commit()
    meeting = request_meeting(investor, project, "想看产线", slot_id=slot.id)
    db.session.commit()
    assert meeting.availability_slot_id == slot.id and meeting.starts_at == slot.starts_at
    assert free_slots(project.company_id) == []  # held for this request
    rival = make_user(Role.INVESTOR)
    make_institution(rival)
    with pytest.raises(RuleViolation, match="刚刚被其他约见占用"):
        request_meeting(rival, project, slot_id=slot.id)
    db.session.rollback()
    accept(founder, meeting)  # confirms the slot the investor picked
    db.session.commit()
    assert meeting.status is MeetingStatus.ACCEPTED and meeting.availability_slot_id == slot.id


def test_declining_frees_the_slot_the_request_held(db, world):
    founder, _, project, _, investor, _ = world
    slot = add_slot(founder, soon(), 30)
    meeting = request_meeting(investor, project, slot_id=slot.id)
    db.session.commit()
    decline(founder, meeting, "时间不合适")
    db.session.commit()
    assert [s.id for s in free_slots(project.company_id)] == [slot.id]


def test_on_a_pending_request_the_side_asked_declines_and_the_side_that_asked_withdraws(db, world):
    founder, _, project, _, investor, _ = world
    meeting = request_meeting(investor, project)
    db.session.commit()
    with pytest.raises(RuleViolation, match="婉拒"):
        cancel(founder, meeting)
    with pytest.raises(RuleViolation, match="等待对方回复"):
        decline(investor, meeting)
    cancel(investor, meeting, "计划有变")
    db.session.commit()
    assert meeting.status is MeetingStatus.CANCELLED and told(founder, "meeting_cancelled")


def test_a_third_institution_cannot_see_a_startups_request(db, client, login, world, make_user, make_institution):
    founder, _, project, institution, _, _ = world
    meeting = ask_institution(founder, institution, project, "你好")
    db.session.commit()
    outsider = make_user(Role.INVESTOR)
    make_institution(outsider)
    login(outsider)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert client.post(f"/meetings/{meeting.id}/accept", data={"slot_id": "1"}).status_code == 404


def _race(app, step, callers) -> list[str]:
    outcomes: list[str] = []

    def run(caller):
        with app.app_context():
            try:
                step(caller)
                _db.session.commit()
                outcomes.append("ok")
            except RuleViolation as exc:
                _db.session.rollback()
                outcomes.append(str(exc))
            finally:
                _db.session.remove()

    at_once(run, callers)
    return sorted(outcomes)


def test_two_investors_picking_one_slot_at_once_one_wins(app, db, world, make_user, make_institution):
    founder, _, project, _, investor, _ = world
    rival = make_user(Role.INVESTOR)
    make_institution(rival)
    slot = add_slot(founder, soon(), 30)
    db.session.commit()
    slot_id, project_id = slot.id, project.id

    def ask(user_id):
        user, target = _db.session.get(User, user_id), _db.session.get(Project, project_id)
        request_meeting(user, target, "同一时段", slot_id=slot_id)

    assert _race(app, ask, [investor.id, rival.id]) == ["ok", "该时段刚刚被其他约见占用，请选择其他时段。"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingRequest)
                             .where(MeetingRequest.availability_slot_id == slot_id)) == 1


def test_two_colleagues_asking_one_institution_at_once_send_one_request(app, db, world):
    founder, colleague, project, institution, _, _ = world
    ids = (project.id, institution.id)

    def ask(user_id):
        user = _db.session.get(User, user_id)
        ask_institution(user, _db.session.get(Institution, ids[1]), _db.session.get(Project, ids[0]), "你好")

    outcomes = _race(app, ask, [founder.id, colleague.id])
    assert outcomes == ["ok", "贵司已向该机构发起约见，请等待对方回复后再发起新的请求。"]
    db.session.expire_all()
    assert requests_count() == 1


def test_the_investor_and_another_request_taking_one_slot_at_once_one_wins(app, db, world, make_user,
                                                                         make_institution):
    """A startup's request accepted by the investor with slot S, and the startup accepting another
    investor's request with S, at the same moment: one meeting gets S, the other party is told."""
    founder, _, project, institution, investor, _ = world
    other = make_user(Role.INVESTOR)
    make_institution(other)
    ours = ask_institution(founder, institution, project, "你好")
    theirs = request_meeting(other, project, "我们也想见")
    slot = add_slot(founder, soon(), 30)
    db.session.commit()
    jobs = {investor.id: ours.id, founder.id: theirs.id}
    slot_id = slot.id

    def take(user_id):
        meeting = _db.session.get(MeetingRequest, jobs[user_id])
        meeting.project.company  # loaded before the race
        accept(_db.session.get(User, user_id), meeting, slot_id)

    assert _race(app, take, list(jobs)) == ["ok", "该时段刚刚被其他约见占用，请选择其他时段。"]
    db.session.expire_all()
    statuses = sorted(db.session.get(MeetingRequest, i).status.value for i in jobs.values())
    assert statuses == ["accepted", "requested"]


# ----------------------------------------------------------------------------- through the pages

def test_a_startup_asks_from_the_institution_page_and_a_bad_message_is_shown_on_the_form(db, client, login, world):
    founder, _, project, institution, _, _ = world
    login(founder)
    page = client.get(f"/institutions/{institution.id}").get_data(as_text=True)
    assert f"/meetings/ask/{institution.id}" in page
    response = client.post(f"/meetings/ask/{institution.id}", data={"project_id": project.id, "message": "x" * 10_000})
    assert response.status_code == 200 and "1000" in response.get_data(as_text=True)
    assert requests_count() == 0
    response = client.post(f"/meetings/ask/{institution.id}?source=match",
                           data={"project_id": project.id, "message": "想介绍产线进展", "source": "match"})
    assert response.status_code == 302
    meeting = db.session.scalar(sa.select(MeetingRequest))
    assert meeting.initiator is MeetingSide.STARTUP and meeting.source.value == "match"
    again = client.get(f"/meetings/ask/{institution.id}").get_data(as_text=True)
    assert "不能再发起新的请求" in again


def _accept_new_slot(client, meeting, **place):
    day = (utcnow() + timedelta(days=4)).date()
    return client.post(f"/meetings/{meeting.id}/accept", data={
        "slot_id": "new", "day": day.isoformat(), "start": "15:00", "minutes": "45", **place})


def test_a_startup_accepts_with_a_slot_added_in_the_accept_form_online(db, client, login, world):
    founder, _, project, _, investor, _ = world
    meeting = request_meeting(investor, project, "想约")
    db.session.commit()
    login(founder)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "新增一个时段" in page
    for link, error in (("", "会议链接"), ("http://meeting.example.com/1", "https://"),
                        ("https://", "https://"), ("javascript:alert(1)", "https://")):
        response = _accept_new_slot(client, meeting, mode="online", meeting_link=link)
        assert response.status_code == 422 and error in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(MeetingRequest, meeting.id).status is MeetingStatus.REQUESTED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AvailabilitySlot)) == 0
    response = _accept_new_slot(client, meeting, mode="online", meeting_link="https://meeting.example.com/123")
    assert response.status_code == 302
    db.session.expire_all()
    meeting = db.session.get(MeetingRequest, meeting.id)
    assert meeting.status is MeetingStatus.ACCEPTED and meeting.mode.is_online
    assert meeting.meeting_link == "https://meeting.example.com/123" and meeting.slot is not None
    assert "https://meeting.example.com/123" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_a_venue_meeting_needs_one_of_the_centers_rooms(db, client, login, world):
    founder, _, project, _, investor, _ = world
    room = VenueFactory(name="光谷会客室")
    meeting = request_meeting(investor, project)
    db.session.commit()
    login(founder)
    response = _accept_new_slot(client, meeting, mode="venue")
    assert response.status_code == 422 and "请选择一个线下会议室" in response.get_data(as_text=True)
    assert _accept_new_slot(client, meeting, mode="venue", venue_id=room.id).status_code == 302
    db.session.expire_all()
    assert db.session.get(MeetingRequest, meeting.id).venue.name == "光谷会客室"


def test_a_pending_request_shows_decline_to_the_side_asked_and_withdraw_to_the_side_that_asked(
        db, client, login, switch_to, world):
    founder, _, project, _, investor, _ = world
    meeting = request_meeting(investor, project)
    db.session.commit()
    login(founder)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "婉拒约见" in page and "撤回请求" not in page and "取消约见" not in page
    switch_to(investor)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "撤回请求" in page and "婉拒约见" not in page and "取消约见" not in page


def test_an_institution_already_talking_about_the_project_is_not_asked_again(db, world):
    founder, _, project, institution, investor, partner = world
    theirs = request_meeting(investor, project, "我们先约的")
    db.session.commit()
    with pytest.raises(RuleViolation, match="已有进行中的约见"):
        ask_institution(founder, institution, project, "我们也想约")
    db.session.rollback()
    cancel(investor, theirs)
    ours = ask_institution(founder, institution, project, "我们也想约")
    again = request_meeting(investor, project, "又想约了")  # the investor asks anew meanwhile
    slot = add_slot(founder, soon(), 30)
    db.session.commit()
    with pytest.raises(RuleViolation, match="在那个约见中继续"):
        accept(investor, ours, slot.id)  # not a database error: a clear message
    db.session.rollback()
    accept(partner, ours, slot.id)  # a colleague without an open request answers
    db.session.commit()
    assert ours.status is MeetingStatus.ACCEPTED and again.status is MeetingStatus.REQUESTED
