"""Looking up a record by the id in a URL, for pages and the API alike.

A record the caller may not see answers exactly as a missing one does (404), whatever the method:
a "you may not" would confirm that it exists. The check and the 404 live in one function so they
cannot drift apart; the `may_see` rules are the domains' policy functions (<domain>/policies.py).
"""
from collections.abc import Callable
from typing import TypeVar

from flask import abort
from flask_login import current_user

from ..extensions import db

T = TypeVar("T")


def get_visible_or_404(model: type[T], ident: int, may_see: Callable[[object, T], bool]) -> T:
    """The `model` row with this id when the signed-in user (or anonymous visitor) may see it; 404 otherwise."""
    record = db.session.get(model, ident)
    if record is None or not may_see(current_user, record):
        abort(404)
    return record
