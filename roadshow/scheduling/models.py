"""The every-day calendar: recurring session templates, the sessions they generated, personal feed tokens."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.choices import IndustryChain, LabeledEnum
from ..common.db import TimestampMixin, enum_type
from ..common.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..roadshows.models import RoadshowSession, Series, Venue


class RuleKind(LabeledEnum):
    WORKING_DAYS = "working_days", _l("每个工作日（按国家法定节假日与调休）")
    WEEKLY = "weekly", _l("每周固定几天")
    MONTHLY_NTH = "monthly_nth", _l("每月第几个星期几")

    @property
    def follows_working_days(self) -> bool:
        """Held on every working day: the official calendar already moves it off holidays."""
        return self is RuleKind.WORKING_DAYS


class HolidayPolicy(LabeledEnum):
    SKIP = "skip", _l("停办")
    NEXT_WORKING_DAY = "next_working_day", _l("顺延至下一个工作日")
    KEEP = "keep", _l("照常举行")


class SessionTemplate(TimestampMixin, db.Model):
    """A recurring roadshow ("every working day 14:00–16:00 in 长江路演厅, 5 slots") that generates sessions."""
    __tablename__ = "session_templates"
    __table_args__ = (
        sa.CheckConstraint("end_time > start_time", name="ends_after_start"),
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
        sa.CheckConstraint("slots_count BETWEEN 1 AND 20", name="slots_count_range"),
        sa.CheckConstraint("month_week IS NULL OR month_week IN (-1, 1, 2, 3, 4)", name="month_week_values"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="SET NULL"))
    venue_id: Mapped[int] = mapped_column(sa.ForeignKey("venues.id", ondelete="RESTRICT"))
    host_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Placeholders: {chain} {series} {month} {date} {weekday}
    title_pattern: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # the English versions the generated sessions get (empty: their pages show the Chinese ones)
    title_pattern_en: Mapped[str | None] = mapped_column(sa.String(160))
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    rule: Mapped[RuleKind] = mapped_column(enum_type(RuleKind))
    weekdays: Mapped[list[int]] = mapped_column(sa.JSON, default=list)  # 0 = Monday, for WEEKLY
    month_week: Mapped[int | None]  # 1–4, or -1 for the last, for MONTHLY_NTH
    month_weekday: Mapped[int | None]  # 0 = Monday, for MONTHLY_NTH
    on_holiday: Mapped[HolidayPolicy] = mapped_column(enum_type(HolidayPolicy), default=HolidayPolicy.SKIP)
    start_time: Mapped[time]  # Asia/Shanghai wall clock
    end_time: Mapped[time]
    capacity: Mapped[int]  # investor seats per session
    slots_count: Mapped[int] = mapped_column(default=5)  # projects per session
    pitch_minutes: Mapped[int] = mapped_column(default=10)
    qa_minutes: Mapped[int] = mapped_column(default=10)
    # IndustryChain values; monthly rules take one per month, other rules one per session.
    chain_rotation: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    is_active: Mapped[bool] = mapped_column(default=True)
    # Written first by each horizon fill: the row lock (SQLite: the write lock) queues concurrent fills.
    last_filled_at: Mapped[datetime | None]

    series: Mapped[Series | None] = relationship()
    venue: Mapped[Venue] = relationship()
    host: Mapped[User | None] = relationship()

    @property
    def rotation(self) -> list[IndustryChain]:
        return [IndustryChain(value) for value in self.chain_rotation or []]


class TemplateOccurrence(db.Model):
    """One date of a template, handled once: the unique key is what keeps concurrent horizon fills from doubling.

    The row stays when its session is deleted (session_id becomes NULL), so a deleted
    occurrence is not generated again the next night.
    """
    __tablename__ = "template_occurrences"
    __table_args__ = (sa.UniqueConstraint("template_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("session_templates.id", ondelete="CASCADE"))
    day: Mapped[date]  # Asia/Shanghai date
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("roadshow_sessions.id", ondelete="SET NULL"), unique=True
    )
    adopted: Mapped[bool] = mapped_column(default=False)  # an existing session matched the template
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    template: Mapped[SessionTemplate] = relationship()
    session: Mapped[RoadshowSession | None] = relationship()


class CalendarFeed(db.Model):
    """A user's private iCalendar address; the token is the only credential, so it is long, random and replaceable."""
    __tablename__ = "calendar_feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_fetched_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
