"""Availability, accepting with a slot (atomically), declining, cancelling, confirming a meeting was held."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow.common.errors import PermissionDenied, RuleViolation
from roadshow.common.timeutil import utcnow
from roadshow.deals.models import Deal, DealStage
from roadshow.extensions import db as _db
from roadshow.meetings.models import AvailabilitySlot, MeetingRequest, MeetingStatus
from roadshow.meetings.services import accept, add_slot, cancel, decline, free_slots, mark_held, request_meeting
from roadshow.notifications.models import Notification
from roadshow.projects.models import ProjectStatus

from ..support.concurrency import at_once


@pytest.fixture
def startup(make_user, make_company, make_project):
    founder = make_user(Role.STARTUP)
    project = make_project(make_company(founder), ProjectStatus.APPROVED)
    return founder, project


@pytest.fixture
def investors(make_user, make_institution):
    def make():
        user = make_user(Role.INVESTOR)
        make_institution(user)
        return user
    return make


def soon(hours: int = 48):
    return utcnow().replace(microsecond=0) + timedelta(hours=hours)


def kinds(db, user):
    return [n.kind for n in db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id))]


def test_slots_in_the_past_or_overlapping_are_refused(db, startup):
    founder, _ = startup
    add_slot(founder, soon(), 60, "光谷金融港 A 座 2 层")
    db.session.commit()
    with pytest.raises(RuleViolation, match="过去"):
        add_slot(founder, utcnow() - timedelta(hours=1), 30)
    with pytest.raises(RuleViolation, match="重叠"):
        add_slot(founder, soon() + timedelta(minutes=30), 60)
    with pytest.raises(RuleViolation, match="时长"):
        add_slot(founder, soon(72), 5)


def test_accepting_takes_a_slot_and_tells_the_investor(db, startup, investors):
    founder, project = startup
    investor = investors()
    meeting = request_meeting(investor, project, "想看产线")
    slot = add_slot(founder, soon(), 45, "线上会议")
    db.session.commit()
    accept(founder, meeting, slot.id)
    db.session.commit()
    assert meeting.status == MeetingStatus.ACCEPTED and meeting.starts_at == slot.starts_at
    assert free_slots(project.company_id) == []
    assert "meeting_accepted" in kinds(db, investor)
    with pytest.raises(RuleViolation, match="已经处理"):
        accept(founder, meeting, slot.id)


def test_a_slot_outside_the_startups_availability_or_in_the_past_is_refused(db, startup, investors,
                                                                          make_user, make_company):
    founder, project = startup
    meeting = request_meeting(investors(), project)
    other_founder = make_user(Role.STARTUP)
    make_company(other_founder)
    foreign = add_slot(other_founder, soon(), 30)
    past = add_slot(founder, soon(1), 30)
    db.session.commit()
    with pytest.raises(RuleViolation, match="已发布的可约时段"):
        accept(founder, meeting, foreign.id)
    past.starts_at, past.ends_at = utcnow() - timedelta(hours=2), utcnow() - timedelta(hours=1)
    db.session.commit()
    with pytest.raises(RuleViolation, match="已经过去"):
        accept(founder, meeting, past.id)
    with pytest.raises(PermissionDenied):
        accept(other_founder, meeting, foreign.id)
    assert db.session.get(MeetingRequest, meeting.id).status == MeetingStatus.REQUESTED


def test_two_concurrent_accepts_of_one_slot_one_wins(app, db, startup, investors):
    founder, project = startup
    meetings = [request_meeting(investors(), project) for _ in range(2)]
    slot = add_slot(founder, soon(), 30)
    db.session.commit()
    ids, slot_id, founder_id = [m.id for m in meetings], slot.id, founder.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(meeting_id: int) -> None:
        with app.app_context():
            user, meeting = _db.session.get(User, founder_id), _db.session.get(MeetingRequest, meeting_id)
            meeting.project.company  # load before the race
            barrier.wait()
            try:
                accept(user, meeting, slot_id)
                _db.session.commit()
                outcomes.append("accepted")
            except RuleViolation as exc:
                _db.session.rollback()
                outcomes.append(str(exc))
            finally:
                _db.session.remove()

    at_once(attempt, ids)
    db.session.expire_all()
    assert sorted(outcomes) == ["accepted", "该时段刚刚被其他约见占用，请选择其他时段。"]
    statuses = sorted(db.session.get(MeetingRequest, i).status for i in ids)
    assert statuses == [MeetingStatus.ACCEPTED, MeetingStatus.REQUESTED]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingRequest)
                             .where(MeetingRequest.availability_slot_id == slot_id)) == 1


def test_cancelling_frees_the_slot_and_notifies_the_other_side(db, startup, investors):
    founder, project = startup
    investor = investors()
    meeting = request_meeting(investor, project)
    slot = add_slot(founder, soon(), 30)
    accept(founder, meeting, slot.id)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        cancel(investors(), meeting, "不相干的人")
    cancel(investor, meeting, "行程冲突，改日再约")
    db.session.commit()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.availability_slot_id is None
    assert [s.id for s in free_slots(project.company_id)] == [slot.id]
    assert "meeting_cancelled" in kinds(db, founder)
    again = request_meeting(investor, project)  # a closed request does not block a new one
    db.session.commit()
    assert again.id != meeting.id


def test_declining_and_holding(db, startup, investors):
    founder, project = startup
    first, second = investors(), investors()
    declined = request_meeting(first, project)
    held = request_meeting(second, project)
    slot = add_slot(founder, soon(), 30)
    db.session.commit()
    decline(founder, declined, "本轮已满额")
    accept(founder, held, slot.id)
    db.session.commit()
    assert "meeting_declined" in kinds(db, first)
    with pytest.raises(RuleViolation, match="尚未开始"):
        mark_held(second, held)
    db.session.execute(sa.update(MeetingRequest).where(MeetingRequest.id == held.id)
                       .values(starts_at=utcnow() - timedelta(hours=1), ends_at=utcnow()))
    db.session.execute(sa.update(AvailabilitySlot).where(AvailabilitySlot.id == slot.id)
                       .values(starts_at=utcnow() - timedelta(hours=1), ends_at=utcnow()))
    db.session.commit()
    db.session.expire_all()
    mark_held(second, held)
    db.session.commit()
    assert held.status == MeetingStatus.HELD
    deal = db.session.scalar(sa.select(Deal).where(Deal.institution_id == second.institution_id))
    assert deal.stage == DealStage.MEETING_HELD
