"""Session lifecycle by the clock: live at the start time, ended at the end time (a live room may overrun)."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from ..common.timeutil import utcnow
from ..extensions import db
from ..projects.models import Project, ProjectStatus
from ..roadshows.models import RoadshowSession, SessionStatus, Slot
from ..roadshows.signals import session_status_changed

NOT_STARTED = (SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.SCHEDULED)
# A live room running over is not cut off at the end time: its host ends it, or this job does after the overrun.
LIVE_OVERRUN = timedelta(minutes=30)


def _move(where, status: SessionStatus) -> list[tuple[int, SessionStatus]]:
    """Conditional UPDATE by id: a session changed by a concurrent run (or an admin) is not touched twice.

    Returns (id, status before) of each session moved.
    """
    moved = db.session.execute(sa.select(RoadshowSession.id, RoadshowSession.status).where(*where)).all()
    ids = [session_id for session_id, _before in moved]
    if ids:
        db.session.execute(
            # A status change bumps the iCalendar SEQUENCE, like roadshows.services.mark_changed.
            sa.update(RoadshowSession).where(RoadshowSession.id.in_(ids), *where)
            .values(status=status, sequence=RoadshowSession.sequence + 1)
            .execution_options(synchronize_session=False)
        )
    return [(session_id, before) for session_id, before in moved]


def advance_sessions(now: datetime | None = None) -> dict:
    now = now or utcnow()
    went_live = _move(
        (RoadshowSession.status.in_(NOT_STARTED), RoadshowSession.starts_at <= now, RoadshowSession.ends_at > now),
        SessionStatus.LIVE,
    )
    ended = _move(
        (sa.or_(
            sa.and_(RoadshowSession.status.in_(NOT_STARTED), RoadshowSession.ends_at <= now),
            sa.and_(RoadshowSession.status == SessionStatus.LIVE, RoadshowSession.ends_at <= now - LIVE_OVERRUN),
        ),),
        SessionStatus.ENDED,
    )
    presented = _mark_presented([session_id for session_id, _before in ended]) if ended else 0
    db.session.flush()
    db.session.expire_all()
    for moved, after in ((went_live, SessionStatus.LIVE), (ended, SessionStatus.ENDED)):
        for session_id, before in moved:
            session_status_changed.send(db.session.get(RoadshowSession, session_id), before=before, after=after)
    return {"live": len(went_live), "ended": len(ended), "presented": presented}


def _mark_presented(ended: list[int]) -> int:
    """Scheduled projects that pitched in an ended session have presented (unless another pitch is still ahead)."""
    pitched = sa.select(Slot.project_id).where(Slot.session_id.in_(ended))
    ahead = (
        sa.select(Slot.project_id).join(RoadshowSession)
        .where(RoadshowSession.status.in_((*NOT_STARTED, SessionStatus.LIVE)))
    )
    return db.session.execute(
        sa.update(Project)
        .where(Project.status == ProjectStatus.SCHEDULED, Project.id.in_(pitched), Project.id.not_in(ahead))
        .values(status=ProjectStatus.PRESENTED)
        .execution_options(synchronize_session=False)
    ).rowcount
