"""Registration, authentication and role management."""
import sqlalchemy as sa
from flask_babel import gettext as _

from ..common.errors import RuleViolation
from ..common.timeutil import utcnow
from ..extensions import db
from .models import SELF_SERVICE_ROLES, Role, User
from .signals import sessions_ended


def find_user_by_email(email: str) -> User | None:
    return db.session.scalars(sa.select(User).where(User.email == User.normalize_email(email))).first()


def register_user(email: str, password: str, name: str, role: Role, phone: str | None = None) -> User:
    if role not in SELF_SERVICE_ROLES:
        raise RuleViolation(_("注册时只能选择创业企业或投资机构。"))
    if find_user_by_email(email) is not None:
        raise RuleViolation(_("这个邮箱已经注册过了。"))
    user = User(email=email, name=name.strip(), phone=(phone or "").strip() or None)
    user.set_password(password)
    user.grant(role)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with these credentials, or None (same answer for unknown email and wrong password)."""
    user = find_user_by_email(email)
    if user is None or not user.check_password(password) or user.is_disabled:
        return None
    user.last_login_at = utcnow()
    return user


def set_roles(user: User, roles: set[Role], acting_admin: User) -> User:
    """Replace a user's roles; an admin cannot remove their own admin role (no lock-out)."""
    if user.id == acting_admin.id and Role.ADMIN not in roles:
        raise RuleViolation(_("不能撤销自己的管理员角色。"))
    if not roles:
        raise RuleViolation(_("每个用户至少要有一个角色。"))
    for role in set(user.roles) - roles:
        user.revoke(role)
    for role in roles - user.roles:
        user.grant(role)
    db.session.flush()
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
