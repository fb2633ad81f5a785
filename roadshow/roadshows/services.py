"""Session rules: no two sessions at once in a venue, seats never overbooked, a first-come waitlist.

Registration is one path for every attendee type (investors, startups, the public): each type has its
own seats and its own waitlist in a session, taken and freed by the same rule. Every change to a
session's seats runs under `lock_session()` (or `lock_and_reread()`, the same locking UPDATE returning the
row), so concurrent bookings, cancellations and promotions of one session are decided one after another by
the database.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from flask_babel import gettext as _

from ..accounts.models import User
from ..common.db import insert_once
from ..common.errors import PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..common.timeutil import to_local, utcnow
from ..extensions import db
from ..i18n import stored_language
from ..notifications.services import notify
from . import lifecycle
from . import registration
from .models import (
    BOOKABLE_STATUSES, SEAT_COLUMNS, AttendeeType, Booking, BookingStatus, RoadshowSession, Series, SessionStatus,
    WaitlistEntry,
)
from .policies import may_register_as
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
    db.session.execute(_locking_update(session_id))


def _locking_update(session_id: int) -> sa.Update:
    return (
        sa.update(RoadshowSession)
        .where(RoadshowSession.id == session_id)
        .values(seats_taken=RoadshowSession.seats_taken, updated_at=RoadshowSession.updated_at)
        .execution_options(synchronize_session=False)
    )


def reread(session: RoadshowSession) -> None:
    """The session's row as the database holds it now (under its lock: as no one else can change it until we
    commit)."""
    _read_own_columns(session, lambda: db.session.refresh(session, _SESSION_COLUMNS))


def lock_and_reread(session: RoadshowSession) -> None:
    """Hold the session's row until commit and see it as it is now: it may have been cancelled, moved or had
    its seats taken while we waited for the lock.

    One statement: the locking UPDATE returns the row. Every statement while the lock is held keeps the
    session's other bookers waiting, and under a burst each one also waits its turn for the interpreter.
    """
    _read_own_columns(session, lambda: db.session.execute(
        _locking_update(session.id).returning(RoadshowSession).execution_options(populate_existing=True)
    ).one())


def _read_own_columns(session: RoadshowSession, read) -> None:
    """`read()` loads the session's own columns again; the venue and series loaded with it are kept unless it
    was moved to others meanwhile (joining them again on every seat decision cost a booking a third of its
    reading)."""
    loaded = dict(sa.inspect(session).dict)  # what is loaded now, read without loading anything
    read()
    for relation, key in (("venue", "venue_id"), ("series", "series_id")):
        if relation in loaded and getattr(session, key) == loaded.get(key):
            set_committed_value(session, relation, loaded[relation])  # a row read again forgets it
        else:
            db.session.expire(session, [relation])  # read again where it is named (the confirmation)


_SESSION_COLUMNS = [column.key for column in sa.inspect(RoadshowSession).column_attrs]


def save_session(session: RoadshowSession | None, *, by: User | None = None, **fields) -> RoadshowSession:
    """Create or update a session, refusing times that clash with another in the same venue.

    A change of status goes through the session's state machine (`by`: the admin acting); a change
    of time or place bumps the iCalendar sequence (once, with a status change); a raised capacity
    gives the new seats to the waitlisted people of that type. Seats for startups or the public left
    out (or None) on a new session come from its series.
    """
    if session is not None:
        lock_and_reread(session)
        if session.status == SessionStatus.CANCELLED:
            raise RuleViolation(_("已取消的路演不能再修改；如需举办，请新建场次。"))
    new_status = fields.pop("status", None)
    if new_status == SessionStatus.CANCELLED:
        raise RuleViolation(_("取消路演请使用“取消路演”，并填写原因：系统会通知已预约的投资人和路演企业。"))
    creating = session is None
    if creating:  # the column defaults only apply at INSERT
        session = RoadshowSession(seats_taken=0, startup_seats_taken=0, public_seats_taken=0,
                                  status=new_status or SessionStatus.PLANNED)
    _series_seat_defaults(session, fields, creating)
    before_place = when_and_where(session)
    before_capacity = {t: session.capacity_for(t) for t in AttendeeType} if not creating else {}
    before_host, before_viewing = session.host_id, session.public_viewing
    for name, value in fields.items():
        setattr(session, name, value)
    if session.ends_at <= session.starts_at:
        raise RuleViolation(_("结束时间必须晚于开始时间。"))
    for attendee_type in AttendeeType:
        if session.capacity_for(attendee_type) < session.seats_taken_for(attendee_type):
            raise RuleViolation(_("%(type)s席位不能少于已预约的 %(n)d 个席位。", type=attendee_type.label,
                                  n=session.seats_taken_for(attendee_type)))
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
    if any(session.capacity_for(t) > before for t, before in before_capacity.items()):
        promote_waitlisted(session)
    if not creating and session.public_viewing != before_viewing:
        room_audience_changed.send(session_id=session.id, user_ids=None)  # viewers without a seat come or go
    elif not creating and session.host_id != before_host:
        # the host audience changes hands
        room_audience_changed.send(session_id=session.id, user_ids={before_host, session.host_id} - {None})
    return session


def _series_seat_defaults(session: RoadshowSession, fields: dict, creating: bool) -> None:
    """Seats for the types a series admits by default: a new session takes them unless given, and a
    session whose form left them empty falls back to them."""
    for name in ("startup_capacity", "public_capacity"):
        if fields.get(name) is None and (creating or name in fields):
            series_id = fields.get("series_id", session.series_id)
            series = db.session.get(Series, series_id) if series_id else None
            fields[name] = getattr(series, name) if series is not None else 0


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

def _seat_columns(attendee_type: AttendeeType):
    capacity, taken = SEAT_COLUMNS[attendee_type]
    return getattr(RoadshowSession, capacity), getattr(RoadshowSession, taken)


def _take_seat(session_id: int, attendee_type: AttendeeType) -> bool:
    """Atomically take one seat of the type; False when none is left.

    A conditional UPDATE is decided by the database under its write lock, so two
    concurrent bookers can never both take the last seat (count-then-insert can).
    """
    capacity, taken = _seat_columns(attendee_type)
    result = db.session.execute(
        sa.update(RoadshowSession)
        .where(RoadshowSession.id == session_id, taken < capacity)
        .values({taken: taken + 1})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _free_seat(session_id: int, attendee_type: AttendeeType) -> None:
    _capacity, taken = _seat_columns(attendee_type)
    db.session.execute(
        sa.update(RoadshowSession)
        .where(RoadshowSession.id == session_id, taken > 0)
        .values({taken: taken - 1})
        .execution_options(synchronize_session=False)
    )


def _booking_row(session_id: int, user_id: int) -> Booking | None:
    """The person's one booking row for the session, read fresh (another request may have changed it)."""
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


def _confirm_booking(session: RoadshowSession, user_id: int, attendee_type: AttendeeType,
                     booking: Booking | None) -> Booking:
    """After a seat of the type was taken: (re)activate the person's booking row (`booking`, as read under the
    session's lock; None when they never had one) and drop their waitlist entry."""
    if booking is None:
        booking = Booking(session_id=session.id, user_id=user_id)
        db.session.add(booking)
    booking.status = BookingStatus.CONFIRMED
    booking.attendee_type = attendee_type
    booking.cancelled_at = None
    db.session.execute(
        sa.delete(WaitlistEntry).where(WaitlistEntry.session_id == session.id, WaitlistEntry.user_id == user_id)
    )
    db.session.flush()
    # watching as a viewer: they may ask from now on
    room_audience_changed.send(session_id=session.id, user_ids=[user_id])
    booking_confirmed.send(session, user_id=user_id)
    return booking


def _refuse_unqualified(session: RoadshowSession, user: User, attendee_type: AttendeeType) -> None:
    if not may_register_as(user, attendee_type):
        raise PermissionDenied({
            AttendeeType.INVESTOR: _("只有投资机构用户可以预约投资人席位。"),
            AttendeeType.STARTUP: _("只有创业企业用户可以报名企业席位。"),
            AttendeeType.PUBLIC: _("请先登录再报名。"),
        }[attendee_type])
    if not session.admits(attendee_type):
        raise RuleViolation(_("这场路演不接受%(type)s报名。", type=attendee_type.label))


def request_seat(session: RoadshowSession, user: User, *, attendee_type: AttendeeType = AttendeeType.INVESTOR,
                 waitlist: bool = True, answers: dict | None = None) -> Booking | WaitlistEntry:
    """Register as an attendee type: take a seat of that type, or join the type's waitlist when none is left
    (SessionFull instead when waitlist=False). `answers` (question id → text) answer the session's
    registration questions; a missing required answer or an unknown choice refuses the registration.

    Decided under the session's lock: with one seat and fifty concurrent requests, one
    person books and forty-nine wait, in the order the database served them.
    """
    _refuse_unqualified(session, user, attendee_type)
    _refuse_unbookable(session)
    # Read before the lock: whoever holds it keeps every other booker of the session waiting. The answers are
    # still checked, and stored, under it.
    questions = registration.questions_for(session)
    lock_and_reread(session)
    _refuse_unbookable(session)  # it may have been cancelled while we waited for the lock
    _refuse_unqualified(session, user, attendee_type)  # or its seats changed
    booking = _booking_row(session.id, user.id)
    if booking is not None and booking.status == BookingStatus.CONFIRMED:
        raise RuleViolation(_("您已预约过这场路演。"))
    registration.save_answers(session, user, answers or {}, questions)  # refuses before any seat is taken
    # The row was read under the lock: a full type needs no UPDATE to find out (most of a burst is refused).
    if session.seats_left_for(attendee_type) and _take_seat(session.id, attendee_type):
        booking = _confirm_booking(session, user.id, attendee_type, booking)
        reread(session)
        _tell_booked(session, user, booking)
        return booking
    if not waitlist:
        raise SessionFull(_("这场路演的%(type)s席位已满。", type=attendee_type.label))
    entry = insert_once(WaitlistEntry, ["session_id", "user_id"], session_id=session.id, user_id=user.id,
                        attendee_type=attendee_type)
    if entry is None:  # one person, one place in the queue (the row's unique key)
        entry = waitlist_entry(session, user)
        raise RuleViolation(_("您已在候补名单中，当前排第 %(n)d 位。", n=waitlist_position(entry)))
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


def book_seat(session: RoadshowSession, user: User, attendee_type: AttendeeType = AttendeeType.INVESTOR,
              answers: dict | None = None) -> Booking:
    """Book one seat of the type; raises SessionFull or RuleViolation."""
    return request_seat(session, user, attendee_type=attendee_type, waitlist=False, answers=answers)


def cancel_booking(booking: Booking, user: User) -> Booking:
    """Give a seat back (until the session starts); the first waitlisted person of its type gets it."""
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
    _free_seat(booking.session_id, booking.attendee_type)
    # out of the attendees (a viewer at most)
    room_audience_changed.send(session_id=booking.session_id, user_ids=[booking.user_id])
    db.session.refresh(booking)
    reread(booking.session)
    promote_waitlisted(booking.session)
    return booking


# --- waitlist ------------------------------------------------------------------------------

def _queue(session_id: int, attendee_type: AttendeeType):
    return (
        sa.select(WaitlistEntry)
        .where(WaitlistEntry.session_id == session_id, WaitlistEntry.attendee_type == attendee_type)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
    )


def waitlist_entry(session: RoadshowSession, user: User) -> WaitlistEntry | None:
    return db.session.scalars(
        sa.select(WaitlistEntry).where(WaitlistEntry.session_id == session.id, WaitlistEntry.user_id == user.id)
    ).first()


def waitlist_position(entry: WaitlistEntry) -> int:
    """1 for the next person of the entry's type to get a seat."""
    ahead = db.session.scalar(
        sa.select(sa.func.count()).select_from(WaitlistEntry).where(
            WaitlistEntry.session_id == entry.session_id,
            WaitlistEntry.attendee_type == entry.attendee_type,
            sa.or_(
                WaitlistEntry.created_at < entry.created_at,
                sa.and_(WaitlistEntry.created_at == entry.created_at, WaitlistEntry.id < entry.id),
            ),
        )
    )
    return ahead + 1


def waitlist_count(session: RoadshowSession, attendee_type: AttendeeType | None = None) -> int:
    """People waiting for a seat (of one type, or of any)."""
    query = sa.select(sa.func.count()).select_from(WaitlistEntry).where(WaitlistEntry.session_id == session.id)
    if attendee_type is not None:
        query = query.where(WaitlistEntry.attendee_type == attendee_type)
    return db.session.scalar(query)


def waitlist_counts(session: RoadshowSession) -> dict[AttendeeType, int]:
    counts = dict(db.session.execute(
        sa.select(WaitlistEntry.attendee_type, sa.func.count())
        .where(WaitlistEntry.session_id == session.id).group_by(WaitlistEntry.attendee_type)
    ).all())
    return {t: counts.get(t, 0) for t in AttendeeType}


def leave_waitlist(session: RoadshowSession, user: User) -> None:
    left = db.session.execute(
        sa.delete(WaitlistEntry).where(WaitlistEntry.session_id == session.id, WaitlistEntry.user_id == user.id)
    ).rowcount
    if not left:
        raise RuleViolation(_("您不在这场路演的候补名单中。"))


def promote_waitlisted(session: RoadshowSession) -> list[Booking]:
    """Give free seats of every type to the earliest waitlisted people of that type and tell each of them.

    Callers hold the session's lock (they have just written its row), so two promotions
    never hand out the same seat or promote the same entry.
    """
    promoted: list[Booking] = []
    if session.status not in BOOKABLE_STATUSES or session.ends_at <= utcnow():
        return promoted
    for attendee_type in AttendeeType:
        promoted += _promote(session, attendee_type)
    reread(session)
    return promoted


def _promote(session: RoadshowSession, attendee_type: AttendeeType) -> list[Booking]:
    promoted: list[Booking] = []
    while True:
        entry = db.session.scalars(
            _queue(session.id, attendee_type).limit(1).execution_options(populate_existing=True)).first()
        if entry is None:
            break
        user, joined_at = entry.user, entry.created_at
        if not may_register_as(user, attendee_type):
            db.session.delete(entry)  # can no longer hold a seat of the type; the next in line gets it
            db.session.flush()
            continue
        if not _take_seat(session.id, attendee_type):
            break
        db.session.delete(entry)
        promoted.append(_confirm_booking(session, user.id, attendee_type, _booking_row(session.id, user.id)))
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
    return promoted
