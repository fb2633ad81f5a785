"""A session's status: one state machine, and `change_session_status` its only writer.

Whoever moves a session on (an admin's edit or cancellation, the host opening or ending the live
room, slot filling, the clock job) calls `change_session_status`. It refuses steps the table does
not allow, writes the row with a conditional UPDATE (a concurrent change is never overwritten),
bumps the iCalendar SEQUENCE, records who did it in the audit log, tells the people concerned and
sends `signals.session_status_changed` (the live rooms follow it). A test scans the code for any
other write of `status` or `sequence`.
"""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import User
from ..audit.services import record
from ..common.errors import RuleViolation
from ..common.site_url import site_path
from ..common.workflow import ChangedMeanwhile, IllegalTransition, write_status
from ..extensions import db
from ..i18n import stored_language
from ..notifications.services import notify
from ..projects.models import Project
from . import services
from .models import Booking, BookingStatus, RoadshowSession, SessionStatus as S, Slot, WaitlistEntry
from .signals import session_status_changed

# The steps a session may take. Before it starts an admin may move it between planned, open and
# scheduled freely; it goes live (host or clock) and ends (host, clock, or never opened), or is
# cancelled until it has ended. Ended and cancelled are final: a new session is made instead.
TRANSITIONS: dict[S, tuple[S, ...]] = {
    S.PLANNED: (S.OPEN, S.SCHEDULED, S.LIVE, S.ENDED, S.CANCELLED),
    S.OPEN: (S.PLANNED, S.SCHEDULED, S.LIVE, S.ENDED, S.CANCELLED),
    S.SCHEDULED: (S.PLANNED, S.OPEN, S.LIVE, S.ENDED, S.CANCELLED),
    S.LIVE: (S.ENDED, S.CANCELLED),
    S.ENDED: (),
    S.CANCELLED: (),
}


def mark_changed(session: RoadshowSession) -> None:
    """The session's time or place changed: bump its iCalendar SEQUENCE so calendars update the event.

    A status change bumps it inside `change_session_status`; a save that changes both bumps once.
    """
    session.sequence = (session.sequence or 0) + 1


def change_session_status(
    session: RoadshowSession,
    new_status: S,
    *,
    by: User | None = None,
    reason: str | None = None,
    provided: tuple = (),
) -> RoadshowSession:
    """Move the session to `new_status`; the only code that writes a session's status.

    `by` is the person acting (None: the system; only people's changes go to the audit log).
    `reason` is required to cancel and is shown to everyone concerned. `provided` are SQL
    conditions that must still hold when the row is written (the clock job re-checks the times),
    decided by the database together with "the status is still what we read".
    Raises IllegalTransition or ChangedMeanwhile; then nothing was written.
    """
    old = session.status
    if new_status not in TRANSITIONS[old]:
        raise IllegalTransition(_("路演不能从“%(old)s”变为“%(new)s”。", old=old.label, new=new_status.label))
    reason = (reason or "").strip() or None
    extra = {}
    if new_status == S.CANCELLED:
        if reason is None:
            raise RuleViolation(_("请填写取消原因，已预约的投资人和路演企业会收到它。"))
        extra["cancellation_reason"] = reason
    # a status change is a change calendars must pick up (see RoadshowSession.sequence)
    if not write_status(session, new_status, provided=provided, sequence=RoadshowSession.sequence + 1, **extra):
        raise ChangedMeanwhile(
            _("这场路演的状态刚被更改为“%(status)s”，请刷新后再操作。", status=session.status.label)
        )
    if by is not None:
        _audit(session, old, by)
    if new_status == S.CANCELLED:
        _tell_cancelled(session)
    session_status_changed.send(session, before=old, after=new_status, by=by)
    return session


def _audit(session: RoadshowSession, old: S, by: User) -> None:
    if session.status == S.CANCELLED:
        record(by, "session.cancel", session, f"{session.title}：{session.cancellation_reason}")
        return
    with stored_language():  # the log is read later, in the center's language
        record(by, "session.status", session, f"{session.title}：{old.label} → {session.status.label}")


# --- who hears of a change -----------------------------------------------------------------

def session_audience(session: RoadshowSession) -> list[User]:
    """Everyone a change of the session concerns: investors with a seat or on the waitlist, presenting startups."""
    booked = sa.select(Booking.user_id).where(
        Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED
    )
    waiting = sa.select(WaitlistEntry.user_id).where(WaitlistEntry.session_id == session.id)
    presenting = (
        sa.select(User.id)
        .join(Project, Project.company_id == User.company_id)
        .join(Slot, Slot.project_id == Project.id)
        .where(Slot.session_id == session.id)
    )
    ids = sa.union(booked, waiting, presenting).subquery()
    return list(db.session.scalars(sa.select(User).where(User.id.in_(sa.select(ids))).order_by(User.id)))


def tell_audience(session: RoadshowSession, kind: str, message: Callable[[], tuple[str, str]], key: str) -> None:
    """One notification to each person concerned (`key` makes a repeated call tell nobody twice); `message()`
    gives the (title, body), written for each person in their own language."""
    link = site_path("roadshows.session_detail", session_id=session.id)
    for user in session_audience(session):
        with stored_language(user):  # stored and read later: in the reader's language
            title, body = message()
        notify(user, kind, title, body, link=link, dedupe_key=f"{key}:{user.id}")


def _tell_cancelled(session: RoadshowSession) -> None:
    tell_audience(
        session,
        "session_cancelled",
        lambda: (_("路演已取消：%(title)s", title=session.display_title),
                 _("原定于 %(when)s 在%(venue)s举行的路演已取消。原因：%(reason)s", when=services.describe_time(session),
                   venue=session.venue.display_name, reason=session.cancellation_reason)),
        key=f"session-cancelled:{session.id}",
    )
