"""Admins curate sessions: move them, cancel them with a reason, order the lineup; the people concerned hear of it."""
import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import User
from ..common.errors import RuleViolation
from ..common.timeutil import utcnow
from ..extensions import db
from ..projects.models import ProjectStatus
from ..projects.services import change_status
from . import services
from .lifecycle import change_session_status, tell_audience
from .models import (
    Application,
    ApplicationStatus,
    RoadshowSession,
    SessionStatus,
    Slot,
    WaitlistEntry,
)
from .signals import room_audience_changed


def update_session(session: RoadshowSession, *, by: User | None = None, **fields) -> RoadshowSession:
    """Save an edited session; if its time or place changed, everyone booked or presenting is told."""
    before = services.when_and_where(session)
    services.save_session(session, by=by, **fields)
    if services.when_and_where(session) != before:
        tell_audience(
            session,
            "session_moved",
            lambda: (_("路演时间或地点变更：%(title)s", title=session.display_title),
                     _("新的时间：%(when)s；地点：%(venue)s。请据此调整您的安排。",
                       when=services.describe_time(session), venue=session.venue.display_name)),
            key=f"session-moved:{session.id}:{session.sequence}",
        )
    return session


def move_session(session: RoadshowSession, starts_at, ends_at, venue_id: int | None = None) -> RoadshowSession:
    """Change the time (and optionally the venue); refused when it clashes with another session there."""
    return update_session(session, starts_at=starts_at, ends_at=ends_at, venue_id=venue_id or session.venue_id)


def cancel_session(session: RoadshowSession, reason: str | None, *, by: User | None = None) -> RoadshowSession:
    """Cancel with a reason everyone concerned reads; the lineup's projects go back to the scheduling queue."""
    services.lock_and_reread(session)
    if session.status == SessionStatus.CANCELLED:
        raise RuleViolation(_("这场路演已经取消。"))
    if session.status == SessionStatus.ENDED or session.ends_at <= utcnow():
        raise RuleViolation(_("已结束的路演不能取消。"))
    # refuses an empty reason; tells the audience, so before the lineup and the waitlist are cleared
    change_session_status(session, SessionStatus.CANCELLED, by=by, reason=reason)
    for slot in list(session.slots):
        _release(slot)
    db.session.execute(sa.delete(WaitlistEntry).where(WaitlistEntry.session_id == session.id))
    db.session.flush()
    return session


def _release(slot: Slot) -> Application:
    """Take a project out of its slot and back into the scheduling queue, keeping its place there."""
    session, project = slot.session, slot.project
    application = db.session.scalars(sa.select(Application).where(Application.slot_id == slot.id)).first()
    if application is None:  # placed by hand, without an application: give it one, so it is not lost
        application = Application(
            project=project, series_id=session.series_id, status=ApplicationStatus.ACCEPTED,
            decided_at=project.decided_at or utcnow(), note=_("原定场次调整后重新排期。"),
        )
        db.session.add(application)
    application.slot = None
    if application.session_id in (None, session.id) and session.series_id is not None:
        # the session it was meant for is gone or left: it waits for any session of the series
        application.session_id, application.series_id = None, session.series_id
    elif application.series_id is None:
        application.session_id = session.id
    if project.status == ProjectStatus.SCHEDULED:
        change_status(project, ProjectStatus.APPROVED)
    session.slots.remove(slot)  # delete-orphan deletes the row
    db.session.flush()
    # the company no longer presents here
    room_audience_changed.send(session_id=session.id, user_ids=[member.id for member in project.company.members])
    return application


def _editable_lineup(session: RoadshowSession) -> None:
    if session.status in (SessionStatus.CANCELLED, SessionStatus.ENDED):
        raise RuleViolation(_("这场路演%(status)s，不能再调整路演项目。", status=session.status.label))


def remove_from_lineup(slot: Slot) -> Application:
    """Take one project out of a session; the later ones move up and it waits in the queue again."""
    session = slot.session
    _editable_lineup(session)
    position = slot.position
    application = _release(slot)
    for later in sorted((s for s in session.slots if s.position > position), key=lambda s: s.position):
        later.position -= 1  # ascending, so each moves into the place just vacated
        db.session.flush()
    return application


def move_slot(slot: Slot, offset: int) -> None:
    """Swap a pitch with its neighbour (offset -1: earlier, +1: later)."""
    session = slot.session
    _editable_lineup(session)
    lineup = sorted(session.slots, key=lambda s: s.position)
    index = lineup.index(slot) + offset
    if not 0 <= index < len(lineup):
        raise RuleViolation(_("已经是第一个了。") if offset < 0 else _("已经是最后一个了。"))
    other = lineup[index]
    mine, theirs = slot.position, other.position
    slot.position = -1  # (session, position) is unique: park one while the other moves
    db.session.flush()
    other.position = mine
    db.session.flush()
    slot.position = theirs
    db.session.flush()
