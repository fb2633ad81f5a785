"""Screening (路演筛选): the reviewer pool, assignments of reviewers to applications, rubric scores."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.db import TimestampMixin
from ..common.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..roadshows.models import Application

# The rubric: (column, label). Each criterion is scored 1–5.
CRITERIA = (
    ("technology", _l("技术")),
    ("market", _l("市场")),
    ("team", _l("团队")),
    ("financing_fit", _l("融资匹配度")),
)
SCORE_MIN, SCORE_MAX = 1, 5


class ReviewerProfile(TimestampMixin, db.Model):
    """A reviewer's expert profile; its industry chains put the reviewer in the pool for those chains."""
    __tablename__ = "reviewer_profiles"
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(80), default="")  # 职称/职务
    organization: Mapped[str] = mapped_column(sa.String(120), default="")
    # IndustryChain values, as JSON like Fund.focus_chains (works on SQLite and PostgreSQL).
    chains: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    bio: Mapped[str] = mapped_column(sa.Text, default="")

    user: Mapped[User] = relationship()


class ReviewAssignment(db.Model):
    """One reviewer asked to score one application."""
    __tablename__ = "review_assignments"
    __table_args__ = (sa.UniqueConstraint("application_id", "reviewer_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("applications.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship()
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    score: Mapped[ReviewScore | None] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", uselist=False
    )


def _criterion_range(column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{column} BETWEEN {SCORE_MIN} AND {SCORE_MAX}", name=f"{column}_range")


class ReviewScore(TimestampMixin, db.Model):
    """A reviewer's rubric for an assignment: one per assignment, editable until the application is decided."""
    __tablename__ = "review_scores"
    __table_args__ = tuple(_criterion_range(column) for column, _label in CRITERIA)
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("review_assignments.id", ondelete="CASCADE"), unique=True
    )
    technology: Mapped[int]
    market: Mapped[int]
    team: Mapped[int]
    financing_fit: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    assignment: Mapped[ReviewAssignment] = relationship(back_populates="score")

    @property
    def values(self) -> dict[str, int]:
        return {column: getattr(self, column) for column, _label in CRITERIA}

    @property
    def overall(self) -> float:
        """This reviewer's overall mark: the mean of the criteria."""
        values = self.values.values()
        return sum(values) / len(values)
