"""Dashboard figures, each one a plain count or sum over the tables, grouped in Python by local day,
local month or industry chain (the same code on SQLite and PostgreSQL, and easy to check)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from ..checkin.services import show_up, show_up_per_series
from ..common.choices import IndustryChain
from ..common.timeutil import to_local, utcnow
from ..deals.models import Deal, DealStage
from ..extensions import db
from ..matching.models import Match
from ..meetings.models import MeetingRequest, MeetingStatus
from ..projects.models import Project
from ..roadshows.models import RoadshowSession, SessionStatus, Slot
from ..scheduling.workdays import is_working_day

# A roadshow counts as held once it has started and was not cancelled.
HELD_STATUSES = (SessionStatus.LIVE, SessionStatus.ENDED)
MEETING_HELD = (MeetingStatus.HELD,)


def local_day(value: datetime) -> date:
    return to_local(value).date()


def month_key(value: datetime | date) -> str:
    day = local_day(value) if isinstance(value, datetime) else value
    return f"{day:%Y-%m}"


@dataclass
class DayRow:
    day: date
    sessions: int
    projects: int
    working: bool


@dataclass
class Dashboard:
    first_day: date
    last_day: date
    days: list[DayRow]
    months: list[str]
    monthly: dict[str, Counter]  # month -> metric -> value
    chains: dict[str, Counter]   # chain value -> metric -> value
    totals: Counter
    deal_stages: dict[DealStage, int] = field(default_factory=dict)
    # held sessions of the period, newest first: (session, seats held, people checked in at the door)
    show_up: list[tuple[RoadshowSession, int, int]] = field(default_factory=list)

    @property
    def show_up_by_series(self) -> list[tuple[str, int, int, int]]:
        """The same sessions per series (or none), most seats first: (series name, sessions, seats held, came)."""
        sessions = [session for session, _booked, _came in self.show_up]
        names = {s.series_id: s.series.display_name if s.series else "" for s in sessions}
        totals = show_up_per_series(sessions, {s.id: (booked, came) for s, booked, came in self.show_up})
        return sorted(((names[series_id], *row) for series_id, row in totals.items()),
                      key=lambda row: (-row[2], row[0]))

    @property
    def days_without(self) -> list[date]:
        """Working days in the period that had no roadshow (today's still-to-come session counts as none)."""
        return [d.day for d in self.days if d.working and d.sessions == 0]


def held_sessions(since: datetime | None = None) -> list[RoadshowSession]:
    query = sa.select(RoadshowSession).where(RoadshowSession.status.in_(HELD_STATUSES),
                                             RoadshowSession.starts_at <= utcnow())
    if since is not None:
        query = query.where(RoadshowSession.starts_at >= since)
    return list(db.session.scalars(query))


def _presented(sessions: list[RoadshowSession]) -> list[tuple[RoadshowSession, Project]]:
    """(session, project) for every pitch in a held session."""
    ids = [s.id for s in sessions]
    if not ids:
        return []
    by_id = {s.id: s for s in sessions}
    rows = db.session.execute(
        sa.select(Slot.session_id, Project).join(Project, Slot.project_id == Project.id).where(Slot.session_id.in_(ids))
    )
    return [(by_id[session_id], project) for session_id, project in rows]


def build(days: int = 30, months: int = 6, today: date | None = None) -> Dashboard:
    today = today or local_day(utcnow())
    first_day = today - timedelta(days=days - 1)
    month_list = _last_months(today, months)

    sessions = held_sessions()
    pitches = _presented(sessions)
    per_day = Counter(local_day(s.starts_at) for s in sessions)
    projects_per_day = Counter(local_day(s.starts_at) for s, _ in pitches)
    day_rows = [
        DayRow(d, per_day[d], projects_per_day[d], is_working_day(d))
        for d in (first_day + timedelta(days=n) for n in range(days))
    ]

    monthly: dict[str, Counter] = {m: Counter() for m in month_list}
    chains: dict[str, Counter] = {c.value: Counter() for c in IndustryChain}
    totals: Counter = Counter()

    def add(metric: str, month: str | None, chain: str | None, amount: int = 1) -> None:
        totals[metric] += amount
        if month in monthly:
            monthly[month][metric] += amount
        if chain is not None:
            chains[chain][metric] += amount

    for s in sessions:
        add("roadshows", month_key(s.starts_at), None)
    for s, project in pitches:
        add("presented", month_key(s.starts_at), project.industry_chain.value)
    # Matches are recomputed whenever data changes, so they have no month: totals and chains only.
    for chain, n in db.session.execute(
        sa.select(Project.industry_chain, sa.func.count()).select_from(Match).join(Match.project)
        .group_by(Project.industry_chain)
    ):
        add("matches", None, chain.value, n)
    for meeting, chain in db.session.execute(
        sa.select(MeetingRequest, Project.industry_chain).join(MeetingRequest.project)
    ):
        add("meetings_requested", month_key(meeting.created_at), chain.value)
        if meeting.status in MEETING_HELD:
            add("meetings_held", month_key(meeting.starts_at), chain.value)
    stages = Counter()
    for deal, chain in db.session.execute(sa.select(Deal, Project.industry_chain).join(Deal.project)):
        stages[deal.stage] += 1
        add("deals", None, chain.value)
        if deal.stage == DealStage.SIGNED:
            add("deals_signed", month_key(deal.signed_on), chain.value)
            add("signed_amount", month_key(deal.signed_on), chain.value, deal.amount)
    recent = sorted((s for s in sessions if local_day(s.starts_at) >= first_day), key=lambda s: s.starts_at,
                    reverse=True)
    came = show_up([s.id for s in recent])
    return Dashboard(first_day, today, day_rows, month_list, monthly, chains, totals,
                     {stage: stages[stage] for stage in DealStage}, [(s, *came[s.id]) for s in recent])


def _last_months(today: date, count: int) -> list[str]:
    year, month, keys = today.year, today.month, []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(keys))
