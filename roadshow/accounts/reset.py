"""Password reset by an emailed link that expires and works once."""
from flask_babel import gettext as _

from ..common.site_url import external_url
from ..i18n import stored_language
from ..notifications.services import queue_email
from .links import make_account_token, user_for_account_token
from .models import User
from .services import end_sessions, find_user_by_email

RESET_PURPOSE = "password-reset"
RESET_MAX_AGE = 3600  # seconds


def make_reset_token(user: User) -> str:
    return make_account_token(user, RESET_PURPOSE)


def user_for_reset_token(token: str) -> User | None:
    return user_for_account_token(token, RESET_PURPOSE, RESET_MAX_AGE)


def send_reset_link(email: str) -> None:
    """Queue the email if the account exists; the caller says the same thing either way.

    Neither case hashes a password, so both answer in the same time, give or take one outbox row.
    """
    user = find_user_by_email(email)
    if user is None or user.is_disabled:
        return
    link = external_url("accounts.reset_password", token=make_reset_token(user))
    with stored_language():
        queue_email(user.email, _("重置您的光谷科创路演中心密码"),
                    _("请在 1 小时内打开下面的链接设置新密码（链接只能使用一次）：\n\n%(link)s\n\n如果不是您本人操作，请忽略这封邮件。", link=link))


def reset_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.email_confirmed = True  # the link reached the mailbox: that confirms the address too
    end_sessions(user)
