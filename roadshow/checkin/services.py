"""Check-in: a booking's code, scanned or typed at the door, records one attendance.

Two scanners reading the same code at once both try to insert; the unique booking lets one row
through, and the other is told when that one was recorded. A code of another session, or of a
cancelled booking, is refused with what it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO

import segno
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..common.errors import RuleViolation
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n.formatting import format_datetime, format_slot
from ..roadshows.models import Booking, BookingStatus, RoadshowSession
from .models import Attendance

CODE_MAX = 64  # longer input is not a code (a code is 22 characters)
# The doors open before the session: a scan queued offline may be this much earlier than its start.
OFFLINE_SCAN_WINDOW = timedelta(hours=3)


@dataclass(frozen=True)
class CheckIn:
    booking: Booking
    attendance: Attendance
    first: bool  # False: the code had been scanned before (attendance.checked_in_at says when)


def qr_svg(booking: Booking) -> str:
    """The booking's QR code as an SVG document; it carries the code only."""
    out = BytesIO()
    segno.make_qr(booking.checkin_code, error="m").save(out, kind="svg", scale=8, border=2, xmldecl=True,
                                                         title=booking.session.title)
    return out.getvalue().decode()


def _attendance_of(booking_id: int) -> Attendance | None:
    return db.session.scalars(sa.select(Attendance).where(Attendance.booking_id == booking_id)).first()


def arrival_time(session: RoadshowSession, scanned_at: datetime | None, now: datetime) -> datetime:
    """When the person came: the phone's scan time for a code queued while the door was offline, if it is
    plausible (not in the future, not earlier than OFFLINE_SCAN_WINDOW before the session), else now."""
    if scanned_at is not None and session.starts_at - OFFLINE_SCAN_WINDOW <= scanned_at <= now:
        return scanned_at
    return now


def check_in(session: RoadshowSession, code: str, by: User, scanned_at: datetime | None = None) -> CheckIn:
    code = (code or "").strip()
    booking = db.session.scalars(sa.select(Booking).where(Booking.checkin_code == code)).first() \
        if 0 < len(code) <= CODE_MAX else None
    if booking is None:
        raise RuleViolation(_("没有这个签到码，请核对后重试。"))
    if booking.session_id != session.id:
        other = booking.session
        raise RuleViolation(_("这个签到码属于另一场路演：%(title)s（%(when)s），不能在本场签到。",
                              title=other.title, when=format_slot(other.starts_at, other.ends_at)))
    if session.status.is_cancelled:
        raise RuleViolation(_("这场路演已取消，不能签到。"))
    if booking.status is not BookingStatus.CONFIRMED:
        raise RuleViolation(_("%(name)s 的预约已取消，不能签到。", name=booking.user.name))
    attendance = Attendance(booking_id=booking.id, session_id=session.id, checked_in_by_id=by.id,
                            checked_in_at=arrival_time(session, scanned_at, utcnow()))
    try:
        with db.session.begin_nested():  # a savepoint: losing the race leaves the transaction usable
            db.session.add(attendance)
    except IntegrityError:
        return CheckIn(booking, _attendance_of(booking.id), first=False)
    return CheckIn(booking, attendance, first=True)


def describe(result: CheckIn) -> str:
    """What the person at the door reads."""
    name = result.booking.user.name
    if result.first:
        return _("签到成功：%(name)s。", name=name)
    return _("%(name)s 已于 %(when)s 签到过，本次不再重复记录。", name=name,
             when=format_datetime(result.attendance.checked_in_at, "short_seconds"))


def attendee_list(session: RoadshowSession) -> list[tuple[Booking, Attendance | None]]:
    """Everyone holding a seat, with their attendance if they came; those who came first."""
    rows = db.session.execute(
        sa.select(Booking, Attendance)
        .outerjoin(Attendance, Attendance.booking_id == Booking.id)
        .where(Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED)
        .order_by(Attendance.checked_in_at.is_(None), Attendance.checked_in_at, Booking.id)
    ).all()
    return [(booking, attendance) for booking, attendance in rows]


def show_up(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per session: (seats held, people who came)."""
    if not session_ids:
        return {}
    booked = dict(db.session.execute(
        sa.select(Booking.session_id, sa.func.count())
        .where(Booking.session_id.in_(session_ids), Booking.status == BookingStatus.CONFIRMED)
        .group_by(Booking.session_id)
    ).all())
    came = dict(db.session.execute(
        sa.select(Attendance.session_id, sa.func.count())
        .where(Attendance.session_id.in_(session_ids)).group_by(Attendance.session_id)
    ).all())
    return {sid: (booked.get(sid, 0), came.get(sid, 0)) for sid in session_ids}


def show_up_per_series(sessions: list[RoadshowSession], counts: dict[int, tuple[int, int]]
                       ) -> dict[int | None, tuple[int, int, int]]:
    """Per series id (None: no series) of these sessions: (sessions, seats held, people who came), from the
    sessions' (seats held, people who came) in `counts` (show_up)."""
    totals: dict[int | None, tuple[int, int, int]] = {}
    for session in sessions:
        booked, came = counts[session.id]
        n, held, present = totals.get(session.series_id, (0, 0, 0))
        totals[session.series_id] = (n + 1, held + booked, present + came)
    return totals
