"""Session rules: no two sessions at once in a venue, seats never overbooked, a first-come waitlist.

Every change to a session's seats runs under `lock_session()`, so concurrent bookings,
cancellations and promotions of one session are decided one after another by the database.
"""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..common.errors import PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..common.timeutil import to_local, utcnow
from ..extensions import db
from ..i18n import stored_language
from ..notifications.services import notify
from . import lifecycle
from .models import BOOKABLE_STATUSES, Booking, BookingStatus, RoadshowSession, SessionStatus, WaitlistEntry
from .signals import booking_confirmed, room_audience_changed, session_created, session_rescheduled


class SessionFull(RuleViolation):
    """No seat is left; the caller may offer the waitlist."""


def when_and_where(session: RoadshowSession) -> tuple:
    return session.starts_at, session.ends_at, session.venue_id


def describe_time(session: RoadshowSession) -> str:
    """"2026-12-02 14:00–16:00" in Wuhan time, for messages."""
    return f"{to_local(session.starts_at):%Y-%m-%d %H:%M}–{to_local(session.ends_at):%H:%M}"


# --- sessions ------------------------------------------------------------------------------

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


def lock_session(session_id: int) -> None:
    """Hold the session's row until commit, so seat changes of one session never interleave.

    A no-op UPDATE rather than SELECT ... FOR UPDATE: SQLAlchemy drops FOR UPDATE on SQLite,
    where a transaction takes the database's write lock at its first write; on PostgreSQL the
    UPDATE locks the row. Either way the next locker waits for our commit.
    """
    db.session.execute(
        sa.update(RoadshowSession)
        .where(RoadshowSession.id == session_id)
        .values(seats_taken=RoadshowSession.seats_taken, updated_at=RoadshowSession.updated_at)
        .execution_options(synchronize_session=False)
    )


def save_session(session: RoadshowSession | None, *, by: User | None = None, **fields) -> RoadshowSession:
    """Create or update a session, refusing times that clash with another in the same venue.

    A change of status goes through the session's state machine (`by`: the admin acting); a change
    of time or place bumps the iCalendar sequence (once, with a status change); a raised capacity
    gives the new seats to waitlisted investors.
    """
    if session is not None:
        lock_session(session.id)
        db.session.refresh(session)
        if session.status == SessionStatus.CANCELLED:
            raise RuleViolation(_("已取消的路演不能再修改；如需举办，请新建场次。"))
    new_status = fields.pop("status", None)
    if new_status == SessionStatus.CANCELLED:
        raise RuleViolation(_("取消路演请使用“取消路演”，并填写原因：系统会通知已预约的投资人和路演企业。"))
    creating = session is None
    if creating:  # the column defaults only apply at INSERT
        session = RoadshowSession(seats_taken=0, status=new_status or SessionStatus.PLANNED)
    before_place, before_capacity = when_and_where(session), session.capacity
    before_host, before_viewing = session.host_id, session.public_viewing
    for name, value in fields.items():
        setattr(session, name, value)
    if session.ends_at <= session.starts_at:
        raise RuleViolation(_("结束时间必须晚于开始时间。"))
    if session.capacity < session.seats_taken:
        raise RuleViolation(_("容量不能少于已预约的 %(n)d 个席位。", n=session.seats_taken))
    moved = not creating and when_and_where(session) != before_place
    if moved and session.status == SessionStatus.ENDED:
        raise RuleViolation(_("已结束的路演不能改期或更换场地。"))
    clash = overlapping_session(session.venue_id, session.starts_at, session.ends_at, session.id)
    if clash is not None:
        raise RuleViolation(_("该场地在这段时间已有路演：%(title)s。", title=clash.title))
    db.session.add(session)
    db.session.flush()
    if creating:
        session_created.send(session)
    if not creating and new_status not in (None, session.status):
        lifecycle.change_session_status(session, new_status, by=by)  # bumps the sequence
    elif moved:
        lifecycle.mark_changed(session)
    if moved:
        session_rescheduled.send(session)
    if not creating and session.capacity > before_capacity:
        promote_waitlisted(session)
    if not creating and session.public_viewing != before_viewing:
        room_audience_changed.send(session_id=session.id, user_ids=None)  # viewers without a seat come or go
    elif not creating and session.host_id != before_host:
        # the host audience changes hands
        room_audience_changed.send(session_id=session.id, user_ids={before_host, session.host_id} - {None})
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


# --- seats ---------------------------------------------------------------------------------

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


def _booking_row(session_id: int, user_id: int) -> Booking | None:
    """The investor's one booking row for the session, read fresh (another request may have changed it)."""
    return db.session.scalars(
        sa.select(Booking)
        .where(Booking.session_id == session_id, Booking.user_id == user_id)
        .execution_options(populate_existing=True)
    ).first()


def active_booking(session: RoadshowSession, user: User) -> Booking | None:
    return db.session.scalars(
        sa.select(Booking).where(
            Booking.session_id == session.id,
            Booking.user_id == user.id,
            Booking.status == BookingStatus.CONFIRMED,
        )
    ).first()


def _refuse_unbookable(session: RoadshowSession, now: datetime | None = None) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise RuleViolation(_("这场路演已取消，不能预约。"))
    if session.status == SessionStatus.ENDED or session.ends_at <= (now or utcnow()):
        raise RuleViolation(_("这场路演已结束，不能预约。"))
    if not session.is_bookable:
        raise RuleViolation(_("这场路演暂不开放预约。"))


def _confirm_booking(session: RoadshowSession, user_id: int) -> Booking:
    """After a seat was taken: (re)activate the investor's booking row and drop their waitlist entry."""
    booking = _booking_row(session.id, user_id)
    if booking is None:
        booking = Booking(session_id=session.id, user_id=user_id)
        db.session.add(booking)
    booking.status = BookingStatus.CONFIRMED
    booking.cancelled_at = None
    db.session.execute(
        sa.delete(WaitlistEntry).where(WaitlistEntry.session_id == session.id, WaitlistEntry.user_id == user_id)
    )
    db.session.flush()
    # watching as a viewer: they may ask from now on
    room_audience_changed.send(session_id=session.id, user_ids=[user_id])
    booking_confirmed.send(session, user_id=user_id)
    return booking


def request_seat(session: RoadshowSession, user: User, *, waitlist: bool = True) -> Booking | WaitlistEntry:
    """Book a seat, or join the waitlist when none is left (SessionFull instead when waitlist=False).

    Decided under the session's lock: with one seat and fifty concurrent requests, one
    investor books and forty-nine wait, in the order the database served them.
    """
    if not user.has_role(Role.INVESTOR):
        raise PermissionDenied(_("只有投资机构用户可以预约席位。"))
    _refuse_unbookable(session)
    lock_session(session.id)
    db.session.refresh(session)
    _refuse_unbookable(session)  # it may have been cancelled while we waited for the lock
    booking = _booking_row(session.id, user.id)
    if booking is not None and booking.status == BookingStatus.CONFIRMED:
        raise RuleViolation(_("您已预约过这场路演。"))
    if _take_seat(session.id):
        booking = _confirm_booking(session, user.id)
        db.session.refresh(session)
        _tell_booked(session, user, booking)
        return booking
    if not waitlist:
        raise SessionFull(_("这场路演的席位已满。"))
    entry = waitlist_entry(session, user)
    if entry is not None:
        raise RuleViolation(_("您已在候补名单中，当前排第 %(n)d 位。", n=waitlist_position(entry)))
    entry = WaitlistEntry(session_id=session.id, user_id=user.id)
    db.session.add(entry)
    db.session.flush()
    return entry


def _tell_booked(session: RoadshowSession, user: User, booking: Booking) -> None:
    """The confirmation (in-app and by email), linking to the booking's QR code for the door."""
    with stored_language(user):  # stored and read later: in the reader's language
        notify(
            user,
            "booking_confirmed",
            _("预约成功：%(title)s", title=session.display_title),
            _("时间：%(when)s，地点：%(venue)s。入场时请出示签到二维码（点击查看）。",
              when=describe_time(session), venue=session.venue.display_name),
            link=site_path("checkin.ticket", booking_id=booking.id),
            dedupe_key=f"booking-confirmed:{booking.id}:{utcnow():%Y%m%d%H%M%S%f}",
        )


def book_seat(session: RoadshowSession, user: User) -> Booking:
    """Book one seat for an investor; raises SessionFull or RuleViolation."""
    return request_seat(session, user, waitlist=False)


def cancel_booking(booking: Booking, user: User) -> Booking:
    """Give a seat back (until the session starts); the first waitlisted investor gets it."""
    if booking.user_id != user.id:
        raise PermissionDenied(_("只能取消自己的预约。"))
    if booking.session.status == SessionStatus.CANCELLED:
        raise RuleViolation(_("这场路演已取消，预约随之作废，无需再取消。"))
    if booking.session.starts_at <= utcnow():
        raise RuleViolation(_("路演已经开始，不能再取消预约。"))
    lock_session(booking.session_id)
    # Conditional: a double click cannot cancel twice and free two seats.
    cancelled = db.session.execute(
        sa.update(Booking)
        .where(Booking.id == booking.id, Booking.status == BookingStatus.CONFIRMED)
        .values(status=BookingStatus.CANCELLED, cancelled_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not cancelled:
        raise RuleViolation(_("这个预约已经取消。"))
    _free_seat(booking.session_id)
    # out of the attendees (a viewer at most)
    room_audience_changed.send(session_id=booking.session_id, user_ids=[booking.user_id])
    db.session.refresh(booking)
    db.session.refresh(booking.session)
    promote_waitlisted(booking.session)
    return booking


# --- waitlist ------------------------------------------------------------------------------

def _queue(session_id: int):
    return (
        sa.select(WaitlistEntry)
        .where(WaitlistEntry.session_id == session_id)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
    )


def waitlist_entry(session: RoadshowSession, user: User) -> WaitlistEntry | None:
    return db.session.scalars(
        sa.select(WaitlistEntry).where(WaitlistEntry.session_id == session.id, WaitlistEntry.user_id == user.id)
    ).first()


def waitlist_position(entry: WaitlistEntry) -> int:
    """1 for the next investor to get a seat."""
    ahead = db.session.scalar(
        sa.select(sa.func.count()).select_from(WaitlistEntry).where(
            WaitlistEntry.session_id == entry.session_id,
            sa.or_(
                WaitlistEntry.created_at < entry.created_at,
                sa.and_(WaitlistEntry.created_at == entry.created_at, WaitlistEntry.id < entry.id),
            ),
        )
    )
    return ahead + 1


def waitlist_count(session: RoadshowSession) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(WaitlistEntry).where(WaitlistEntry.session_id == session.id)
    )


def leave_waitlist(session: RoadshowSession, user: User) -> None:
    left = db.session.execute(
        sa.delete(WaitlistEntry).where(WaitlistEntry.session_id == session.id, WaitlistEntry.user_id == user.id)
    ).rowcount
    if not left:
        raise RuleViolation(_("您不在这场路演的候补名单中。"))


def promote_waitlisted(session: RoadshowSession) -> list[Booking]:
    """Give free seats to the earliest waitlisted investors and tell each of them.

    Callers hold the session's lock (they have just written its row), so two promotions
    never hand out the same seat or promote the same entry.
    """
    promoted: list[Booking] = []
    if session.status not in BOOKABLE_STATUSES or session.ends_at <= utcnow():
        return promoted
    while True:
        entry = db.session.scalars(_queue(session.id).limit(1).execution_options(populate_existing=True)).first()
        if entry is None:
            break
        user, joined_at = entry.user, entry.created_at
        if user.is_disabled or not user.has_role(Role.INVESTOR):
            db.session.delete(entry)  # can no longer hold a seat; the next in line gets it
            db.session.flush()
            continue
        if not _take_seat(session.id):
            break
        db.session.delete(entry)
        promoted.append(_confirm_booking(session, user.id))
        with stored_language(user):  # stored and read later: in the reader's language
            notify(
                user,
                "waitlist_promoted",
                _("候补成功：%(title)s", title=session.display_title),
                _("有席位空出，您已从候补名单自动转为正式预约。时间：%(when)s，地点：%(venue)s。如不能参加，请及时取消预约。",
                  when=describe_time(session), venue=session.venue.display_name),
                link=site_path("checkin.ticket", booking_id=promoted[-1].id),  # its QR code for the door
                dedupe_key=f"waitlist-promoted:{session.id}:{user.id}:{joined_at:%Y%m%d%H%M%S%f}",
            )
    db.session.refresh(session)
    return promoted
