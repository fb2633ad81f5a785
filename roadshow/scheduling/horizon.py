"""Horizon fill: sessions from every active template for the next N days, then their slots.

Idempotent and safe to run from several processes at once: each (template, date) is an
occurrence row with a unique key, inserted in a savepoint (a concurrent duplicate is skipped),
and each template's fill starts by writing the template row, which queues concurrent fills of
the same template behind one another.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..common.choices import IndustryChain
from ..common.errors import RuleViolation
from ..common.timeutil import local_to_utc, to_local, utcnow
from ..extensions import db
from ..i18n import is_english
from ..organisers import services as organiser_services
from ..roadshows.models import RoadshowSession, Series, SessionStatus, Venue
from ..roadshows.services import save_session
from . import rules, slotting
from .models import SessionTemplate, TemplateOccurrence
from .workdays import working_days

class _Clash(Exception):
    """The venue is taken at that time by a session the template cannot adopt."""


def horizon_days() -> int:
    return current_app.config["SCHEDULING_HORIZON_DAYS"]


def fill_horizon(now: datetime | None = None, days: int | None = None) -> dict:
    """Generate the sessions of the next `days` days (today included) and fill their slots; returns counts."""
    now, today, last = _window(now, days)
    counts = {"created": 0, "adopted": 0, "clashes": 0}
    template_ids = db.session.scalars(
        sa.select(SessionTemplate.id).where(SessionTemplate.is_active).order_by(SessionTemplate.id)
    ).all()
    for template_id in template_ids:
        _fill_template(template_id, today, last, now, counts)
    counts["placed"] = slotting.fill_slots(now, last)
    counts["uncovered_days"] = [day.isoformat() for day in days_without_sessions(today + timedelta(days=1), last)]
    return counts


def fill_template(template: SessionTemplate, now: datetime | None = None, days: int | None = None) -> dict:
    """One template's sessions of the horizon, now rather than at night (slots are still filled by the nightly job)."""
    if not template.is_active:
        raise RuleViolation(_("模板已停用，启用后才能生成场次。"))
    now, today, last = _window(now, days)
    counts = {"created": 0, "adopted": 0, "clashes": 0}
    _fill_template(template.id, today, last, now, counts)
    return counts


def _window(now: datetime | None, days: int | None) -> tuple[datetime, date, date]:
    now = now or utcnow()
    today = to_local(now).date()
    return now, today, today + timedelta(days=days if days is not None else horizon_days())


def _fill_template(template_id: int, first: date, last: date, now: datetime, counts: dict) -> None:
    # Write before reading: the row lock (on SQLite, the database write lock) makes a concurrent
    # fill of this template wait here, and then see the occurrences this one inserted.
    db.session.execute(
        sa.update(SessionTemplate).where(SessionTemplate.id == template_id).values(last_filled_at=now)
    )
    template = db.session.get(SessionTemplate, template_id)
    db.session.refresh(template)
    done = set(db.session.scalars(
        sa.select(TemplateOccurrence.day).where(
            TemplateOccurrence.template_id == template_id, TemplateOccurrence.day.between(first, last))
    ))
    for day in rules.occurrences(template, first, last):
        if day in done:
            continue
        starts_at = local_to_utc(datetime.combine(day, template.start_time))
        if starts_at <= now:
            continue  # too late for today's session
        try:
            with db.session.begin_nested():
                adopted = _add_occurrence(template, day, starts_at)
        except IntegrityError:
            continue  # a concurrent fill recorded this date first
        except _Clash:
            counts["clashes"] += 1
            continue
        counts["adopted" if adopted else "created"] += 1


def _add_occurrence(template: SessionTemplate, day: date, starts_at: datetime) -> bool:
    """Record the date and link its session: an identical existing one, else a new one. True if adopted."""
    occurrence = TemplateOccurrence(template_id=template.id, day=day)
    db.session.add(occurrence)
    db.session.flush()  # the unique (template, day) key decides between concurrent fills here
    session = _adoptable(template, starts_at)
    occurrence.adopted = session is not None
    if session is None:
        chain = rules.chain_for(template, day)
        try:
            session = _create_session(
                template,
                title=rules.render_title(template, day, chain),
                description=template.description,
                title_en=rules.render_title_en(template, day, chain),
                description_en=template.description_en,
                series_id=template.series_id,
                venue_id=template.venue_id,
                host_id=template.host_id,
                industry_chain=chain,
                starts_at=starts_at,
                ends_at=local_to_utc(datetime.combine(day, template.end_time)),
                capacity=template.capacity,
                status=SessionStatus.OPEN,
            )
        except RuleViolation as exc:
            raise _Clash(str(exc)) from exc
    occurrence.session_id = session.id
    db.session.flush()
    return occurrence.adopted


def _create_session(template: SessionTemplate, **fields) -> RoadshowSession:
    """The center's templates make sessions directly; a partner organiser's go through its own rules (its scope,
    and a center hall asked for by a venue request), so a template can do nothing its organiser could not."""
    organiser_id = template.series.organiser_id if template.series is not None else None
    if organiser_id is None:
        return save_session(None, **fields)
    return organiser_services.create_generated_session(organiser_id, **fields)


def _adoptable(template: SessionTemplate, starts_at: datetime) -> RoadshowSession | None:
    """A session someone already put at the template's venue and start time (same series, or none), not yet linked."""
    linked = sa.select(TemplateOccurrence.session_id).where(TemplateOccurrence.session_id.is_not(None))
    query = sa.select(RoadshowSession).where(
        RoadshowSession.venue_id == template.venue_id,
        RoadshowSession.starts_at == starts_at,
        RoadshowSession.status != SessionStatus.CANCELLED,
        RoadshowSession.id.not_in(linked),
    )
    if template.series is not None and template.series.organiser_id is not None:
        query = query.where(RoadshowSession.series_id == template.series_id)  # never someone else's session
    elif template.series_id is not None:
        query = query.where(sa.or_(RoadshowSession.series_id == template.series_id, RoadshowSession.series_id.is_(None)))
    return db.session.scalars(query.limit(1)).first()


def days_without_sessions(first: date, last: date) -> list[date]:
    """Working days in first..last that have no roadshow at all (the promise is one every working day)."""
    start, end = rules.utc_range(first, last)
    starts = db.session.scalars(sa.select(RoadshowSession.starts_at).where(
        RoadshowSession.status != SessionStatus.CANCELLED,
        RoadshowSession.starts_at >= start, RoadshowSession.starts_at < end))
    covered = {to_local(value).date() for value in starts}
    return [day for day in working_days(first, last) if day not in covered]


@dataclass(frozen=True)
class PlannedSession:
    """A session a template will create once its date comes within the horizon: shown on the calendar as planned."""
    starts_at: datetime  # naive UTC, as sessions store it
    ends_at: datetime
    title: str  # in the reader's language
    venue: Venue
    series: Series | None
    chain: IndustryChain | None


def planned_sessions(first: date, last: date, today: date, *, chain: IndustryChain | None = None,
                     series_slug: str | None = None, venue_id: int | None = None) -> list[PlannedSession]:
    """The dates from first to last (after today) that active templates will fill but the horizon fill has not
    reached yet: those after each template's last handled date (a handled date has its session, or was
    deliberately left out), filtered as the calendar filters sessions."""
    first = max(first, today + timedelta(days=1))
    if first > last:
        return []
    query = sa.select(SessionTemplate).where(SessionTemplate.is_active).order_by(SessionTemplate.id)
    if venue_id is not None:
        query = query.where(SessionTemplate.venue_id == venue_id)
    if series_slug:
        query = query.join(SessionTemplate.series).where(Series.slug == series_slug)
    handled_until = dict(db.session.execute(
        sa.select(TemplateOccurrence.template_id, sa.func.max(TemplateOccurrence.day)).group_by(TemplateOccurrence.template_id)
    ).all())
    english = is_english()
    planned = []
    for template in db.session.scalars(query):
        start = first
        if template.id in handled_until:
            start = max(start, handled_until[template.id] + timedelta(days=1))
        for day in rules.occurrences(template, start, last):
            day_chain = rules.chain_for(template, day)
            if chain is not None and day_chain != chain:
                continue
            title = (english and rules.render_title_en(template, day, day_chain)) or rules.render_title(template, day, day_chain)
            planned.append(PlannedSession(
                local_to_utc(datetime.combine(day, template.start_time)),
                local_to_utc(datetime.combine(day, template.end_time)),
                title, template.venue, template.series, day_chain,
            ))
    return sorted(planned, key=lambda p: p.starts_at)
