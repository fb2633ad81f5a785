"""The one write every status workflow makes: a conditional UPDATE from the status read to the next one.

Each workflow's state machine (roadshows.lifecycle for sessions, projects.services.change_status,
screening.services.change_application_status) checks its own transition table and says who is
told; this is where the row is written, so the race rule is the same for all of them: a row whose
status changed since it was read (another request, a concurrent job) is left as the other made it.
Only those state machines call it (tests/architecture/test_state_owners.py checks).
"""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .errors import RuleViolation


class IllegalTransition(RuleViolation):
    """The workflow's table does not allow this step from the current status."""


class ChangedMeanwhile(RuleViolation):
    """Another request changed the status first; nothing was written."""


def write_status(row, new_status, *, provided: tuple = (), **values) -> bool:
    """Move `row` from the status it was read with to `new_status` (with `values` in the same UPDATE).

    `provided` are further SQL conditions that must still hold as the row is written. False when the
    row had changed meanwhile; either way `row` shows what the database now holds.
    """
    model = type(row)
    db.session.flush()  # the caller's pending edits reach the row first: the refresh below must not drop them
    written = db.session.execute(
        sa.update(model)
        .where(model.id == row.id, model.status == row.status, *provided)
        .values(status=new_status, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(row, ["status", *values, "updated_at"])
    return written == 1
