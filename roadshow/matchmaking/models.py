"""Matchmaking days (对接会): tables or rooms × time slots, both sides' marks, the computed schedule."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.choices import LabeledEnum
from ..common.db import TimestampMixin, enum_type
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..projects.models import Project
    from ..roadshows.models import RoadshowSession

MAX_SLOTS = 48  # a whole day of 15-minute meetings; the unavailable slots are bits of one BigInteger


class Mark(LabeledEnum):
    MUST = "must", _l("必须见"), "success"
    LIKE = "like", _l("希望见"), "info"
    NO = "no", _l("不见"), "secondary"


class MatchmakingDay(TimestampMixin, db.Model):
    __tablename__ = "matchmaking_days"
    __table_args__ = (
        sa.CheckConstraint(f"slot_count BETWEEN 1 AND {MAX_SLOTS}", name="slot_count_range"),
        sa.CheckConstraint("slot_minutes BETWEEN 5 AND 120", name="slot_minutes_range"),
        sa.CheckConstraint("rooms IS NULL OR rooms >= 1", name="rooms_positive"),
        sa.CheckConstraint("deadline <= starts_at", name="deadline_before_start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    # The roadshow session it belongs to (its line-up are the startups); None for a standalone day.
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), unique=True)
    location: Mapped[str] = mapped_column(sa.String(120), default="")
    starts_at: Mapped[datetime]  # the first slot, naive UTC
    slot_minutes: Mapped[int] = mapped_column(default=15)
    slot_count: Mapped[int] = mapped_column(default=12)
    # None: one table per startup (the startup stays, investors move); a number: that many shared rooms.
    rooms: Mapped[int | None]
    deadline: Mapped[datetime]  # marks and unavailable slots are accepted until then
    published_at: Mapped[datetime | None]
    # Bumped by every change of the schedule (a solve, a move, a pin): a solve computed from an older
    # schedule is refused instead of overwriting a move made meanwhile.
    version: Mapped[int] = mapped_column(default=0)
    # iCalendar SEQUENCE of the day's meetings, bumped when a published schedule changes.
    sequence: Mapped[int] = mapped_column(default=0)
    solve_summary: Mapped[str] = mapped_column(sa.String(200), default="")

    session: Mapped[RoadshowSession | None] = relationship()
    parties: Mapped[list[MatchmakingParty]] = relationship(
        back_populates="day", cascade="all, delete-orphan", order_by="MatchmakingParty.id")
    meetings: Mapped[list[MatchmakingMeeting]] = relationship(
        back_populates="day", cascade="all, delete-orphan", order_by="MatchmakingMeeting.slot")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def ends_at(self) -> datetime:
        return self.slot_start(self.slot_count)

    def slot_start(self, index: int) -> datetime:
        return self.starts_at + timedelta(minutes=self.slot_minutes * index)

    def slot_end(self, index: int) -> datetime:
        return self.slot_start(index + 1)

    @property
    def slot_indexes(self) -> range:
        return range(self.slot_count)

    @property
    def investors(self) -> list[MatchmakingParty]:
        return [p for p in self.parties if p.is_investor]

    @property
    def startups(self) -> list[MatchmakingParty]:
        return [p for p in self.parties if not p.is_investor]


class MatchmakingParty(db.Model):
    """One investor (a user) or one startup (a project) taking part in a day."""
    __tablename__ = "matchmaking_parties"
    __table_args__ = (
        sa.CheckConstraint("(user_id IS NULL) <> (project_id IS NULL)", name="investor_or_startup"),
        sa.CheckConstraint("unavailable_mask >= 0", name="mask_not_negative"),
        sa.UniqueConstraint("day_id", "user_id"),
        sa.UniqueConstraint("day_id", "project_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(sa.ForeignKey("matchmaking_days.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    # Bit n set: the party cannot meet in slot n.
    unavailable_mask: Mapped[int] = mapped_column(sa.BigInteger, default=0)

    day: Mapped[MatchmakingDay] = relationship(back_populates="parties")
    user: Mapped[User | None] = relationship()
    project: Mapped[Project | None] = relationship()

    @property
    def is_investor(self) -> bool:
        return self.user_id is not None

    @property
    def name(self) -> str:
        if self.user is not None:
            institution = self.user.institution
            return f"{self.user.name} · {institution.name}" if institution else self.user.name
        return self.project.title

    @property
    def unavailable(self) -> set[int]:
        return {n for n in range(MAX_SLOTS) if self.unavailable_mask >> n & 1}


class MatchmakingPreference(db.Model):
    """How one party marked another (no row: not marked)."""
    __tablename__ = "matchmaking_preferences"
    __table_args__ = (
        sa.UniqueConstraint("from_party_id", "to_party_id"),
        sa.CheckConstraint("from_party_id <> to_party_id", name="not_self"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    from_party_id: Mapped[int] = mapped_column(sa.ForeignKey("matchmaking_parties.id", ondelete="CASCADE"))
    to_party_id: Mapped[int] = mapped_column(sa.ForeignKey("matchmaking_parties.id", ondelete="CASCADE"), index=True)
    mark: Mapped[Mark] = mapped_column(enum_type(Mark))


class MatchmakingMeeting(db.Model):
    """One scheduled meeting; the unique keys are the schedule's rules, kept by the database too."""
    __tablename__ = "matchmaking_meetings"
    __table_args__ = (
        sa.UniqueConstraint("investor_id", "startup_id"),  # a pair meets once
        sa.UniqueConstraint("day_id", "investor_id", "slot", name="uq_matchmaking_meetings_investor_slot"),
        sa.UniqueConstraint("day_id", "startup_id", "slot", name="uq_matchmaking_meetings_startup_slot"),
        sa.UniqueConstraint("day_id", "slot", "room", name="uq_matchmaking_meetings_room_slot"),
        sa.CheckConstraint("slot >= 0", name="slot_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(sa.ForeignKey("matchmaking_days.id", ondelete="CASCADE"), index=True)
    investor_id: Mapped[int] = mapped_column(sa.ForeignKey("matchmaking_parties.id", ondelete="CASCADE"), index=True)
    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("matchmaking_parties.id", ondelete="CASCADE"), index=True)
    slot: Mapped[int]
    room: Mapped[int | None]  # shared rooms only (1..rooms); with tables, the startup's table
    pinned: Mapped[bool] = mapped_column(default=False)

    day: Mapped[MatchmakingDay] = relationship(back_populates="meetings")
    investor: Mapped[MatchmakingParty] = relationship(foreign_keys=[investor_id])
    startup: Mapped[MatchmakingParty] = relationship(foreign_keys=[startup_id])

    @property
    def starts_at(self) -> datetime:
        return self.day.slot_start(self.slot)

    @property
    def ends_at(self) -> datetime:
        return self.day.slot_end(self.slot)

    def place(self) -> str:
        """Where the two meet: the shared room, or the startup's table."""
        from flask_babel import gettext as _
        if self.room is not None:
            return _("%(n)d 号洽谈室", n=self.room)
        return _("%(n)d 号桌", n=self.day.startups.index(self.startup) + 1)
