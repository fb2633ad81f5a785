"""Published matchmaking meetings in each party's iCal: the private feed (a receiver of scheduling's
personal_feed_events) and a download per day."""
from __future__ import annotations

from flask_babel import gettext as _
from icalendar import Event

from ..accounts.models import User
from ..common.site_url import external_url
from ..scheduling.ical import UID_DOMAIN, build_calendar, make_event
from .models import MatchmakingDay, MatchmakingMeeting
from .services import published_meetings_of


def meeting_event(meeting: MatchmakingMeeting) -> Event:
    """UID per pair, not per row: a meeting the solver or an admin moves stays one event, its SEQUENCE bumped."""
    day = meeting.day
    location = " · ".join(part for part in (day.location, meeting.place()) if part)
    return make_event(
        f"matchmaking-{day.id}-{meeting.investor_id}-{meeting.startup_id}@{UID_DOMAIN}",
        meeting.starts_at, meeting.ends_at,
        _("对接会：%(investor)s × %(startup)s", investor=meeting.investor.name, startup=meeting.startup.name),
        description=day.title, location=location, sequence=day.sequence, modified=day.updated_at,
        url=external_url("matchmaking.day", day_id=day.id), categories=[_("对接会")],
    )


def matchmaking_events(user: User, **_extra) -> list[Event]:
    return [meeting_event(m) for m in published_meetings_of(user)]


def day_calendar(day: MatchmakingDay, meetings: list[MatchmakingMeeting]) -> bytes:
    return build_calendar(day.title, [meeting_event(m) for m in meetings])
