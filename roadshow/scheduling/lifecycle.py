"""Session lifecycle by the clock: live at the start time, ended at the end time (a live room may overrun)."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from ..common.timeutil import utcnow
from ..extensions import db
from ..projects.models import Project, ProjectStatus
from ..projects.services import change_status
from ..roadshows.lifecycle import ChangedMeanwhile, change_session_status
from ..roadshows.models import RoadshowSession, SessionStatus, Slot

NOT_STARTED = (SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.SCHEDULED)
# A live room running over is not cut off at the end time: its host ends it, or this job does after the overrun.
LIVE_OVERRUN = timedelta(minutes=30)


def _move(where, status: SessionStatus) -> list[int]:
    """Each due session through the session state machine; `where` is checked again as its row is written,
    so a session changed meanwhile by a concurrent run (or an admin) is left as they made it."""
    moved = []
    due = sa.select(RoadshowSession).where(*where).order_by(RoadshowSession.id)
    for session in db.session.scalars(due.execution_options(populate_existing=True)).all():
        try:
            change_session_status(session, status, provided=where)
        except ChangedMeanwhile:
            continue
        moved.append(session.id)
    return moved


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
    presented = _mark_presented(ended) if ended else 0
    db.session.flush()
    db.session.expire_all()
    return {"live": len(went_live), "ended": len(ended), "presented": presented}


def _mark_presented(ended: list[int]) -> int:
    """Scheduled projects that pitched in an ended session have presented (unless another pitch is still ahead)."""
    pitched = sa.select(Slot.project_id).where(Slot.session_id.in_(ended))
    ahead = (
        sa.select(Slot.project_id).join(RoadshowSession)
        .where(RoadshowSession.status.in_((*NOT_STARTED, SessionStatus.LIVE)))
    )
    nothing_ahead = Project.id.not_in(ahead)
    due = sa.select(Project).where(Project.status == ProjectStatus.SCHEDULED, Project.id.in_(pitched), nothing_ahead)
    presented = 0
    for project in db.session.scalars(due.order_by(Project.id).execution_options(populate_existing=True)).all():
        try:
            change_status(project, ProjectStatus.PRESENTED, provided=(nothing_ahead,))
        except ChangedMeanwhile:
            continue
        presented += 1
    return presented
