"""The listing track (上市后备企业): which official cultivation lists a company is on, and its readiness checklist.

A tag says "this company is on this list, from this batch"; it is never deleted: withdrawing it keeps who
tagged it and when, and adds who withdrew it, when and why. The checklist is the company's own account of
how far it is (share reform, audit, sponsor …); the center's staff, or an organiser that tagged the company,
verify each item or send it back with a note.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.choices import LabeledEnum
from ..common.db import enum_type
from ..common.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..organisers.models import Organiser
    from ..projects.models import Company


class ListingList(LabeledEnum):
    """The cultivation lists a company can be on (provincial, city and district levels)."""
    HUBEI_RESERVE = "hubei_reserve", _l("湖北省上市后备企业库")
    HUANGHE_LINGYUN = "huanghe_lingyun", _l("企业上市“黄鹤凌云”计划科技型上市后备企业")
    WUHAN_RESERVE = "wuhan_reserve", _l("武汉市上市后备企业")
    EAST_LAKE_RESERVE = "east_lake_reserve", _l("东湖高新区上市后备企业")


class TargetBoard(LabeledEnum):
    STAR = "star", _l("科创板")
    BSE = "bse", _l("北交所")
    CHINEXT = "chinext", _l("创业板")
    MAIN = "main", _l("主板")
    NEEQ = "neeq", _l("新三板")
    REGIONAL = "regional", _l("区域性股权市场")


class ListingTag(db.Model):
    """One company on one list, from one batch; withdrawn tags stay as history."""
    __tablename__ = "listing_tags"
    __table_args__ = (
        # one tag in force per company and list (a withdrawn one may be followed by a new one)
        sa.Index("uq_listing_tags_active", "company_id", "cultivation_list", unique=True,
                 sqlite_where=sa.text("withdrawn_at IS NULL"), postgresql_where=sa.text("withdrawn_at IS NULL")),
        sa.CheckConstraint("length(trim(batch)) > 0", name="batch_given"),
        sa.CheckConstraint(
            "(withdrawn_at IS NULL AND withdrawal_reason IS NULL) OR "
            "(withdrawn_at IS NOT NULL AND length(trim(withdrawal_reason)) > 0)",
            name="withdrawal_has_reason"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    cultivation_list: Mapped[ListingList] = mapped_column(enum_type(ListingList), index=True)
    batch: Mapped[str] = mapped_column(sa.String(40))  # as the list names it: 2026年第一批
    target_board: Mapped[TargetBoard | None] = mapped_column(enum_type(TargetBoard))
    # the partner organiser that tagged it; None: the center's own staff
    organiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisers.id", ondelete="SET NULL"), index=True)
    tagged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    tagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)

    company: Mapped[Company] = relationship()
    organiser: Mapped[Organiser | None] = relationship()
    tagged_by: Mapped[User | None] = relationship(foreign_keys=[tagged_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ReadinessKind(LabeledEnum):
    """The steps towards a listing the checklist follows, in the order a company usually takes them."""
    SHARE_REFORM = "share_reform", _l("股份制改造（股改）完成")
    GOVERNANCE = "governance", _l("规范治理（三会运作、内部控制）")
    AUDIT = "audit", _l("审计（会计师事务所进场）")
    SPONSOR = "sponsor", _l("保荐机构/券商已签约")
    LAW_FIRM = "law_firm", _l("律师事务所已签约")
    TUTORING = "tutoring", _l("辅导备案")


class ItemProgress(LabeledEnum):
    NOT_STARTED = "not_started", _l("未开始"), "secondary"
    IN_PROGRESS = "in_progress", _l("进行中"), "info"
    DONE = "done", _l("已完成"), "success"


class Verification(LabeledEnum):
    UNVERIFIED = "unverified", _l("待核验"), "warning"
    VERIFIED = "verified", _l("已核验"), "success"
    REJECTED = "rejected", _l("已退回"), "danger"

    @property
    def is_verified(self) -> bool:
        return self is Verification.VERIFIED

    @property
    def is_rejected(self) -> bool:
        return self is Verification.REJECTED


class ReadinessItem(db.Model):
    """The company's account of one checklist step, and the staff's check of it.

    `revision` grows with every edit by the company; a verification names the revision it saw, so a check
    of an older text cannot mark a newer one verified.
    """
    __tablename__ = "readiness_items"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "kind", name="uq_readiness_item"),
        sa.CheckConstraint(
            "(verification = 'unverified' AND checked_by_id IS NULL AND checked_at IS NULL) OR "
            "(verification <> 'unverified' AND checked_at IS NOT NULL)", name="check_recorded"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReadinessKind] = mapped_column(enum_type(ReadinessKind))
    progress: Mapped[ItemProgress] = mapped_column(enum_type(ItemProgress), default=ItemProgress.NOT_STARTED)
    done_on: Mapped[date | None]  # when it was done (or is planned)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # evidence: a PDF under UPLOAD_DIR/listing with a random name
    evidence_file: Mapped[str | None] = mapped_column(sa.String(80))
    evidence_name: Mapped[str | None] = mapped_column(sa.String(200))
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    verification: Mapped[Verification] = mapped_column(enum_type(Verification), default=Verification.UNVERIFIED,
                                                       index=True)
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    checked_at: Mapped[datetime | None]
    check_note: Mapped[str | None] = mapped_column(sa.Text)

    checked_by: Mapped[User | None] = relationship(foreign_keys=[checked_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    @property
    def has_evidence(self) -> bool:
        return self.evidence_file is not None
