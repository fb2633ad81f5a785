"""Session rules: no two sessions at once in a venue, and seats never overbooked."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..common.errors import PermissionDenied, RuleViolation
from ..common.timeutil import utcnow
from ..extensions import db
from .models import Booking, BookingStatus, RoadshowSession, SessionStatus


class SessionFull(RuleViolation):
    """No seat is left; the caller may offer the waitlist."""


def overlapping_session(venue_id: int, starts_at: datetime, ends_at: datetime, exclude_id: int | None = None):
    query = sa.select(RoadshowSession).where(
        RoadshowSession.venue_id == venue_id,
        RoadshowSession.status != SessionStatus.CANCELLED,
        RoadshowSession.starts_at < ends_at,
        RoadshowSession.ends_at > starts_at,
    )
    if exclude_id is not None:
        query = query.where(RoadshowSession.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def save_session(session: RoadshowSession | None, **fields) -> RoadshowSession:
    """Create or update a session, refusing times that clash with another in the same venue."""
    session = session or RoadshowSession(seats_taken=0)  # the column default only applies at INSERT
    for name, value in fields.items():
        setattr(session, name, value)
    if session.ends_at <= session.starts_at:
        raise RuleViolation(_("结束时间必须晚于开始时间。"))
    if session.capacity < session.seats_taken:
        raise RuleViolation(_("容量不能少于已预约的 %(n)d 个席位。", n=session.seats_taken))
    clash = overlapping_session(session.venue_id, session.starts_at, session.ends_at, session.id)
    if clash is not None:
        raise RuleViolation(_("该场地在这段时间已有路演：%(title)s。", title=clash.title))
    db.session.add(session)
    db.session.flush()
    return session


def upcoming_sessions(limit: int | None = None, now: datetime | None = None) -> list[RoadshowSession]:
    query = (
        sa.select(RoadshowSession)
        .where(RoadshowSession.ends_at >= (now or utcnow()), RoadshowSession.status != SessionStatus.CANCELLED)
        .order_by(RoadshowSession.starts_at)
        .options(sa.orm.selectinload(RoadshowSession.venue), sa.orm.selectinload(RoadshowSession.series))
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def _take_seat(session_id: int) -> bool:
    """Atomically take one seat; False when none is left.

    A conditional UPDATE is decided by the database under its write lock, so two
    concurrent bookers can never both take the last seat (count-then-insert can).
    """
    result = db.session.execute(
        sa.update(RoadshowSession)
        .where(RoadshowSession.id == session_id, RoadshowSession.seats_taken < RoadshowSession.capacity)
        .values(seats_taken=RoadshowSession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _free_seat(session_id: int) -> None:
    db.session.execute(
        sa.update(RoadshowSession)
        .where(RoadshowSession.id == session_id, RoadshowSession.seats_taken > 0)
        .values(seats_taken=RoadshowSession.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def active_booking(session: RoadshowSession, user: User) -> Booking | None:
    return db.session.scalars(
        sa.select(Booking).where(
            Booking.session_id == session.id,
            Booking.user_id == user.id,
            Booking.status == BookingStatus.CONFIRMED,
        )
    ).first()


def book_seat(session: RoadshowSession, user: User) -> Booking:
    """Book one seat for an investor; raises SessionFull or RuleViolation."""
    if not user.has_role(Role.INVESTOR):
        raise PermissionDenied(_("只有投资机构用户可以预约席位。"))
    if not session.is_bookable or session.ends_at <= utcnow():
        raise RuleViolation(_("这场路演已%(status)s，不能预约。", status=session.status.label))
    booking = db.session.scalars(
        sa.select(Booking).where(Booking.session_id == session.id, Booking.user_id == user.id)
    ).first()
    if booking is not None and booking.status == BookingStatus.CONFIRMED:
        raise RuleViolation(_("您已预约过这场路演。"))
    if not _take_seat(session.id):
        raise SessionFull(_("这场路演的席位已满。"))
    if booking is None:
        booking = Booking(session_id=session.id, user_id=user.id)
        db.session.add(booking)
    booking.status = BookingStatus.CONFIRMED
    booking.cancelled_at = None
    db.session.flush()  # a concurrent duplicate fails here on the unique key, rolling back the seat too
    db.session.refresh(session)
    return booking


def cancel_booking(booking: Booking, user: User) -> Booking:
    if booking.user_id != user.id:
        raise PermissionDenied(_("只能取消自己的预约。"))
    if booking.status != BookingStatus.CONFIRMED:
        raise RuleViolation(_("这个预约已经取消。"))
    if booking.session.starts_at <= utcnow():
        raise RuleViolation(_("路演已经开始，不能再取消预约。"))
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = utcnow()
    _free_seat(booking.session_id)
    db.session.flush()
    db.session.refresh(booking.session)
    return booking
