"""Admins curate sessions: move (no overlap), cancel with a reason, order the lineup; people concerned are told."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.common.errors import RuleViolation
from roadshow.extensions import db as _db
from roadshow.notifications.models import Notification
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows import curation, services
from roadshow.roadshows.models import (
    Application,
    ApplicationStatus,
    RoadshowSession,
    SessionStatus,
    Slot,
    Venue,
    WaitlistEntry,
)
from roadshow.screening import services as screening


def kinds_for(user) -> list[str]:
    return list(_db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == user.id)))


@pytest.fixture
def lineup(db, make_user, make_company, make_project, make_session, make_series, make_institution):
    """A session with two presenting startups (one placed from an accepted application), one booked investor
    from a named institution and one waitlisted investor."""
    series = make_series()
    session = make_session(capacity=1, series=series)
    founders, projects = [], []
    for _ in range(2):
        founder = make_user(Role.STARTUP)
        project = make_project(make_company(founder), ProjectStatus.SCHEDULED)
        founders.append(founder)
        projects.append(project)
    slots = [Slot(session=session, project=p, position=n) for n, p in enumerate(projects, start=1)]
    db.session.add_all(slots)
    accepted = Application(project=projects[0], series=series, status=ApplicationStatus.ACCEPTED,
                           decided_at=session.starts_at - timedelta(days=30), slot=slots[0])
    db.session.add(accepted)
    investor, waiter = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    make_institution(member=investor, name="光谷产业投资基金")
    db.session.commit()
    services.request_seat(session, investor)
    services.request_seat(session, waiter)
    # the booking's own confirmation is not what these tests follow
    db.session.execute(sa.delete(Notification).where(Notification.kind == "booking_confirmed"))
    db.session.commit()
    return dict(session=session, series=series, founders=founders, projects=projects, slots=slots,
                accepted=accepted, investor=investor, waiter=waiter)


def test_cancel_tells_everyone_and_sends_the_lineup_back_to_the_queue(db, lineup):
    session = lineup["session"]
    sequence = session.sequence
    curation.cancel_session(session, "主讲嘉宾临时出差")
    db.session.commit()
    assert session.status == SessionStatus.CANCELLED and session.cancellation_reason == "主讲嘉宾临时出差"
    assert session.sequence == sequence + 1
    for user in (lineup["investor"], lineup["waiter"], *lineup["founders"]):
        assert kinds_for(user) == ["session_cancelled"]
    note = db.session.scalars(sa.select(Notification).where(Notification.user_id == lineup["investor"].id)).one()
    assert "主讲嘉宾临时出差" in note.body
    # the slots are freed: both projects are approved again and wait in the scheduling queue
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Slot).where(Slot.session_id == session.id)) == 0
    assert [p.status for p in lineup["projects"]] == [ProjectStatus.APPROVED] * 2
    queue = screening.accepted_queue()
    assert [a.project_id for a in queue] == [p.id for p in lineup["projects"]]
    assert queue[0].id == lineup["accepted"].id  # the earlier decision keeps its place at the front
    assert all(a.series_id == lineup["series"].id and a.session_id is None for a in queue)
    assert db.session.scalars(sa.select(WaitlistEntry).where(WaitlistEntry.session_id == session.id)).all() == []


def test_cancel_requires_a_reason_and_happens_once(db, lineup):
    session = lineup["session"]
    with pytest.raises(RuleViolation, match="请填写取消原因"):
        curation.cancel_session(session, "  ")
    db.session.rollback()
    assert session.status == SessionStatus.SCHEDULED
    curation.cancel_session(session, "场地检修")
    db.session.commit()
    with pytest.raises(RuleViolation, match="已经取消"):
        curation.cancel_session(session, "再次取消")


def test_a_cancelled_session_is_not_edited_or_reopened(db, lineup):
    session = lineup["session"]
    curation.cancel_session(session, "场地检修")
    db.session.commit()
    with pytest.raises(RuleViolation, match="已取消的路演不能再修改"):
        services.save_session(session, capacity=50)
    db.session.rollback()
    with pytest.raises(RuleViolation, match="取消路演请使用"):
        services.save_session(None, title="新场次", venue_id=session.venue_id, starts_at=session.starts_at,
                              ends_at=session.ends_at, capacity=10, status=SessionStatus.CANCELLED)


def test_move_refused_when_it_overlaps_another_session_in_the_venue(db, lineup, make_session):
    session = lineup["session"]
    other = make_session(starts_in=timedelta(days=5))
    before = (session.starts_at, session.ends_at, session.sequence)
    with pytest.raises(RuleViolation, match="该场地在这段时间已有路演"):
        curation.move_session(session, other.starts_at + timedelta(minutes=30), other.ends_at + timedelta(minutes=30))
    db.session.rollback()
    db.session.refresh(session)
    assert (session.starts_at, session.ends_at, session.sequence) == before
    assert kinds_for(lineup["investor"]) == []


def test_move_bumps_the_sequence_and_notifies_booked_and_presenting(db, lineup):
    session = lineup["session"]
    sequence = session.sequence
    later = session.starts_at + timedelta(days=1)
    curation.move_session(session, later, later + timedelta(hours=2))
    db.session.commit()
    assert session.starts_at == later and session.sequence == sequence + 1
    for user in (lineup["investor"], lineup["waiter"], *lineup["founders"]):
        assert kinds_for(user) == ["session_moved"]
    # a second move is a new message (new sequence), not swallowed by the first one's dedupe key
    curation.move_session(session, later + timedelta(hours=3), later + timedelta(hours=5))
    db.session.commit()
    assert kinds_for(lineup["investor"]) == ["session_moved"] * 2


def test_other_edits_leave_the_sequence_alone_but_status_changes_bump_it(db, lineup):
    session = lineup["session"]
    sequence = session.sequence
    curation.update_session(session, title="光电子专场（更新）", capacity=5)
    db.session.commit()
    assert session.sequence == sequence and kinds_for(lineup["investor"]) == []
    curation.update_session(session, status=SessionStatus.LIVE)
    db.session.commit()
    assert session.sequence == sequence + 1


def test_capacity_cannot_go_below_seats_taken(db, lineup, make_user):
    session = lineup["session"]
    services.save_session(session, capacity=3)  # promotes the waitlisted investor: 2 seats taken
    db.session.commit()
    with pytest.raises(RuleViolation, match="不能少于已预约的 2 个席位"):
        services.save_session(session, capacity=1)


def test_slots_move_up_and_down_and_removal_closes_the_gap(db, lineup):
    session = lineup["session"]
    first, second = lineup["slots"]
    curation.move_slot(second, -1)
    db.session.commit()
    assert [s.project_id for s in sorted(session.slots, key=lambda s: s.position)] == [second.project_id, first.project_id]
    with pytest.raises(RuleViolation, match="第一个"):
        curation.move_slot(second, -1)
    db.session.rollback()
    curation.remove_from_lineup(second)
    db.session.commit()
    assert [(s.project_id, s.position) for s in session.slots] == [(first.project_id, 1)]
    assert lineup["projects"][1].status == ProjectStatus.APPROVED


def test_startup_sees_the_institutions_that_booked_its_session_and_another_does_not(
        client, db, login, lineup, make_user, make_company):
    session = lineup["session"]
    login(lineup["founders"][0])
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "已预约机构" in page and "光谷产业投资基金" in page
    client.post("/logout")
    outsider = make_user(Role.STARTUP)
    make_company(outsider)
    login(outsider)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "光谷产业投资基金" not in page and "已预约机构" not in page


# --- admin pages ---------------------------------------------------------------------------

@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


def test_admin_cancels_through_the_page(client, db, login, admin, lineup):
    session = lineup["session"]
    login(admin)
    page = client.post(f"/admin/sessions/{session.id}/cancel", data={"reason": ""}, follow_redirects=True)
    assert "请填写取消原因" in page.get_data(as_text=True)
    page = client.post(f"/admin/sessions/{session.id}/cancel", data={"reason": "台风预警"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "已取消路演" in text and "本场路演已取消，不能再修改" in text
    assert db.session.get(RoadshowSession, session.id).status == SessionStatus.CANCELLED


def test_admin_edit_page_move_clash_shows_the_message(client, db, login, admin, lineup, make_session):
    session = lineup["session"]
    other = make_session(starts_in=timedelta(days=6))
    login(admin)
    starts = other.starts_at + timedelta(hours=8)  # naive UTC + 8h = the Wuhan wall clock the form takes
    form = {
        "title": session.title, "venue_id": session.venue_id, "series_id": "", "host_id": "", "industry_chain": "",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 10, "status": "scheduled", "description": "",
    }
    page = client.post(f"/admin/sessions/{session.id}/edit", data=form).get_data(as_text=True)
    assert "该场地在这段时间已有路演" in page
    assert 'value="cancelled"' not in page  # cancelling is its own action, not a status to pick


def test_admin_reorders_the_lineup_through_the_page(client, db, login, admin, lineup):
    first, second = lineup["slots"]
    login(admin)
    client.post(f"/admin/slots/{first.id}/move/down")
    db.session.expire_all()
    assert (first.position, second.position) == (2, 1)
    assert client.post(f"/admin/slots/{first.id}/move/sideways").status_code == 404


def test_other_roles_cannot_curate(client, db, login, lineup, make_user):
    login(make_user(Role.HOST))
    assert client.post(f"/admin/sessions/{lineup['session'].id}/cancel", data={"reason": "x"}).status_code == 403
    assert db.session.get(Venue, lineup["session"].venue_id) is not None
