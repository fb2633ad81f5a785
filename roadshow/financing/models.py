"""What a company raised, from every source, and the scheduler's "did you raise since?" questions.

Money is exact (`Numeric`, CNY). A loan a lender approved on the platform is one event, made when it is
approved (`loan_application_id` is unique); the company does not report it again.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.choices import LabeledEnum, Stage
from ..common.db import TimestampMixin, enum_type
from ..common.timeutil import utcnow
from ..extensions import db
from ..loans.models import MONEY

if TYPE_CHECKING:
    from ..investors.models import Institution
    from ..projects.models import Company

MAX_EVENT_AMOUNT = Decimal("100000000000")  # 1000 亿元: beyond any single round, loan or grant


class FinancingKind(LabeledEnum):
    EQUITY = "equity", _l("股权融资")
    LOAN = "loan", _l("贷款")
    GRANT = "grant", _l("政府资助/补贴")


class Confirmation(LabeledEnum):
    """Whether the institution named in an event agrees; off-platform counterparts cannot be asked."""
    SELF_REPORTED = "self_reported", _l("企业自报"), "secondary"
    PENDING = "pending", _l("待机构确认"), "warning"
    CONFIRMED = "confirmed", _l("机构已确认"), "success"
    DISPUTED = "disputed", _l("机构有异议"), "danger"

    @property
    def is_pending(self) -> bool:
        return self is Confirmation.PENDING


# What the dashboards count: everything except what the named institution disputes.
COUNTED = (Confirmation.SELF_REPORTED, Confirmation.PENDING, Confirmation.CONFIRMED)


class FinancingEvent(TimestampMixin, db.Model):
    __tablename__ = "financing_events"
    __table_args__ = (
        sa.CheckConstraint("amount > 0 AND amount <= 100000000000", name="amount_range"),
        sa.CheckConstraint("valuation IS NULL OR valuation > 0", name="valuation_positive"),
        sa.CheckConstraint("institution_id IS NOT NULL OR length(counterparty) > 0", name="has_counterparty"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FinancingKind] = mapped_column(enum_type(FinancingKind), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    occurred_on: Mapped[date] = mapped_column(index=True)
    institution_id: Mapped[int | None] = mapped_column(sa.ForeignKey("institutions.id", ondelete="SET NULL"),
                                                       index=True)
    counterparty: Mapped[str] = mapped_column(sa.String(200), default="")  # investors, lender or department off the platform
    round: Mapped[Stage | None] = mapped_column(enum_type(Stage))
    valuation: Mapped[Decimal | None] = mapped_column(MONEY)  # post-money, equity rounds only, optional
    loan_application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("loan_applications.id", ondelete="SET NULL"), unique=True)
    confirmation: Mapped[Confirmation] = mapped_column(enum_type(Confirmation), index=True)
    dispute_note: Mapped[str | None] = mapped_column(sa.Text)
    reported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.Text, default="")

    company: Mapped[Company] = relationship()
    institution: Mapped[Institution | None] = relationship()


class CheckinAnswer(LabeledEnum):
    RAISED = "raised", _l("已有新融资")
    NOT_YET = "not_yet", _l("暂无新融资")


class FinancingCheckin(db.Model):
    """One "did you raise since?" question: a company, a roadshow it presented in, 3, 6 or 12 months after."""
    __tablename__ = "financing_checkins"
    __table_args__ = (sa.UniqueConstraint("company_id", "session_id", "months"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"))
    months: Mapped[int]
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[CheckinAnswer | None] = mapped_column(enum_type(CheckinAnswer))
    answered_at: Mapped[datetime | None]


class CheckinOptOut(db.Model):
    """A company that asked not to be asked any more."""
    __tablename__ = "financing_checkin_opt_outs"
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
