"""Meeting requests between investors and startups, and the time slots startups offer for them."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.choices import LabeledEnum
from ..common.db import TimestampMixin, enum_type
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..investors.models import Institution
    from ..projects.models import Company, Project


class MeetingStatus(LabeledEnum):
    REQUESTED = "requested", _l("待回复"), "warning"
    ACCEPTED = "accepted", _l("已确认"), "success"
    HELD = "held", _l("已见面"), "primary"
    DECLINED = "declined", _l("已婉拒"), "secondary"
    CANCELLED = "cancelled", _l("已取消"), "secondary"

    @property
    def is_requested(self) -> bool:
        return self is MeetingStatus.REQUESTED

    @property
    def is_accepted(self) -> bool:
        return self is MeetingStatus.ACCEPTED

    @property
    def is_cancelled(self) -> bool:
        return self is MeetingStatus.CANCELLED


# An investor has at most one open request per project; asking again re-uses it.
OPEN_STATUSES = (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)
_OPEN_SQL = sa.text("status IN ('requested', 'accepted')")


class MeetingSource(LabeledEnum):
    PAGE = "page", _l("项目页")
    MATCH = "match", _l("智能匹配")
    LIVE = "live", _l("路演直播间")
    EXPRESS = "express", _l("投资直通车")
    API = "api", _l("开放接口")


class AvailabilitySlot(TimestampMixin, db.Model):
    """A time a startup offers for meetings; an accepted meeting takes it."""
    __tablename__ = "availability_slots"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]  # naive UTC
    ends_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(sa.String(120), default="")

    company: Mapped[Company] = relationship()
    meeting: Mapped[MeetingRequest | None] = relationship(back_populates="slot", uselist=False)

    @property
    def is_taken(self) -> bool:
        return self.meeting is not None


class MeetingRequest(TimestampMixin, db.Model):
    __tablename__ = "meeting_requests"
    __table_args__ = (
        sa.Index(
            "uq_meeting_requests_open_pair", "investor_id", "project_id", unique=True,
            sqlite_where=_OPEN_SQL, postgresql_where=_OPEN_SQL,
        ),
        sa.CheckConstraint(
            "status NOT IN ('accepted', 'held') OR (starts_at IS NOT NULL AND ends_at IS NOT NULL)",
            name="accepted_has_time",
        ),
        sa.Index("ix_meeting_requests_status_start", "status", "starts_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    investor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    # The investor's institution when they asked; the deal pipeline is kept per institution.
    institution_id: Mapped[int | None] = mapped_column(sa.ForeignKey("institutions.id", ondelete="SET NULL"))
    # The roadshow the request came from (live room), if any.
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="SET NULL"))
    source: Mapped[MeetingSource] = mapped_column(enum_type(MeetingSource), default=MeetingSource.PAGE)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus), default=MeetingStatus.REQUESTED, index=True
    )
    # Unique: the database itself refuses two meetings in one availability slot.
    # Cleared when the meeting is cancelled, which frees the slot; the times stay below.
    availability_slot_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("availability_slots.id", ondelete="SET NULL"), unique=True
    )
    starts_at: Mapped[datetime | None]  # naive UTC, copied from the slot on acceptance
    ends_at: Mapped[datetime | None]
    location: Mapped[str] = mapped_column(sa.String(120), default="")
    response_note: Mapped[str | None] = mapped_column(sa.Text)  # why declined or cancelled
    responded_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # iCalendar SEQUENCE, bumped when the time or status changes.
    sequence: Mapped[int] = mapped_column(default=0)

    investor: Mapped[User] = relationship(foreign_keys=[investor_id])
    project: Mapped[Project] = relationship()
    institution: Mapped[Institution | None] = relationship()
    slot: Mapped[AvailabilitySlot | None] = relationship(back_populates="meeting")
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
