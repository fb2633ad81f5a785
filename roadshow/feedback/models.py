"""After a roadshow: each attending investor's structured feedback on each project that pitched."""
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

NOTE_MAX = 1000
FEEDBACK_WINDOW = timedelta(days=14)  # answers can be given and changed this long after the session ends


class InterestLevel(LabeledEnum):
    NONE = "none", _l("暂无兴趣"), "secondary"
    FOLLOW = "follow", _l("持续关注"), "info"
    MEET = "meet", _l("希望约见"), "primary"
    DUE_DILIGENCE = "due_diligence", _l("进入尽调"), "success"


class Concern(LabeledEnum):
    TEAM = "team", _l("团队")
    MARKET = "market", _l("市场")
    TECHNOLOGY = "technology", _l("技术")
    VALUATION = "valuation", _l("估值")
    STAGE_FIT = "stage_fit", _l("阶段不匹配")
    OTHER = "other", _l("其他")


class Feedback(TimestampMixin, db.Model):
    """One investor's answer about one project of one session; the unique key makes it once each."""
    __tablename__ = "roadshow_feedback"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "project_id", "investor_id"),
        sa.CheckConstraint(f"length(note) <= {NOTE_MAX}", name="note_length"),
        sa.CheckConstraint("interest IN ('none', 'follow', 'meet', 'due_diligence')", name="interest_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    investor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    interest: Mapped[InterestLevel] = mapped_column(enum_type(InterestLevel))
    concerns: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # Concern values, in Concern's order
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # The investor lets the startup see this answer with their name; otherwise it only counts in aggregates.
    shared: Mapped[bool] = mapped_column(default=False)

    session: Mapped[RoadshowSession] = relationship()
    project: Mapped[Project] = relationship()
    investor: Mapped[User] = relationship()

    @property
    def editable_until(self) -> datetime:
        return self.session.ends_at + FEEDBACK_WINDOW

    @property
    def concern_members(self) -> list[Concern]:
        return [Concern(c) for c in self.concerns]
