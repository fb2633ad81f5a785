"""Stored match scores, when each fund and project was last scored, investors' saved/hidden projects,
investment-express subscriptions and what they already sent, and startups' requests for an advisor."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.choices import LabeledEnum
from ..common.db import TimestampMixin, enum_type
from ..common.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..investors.models import Fund, Institution
    from ..projects.models import Project


class Match(db.Model):
    """A (fund, project) pair scoring at least MATCH_MIN_SCORE; pages read these, never the scorer."""
    __tablename__ = "matches"
    __table_args__ = (
        sa.CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
        sa.Index("ix_matches_project_score", "project_id", "score"),
        sa.Index("ix_matches_institution_score", "institution_id", "score"),
    )
    fund_id: Mapped[int] = mapped_column(sa.ForeignKey("funds.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    # Copied from the fund so that "my institution's matches" is one indexed query.
    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institutions.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(sa.Float)
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # top reasons, Chinese, best first
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

    fund: Mapped[Fund] = relationship()
    project: Mapped[Project] = relationship()
    institution: Mapped[Institution] = relationship()

    @property
    def explanation(self) -> str:
        from .explain import explanation  # the reasons in the page's language

        return explanation(self.reasons)


class ChangedEntity(LabeledEnum):
    PROJECT = "project", _l("项目")
    FUND = "fund", _l("基金")
    INSTITUTION = "institution", _l("机构")  # its people's behaviour: every fund of it
    EVERYTHING = "all", _l("全部")


class MatchChange(db.Model):
    """A write made these stored matches stale: a project's column, a fund's row, an institution's funds.

    Written by the write's own transaction (matching/changes.py); the refresh job recomputes what the
    rows it reads name and deletes exactly those rows, so a write committed meanwhile waits for the
    next run. One row per note (no unique key): concurrent writers never conflict.
    """
    __tablename__ = "match_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[ChangedEntity] = mapped_column(enum_type(ChangedEntity))
    entity_id: Mapped[int]


class MatchRun(db.Model):
    """One recompute; the latest full run's weights fingerprint tells the job when the weights changed."""
    __tablename__ = "match_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    full: Mapped[bool] = mapped_column(default=False)
    weights_key: Mapped[str] = mapped_column(sa.String(200))
    projects: Mapped[int] = mapped_column(default=0)
    funds: Mapped[int] = mapped_column(default=0)
    pairs_stored: Mapped[int] = mapped_column(default=0)
    millis: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class MatchFlag(LabeledEnum):
    SAVED = "saved", _l("已收藏")
    HIDDEN = "hidden", _l("已隐藏")

    @property
    def is_saved(self) -> bool:
        return self is MatchFlag.SAVED

    @property
    def is_hidden(self) -> bool:
        return self is MatchFlag.HIDDEN


class MatchPreference(TimestampMixin, db.Model):
    """An investor saved or hid a matched project."""
    __tablename__ = "match_preferences"
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    flag: Mapped[MatchFlag] = mapped_column(enum_type(MatchFlag))


class Frequency(LabeledEnum):
    INSTANT = "instant", _l("即时提醒")
    DAILY = "daily", _l("每日汇总")


class SavedSearch(TimestampMixin, db.Model):
    """An investment-express (路演投资直通车) subscription: tell me about new projects like these."""
    __tablename__ = "saved_searches"
    __table_args__ = (
        sa.CheckConstraint("min_score BETWEEN 0 AND 100", name="min_score_range"),
        sa.CheckConstraint(
            "amount_min IS NULL OR amount_max IS NULL OR amount_min <= amount_max", name="amount_range"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    chains: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # empty = any
    stages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    amount_min: Mapped[int | None] = mapped_column(sa.BigInteger)  # yuan sought by the project
    amount_max: Mapped[int | None] = mapped_column(sa.BigInteger)
    min_score: Mapped[int] = mapped_column(default=0)  # best score of the subscriber's institution's funds
    frequency: Mapped[Frequency] = mapped_column(enum_type(Frequency), default=Frequency.INSTANT)
    active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship()


class ExpressDelivery(db.Model):
    """A project a subscription matched. The primary key makes "never the same project twice" a DB rule."""
    __tablename__ = "express_deliveries"
    search_id: Mapped[int] = mapped_column(sa.ForeignKey("saved_searches.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(index=True)  # daily subscriptions: set by the digest

    project: Mapped[Project] = relationship()


class AdvisorRequestStatus(LabeledEnum):
    OPEN = "open", _l("征集中")
    ENGAGED = "engaged", _l("已对接")
    CLOSED = "closed", _l("已关闭")

    @property
    def is_open(self) -> bool:
        return self is AdvisorRequestStatus.OPEN


class AdvisorRequest(TimestampMixin, db.Model):
    """A startup asks for a financial advisor (FA); the best-matching advisor institutions receive it."""
    __tablename__ = "advisor_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[AdvisorRequestStatus] = mapped_column(
        enum_type(AdvisorRequestStatus), default=AdvisorRequestStatus.OPEN
    )
    engaged_institution_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="SET NULL")
    )

    project: Mapped[Project] = relationship()
    recipients: Mapped[list[AdvisorRecipient]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="AdvisorRecipient.score.desc()"
    )
    engaged_institution: Mapped[Institution | None] = relationship()


class AdvisorRecipient(db.Model):
    __tablename__ = "advisor_recipients"
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("advisor_requests.id", ondelete="CASCADE"), primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        sa.ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    score: Mapped[float] = mapped_column(sa.Float)
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    request: Mapped[AdvisorRequest] = relationship(back_populates="recipients")
    institution: Mapped[Institution] = relationship()
