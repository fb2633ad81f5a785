"""Signed links mailed to an account's address (password reset, email confirmation).

A link names the account and the tail of its current password hash: it works until it expires or the
password changes, whichever comes first, and only for the purpose it was made for.
"""
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from .models import User


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _fingerprint(user: User) -> str:
    return user.password_hash[-16:]


def make_account_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "p": _fingerprint(user)})


def user_for_account_token(token: str, purpose: str, max_age: int) -> User | None:
    """The account this token was made for, if it is still valid and the account is not disabled."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
        user = db.session.get(User, int(data["u"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or user.is_disabled or data.get("p") != _fingerprint(user):
        return None
    return user
