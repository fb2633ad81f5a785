"""Reminders a day and an hour before a roadshow, to booked investors and presenting startups.

Each reminder has a dedupe key (reminder:{session}:{user}:D-1), so however often the job runs,
on however many processes, and across restarts, nobody is reminded twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..common.site_url import site_path
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n import stored_language
from ..i18n.formatting import format_datetime
from ..notifications.services import notify
from ..projects.models import Company, Project
from ..roadshows.models import Booking, BookingStatus, RoadshowSession, SessionStatus, Slot

UPCOMING_STATUSES = (SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.SCHEDULED)


@dataclass(frozen=True)
class Window:
    key: str  # part of the dedupe key
    earliest: timedelta  # sessions starting more than this ahead ...
    latest: timedelta  # ... and at most this ahead get the reminder


# A reminder that is due late (the job was down) is still sent, but D-1 stops once H-1 is due.
WINDOWS = (
    Window("D-1", timedelta(hours=1), timedelta(hours=24)),
    Window("H-1", timedelta(0), timedelta(hours=1)),
)


def send_reminders(now: datetime | None = None) -> dict:
    now = now or utcnow()
    sent = {}
    for window in WINDOWS:
        sessions = db.session.scalars(
            sa.select(RoadshowSession)
            .where(RoadshowSession.status.in_(UPCOMING_STATUSES),
                   RoadshowSession.starts_at > now + window.earliest,
                   RoadshowSession.starts_at <= now + window.latest)
            .options(selectinload(RoadshowSession.venue))
        ).all()
        sent[window.key] = sum(_remind(session, window) for session in sessions)
    return sent


def _remind(session: RoadshowSession, window: Window) -> int:
    count = 0
    for user, presenting in recipients(session):
        if user.is_disabled:
            continue
        with stored_language(user):  # stored and read later: in the reader's language
            title, body = _message(session, window, presenting)
        link = site_path("roadshows.session_detail", session_id=session.id)
        note = notify(user, "reminder", title, body, link=link,
                      dedupe_key=f"reminder:{session.id}:{user.id}:{window.key}")
        count += note is not None
    return count


def recipients(session: RoadshowSession) -> list[tuple[User, bool]]:
    """(user, presents) for everyone expected in the room: startups' members first, then booked investors."""
    presenters = db.session.scalars(
        sa.select(User).join(Company, User.company_id == Company.id).join(Project).join(Slot)
        .where(Slot.session_id == session.id).distinct()
    ).all()
    investors = db.session.scalars(
        sa.select(User).join(Booking, Booking.user_id == User.id)
        .where(Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED)
    ).all()
    seen = {u.id for u in presenters}
    return [(u, True) for u in presenters] + [(u, False) for u in investors if u.id not in seen]


def _message(session: RoadshowSession, window: Window, presenting: bool) -> tuple[str, str]:
    when = format_datetime(session.starts_at, "short")
    if window.key == "H-1":
        title = _("路演即将开始：%(title)s", title=session.display_title)
    else:
        title = _("明日路演提醒：%(title)s", title=session.display_title)
    place = session.venue.display_name + (f"（{session.venue.address}）" if session.venue.address else "")
    if presenting:
        body = _("您的项目将于 %(when)s 在%(place)s路演，请提前 30 分钟到场调试演示材料。", when=when, place=place)
    else:
        body = _("您预约的路演将于 %(when)s 在%(place)s开始，请准时参加。", when=when, place=place)
    return title, body
