"""One deal per (institution, project) and the history of its stage changes."""
from __future__ import annotations

from datetime import date, datetime
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
    from ..investors.models import Institution
    from ..projects.models import Project


class DealStage(LabeledEnum):
    INTEREST = "interest", _l("有意向")
    MEETING_HELD = "meeting_held", _l("已约见")
    DUE_DILIGENCE = "due_diligence", _l("尽职调查")
    TERM_SHEET = "term_sheet", _l("签署投资意向书")
    SIGNED = "signed", _l("已签约")
    DROPPED = "dropped", _l("已终止")

    @property
    def is_dropped(self) -> bool:
        return self is DealStage.DROPPED


# The forward path; a deal moves one step at a time, or is dropped from any open stage.
PIPELINE = (DealStage.INTEREST, DealStage.MEETING_HELD, DealStage.DUE_DILIGENCE, DealStage.TERM_SHEET,
            DealStage.SIGNED)


class Deal(TimestampMixin, db.Model):
    __tablename__ = "deals"
    __table_args__ = (
        sa.UniqueConstraint("institution_id", "project_id"),
        # The database refuses a signed deal without its amount and date, and a drop without a reason.
        sa.CheckConstraint("stage != 'signed' OR (amount > 0 AND signed_on IS NOT NULL)", name="signed_has_terms"),
        sa.CheckConstraint("stage != 'dropped' OR length(drop_reason) > 0", name="dropped_has_reason"),
        sa.CheckConstraint("amount IS NULL OR amount > 0", name="amount_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    stage: Mapped[DealStage] = mapped_column(enum_type(DealStage), default=DealStage.INTEREST, index=True)
    amount: Mapped[int | None] = mapped_column(sa.BigInteger)  # CNY invested, whole yuan
    signed_on: Mapped[date | None]
    drop_reason: Mapped[str | None] = mapped_column(sa.Text)
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship()
    project: Mapped[Project] = relationship()
    events: Mapped[list[DealEvent]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", order_by="DealEvent.id"
    )

    @property
    def is_open(self) -> bool:
        return self.stage not in (DealStage.SIGNED, DealStage.DROPPED)


class DealEvent(db.Model):
    __tablename__ = "deal_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(sa.ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[DealStage | None] = mapped_column(enum_type(DealStage))
    to_stage: Mapped[DealStage] = mapped_column(enum_type(DealStage))
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    deal: Mapped[Deal] = relationship(back_populates="events")
    by: Mapped[User | None] = relationship()
