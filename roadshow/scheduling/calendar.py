"""The public calendar's month, week and day views: which days to show and what is on each."""
from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..common.bounds import date_in_range
from ..common.choices import IndustryChain
from ..i18n.formatting import format_date, format_date_range, lazy_weekday_name
from ..common.timeutil import to_local
from ..extensions import db
from ..roadshows.models import RoadshowSession
from ..roadshows.queries import calendar_query
from .horizon import PlannedSession, planned_sessions
from .workdays import holiday_name, is_adjusted_working_day, is_working_day

VIEWS = ("month", "week", "day")
WEEKDAY_HEADERS = [lazy_weekday_name(n) for n in range(7)]  # 周一 … 周日, or Mon … Sun in English


@dataclass
class CalendarDay:
    """One day of the grid; its facts are worked out once in build_page, not each time a template asks."""
    day: date
    today: date
    in_period: bool = True
    sessions: list[RoadshowSession] = field(default_factory=list)
    planned: list[PlannedSession] = field(default_factory=list)  # beyond the horizon: no session yet
    label: str = ""  # 11月23日 / Nov 23
    weekday_label: str = ""  # 周一 / Mon
    holiday: str | None = None  # the festival's name on an official day off
    is_adjusted_working_day: bool = False
    is_working_day: bool = True

    @property
    def is_today(self) -> bool:
        return self.day == self.today

    @property
    def is_past(self) -> bool:
        return self.day < self.today


def _day(day: date, today: date, in_period: bool, weekday_labels: list[str]) -> CalendarDay:
    holiday = holiday_name(day)
    return CalendarDay(
        day, today, in_period, label=format_date(day, "month_day"), weekday_label=weekday_labels[day.weekday()],
        holiday=str(holiday) if holiday else None, is_adjusted_working_day=is_adjusted_working_day(day),
        is_working_day=is_working_day(day),
    )


@dataclass
class CalendarPage:
    view: str
    anchor: date
    days: list[CalendarDay]
    prev_date: date | None  # None at the edge of the years the calendar shows
    next_date: date | None
    title: str

    @property
    def weeks(self) -> list[list[CalendarDay]]:
        return [self.days[i:i + 7] for i in range(0, len(self.days), 7)]

    @property
    def session_count(self) -> int:
        return sum(len(d.sessions) for d in self.days if d.in_period)

    @property
    def planned_count(self) -> int:
        return sum(len(d.planned) for d in self.days if d.in_period)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _period(view: str, anchor: date) -> tuple[date, date, date, date, date, date, str]:
    """(grid first, grid last, period first, period last, previous anchor, next anchor, title)."""
    if view == "month":
        first = anchor.replace(day=1)
        last = anchor.replace(day=monthrange(anchor.year, anchor.month)[1])
        grid_first = first - timedelta(days=first.weekday())
        grid_last = last + timedelta(days=6 - last.weekday())
        title = format_date(anchor, "month_title")
        return grid_first, grid_last, first, last, _add_months(first, -1), _add_months(first, 1), title
    if view == "week":
        first = anchor - timedelta(days=anchor.weekday())
        last = first + timedelta(days=6)
        title = format_date_range(first, last)
        return first, last, first, last, first - timedelta(days=7), first + timedelta(days=7), title
    title = format_date(anchor, "day_title")
    return anchor, anchor, anchor, anchor, anchor - timedelta(days=1), anchor + timedelta(days=1), title


def period_title(view: str, anchor: date) -> str:
    """2026年11月 / the week's dates / the day: the title of the period shown."""
    return _period(view, anchor)[-1]


def build_page(view: str, anchor: date, today: date, chain: IndustryChain | None = None,
               series_slug: str | None = None, venue_id: int | None = None) -> CalendarPage:
    grid_first, grid_last, first, last, prev_date, next_date, title = _period(view, anchor)
    weekday_labels = [str(label) for label in WEEKDAY_HEADERS]
    days = {}
    for n in range((grid_last - grid_first).days + 1):
        day = grid_first + timedelta(days=n)
        days[day] = _day(day, today, first <= day <= last, weekday_labels)
    for session in db.session.scalars(calendar_query(grid_first, grid_last, chain, series_slug, venue_id)):
        days[to_local(session.starts_at).date()].sessions.append(session)
    for planned in planned_sessions(grid_first, grid_last, today, chain=chain, series_slug=series_slug, venue_id=venue_id):
        days[to_local(planned.starts_at).date()].planned.append(planned)
    return CalendarPage(view, anchor, list(days.values()), prev_date if date_in_range(prev_date) else None,
                        next_date if date_in_range(next_date) else None, title)
