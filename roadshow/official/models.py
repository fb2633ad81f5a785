"""Official lists imported by staff, and the facts about companies, institutions and funds they verify."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..common.choices import LabeledEnum
from ..common.db import enum_type
from ..common.timeutil import utcnow
from ..extensions import db


class ListKind(LabeledEnum):
    """The kinds of official list the center receives; each verifies one fact of one kind of subject."""
    INNOVATION = "innovation", _l("创新积分评价结果")
    SRDI = "srdi", _l("专精特新企业名单")
    HIGH_TECH = "high_tech", _l("高新技术企业名单")
    FUND_MANAGER = "fund_manager", _l("私募基金管理人登记")
    FUND = "fund", _l("私募基金备案")


class Subject(LabeledEnum):
    COMPANY = "company", _l("企业")
    INSTITUTION = "institution", _l("机构")
    FUND = "fund", _l("基金")


class OfficialListImport(db.Model):
    """One applied import: who, when, which file, and what it did."""
    __tablename__ = "official_list_imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ListKind] = mapped_column(enum_type(ListKind))
    source: Mapped[str] = mapped_column(sa.String(120))  # the list's name as the department titled it
    file_name: Mapped[str] = mapped_column(sa.String(200))
    file_sha256: Mapped[str] = mapped_column(sa.String(64))
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    rows: Mapped[int] = mapped_column(default=0)
    matched: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    unmatched: Mapped[int] = mapped_column(default=0)

    imported_by: Mapped[User | None] = relationship()


class VerifiedFact(db.Model):
    """What an official list says about one subject: one row per subject and list kind, the latest value.

    `value` holds the list's columns for that kind (e.g. score, grade and year for innovation points);
    `verified_at` is when an import last changed it, `source` the list that did.
    """
    __tablename__ = "verified_facts"
    __table_args__ = (sa.UniqueConstraint("subject", "subject_id", "kind", name="uq_verified_fact"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[Subject] = mapped_column(enum_type(Subject))
    subject_id: Mapped[int]
    kind: Mapped[ListKind] = mapped_column(enum_type(ListKind))
    value: Mapped[dict] = mapped_column(sa.JSON)
    source: Mapped[str] = mapped_column(sa.String(120))
    import_id: Mapped[int] = mapped_column(sa.ForeignKey("official_list_imports.id", ondelete="CASCADE"), index=True)
    verified_at: Mapped[datetime] = mapped_column(default=utcnow)
