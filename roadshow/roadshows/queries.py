"""Read-side queries for roadshow pages (what the home page and session pages show)."""
from datetime import date, datetime, time, timedelta
from itertools import groupby

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from ..accounts.models import User
from ..extensions import db
from ..investors.models import Institution, VerificationStatus
from ..projects.models import PUBLIC_STATUSES, Project
from ..common.choices import IndustryChain
from ..common.timeutil import local_to_utc, to_local, utcnow
from .models import Booking, BookingStatus, RoadshowSession, Series, SessionStatus, Slot, WaitlistEntry


def group_by_local_day(sessions: list[RoadshowSession]) -> list[tuple]:
    """[(date, [sessions])] in Asia/Shanghai days, for agenda-style lists."""
    return [(day, list(items)) for day, items in groupby(sessions, key=lambda s: to_local(s.starts_at).date())]


def session_with_lineup(session_id: int) -> RoadshowSession | None:
    return db.session.scalars(
        sa.select(RoadshowSession)
        .where(RoadshowSession.id == session_id)
        .options(  # two queries: the session with its venue, series and host; the lineup with its companies
            selectinload(RoadshowSession.slots).joinedload(Slot.project).joinedload(Project.company),
            joinedload(RoadshowSession.venue),
            joinedload(RoadshowSession.series),
            joinedload(RoadshowSession.host),
        )
    ).first()


# Built once (building a statement cost about what running it does): what a session page reads on every request.
_SESSION_FOR_PAGE = sa.select(RoadshowSession).where(RoadshowSession.id == sa.bindparam("session_id")).options(
    joinedload(RoadshowSession.series))
_EARLIER = aliased(WaitlistEntry)
_AHEAD = (  # waitlist entries of the same session and attendee type before WaitlistEntry (first come, first
    # served; ties by id)
    sa.select(sa.func.count()).select_from(_EARLIER).where(
        _EARLIER.session_id == WaitlistEntry.session_id,
        _EARLIER.attendee_type == WaitlistEntry.attendee_type,
        sa.or_(_EARLIER.created_at < WaitlistEntry.created_at,
               sa.and_(_EARLIER.created_at == WaitlistEntry.created_at, _EARLIER.id < WaitlistEntry.id)),
    ).scalar_subquery()
)
_CONFIRMED_BOOKING = sa.select(Booking).where(
    Booking.session_id == sa.bindparam("session_id"), Booking.user_id == sa.bindparam("user_id"),
    Booking.status == BookingStatus.CONFIRMED)
_WAITLIST_POSITION = sa.select(_AHEAD + 1).where(
    WaitlistEntry.session_id == sa.bindparam("session_id"), WaitlistEntry.user_id == sa.bindparam("user_id"))


def session_for_page(session_id: int) -> RoadshowSession | None:
    """A session with its series, for its page; the page keeps its lineup and facts for everyone (lineup() and
    the venue and host are read only when it renders them)."""
    return db.session.scalars(_SESSION_FOR_PAGE, {"session_id": session_id}).first()


def place_of(session: RoadshowSession, user: User) -> tuple[Booking | None, int | None]:
    """The user's confirmed booking for the session, else their waitlist position (1 = next), else (None, None)."""
    keys = {"session_id": session.id, "user_id": user.id}
    booking = db.session.scalars(_CONFIRMED_BOOKING, keys).first()
    if booking is not None:
        return booking, None
    return None, db.session.scalar(_WAITLIST_POSITION, keys)


def lineup(session_id: int) -> list[Slot]:
    """A session's slots in order, with their projects and companies: one query."""
    return list(db.session.scalars(
        sa.select(Slot).where(Slot.session_id == session_id).order_by(Slot.position)
        .options(joinedload(Slot.project).joinedload(Project.company))
    ))


def sessions_pitching(project: Project) -> list[RoadshowSession]:
    """The roadshows a project pitches (or pitched) in, soonest first; cancelled ones left out."""
    return list(
        db.session.scalars(
            sa.select(RoadshowSession)
            .join(Slot)
            .where(Slot.project_id == project.id, RoadshowSession.status != SessionStatus.CANCELLED)
            .order_by(RoadshowSession.starts_at)
            .options(selectinload(RoadshowSession.venue))
        )
    )


def booked_institutions(session: RoadshowSession) -> list[str]:
    """Names of the institutions with a confirmed seat: what presenting startups want to know."""
    return list(
        db.session.scalars(
            sa.select(Institution.name)
            .join(User, User.institution_id == Institution.id)
            .join(Booking, Booking.user_id == User.id)
            .where(Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED)
            .distinct()
            .order_by(Institution.name)
        )
    )


# Each booking or waitlist entry with its session and venue (many-to-ones, joined: one query for the page).
_MY_BOOKINGS = (
    sa.select(Booking).join(Booking.session).join(RoadshowSession.venue)
    .where(Booking.user_id == sa.bindparam("user_id"))
    .order_by(RoadshowSession.starts_at.desc())
    .options(contains_eager(Booking.session).contains_eager(RoadshowSession.venue))
)
_MY_WAITLIST = (
    sa.select(WaitlistEntry, _AHEAD + 1).join(WaitlistEntry.session).join(RoadshowSession.venue)
    .where(WaitlistEntry.user_id == sa.bindparam("user_id"), RoadshowSession.ends_at >= sa.bindparam("now"))
    .order_by(RoadshowSession.starts_at)
    .options(contains_eager(WaitlistEntry.session).contains_eager(RoadshowSession.venue))
)


def my_bookings(user: User) -> list[Booking]:
    return list(db.session.scalars(_MY_BOOKINGS, {"user_id": user.id}))


def my_waitlist(user: User) -> list[tuple[WaitlistEntry, int]]:
    """The person's waitlist entries for sessions still ahead, soonest first, each with its position among
    those waiting for the same type of seat."""
    rows = db.session.execute(_MY_WAITLIST, {"user_id": user.id, "now": utcnow()}).all()
    return [(entry, position) for entry, position in rows]


def platform_counts() -> dict[str, int]:
    count = lambda query: db.session.scalar(query) or 0  # noqa: E731
    return {
        "projects": count(sa.select(sa.func.count(Project.id)).where(Project.status.in_(PUBLIC_STATUSES))),
        "institutions": count(
            sa.select(sa.func.count(Institution.id)).where(
                Institution.verification_status == VerificationStatus.VERIFIED
            )
        ),
        "sessions": count(sa.select(sa.func.count(RoadshowSession.id))),
    }


def recent_public_projects(limit: int = 6) -> list[Project]:
    return list(
        db.session.scalars(
            sa.select(Project)
            .where(Project.status.in_(PUBLIC_STATUSES))
            .order_by(Project.decided_at.desc().nulls_last(), Project.id.desc())
            .limit(limit)
            .options(selectinload(Project.company))
        )
    )


def calendar_query(
    first_day: date | None = None,
    last_day: date | None = None,
    chain: IndustryChain | None = None,
    series_slug: str | None = None,
    venue_id: int | None = None,
) -> sa.Select:
    """Sessions between two Asia/Shanghai dates (inclusive), filtered as the calendar and the API filter them.

    Venue and series come in the same query (many-to-one joins): two fewer round trips per page, a fifth of
    the JSON calendar's time (bench/scenario_pages.py).
    """
    query = sa.select(RoadshowSession).options(
        joinedload(RoadshowSession.venue), joinedload(RoadshowSession.series)
    )
    if first_day is not None:
        query = query.where(RoadshowSession.starts_at >= local_to_utc(datetime.combine(first_day, time.min)))
    if last_day is not None:
        query = query.where(
            RoadshowSession.starts_at < local_to_utc(datetime.combine(last_day + timedelta(days=1), time.min))
        )
    if chain is not None:
        query = query.where(RoadshowSession.industry_chain == chain)
    if series_slug:
        query = query.join(RoadshowSession.series).where(Series.slug == series_slug)
    if venue_id is not None:
        query = query.where(RoadshowSession.venue_id == venue_id)
    return query.order_by(RoadshowSession.starts_at, RoadshowSession.id)
