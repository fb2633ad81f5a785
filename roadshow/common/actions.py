"""Run one service action for a view: commit on success, roll back and tell the user when a rule refuses it."""
from collections.abc import Callable

from flask import flash

from ..extensions import db
from .errors import RuleViolation


def apply(
    action: Callable[[], object],
    success_message: str,
    success_category: str = "success",
    *,
    violation_category: str = "warning",
) -> bool:
    """True when the action ran and was committed; False when a RuleViolation was flashed instead.

    Views that show a refusal under a form field handle RuleViolation themselves.
    """
    try:
        action()
    except RuleViolation as exc:
        db.session.rollback()
        flash(str(exc), violation_category)
        return False
    db.session.commit()
    flash(success_message, success_category)
    return True
