"""Notifications shown in the site and emails waiting in the outbox."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..common.choices import LabeledEnum
from ..common.db import enum_type
from ..common.timeutil import utcnow
from ..extensions import db


class Notification(db.Model):
    """One message to one user. `dedupe_key` is unique, so a reminder is never stored twice."""
    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(300))
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(160), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]


class EmailStatus(LabeledEnum):
    PENDING = "pending", _l("待发送")
    SENT = "sent", _l("已发送")
    FAILED = "failed", _l("发送失败")


class OutboxEmail(db.Model):
    """An email to send. Written in the same transaction as the change it reports; a sender drains it."""
    __tablename__ = "outbox_emails"
    __table_args__ = (sa.Index("ix_outbox_emails_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(160), unique=True)
    status: Mapped[EmailStatus] = mapped_column(enum_type(EmailStatus), default=EmailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
