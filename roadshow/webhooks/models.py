"""Webhook subscriptions of partner platforms, and the deliveries waiting, done or given up."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..common.choices import LabeledEnum
from ..common.db import TimestampMixin, enum_type
from ..common.timeutil import utcnow
from ..extensions import db


class WebhookEvent(LabeledEnum):
    """What a partner may subscribe to. The last two are sent by the financing domains when they exist."""
    SESSION_CREATED = "session.created", _l("路演场次创建")
    SESSION_CHANGED = "session.changed", _l("路演场次变更")
    SESSION_CANCELLED = "session.cancelled", _l("路演场次取消")
    PROJECT_PUBLISHED = "project.published", _l("项目发布")
    BOOKING_MADE = "booking.made", _l("席位预约")
    FINANCING_EVENT_CONFIRMED = "financing_event.confirmed", _l("融资事件确认")
    LOAN_APPLICATION_DECIDED = "loan_application.decided", _l("贷款申请审批结果")


class DeliveryStatus(LabeledEnum):
    PENDING = "pending", _l("待投递"), "warning"
    DELIVERED = "delivered", _l("已送达"), "success"
    GAVE_UP = "gave_up", _l("已放弃"), "danger"


class WebhookSubscription(TimestampMixin, db.Model):
    __tablename__ = "webhook_subscriptions"
    __table_args__ = (sa.CheckConstraint("consecutive_failures >= 0", name="failures_not_negative"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    events: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # WebhookEvent values
    # The shared secret deliveries are signed with; kept to sign, shown to the partner once.
    secret: Mapped[str] = mapped_column(sa.String(80))
    active: Mapped[bool] = mapped_column(default=True)
    # Set when deliveries kept failing; the partner resumes it (active=true) once its receiver works.
    paused_reason: Mapped[str | None] = mapped_column(sa.String(300))
    consecutive_failures: Mapped[int] = mapped_column(default=0)

    owner: Mapped[User] = relationship()


class WebhookDelivery(db.Model):
    """One event for one subscription: the exact body sent, and what happened on each attempt."""
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True)
    event: Mapped[WebhookEvent] = mapped_column(enum_type(WebhookEvent))
    event_id: Mapped[str] = mapped_column(sa.String(40))  # the same for every subscription, and for a replay
    body: Mapped[str] = mapped_column(sa.Text)  # the JSON sent, byte for byte what was signed
    status: Mapped[DeliveryStatus] = mapped_column(enum_type(DeliveryStatus), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    replay_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("webhook_deliveries.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    subscription: Mapped[WebhookSubscription] = relationship()
