"""Slot filling: accepted applications (screening's queue) go into open slots, first accepted first served.

An application targeted at one session goes only there; one for a series goes to the earliest
session of that series that matches its industry chain (the session's, else the series') and
falls inside the startup's preferred dates. Templates set how many projects a session takes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..common.choices import IndustryChain
from ..common.site_url import site_path
from ..common.timeutil import to_local
from ..common.errors import RuleViolation
from ..extensions import db
from ..i18n import stored_language
from ..i18n.formatting import format_datetime
from ..notifications.services import notify
from ..projects.models import ProjectStatus
from ..roadshows.models import Application, ApplicationStatus, RoadshowSession, SessionStatus, Slot
from ..roadshows.lifecycle import ChangedMeanwhile, change_session_status
from ..roadshows.signals import room_audience_changed
from ..screening.services import accepted_queue, mark_slotted
from .models import SessionTemplate, TemplateOccurrence
from .rules import utc_range

FILLABLE_STATUSES = (SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.SCHEDULED)
PLACEABLE_PROJECTS = (ProjectStatus.APPROVED, ProjectStatus.SCHEDULED)
DEFAULT_MINUTES = 10


class _Taken(Exception):
    """A concurrent fill placed this application first."""


@dataclass
class Opening:
    """A session with room for more projects."""
    session: RoadshowSession
    limit: int
    pitch_minutes: int = DEFAULT_MINUTES
    qa_minutes: int = DEFAULT_MINUTES

    @property
    def day(self) -> date:
        return to_local(self.session.starts_at).date()

    @property
    def chain(self) -> IndustryChain | None:
        series = self.session.series
        return self.session.industry_chain or (series.industry_chain if series else None)

    @property
    def free(self) -> int:
        return self.limit - len(self.session.slots)

    def takes(self, application: Application) -> bool:
        if self.free <= 0 or any(slot.project_id == application.project_id for slot in self.session.slots):
            return False
        if application.session_id is not None:
            return application.session_id == self.session.id
        if application.series_id != self.session.series_id:
            return False
        if self.chain is not None and application.project.industry_chain != self.chain:
            return False
        if application.preferred_from and self.day < application.preferred_from:
            return False
        return not (application.preferred_to and self.day > application.preferred_to)


def fill_slots(now: datetime, last: date) -> int:
    """Place queued applications into sessions starting after today and up to `last`; returns how many."""
    queue = [a for a in accepted_queue() if a.project.status in PLACEABLE_PROJECTS]
    if not queue:
        return 0
    openings = _openings(now, last, {a.session_id for a in queue if a.session_id})
    placed = 0
    for application in queue:
        opening = next((o for o in openings if o.takes(application)), None)
        if opening is not None and _place(application, opening):
            placed += 1
    return placed


def _openings(now: datetime, last: date, targeted: set[int]) -> list[Opening]:
    """Sessions from tomorrow to `last` that a template made, and the sessions applications target, soonest first."""
    tomorrow = to_local(now).date() + timedelta(days=1)  # nobody is put on today's stage at short notice
    start, end = utc_range(tomorrow, last)
    templated = (
        sa.select(RoadshowSession, SessionTemplate)
        .join(TemplateOccurrence, TemplateOccurrence.session_id == RoadshowSession.id)
        .join(SessionTemplate, SessionTemplate.id == TemplateOccurrence.template_id)
        .where(RoadshowSession.status.in_(FILLABLE_STATUSES),
               RoadshowSession.starts_at >= start, RoadshowSession.starts_at < end)
        .options(selectinload(RoadshowSession.slots), selectinload(RoadshowSession.series))
    )
    openings = {s.id: Opening(s, t.slots_count, t.pitch_minutes, t.qa_minutes) for s, t in db.session.execute(templated)}
    missing = targeted - openings.keys()
    if missing:
        others = db.session.scalars(
            sa.select(RoadshowSession)
            .where(RoadshowSession.id.in_(missing), RoadshowSession.status.in_(FILLABLE_STATUSES),
                   RoadshowSession.starts_at >= start)
            .options(selectinload(RoadshowSession.slots), selectinload(RoadshowSession.series))
        )
        limit = current_app.config["SCHEDULING_DEFAULT_SLOTS"]  # a session no template made
        openings.update({s.id: Opening(s, limit) for s in others})
    return sorted(openings.values(), key=lambda o: (o.session.starts_at, o.session.id))


def _place(application: Application, opening: Opening) -> bool:
    session = opening.session
    try:
        with db.session.begin_nested():
            # Claim the application first: the row lock (SQLite: the write lock) makes a concurrent
            # fill wait, and then find it placed.
            claimed = db.session.execute(
                sa.update(Application)
                .where(Application.id == application.id, Application.slot_id.is_(None),
                       Application.status == ApplicationStatus.ACCEPTED)
                .values(updated_at=Application.updated_at)
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed != 1:
                raise _Taken()
            db.session.refresh(application)
            position = max((slot.position for slot in session.slots), default=0) + 1
            slot = Slot(session_id=session.id, project_id=application.project_id, position=position,
                        pitch_minutes=opening.pitch_minutes, qa_minutes=opening.qa_minutes)
            db.session.add(slot)
            db.session.flush()  # unique (session, position) and (session, project) catch a clash
            mark_slotted(application, slot)
    except (IntegrityError, RuleViolation, _Taken):
        db.session.expire(session, ["slots"])
        return False
    db.session.expire(session, ["slots"])
    if session.status in (SessionStatus.PLANNED, SessionStatus.OPEN):
        try:
            change_session_status(session, SessionStatus.SCHEDULED)
        except ChangedMeanwhile:
            pass  # an admin or the clock moved it on meanwhile; their status stands
    db.session.flush()
    members = [member.id for member in application.project.company.members]
    room_audience_changed.send(session_id=session.id, user_ids=members)  # they present here now
    _tell_startup(application, session)
    return True


def _tell_startup(application: Application, session: RoadshowSession) -> None:
    for member in application.project.company.members:
        with stored_language(member):  # stored and read later: in the reader's language
            notify(
                member, "scheduled",
                _("项目已排入路演：%(title)s", title=session.display_title),
                _("您的项目“%(project)s”已排入 %(when)s 在%(venue)s举行的路演，请提前准备路演材料。",
                  project=application.project.title, when=format_datetime(session.starts_at),
                  venue=session.venue.display_name),
                link=site_path("roadshows.session_detail", session_id=session.id),
                dedupe_key=f"scheduled:{application.id}:{session.id}",
            )
