"""Which stored matches a write makes stale, noted by the write itself in its own transaction.

Every write to a row the match score reads (a project or its company, a fund or its institution, an
investor's bookings, meeting requests, live questions, interest clicks and roadshow feedback, the slots
that tie bookings to projects, a user's institution) adds rows to `match_changes` naming the projects,
funds or institutions whose scores it may change. The refresh job recomputes exactly those and deletes
the rows it read. Nothing depends on timestamps, so backdated rows, deletions and status changes (a
withdrawn question) are seen like any other write, and a rolled-back write leaves no note.

How: SQLAlchemy session events. Before a flush, the rows about to change or go are resolved against the
database as it still is (a deleted booking still names its investor's institution); after the flush, the
new and changed rows are resolved as they now are (a user who moved names both institutions). Bulk
UPDATE/DELETE statements through the session (status writes, conditional updates) are resolved the same
way around their execution. A write this module cannot resolve (a bulk INSERT of a watched model) notes
"everything", and the next refresh recomputes all pairs. Over-marking costs time, never correctness.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..checkin.models import Attendance
from ..feedback.models import Feedback
from ..investors.models import Fund, Institution
from ..live.models import Interest, Question
from ..meetings.models import MeetingRequest
from ..projects.models import Company, Project
from ..roadshows.models import Booking, RoadshowSession, Slot
from .models import ChangedEntity, MatchChange

Ids = sa.Select | list[int]
Resolver = Callable[[list[int]], list[tuple[ChangedEntity, Ids]]]


def _institutions_of_users(user_ids) -> sa.Select:
    return sa.select(User.institution_id).where(User.id.in_(user_ids), User.institution_id.is_not(None))


def _institutions_booked_in(session_ids) -> sa.Select:
    return _institutions_of_users(sa.select(Booking.user_id).where(Booking.session_id.in_(session_ids)))


def engaged_institutions(project_ids) -> sa.Select:
    """Institutions whose behaviour signal counts something about these projects (their chain decides where)."""
    users = sa.union(
        sa.select(Booking.user_id).join(Slot, Slot.session_id == Booking.session_id)
        .where(Slot.project_id.in_(project_ids)),
        sa.select(MeetingRequest.investor_id).where(MeetingRequest.project_id.in_(project_ids)),
        sa.select(Question.author_id).where(Question.project_id.in_(project_ids)),
        sa.select(Interest.investor_id).where(Interest.project_id.in_(project_ids)),
        sa.select(Feedback.investor_id).where(Feedback.project_id.in_(project_ids)),
    ).subquery()
    return sa.union(
        _institutions_of_users(sa.select(users.c[0])),
        sa.select(MeetingRequest.institution_id).where(
            MeetingRequest.project_id.in_(project_ids), MeetingRequest.institution_id.is_not(None)),
    )


def _column_of(model, column, ids, entity: ChangedEntity) -> list[tuple[ChangedEntity, Ids]]:
    return [(entity, sa.select(column).where(model.id.in_(ids), column.is_not(None)))]


def _watched() -> dict[type, Resolver]:
    """Per model: what a write to these rows (by id) may make stale, read from the database."""
    I, P, F = ChangedEntity.INSTITUTION, ChangedEntity.PROJECT, ChangedEntity.FUND
    return {
        Project: lambda ids: [(P, ids), (I, engaged_institutions(ids))],
        Company: lambda ids: [
            (P, sa.select(Project.id).where(Project.company_id.in_(ids))),
            (I, engaged_institutions(sa.select(Project.id).where(Project.company_id.in_(ids)))),
        ],
        Fund: lambda ids: [(F, ids)],
        Institution: lambda ids: [(I, ids)],
        User: lambda ids: [(I, _institutions_of_users(ids))],
        Booking: lambda ids: [(I, _institutions_of_users(sa.select(Booking.user_id).where(Booking.id.in_(ids))))],
        Attendance: lambda ids: [(I, _institutions_of_users(
            sa.select(Booking.user_id).join(Attendance, Attendance.booking_id == Booking.id).where(Attendance.id.in_(ids))))],
        Slot: lambda ids: [(I, _institutions_booked_in(sa.select(Slot.session_id).where(Slot.id.in_(ids))))],
        RoadshowSession: lambda ids: [(I, _institutions_booked_in(ids))],
        MeetingRequest: lambda ids: [
            *_column_of(MeetingRequest, MeetingRequest.institution_id, ids, I),
            (I, _institutions_of_users(sa.select(MeetingRequest.investor_id).where(MeetingRequest.id.in_(ids)))),
        ],
        Question: lambda ids: [(I, _institutions_of_users(sa.select(Question.author_id).where(Question.id.in_(ids))))],
        Interest: lambda ids: [(I, _institutions_of_users(sa.select(Interest.investor_id).where(Interest.id.in_(ids))))],
        Feedback: lambda ids: [(I, _institutions_of_users(sa.select(Feedback.investor_id).where(Feedback.id.in_(ids))))],
    }


_WATCHED: dict[type, Resolver] | None = None


def watched() -> dict[type, Resolver]:
    global _WATCHED
    if _WATCHED is None:
        _WATCHED = _watched()
    return _WATCHED


def _note(connection: sa.Connection, model: type, ids: Ids) -> None:
    """Insert the change rows a write to these rows of `model` (ids, or a select of them) implies,
    as the database now stands."""
    if isinstance(ids, list) and not ids:
        return
    table = MatchChange.__table__
    for entity, targets in watched()[model](ids):
        if isinstance(targets, list):
            connection.execute(sa.insert(table), [{"entity": entity.value, "entity_id": i} for i in targets])
        else:
            connection.execute(sa.insert(table).from_select(
                ["entity", "entity_id"], sa.select(sa.literal(entity.value), targets.subquery().c[0])))


def note_everything(connection: sa.Connection) -> None:
    connection.execute(sa.insert(MatchChange.__table__), [{"entity": ChangedEntity.EVERYTHING.value, "entity_id": 0}])


# Models whose updates change no score: only their rows' coming and going does. A session's seat count,
# times and titles are written on every booking and edit, and would otherwise mark every institution
# booked into it for a refresh at each seat taken.
UPDATES_IGNORED = (RoadshowSession,)


def _changed(session: Session) -> list:
    """Loaded rows with a column really changed (setting a value to what it was is no write)."""
    return [obj for obj in session.dirty
            if not isinstance(obj, UPDATES_IGNORED) and session.is_modified(obj, include_collections=False)]


def _ids_by_model(objects: Iterable) -> dict[type, list[int]]:
    found: dict[type, list[int]] = {}
    for obj in objects:
        model = type(obj)
        if model in watched():
            identity = sa.inspect(obj).identity  # None for a row just inserted: its id is on the object
            row_id = identity[0] if identity is not None else obj.id
            if row_id is not None:
                found.setdefault(model, []).append(row_id)
    return found


@event.listens_for(Session, "before_flush")
def _note_before_flush(session: Session, _context, _instances) -> None:
    # The rows as they still are: what a changed or deleted row counted for until now.
    changing = _ids_by_model([*_changed(session), *session.deleted])
    if changing:
        connection = session.connection()
        for model, ids in changing.items():
            _note(connection, model, ids)


@event.listens_for(Session, "after_flush")
def _note_after_flush(session: Session, _context) -> None:
    # after_flush still sees the pre-flush new/dirty sets, with the new rows' ids assigned
    written = _ids_by_model([*session.new, *_changed(session)])
    if written:
        connection = session.connection()
        for model, ids in written.items():
            _note(connection, model, ids)


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> sa.Result | None:
    # Bulk UPDATE/DELETE statements (status writes, conditional updates) skip the flush.
    if not (state.is_update or state.is_delete or state.is_insert):
        return None
    mapper = state.bind_mapper
    model = mapper.class_ if mapper is not None else None
    if model not in watched() or (state.is_update and issubclass(model, UPDATES_IGNORED)):
        return None
    connection = state.session.connection()
    if state.is_insert:
        note_everything(connection)
        return None
    where = state.statement.whereclause
    matching = sa.select(model.id).where(where) if where is not None else sa.select(model.id)
    # One INSERT ... SELECT first: on SQLite a transaction must write before it reads, or a concurrent
    # writer's commit makes its later write fail ("database is locked") instead of waiting.
    _note(connection, model, matching)
    ids = list(connection.execute(matching).scalars()) if state.is_update else []
    result = state.invoke_statement()
    _note(connection, model, ids)  # as the rows now are (a moved booking names its new institution)
    return result
