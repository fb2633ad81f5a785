"""Investment institutions and the funds they disclose."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.choices import LabeledEnum
from ..common.db import Hundredths, TimestampMixin, enum_type
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n.content import Bilingual

if TYPE_CHECKING:
    from ..accounts.models import User


class InstitutionType(LabeledEnum):
    VC = "vc", _l("创业投资机构（VC）")
    PE = "pe", _l("私募股权机构（PE）")
    ANGEL = "angel", _l("天使投资")
    BANK = "bank", _l("银行科技金融部门")
    CVC = "cvc", _l("产业资本（CVC）")
    GUIDANCE_FUND = "guidance_fund", _l("政府引导基金")
    ADVISOR = "advisor", _l("财务顾问（FA）")
    GUARANTOR = "guarantor", _l("融资担保机构")
    TECH_INSURER = "tech_insurer", _l("科技保险机构")

    @property
    def is_lender(self) -> bool:
        return self in LENDER_TYPES


# Institutions that publish credit products (roadshow.loans) rather than invest from funds.
LENDER_TYPES = (InstitutionType.BANK, InstitutionType.GUARANTOR, InstitutionType.TECH_INSURER)
# Types not registered with the fund association: a record number is optional for them.
RECORD_NUMBER_OPTIONAL = (*LENDER_TYPES, InstitutionType.ADVISOR)


class VerificationStatus(LabeledEnum):
    PENDING = "pending", _l("待审核"), "warning"
    VERIFIED = "verified", _l("已认证"), "success"
    REJECTED = "rejected", _l("未通过"), "danger"

    @property
    def is_pending(self) -> bool:
        return self is VerificationStatus.PENDING

    @property
    def is_verified(self) -> bool:
        return self is VerificationStatus.VERIFIED

    @property
    def is_rejected(self) -> bool:
        return self is VerificationStatus.REJECTED

    @property
    def icon(self) -> str:
        """The Bootstrap icon beside the status on the institution's own page."""
        return {VerificationStatus.PENDING: "hourglass-split", VerificationStatus.VERIFIED: "patch-check-fill",
                VerificationStatus.REJECTED: "x-octagon"}[self]


class Institution(TimestampMixin, db.Model):
    __tablename__ = "institutions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    type: Mapped[InstitutionType] = mapped_column(enum_type(InstitutionType))
    # 基金业协会登记编号 (e.g. P1001234); banks and advisors may have none.
    registration_number: Mapped[str | None] = mapped_column(sa.String(20))
    city: Mapped[str] = mapped_column(sa.String(40), default="武汉")
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    name_en: Mapped[str | None] = mapped_column(sa.String(160))
    intro_en: Mapped[str | None] = mapped_column(sa.Text)
    display_name = Bilingual("name")
    display_intro = Bilingual("intro")
    website: Mapped[str | None] = mapped_column(sa.String(200))
    verification_status: Mapped[VerificationStatus] = mapped_column(
        enum_type(VerificationStatus), default=VerificationStatus.PENDING, index=True
    )
    verification_note: Mapped[str | None] = mapped_column(sa.Text)
    verified_at: Mapped[datetime | None]

    members: Mapped[list[User]] = relationship(back_populates="institution")
    funds: Mapped[list[Fund]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", order_by="Fund.id"
    )

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED


class Fund(TimestampMixin, db.Model):
    __tablename__ = "funds"
    __table_args__ = (
        sa.CheckConstraint("ticket_min > 0 AND ticket_min <= ticket_max", name="ticket_range"),
        sa.CheckConstraint("paid_in_size IS NULL OR committed_size IS NULL OR paid_in_size <= committed_size",
                           name="paid_in_within_committed"),
        # Shares are stored in hundredths of a percent (Hundredths): 0 to 100 % is 0 to 10000; a re-investment
        # obligation is often more than the guidance fund put in (e.g. 120 %), up to 1000 %.
        sa.CheckConstraint("(guidance_share IS NULL OR guidance_share BETWEEN 0 AND 10000) AND "
                           "(state_capital_share IS NULL OR state_capital_share BETWEEN 0 AND 10000) AND "
                           "(reinvest_share IS NULL OR reinvest_share BETWEEN 0 AND 100000)", name="shares_are_percentages"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # 基金业协会备案编码 (e.g. SXY123): official fund lists are matched by it.
    registration_code: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    size: Mapped[int | None] = mapped_column(sa.BigInteger)  # CNY
    # Lists of enum values (IndustryChain, Stage, Region); JSON works on SQLite and PostgreSQL.
    focus_chains: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    stages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    regions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    ticket_min: Mapped[int] = mapped_column(sa.BigInteger)  # CNY per deal
    ticket_max: Mapped[int] = mapped_column(sa.BigInteger)
    # Public disclosure (创业投资基金信息公开): every change is versioned in FundDisclosureVersion.
    vintage_year: Mapped[int | None]  # 设立年份
    term_years: Mapped[int | None]  # 存续期
    investment_period_years: Mapped[int | None]  # 投资期
    committed_size: Mapped[Decimal | None] = mapped_column(Hundredths())  # 认缴规模, yuan, exact
    paid_in_size: Mapped[Decimal | None] = mapped_column(Hundredths())  # 实缴规模, yuan, exact
    guidance_share: Mapped[Decimal | None] = mapped_column(Hundredths())  # % of commitments: 政府引导基金
    state_capital_share: Mapped[Decimal | None] = mapped_column(Hundredths())  # % of commitments: 国有资本
    reinvest_region: Mapped[str | None] = mapped_column(sa.String(60))  # 返投地域
    reinvest_share: Mapped[Decimal | None] = mapped_column(Hundredths())  # 返投比例, % of the guidance money
    # [{"project_id": 12}, {"name": "某某科技"}]: projects on the platform linked, others named.
    portfolio: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    contact: Mapped[str | None] = mapped_column(sa.String(120))

    institution: Mapped[Institution] = relationship(back_populates="funds")
    versions: Mapped[list[FundDisclosureVersion]] = relationship(
        back_populates="fund", cascade="all, delete-orphan", order_by="FundDisclosureVersion.number.desc()"
    )


class FundDisclosureVersion(db.Model):
    """One saved change of a fund's disclosure: who changed which fields from what to what, and when."""
    __tablename__ = "fund_disclosure_versions"
    __table_args__ = (sa.UniqueConstraint("fund_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    fund_id: Mapped[int] = mapped_column(sa.ForeignKey("funds.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_by_name: Mapped[str] = mapped_column(sa.String(80))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # {field: [before, after]}, values as the disclosure shows them (Decimals as exact strings)
    changes: Mapped[dict] = mapped_column(sa.JSON)

    fund: Mapped[Fund] = relationship(back_populates="versions")
