"""Password reset by an emailed link that expires and works once."""
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..common.site_url import external_url
from ..extensions import db
from ..notifications.services import queue_email
from .models import User
from .services import end_sessions, find_user_by_email

RESET_MAX_AGE = 3600  # seconds


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    # The current hash's tail: once the password changes, every earlier link stops working.
    return user.password_hash[-16:]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE)
        user = db.session.get(User, int(data["u"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or user.is_disabled or data.get("p") != _fingerprint(user):
        return None
    return user


def send_reset_link(email: str) -> None:
    """Queue the email if the account exists; the caller says the same thing either way."""
    user = find_user_by_email(email)
    if user is None or user.is_disabled:
        return
    link = external_url("accounts.reset_password", token=make_reset_token(user))
    queue_email(user.email, _("重置您的光谷科创路演中心密码"),
                _("请在 1 小时内打开下面的链接设置新密码（链接只能使用一次）：\n\n%(link)s\n\n如果不是您本人操作，请忽略这封邮件。", link=link))


def reset_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    end_sessions(user)
