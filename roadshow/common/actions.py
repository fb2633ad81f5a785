"""Run one service action for a view: commit on success, roll back and tell the user when a rule refuses it."""
from collections.abc import Callable
from typing import TypeVar

from flask import flash

from ..extensions import db
from .errors import RuleViolation

T = TypeVar("T")


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


def show_violation(form, exc: RuleViolation) -> None:
    """Put a service's refusal under the field it names, or on top of the form."""
    field = getattr(form, getattr(exc, "field", ""), None)
    if field is not None:
        field.errors = list(field.errors) + [str(exc)]
    else:
        form.form_errors.append(str(exc))


def save_form(form, save: Callable[[], T], success_message: Callable[[T], str]) -> bool:
    """Save a valid submitted form, commit and flash success.

    False means the page re-renders the form, with a service's refusal shown on it.
    """
    if not form.validate_on_submit():
        return False
    try:
        saved = save()
    except RuleViolation as exc:
        db.session.rollback()
        show_violation(form, exc)
        return False
    db.session.commit()
    flash(success_message(saved), "success")
    return True
