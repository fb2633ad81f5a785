"""A session's status moves through one state machine: only the steps its table allows, the calendar
SEQUENCE bumped once per change, people's changes in the audit log, a concurrent change never overwritten."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.audit.models import AuditEntry
from roadshow.common.errors import RuleViolation
from roadshow.common.timeutil import utcnow
from roadshow.roadshows import curation, lifecycle
from roadshow.roadshows.models import RoadshowSession, SessionStatus as S



def audit_log(db) -> list[tuple[str, str, int]]:
    return [(e.action, e.actor_name, e.target_id)
            for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


def on_the_minute(make_session, hours: int, **fields) -> RoadshowSession:
    """A session starting `hours` from now at a whole minute, as the admin form (minutes only) sends it back."""
    start = utcnow().replace(second=0, microsecond=0) + timedelta(hours=hours)
    return make_session(starts_at=start, ends_at=start + timedelta(hours=2), **fields)


def edit_form(session: RoadshowSession, status: str, starts_at=None) -> dict:
    starts = (starts_at or session.starts_at) + timedelta(hours=8)  # naive UTC + 8h = the Wuhan wall clock
    return {
        "title": session.title, "venue_id": session.venue_id, "series_id": "", "host_id": "", "industry_chain": "",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": session.capacity, "status": status, "description": "",
    }


@pytest.mark.parametrize("current, wanted, message", [
    (S.ENDED, S.PLANNED, "路演不能从“已结束”变为“筹备中”"),
    (S.LIVE, S.OPEN, "路演不能从“直播中”变为“征集项目中”"),
])
def test_a_step_the_table_does_not_allow_is_refused_with_a_clear_message(
        client, db, login, make_user, make_session, current, wanted, message):
    session = on_the_minute(make_session, -1, status=current)
    sequence = session.sequence
    login(make_user(Role.ADMIN))
    page = client.post(f"/admin/sessions/{session.id}/edit", data=edit_form(session, wanted.value))
    assert message in page.get_data(as_text=True)
    db.session.expire_all()
    assert (session.status, session.sequence) == (current, sequence)
    assert audit_log(db) == []


def test_an_admins_status_change_is_audited_and_bumps_the_sequence_once_even_with_a_move(
        client, db, login, make_user, make_session):
    session = on_the_minute(make_session, 48, status=S.PLANNED)
    sequence = session.sequence
    admin = make_user(Role.ADMIN, name="运营张")
    login(admin)
    later = session.starts_at + timedelta(days=1)
    response = client.post(f"/admin/sessions/{session.id}/edit", data=edit_form(session, "open", starts_at=later))
    assert response.status_code == 302
    db.session.expire_all()
    assert (session.status, session.starts_at, session.sequence) == (S.OPEN, later, sequence + 1)
    client.post(f"/admin/sessions/{session.id}/cancel", data={"reason": "场地检修"})
    db.session.expire_all()
    assert (session.status, session.sequence) == (S.CANCELLED, sequence + 2)
    assert audit_log(db) == [("session.status", "运营张", session.id), ("session.cancel", "运营张", session.id)]
    assert "场地检修" in db.session.scalars(sa.select(AuditEntry.summary).order_by(AuditEntry.id.desc())).first()


def test_the_host_opening_and_ending_the_live_room_each_bump_the_sequence_once_and_are_audited(
        live_room, connect, db):
    session = live_room.session
    session.status = S.SCHEDULED
    db.session.commit()
    sequence = session.sequence
    host = connect(live_room.host, session)
    assert host.emit("host:open", {"early": True})["ok"]
    assert (session.status, session.sequence) == (S.LIVE, sequence + 1)
    assert host.emit("host:end")["ok"]
    assert (session.status, session.sequence) == (S.ENDED, sequence + 2)
    assert audit_log(db) == [("session.status", "王主持", session.id)] * 2
    assert host.emit("host:open")["code"] == "not_openable"
    assert session.sequence == sequence + 2


def test_a_status_read_before_someone_else_changed_it_is_never_written_over(db, make_session):
    session = make_session(status=S.OPEN)
    # another request cancels the session after this one read it as open
    db.session.execute(sa.update(RoadshowSession).where(RoadshowSession.id == session.id)
                       .values(status=S.CANCELLED).execution_options(synchronize_session=False))
    assert session.status == S.OPEN  # still the stale read
    with pytest.raises(lifecycle.ChangedMeanwhile, match="已取消"):
        lifecycle.change_session_status(session, S.SCHEDULED)
    db.session.expire_all()
    assert (session.status, session.sequence) == (S.CANCELLED, 0)


def test_cancelling_requires_a_reason_whoever_asks(db, make_session):
    session = make_session(status=S.SCHEDULED)
    for blank in (None, "  "):
        with pytest.raises(RuleViolation, match="请填写取消原因"):
            lifecycle.change_session_status(session, S.CANCELLED, reason=blank)
    curation.cancel_session(session, "主讲嘉宾临时出差")
    assert (session.status, session.cancellation_reason, session.sequence) == (S.CANCELLED, "主讲嘉宾临时出差", 1)
