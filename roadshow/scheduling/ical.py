"""iCalendar feeds (RFC 5545): a public feed per series and a private tokenised feed per user.

Events carry stable UIDs (session-{id}@roadshow.optics-valley), SEQUENCE from the session, local
Asia/Shanghai times with a VTIMEZONE, and STATUS:CANCELLED for cancelled sessions, so subscribed
calendars update in place. Other domains add events to personal feeds by answering the
scheduling.signals.personal_feed_events signal (receivers connected in roadshow/wiring.py).
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..common.site_url import external_url
from ..common.timeutil import DISPLAY_TZ, utcnow
from ..extensions import db
from ..projects.models import Project
from ..roadshows.models import Booking, BookingStatus, RoadshowSession, Series, SessionStatus, Slot
from .models import CalendarFeed
from .signals import personal_feed_events

PRODID = "-//Optics Valley Sci-Tech Roadshow Center//Roadshow Calendar//ZH"
UID_DOMAIN = "roadshow.optics-valley"
HISTORY = timedelta(days=180)  # feeds keep half a year of past sessions
FETCH_NOTE_EVERY = timedelta(hours=1)


def session_uid(session_id: int) -> str:
    return f"session-{session_id}@{UID_DOMAIN}"


def _aware(value: datetime) -> datetime:
    """A stored naive-UTC time as Wuhan local time: written with TZID=Asia/Shanghai."""
    return value.replace(tzinfo=timezone.utc).astimezone(DISPLAY_TZ)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc)


def make_event(uid: str, starts_at: datetime, ends_at: datetime, summary: str, *, description: str = "",
               location: str = "", url: str | None = None, sequence: int = 0, cancelled: bool = False,
               modified: datetime | None = None, categories: Iterable[str] = ()) -> Event:
    """One VEVENT; times are naive UTC as stored."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(modified or utcnow()))
    event.add("dtstart", _aware(starts_at))
    event.add("dtend", _aware(ends_at))
    event.add("summary", summary)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if modified is not None:
        event.add("last-modified", _utc(modified))
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    categories = [c for c in categories if c]
    if categories:
        event.add("categories", categories)
    return event


def session_event(session: RoadshowSession, booking: Booking | None = None) -> Event:
    """The session as a calendar event; for someone's booking, with the link to its check-in QR code (shown
    at the door)."""
    link = external_url("roadshows.session_detail", session_id=session.id)
    lines = []
    if booking is not None:
        lines.append(_("入场二维码：%(url)s", url=external_url("checkin.ticket", booking_id=booking.id)))
    if session.slots:
        lines.append(_("路演项目："))
        lines += [f"{slot.position}. {slot.project.title}" for slot in session.slots]
    if session.description:
        lines.append(session.description)
    lines.append(_("详情与预约：%(url)s", url=link))
    venue = session.venue
    return make_event(
        session_uid(session.id), session.starts_at, session.ends_at, session.title,
        description="\n".join(lines),
        location=venue.name + (f" · {venue.address}" if venue.address else ""),
        url=link, sequence=session.sequence, cancelled=session.status == SessionStatus.CANCELLED,
        modified=session.updated_at, categories=[session.series.name if session.series else ""],
    )


def build_calendar(name: str, events: list[Event], description: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(DISPLAY_TZ))
    if description:
        cal.add("x-wr-caldesc", description)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    seen = set()
    for event in events:
        if event["uid"] not in seen:  # a user both booked and pitching gets the session once
            seen.add(event["uid"])
            cal.add_component(event)
    # VTIMEZONE covering the events' years only (Asia/Shanghai has had no DST since 1991).
    cal.add_missing_timezones(first_date=date(utcnow().year - 1, 1, 1), last_date=date(utcnow().year + 3, 1, 1))
    if not cal.timezones:  # an empty feed still names its zone, for clients that create events in it
        cal.add_component(Timezone.from_tzid(str(DISPLAY_TZ), first_date=date(utcnow().year, 1, 1)))
    return cal.to_ical()


def _sessions(*where) -> list[RoadshowSession]:
    return list(db.session.scalars(
        sa.select(RoadshowSession)
        .where(RoadshowSession.starts_at >= utcnow() - HISTORY, *where)
        .order_by(RoadshowSession.starts_at, RoadshowSession.id)
        .options(selectinload(RoadshowSession.venue), selectinload(RoadshowSession.series),
                 selectinload(RoadshowSession.slots).selectinload(Slot.project))
    ))


def series_feed(series: Series) -> bytes:
    events = [session_event(s) for s in _sessions(RoadshowSession.series_id == series.id)]
    return build_calendar(_("%(name)s · 光谷科创路演中心", name=series.name), events, series.description)


def booking_calendar(booking: Booking) -> bytes:
    """One booked session as a file to open in a calendar program; the event has the session's UID, as in the
    feeds, so subscribing later updates it instead of adding it twice."""
    return build_calendar(_("我预约的路演 · 光谷科创路演中心"), [session_event(booking.session, booking)])


# --------------------------------------------------------------------------- personal feeds

def booked_sessions(user: User) -> list[Event]:
    bookings = {booking.session_id: booking for booking in db.session.scalars(
        sa.select(Booking).where(Booking.user_id == user.id, Booking.status == BookingStatus.CONFIRMED))}
    return [session_event(s, bookings[s.id]) for s in _sessions(RoadshowSession.id.in_(bookings))]


def company_pitches(user: User) -> list[Event]:
    if user.company_id is None:
        return []
    pitching = sa.select(Slot.session_id).join(Project).where(Project.company_id == user.company_id)
    return [session_event(s) for s in _sessions(RoadshowSession.id.in_(pitching))]


def user_feed(user: User) -> bytes:
    events = [*booked_sessions(user), *company_pitches(user)]
    events += [event for _receiver, added in personal_feed_events.send(user) for event in added]
    events.sort(key=lambda e: e.decoded("dtstart"))
    return build_calendar(_("我的路演日程 · 光谷科创路演中心"), events, _("我预约的路演与我的企业参加的路演"))


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id)).first()


def ensure_feed(user: User) -> CalendarFeed:
    """The user's feed, created on first use (a concurrent first use ends with the same single row)."""
    feed = feed_of(user)
    if feed is not None:
        return feed
    try:
        with db.session.begin_nested():
            feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32))
            db.session.add(feed)
    except IntegrityError:
        feed = feed_of(user)
    return feed


def regenerate_feed(user: User) -> CalendarFeed:
    """A new address; the old one stops working at once (for a leaked link)."""
    feed = ensure_feed(user)
    feed.token = secrets.token_urlsafe(32)
    db.session.flush()
    return feed


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    feed = db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.token == token)).first()
    if feed is None or feed.user.is_disabled:
        return None
    now = utcnow()
    if feed.last_fetched_at is None or now - feed.last_fetched_at > FETCH_NOTE_EVERY:
        feed.last_fetched_at = now
    return feed.user
