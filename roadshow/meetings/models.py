"""Meeting requests between investors and startups, and the time slots startups offer for them."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..common.choices import LabeledEnum
from ..common.db import TimestampMixin, enum_type
from ..common.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..investors.models import Institution
    from ..projects.models import Company, Project
    from ..roadshows.models import Venue


class MeetingStatus(LabeledEnum):
    REQUESTED = "requested", _l("待回复"), "warning"
    # The side asked for proposed another time; the side that asked confirms it or declines.
    PROPOSED = "proposed", _l("已提议新时间"), "info"
    ACCEPTED = "accepted", _l("已确认"), "success"
    HELD = "held", _l("已见面"), "primary"
    DECLINED = "declined", _l("已婉拒"), "secondary"
    CANCELLED = "cancelled", _l("已取消"), "secondary"

    @property
    def is_requested(self) -> bool:
        return self is MeetingStatus.REQUESTED

    @property
    def is_proposed(self) -> bool:
        return self is MeetingStatus.PROPOSED

    @property
    def is_awaiting_answer(self) -> bool:
        return self in (MeetingStatus.REQUESTED, MeetingStatus.PROPOSED)

    @property
    def is_accepted(self) -> bool:
        return self is MeetingStatus.ACCEPTED

    @property
    def is_cancelled(self) -> bool:
        return self is MeetingStatus.CANCELLED


# An investor has at most one open request per project; asking again re-uses it.
OPEN_STATUSES = (MeetingStatus.REQUESTED, MeetingStatus.PROPOSED, MeetingStatus.ACCEPTED)
AWAITING_STATUSES = (MeetingStatus.REQUESTED, MeetingStatus.PROPOSED)
_OPEN_SQL = sa.text("status IN ('requested', 'proposed', 'accepted')")
# A startup has at most one open request to an institution.
_OPEN_STARTUP_SQL = sa.text("initiator = 'startup' AND status IN ('requested', 'proposed', 'accepted')")


class MeetingSide(LabeledEnum):
    """Who asked for a meeting, who answers it."""
    INVESTOR = "investor", _l("投资机构")
    STARTUP = "startup", _l("项目方")

    @property
    def is_startup(self) -> bool:
        return self is MeetingSide.STARTUP

    @property
    def other(self) -> MeetingSide:
        return MeetingSide.STARTUP if self is MeetingSide.INVESTOR else MeetingSide.INVESTOR


class MeetingMode(LabeledEnum):
    """Where a meeting takes place: a room of one of the center's venues, or online by a link."""
    VENUE = "venue", _l("线下会议室"), "primary"
    ONLINE = "online", _l("线上会议"), "info"

    @property
    def is_online(self) -> bool:
        return self is MeetingMode.ONLINE


class MeetingSource(LabeledEnum):
    PAGE = "page", _l("项目页")
    MATCH = "match", _l("智能匹配")
    LIVE = "live", _l("路演直播间")
    EXPRESS = "express", _l("投资直通车")
    API = "api", _l("开放接口")


# A meeting link must be an https address; the database refuses an online meeting without one.
_ONLINE_HAS_LINK = "mode IS NULL OR mode != 'online' OR meeting_link IS NOT NULL"


class PlaceMixin:
    """Where a slot or a meeting takes place: a venue room or an online link, plus a free-text note."""
    mode: Mapped[MeetingMode | None] = mapped_column(enum_type(MeetingMode))
    venue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("venues.id", ondelete="SET NULL"))
    meeting_link: Mapped[str | None] = mapped_column(sa.String(300))
    location: Mapped[str] = mapped_column(sa.String(120), default="")

    @declared_attr
    def venue(cls) -> Mapped[Venue | None]:
        return relationship("Venue")

    def place_values(self) -> dict:
        return {"mode": self.mode, "venue_id": self.venue_id, "meeting_link": self.meeting_link,
                "location": self.location}


class AvailabilitySlot(PlaceMixin, TimestampMixin, db.Model):
    """A time a startup offers for meetings; a request that picked it, or an accepted meeting, takes it."""
    __tablename__ = "availability_slots"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint(_ONLINE_HAS_LINK, name="online_has_link"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]  # naive UTC
    ends_at: Mapped[datetime]

    company: Mapped[Company] = relationship()
    meeting: Mapped[MeetingRequest | None] = relationship(back_populates="slot", uselist=False)

    @property
    def is_taken(self) -> bool:
        return self.meeting is not None


class MeetingRequest(PlaceMixin, TimestampMixin, db.Model):
    """A request to meet, asked by an investor (of a project) or by a startup (of an institution)."""
    __tablename__ = "meeting_requests"
    __table_args__ = (
        sa.Index(
            "uq_meeting_requests_open_pair", "investor_id", "project_id", unique=True,
            sqlite_where=_OPEN_SQL, postgresql_where=_OPEN_SQL,
        ),
        sa.Index(
            "uq_meeting_requests_open_startup_ask", "company_id", "institution_id", unique=True,
            sqlite_where=_OPEN_STARTUP_SQL, postgresql_where=_OPEN_STARTUP_SQL,
        ),
        sa.CheckConstraint(
            "status NOT IN ('accepted', 'held', 'proposed') OR (starts_at IS NOT NULL AND ends_at IS NOT NULL)",
            name="accepted_has_time",
        ),
        # An investor's request names the investor; a startup's names the institution it asks.
        sa.CheckConstraint(
            "(initiator = 'investor' AND investor_id IS NOT NULL) OR "
            "(initiator = 'startup' AND institution_id IS NOT NULL AND company_id IS NOT NULL)",
            name="initiator_named",
        ),
        sa.CheckConstraint(_ONLINE_HAS_LINK, name="online_has_link"),
        sa.Index("ix_meeting_requests_status_start", "status", "starts_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    initiator: Mapped[MeetingSide] = mapped_column(enum_type(MeetingSide), default=MeetingSide.INVESTOR)
    # The investor who asked, or (a startup's request) the institution member who answered it.
    investor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # A startup's request: its company and the member who asked.
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Who proposed the time a PROPOSED meeting waits on.
    proposed_by: Mapped[MeetingSide | None] = mapped_column(enum_type(MeetingSide))
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
    # Unique: the database itself refuses two meetings (or requests) in one availability slot.
    # Set when the asking investor picks a slot, or on acceptance; cleared when the request is
    # declined or cancelled, which frees the slot; the times stay below.
    availability_slot_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("availability_slots.id", ondelete="SET NULL"), unique=True
    )
    starts_at: Mapped[datetime | None]  # naive UTC, copied from the slot (or the proposal)
    ends_at: Mapped[datetime | None]
    response_note: Mapped[str | None] = mapped_column(sa.Text)  # why declined or cancelled
    responded_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # iCalendar SEQUENCE, bumped when the time or status changes.
    sequence: Mapped[int] = mapped_column(default=0)

    investor: Mapped[User | None] = relationship(foreign_keys=[investor_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    project: Mapped[Project] = relationship()
    institution: Mapped[Institution | None] = relationship()
    slot: Mapped[AvailabilitySlot | None] = relationship(back_populates="meeting")
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def awaiting(self) -> MeetingSide | None:
        """The side that must answer now: the one asked, or after a proposal the one that asked."""
        if self.status is MeetingStatus.REQUESTED:
            return self.initiator.other
        if self.status is MeetingStatus.PROPOSED:
            return self.proposed_by.other
        return None

    @property
    def investor_label(self) -> str:
        """The investor side as the other party sees it: the institution, else the person."""
        if self.institution is not None:
            return self.institution.display_name
        return self.investor.name if self.investor else ""


class MeetingMute(db.Model):
    """An institution no longer takes meeting requests from a startup (set by one of its members)."""
    __tablename__ = "meeting_mutes"
    __table_args__ = (sa.UniqueConstraint("institution_id", "company_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institutions.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    muted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    company: Mapped[Company] = relationship()
