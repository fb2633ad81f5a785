"""Users and their roles."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l, lazy_pgettext
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..common.choices import LabeledEnum
from ..common.db import TimestampMixin, enum_type
from ..extensions import db
from .passwords import hash_password, password_matches

if TYPE_CHECKING:
    from ..investors.models import Institution
    from ..projects.models import Company


class Role(LabeledEnum):
    STARTUP = "startup", _l("创业企业")
    INVESTOR = "investor", lazy_pgettext("role", "投资机构")  # one person's role; the plain string names the list
    HOST = "host", _l("主持人")
    REVIEWER = "reviewer", _l("评审专家")
    ADMIN = "admin", _l("管理员")
    GOVERNMENT = "government", _l("政府部门（只读）")  # 科技局、金融局: the outcome dashboard, aggregates only
    ORGANISER = "organiser", lazy_pgettext("role", "合作主办方")  # runs its organisation's own series (organisers domain)


# Roles a visitor may choose when registering; the others are granted by an admin.
SELF_SERVICE_ROLES = (Role.STARTUP, Role.INVESTOR)


class UserRole(db.Model):
    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_type(Role), primary_key=True)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint("language IN ('zh_CN', 'en')", name="language_supported"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    is_disabled: Mapped[bool] = mapped_column(default=False)
    # False for a self-registered account until its owner opens the link mailed to the address (nobody can
    # sign in to it before); accounts an admin, the CLI or the demo seed creates are trusted.
    email_confirmed: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Part of the login cookie's id: changing it (logout, password change, disabling) ends every session.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=lambda: secrets.token_hex(16))
    last_login_at: Mapped[datetime | None]
    # The language the user reads (a locale of roadshow.i18n.LOCALES): saved when they register and whenever
    # they switch the site's language; what is written to them later (notifications, emails) is in it.
    language: Mapped[str] = mapped_column(sa.String(5), default="zh_CN", server_default="zh_CN")
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    institution_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="SET NULL"), index=True
    )

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    company: Mapped[Company | None] = relationship(back_populates="members")
    institution: Mapped[Institution | None] = relationship(back_populates="members")

    @staticmethod
    def normalize_email(email: str) -> str:
        return email.strip().lower()

    @validates("email")
    def _lower_email(self, _key, value: str) -> str:
        return self.normalize_email(value)

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def grant(self, role: Role) -> None:
        if role not in self.roles:
            self.role_rows.append(UserRole(role=role))

    def revoke(self, role: Role) -> None:
        self.role_rows = [row for row in self.role_rows if row.role != role]

    def get_id(self) -> str:
        return f"{self.id}.{self.session_token}"

    def end_all_sessions(self) -> None:
        """Invalidate every login cookie (and remember-me cookie) issued to this user so far."""
        self.session_token = secrets.token_hex(16)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled and unconfirmed accounts
        return not self.is_disabled and self.email_confirmed

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def __repr__(self) -> str:
        return f"<User {self.email}>"
