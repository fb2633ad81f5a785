"""Startup companies and the projects they pitch."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.choices import District, IndustryChain, LabeledEnum, SrdiLevel, Stage
from ..common.db import TimestampMixin, enum_type
from ..common.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User


class Company(TimestampMixin, db.Model):
    __tablename__ = "companies"
    __table_args__ = (
        sa.CheckConstraint("innovation_score BETWEEN 0 AND 100", name="innovation_score_range"),
        sa.CheckConstraint("patents_count >= 0 AND headcount >= 0", name="counts_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # 统一社会信用代码: 18 characters with a GB 32100 check digit.
    credit_code: Mapped[str] = mapped_column(sa.String(18), unique=True)
    industry_chain: Mapped[IndustryChain] = mapped_column(enum_type(IndustryChain), index=True)
    stage: Mapped[Stage] = mapped_column(enum_type(Stage))
    city: Mapped[str] = mapped_column(sa.String(40))
    # Where the company is registered in Wuhan (loan rules by region, the government dashboard); None: not given.
    district: Mapped[District | None] = mapped_column(enum_type(District), index=True)
    founded_year: Mapped[int]
    headcount: Mapped[int] = mapped_column(default=0)
    patents_count: Mapped[int] = mapped_column(default=0)
    innovation_score: Mapped[int] = mapped_column(default=0)  # 创新积分 0–100
    is_high_tech: Mapped[bool] = mapped_column(default=False)  # 高新技术企业
    # 上年营业收入 in CNY, exact; None: not given (a loan rule on revenue then reads "未提供").
    annual_revenue: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    srdi_level: Mapped[SrdiLevel] = mapped_column(enum_type(SrdiLevel), default=SrdiLevel.NONE)
    university: Mapped[str | None] = mapped_column(sa.String(80))  # 高校/校友背景
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    website: Mapped[str | None] = mapped_column(sa.String(200))

    members: Mapped[list[User]] = relationship(back_populates="company")
    projects: Mapped[list[Project]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="Project.id"
    )

    def __repr__(self) -> str:
        return f"<Company {self.name}>"


class ProjectStatus(LabeledEnum):
    DRAFT = "draft", _l("草稿"), "secondary"
    SUBMITTED = "submitted", _l("已提交"), "info"
    UNDER_REVIEW = "under_review", _l("评审中"), "warning"
    APPROVED = "approved", _l("已通过"), "success"
    REJECTED = "rejected", _l("未通过"), "danger"
    SCHEDULED = "scheduled", _l("已排期"), "primary"
    PRESENTED = "presented", _l("已路演"), "dark"

    @property
    def is_submitted(self) -> bool:
        return self is ProjectStatus.SUBMITTED

    @property
    def is_under_review(self) -> bool:
        return self is ProjectStatus.UNDER_REVIEW

    @property
    def is_awaiting_review(self) -> bool:
        """Submitted and not decided yet."""
        return self in (ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW)

    @property
    def is_approved(self) -> bool:
        return self is ProjectStatus.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self is ProjectStatus.REJECTED

    @property
    def is_public(self) -> bool:
        return self in PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self in EDITABLE_STATUSES


# Statuses in which a project is public: listed, searchable, open to investors.
PUBLIC_STATUSES = (ProjectStatus.APPROVED, ProjectStatus.SCHEDULED, ProjectStatus.PRESENTED)
# Statuses in which the startup may still change what it submits.
EDITABLE_STATUSES = (ProjectStatus.DRAFT, ProjectStatus.REJECTED)


class Project(TimestampMixin, db.Model):
    __tablename__ = "projects"
    __table_args__ = (sa.CheckConstraint("amount_sought > 0", name="amount_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    pitch: Mapped[str] = mapped_column(sa.String(140))  # one line
    description: Mapped[str] = mapped_column(sa.Text, default="")
    industry_chain: Mapped[IndustryChain] = mapped_column(enum_type(IndustryChain), index=True)
    financing_round: Mapped[Stage] = mapped_column(enum_type(Stage), index=True)
    amount_sought: Mapped[int] = mapped_column(sa.BigInteger)  # CNY, whole yuan
    use_of_funds: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[ProjectStatus] = mapped_column(
        enum_type(ProjectStatus), default=ProjectStatus.DRAFT, index=True
    )
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    # The deck lives under UPLOAD_DIR with a random name; never under static/.
    deck_file: Mapped[str | None] = mapped_column(sa.String(80))
    deck_original_name: Mapped[str | None] = mapped_column(sa.String(200))
    deck_pages: Mapped[int | None]
    deck_size: Mapped[int | None]
    deck_uploaded_at: Mapped[datetime | None]
    # The company may keep its deck read-only in the browser viewer (no download button, no download route).
    deck_downloadable: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    company: Mapped[Company] = relationship(back_populates="projects")

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def has_deck(self) -> bool:
        return self.deck_file is not None

    def __repr__(self) -> str:
        return f"<Project {self.title} [{self.status}]>"


# Deck analytics: what each reader of a deck looked at, for the company that owns it (and admins).
DECK_SECONDS_PER_PAGE_MAX = 6 * 3600  # one reader's time on one page is capped: a forgotten tab is not interest


class DeckView(db.Model):
    """One opening of the deck viewer by one signed-in reader (the company's own members are not counted)."""
    __tablename__ = "deck_views"
    __table_args__ = (sa.Index("ix_deck_views_project_opened", "project_id", "opened_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    viewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_event_at: Mapped[datetime] = mapped_column(default=utcnow)  # bounds the time the next event may add

    viewer: Mapped[User] = relationship()
    pages: Mapped[list[DeckPageView]] = relationship(order_by="DeckPageView.page", cascade="all, delete-orphan")


class DeckPageView(db.Model):
    """Seconds one page was visible during one opening."""
    __tablename__ = "deck_page_views"
    __table_args__ = (
        sa.CheckConstraint("page >= 1", name="page_positive"),
        sa.CheckConstraint(f"seconds BETWEEN 0 AND {DECK_SECONDS_PER_PAGE_MAX}", name="seconds_range"),
    )
    view_id: Mapped[int] = mapped_column(sa.ForeignKey("deck_views.id", ondelete="CASCADE"), primary_key=True)
    page: Mapped[int] = mapped_column(primary_key=True)
    seconds: Mapped[int] = mapped_column(default=0)


class DeckDownload(db.Model):
    __tablename__ = "deck_downloads"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    downloaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
