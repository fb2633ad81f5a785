"""Credit products that banks, guarantors and tech-insurers publish, applications for them, and a company's IP.

Money is exact: `Numeric` columns read as `Decimal`, in CNY (pages show 万元). Rates are annual
percentages (`3.4500` means 3.45 % a year), also exact. The database refuses what a form would:
empty or inverted ranges, rates above 100 %, amounts beyond 100 亿.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
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
    from ..projects.models import Company

MONEY = sa.Numeric(16, 2)  # CNY, two decimals: exact, never a float
RATE = sa.Numeric(7, 4)  # percent per year
RATE_UNIT = "percent_per_year"  # how the API names the unit of every rate
# Far above any real technology loan, far below what Numeric(16, 2) holds.
MAX_LOAN_AMOUNT = Decimal("10000000000")  # 100 亿元
MAX_TERM_MONTHS = 360


class LoanKind(LabeledEnum):
    """The 科技贷 families of the Hubei technology-finance plan."""
    TALENT = "talent", _l("科技人才贷")
    RND = "rnd", _l("研发贷")
    PILOT = "pilot", _l("中试贷")
    IP_PLEDGE = "ip_pledge", _l("知识产权质押融资")
    INVEST_LOAN = "invest_loan", _l("投贷联动")
    QUICK_301 = "quick_301", _l("“301”线上信用快贷")


class Collateral(LabeledEnum):
    NONE = "none", _l("信用（无需抵押）")
    IP_PLEDGE = "ip_pledge", _l("知识产权质押")
    GUARANTEE = "guarantee", _l("担保")
    EQUITY_LINKED = "equity_linked", _l("投贷联动（认股权）")


class LoanProduct(TimestampMixin, db.Model):
    __tablename__ = "loan_products"
    __table_args__ = (
        sa.CheckConstraint("amount_min > 0 AND amount_min <= amount_max AND amount_max <= 10000000000",
                           name="amount_range"),
        sa.CheckConstraint("rate_min > 0 AND rate_min <= rate_max AND rate_max <= 100", name="rate_range"),
        sa.CheckConstraint("term_min_months >= 1 AND term_min_months <= term_max_months AND term_max_months <= 360",
                           name="term_range"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[LoanKind] = mapped_column(enum_type(LoanKind), index=True)
    collateral: Mapped[Collateral] = mapped_column(enum_type(Collateral))
    amount_min: Mapped[Decimal] = mapped_column(MONEY)
    amount_max: Mapped[Decimal] = mapped_column(MONEY)
    rate_min: Mapped[Decimal] = mapped_column(RATE)
    rate_max: Mapped[Decimal] = mapped_column(RATE)
    term_min_months: Mapped[int]
    term_max_months: Mapped[int]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Eligibility rules as data: [{"fact": "innovation_score", "op": "gte", "value": 70}, ...]
    # (loans.eligibility reads and evaluates them; every rule must hold).
    rules: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    is_published: Mapped[bool] = mapped_column(default=True, index=True)

    institution: Mapped[Institution] = relationship()


class LoanApplicationStatus(LabeledEnum):
    SUBMITTED = "submitted", _l("待审批"), "info"
    INFO_REQUESTED = "info_requested", _l("待补充材料"), "warning"
    APPROVED = "approved", _l("已获批"), "success"
    DECLINED = "declined", _l("未获批"), "danger"
    WITHDRAWN = "withdrawn", _l("已撤回"), "secondary"

    @property
    def is_open(self) -> bool:
        return self in OPEN_LOAN_STATUSES

    @property
    def is_info_requested(self) -> bool:
        return self is LoanApplicationStatus.INFO_REQUESTED

    @property
    def is_approved(self) -> bool:
        return self is LoanApplicationStatus.APPROVED


# Waiting for the bank (or for the startup's answer to its question).
OPEN_LOAN_STATUSES = (LoanApplicationStatus.SUBMITTED, LoanApplicationStatus.INFO_REQUESTED)
# What 获贷率 divides by: applications a lender has decided.
DECIDED_LOAN_STATUSES = (LoanApplicationStatus.APPROVED, LoanApplicationStatus.DECLINED)


class LoanApplication(TimestampMixin, db.Model):
    __tablename__ = "loan_applications"
    __table_args__ = (
        sa.CheckConstraint("amount > 0 AND amount <= 10000000000", name="amount_range"),
        sa.CheckConstraint("term_months >= 1 AND term_months <= 360", name="term_range"),
        sa.CheckConstraint(
            "status != 'approved' OR (approved_amount > 0 AND approved_rate > 0 AND approved_rate <= 100"
            " AND approved_term_months >= 1)", name="approved_has_terms"),
        sa.CheckConstraint("status != 'declined' OR length(decision_reason) > 0", name="declined_has_reason"),
        # one open application per company and product: a second one waits for the first answer
        sa.Index("uq_loan_applications_open", "product_id", "company_id", unique=True,
                 sqlite_where=sa.text("status IN ('submitted', 'info_requested')"),
                 postgresql_where=sa.text("status IN ('submitted', 'info_requested')")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("loan_products.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    term_months: Mapped[int]
    purpose: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[LoanApplicationStatus] = mapped_column(
        enum_type(LoanApplicationStatus), default=LoanApplicationStatus.SUBMITTED, index=True)
    info_request: Mapped[str | None] = mapped_column(sa.Text)  # the lender's last question
    info_reply: Mapped[str | None] = mapped_column(sa.Text)  # the startup's last answer
    approved_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    approved_rate: Mapped[Decimal | None] = mapped_column(RATE)
    approved_term_months: Mapped[int | None]
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None] = mapped_column(index=True)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    product: Mapped[LoanProduct] = relationship()
    company: Mapped[Company] = relationship()
    applicant: Mapped[User | None] = relationship(foreign_keys=[applicant_id])


class IpKind(LabeledEnum):
    INVENTION_PATENT = "invention_patent", _l("发明专利")
    UTILITY_MODEL = "utility_model", _l("实用新型专利")
    DESIGN_PATENT = "design_patent", _l("外观设计专利")
    SOFTWARE_COPYRIGHT = "software_copyright", _l("软件著作权")
    TRADEMARK = "trademark", _l("注册商标")

    @property
    def is_patent(self) -> bool:
        return self in PATENT_KINDS


PATENT_KINDS = (IpKind.INVENTION_PATENT, IpKind.UTILITY_MODEL, IpKind.DESIGN_PATENT)


class IpStatus(LabeledEnum):
    PENDING = "pending", _l("申请中"), "warning"
    GRANTED = "granted", _l("已授权"), "success"
    LAPSED = "lapsed", _l("已失效"), "secondary"


class IpAsset(TimestampMixin, db.Model):
    """A patent, software copyright or trademark a company holds: the basis of IP-pledge loans."""
    __tablename__ = "ip_assets"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[IpKind] = mapped_column(enum_type(IpKind))
    # normalised (upper case, no spaces, no "ZL" prefix); one right has one holder on the platform
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[IpStatus] = mapped_column(enum_type(IpStatus))
    owner: Mapped[str] = mapped_column(sa.String(120))  # 权利人 as registered
