"""Registration, authentication and role management."""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from ..audit import services as audit
from ..common.errors import RuleViolation
from ..common.site_url import external_url
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n import current_locale, normalize, stored_language
from ..notifications.services import queue_email
from .links import make_account_token, user_for_account_token
from .models import SELF_SERVICE_ROLES, Role, User
from .passwords import hash_password, password_matches
from .signals import roles_changed, sessions_ended

CONFIRM_PURPOSE = "confirm-email"
CONFIRM_MAX_AGE = 3 * 86400  # seconds


def find_user_by_email(email: str) -> User | None:
    return db.session.scalars(sa.select(User).where(User.email == User.normalize_email(email))).first()


def register_user(email: str, password: str, name: str, role: Role | None, phone: str | None = None) -> None:
    """Sign a visitor up. Whoever holds the address decides, by email; the visitor learns nothing about it.
    `role` None: a member of the public, with no role (they register for sessions open to the public).

    A new address gets an unconfirmed account and a link that confirms it. A registered address keeps its
    account as it is, and its owner is told someone tried (log in or reset the password instead). An address
    whose account was never confirmed takes the newer details, and a new link (earlier links stop working).
    Every case hashes the password once and queues one email, so the answer and its time are the same.
    """
    if role is not None and role not in SELF_SERVICE_ROLES:
        raise RuleViolation(_("注册时只能选择创业企业或投资机构。"))
    user = find_user_by_email(email)
    if user is not None and (user.email_confirmed or user.is_disabled):
        hash_password(password)  # the work a new account's hash takes, so the answer comes just as fast
        if not user.is_disabled:
            _tell_owner_of_attempt(user)
        return
    if user is None:
        user = User(email=email, email_confirmed=False)
        db.session.add(user)
    user.name, user.phone = name.strip(), (phone or "").strip() or None
    user.language = current_locale()  # the language of the page they registered on
    user.set_password(password)
    for stale in user.roles & set(SELF_SERVICE_ROLES) - {role}:
        user.revoke(stale)
    if role is not None:
        user.grant(role)
    db.session.flush()
    send_confirmation(user)


def save_language(user: User, locale: str) -> None:
    """Remember the language a signed-in user switched the site to: what is written to them later uses it."""
    user.language = normalize(locale) or user.language
    db.session.flush()


def send_confirmation(user: User) -> None:
    """Mail the link that confirms this unconfirmed account (and signs its owner in)."""
    link = external_url("accounts.confirm_email", token=make_account_token(user, CONFIRM_PURPOSE))
    with stored_language(user):
        queue_email(user.email, _("请确认您在光谷科创路演中心的注册"),
                    _("请在 %(days)d 天内打开下面的链接完成注册：\n\n%(link)s\n\n如果不是您本人注册，请忽略这封邮件，账户不会开通。",
                      days=CONFIRM_MAX_AGE // 86400, link=link))


def _tell_owner_of_attempt(user: User) -> None:
    login, forgot = external_url("accounts.login"), external_url("accounts.forgot_password")
    with stored_language(user):
        queue_email(user.email, _("有人尝试用您的邮箱注册光谷科创路演中心"),
                    _("有人用这个邮箱申请注册，但它已经有账户了，所以没有新建账户。\n\n如果是您本人，请直接登录：%(login)s\n"
                      "忘记密码可以在这里重置：%(forgot)s\n\n如果不是您本人，请忽略这封邮件，您的账户没有任何变化。",
                      login=login, forgot=forgot))


def user_for_confirmation(token: str) -> User | None:
    return user_for_account_token(token, CONFIRM_PURPOSE, CONFIRM_MAX_AGE)


def confirm_email(user: User) -> None:
    user.email_confirmed = True
    user.last_login_at = utcnow()


def purge_unconfirmed(now: datetime) -> dict:
    """Delete self-registered accounts nobody confirmed and nobody registered again for as long as a link
    lives: nobody can open them any more, and their address is then simply free."""
    stale = db.session.scalars(sa.select(User).where(
        User.email_confirmed.is_(False), User.updated_at < now - timedelta(seconds=CONFIRM_MAX_AGE)
    )).all()
    for user in stale:
        db.session.delete(user)
    db.session.flush()
    return {"deleted": len(stale)}


def authenticate(email: str, password: str) -> User | None:
    """The user with these credentials, or None (same answer for unknown email and wrong password).

    An unknown email is checked against a decoy hash, so it takes the same work as a wrong password.
    Right credentials for an account not yet confirmed: a new link is mailed and RuleViolation says so.
    """
    user = find_user_by_email(email)
    if not password_matches(user.password_hash if user else None, password) or user.is_disabled:
        return None
    if not user.email_confirmed:
        send_confirmation(user)
        raise RuleViolation(_("请先打开确认邮件中的链接完成注册。我们刚刚又发送了一封，请查收。"))
    user.last_login_at = utcnow()
    return user


def set_roles(user: User, roles: set[Role], acting_admin: User) -> User:
    """Replace a user's roles (audited); an admin cannot remove their own admin role (no lock-out)."""
    if user.id == acting_admin.id and Role.ADMIN not in roles:
        raise RuleViolation(_("不能撤销自己的管理员角色。"))
    if not roles:
        raise RuleViolation(_("每个用户至少要有一个角色。"))
    for role in set(user.roles) - roles:
        user.revoke(role)
    for role in roles - user.roles:
        user.grant(role)
    db.session.flush()
    roles_changed.send(user=user)  # e.g. an admin no longer is: out of the hosts' audience
    audit.record(acting_admin, "user.roles", user, f"{user.email}：{'、'.join(sorted(str(r.label) for r in roles))}")
    return user


def create_admin(email: str, password: str, name: str = "管理员") -> User:
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email, name=name)
        db.session.add(user)
    user.set_password(password)
    user.grant(Role.ADMIN)
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every cookie issued so far stops working, open sockets close."""
    user.end_all_sessions()
    sessions_ended.send(user)
