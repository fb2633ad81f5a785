"""Partner organisers, their members, and their requests to use the center's halls."""
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
from ..i18n.content import Bilingual

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..roadshows.models import RoadshowSession


class OrganiserKind(LabeledEnum):
    DISTRICT = "district", _l("区县科技部门")
    UNIVERSITY = "university", _l("高校技术转移机构")
    PARK = "park", _l("产业园区")
    INSTITUTION = "institution", _l("投资机构")
    OUT_OF_PROVINCE = "out_of_province", _l("省外路演中心")


class DecisionStatus(LabeledEnum):
    """An organiser's application, or a venue request: waits for the center's decision."""
    PENDING = "pending", _l("待审核"), "warning"
    APPROVED = "approved", _l("已通过"), "success"
    DECLINED = "declined", _l("未通过"), "secondary"

    @property
    def is_pending(self) -> bool:
        return self is DecisionStatus.PENDING

    @property
    def is_approved(self) -> bool:
        return self is DecisionStatus.APPROVED


class Organiser(TimestampMixin, db.Model):
    """An organisation running its own series once the center approved it."""
    __tablename__ = "organisers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name_en: Mapped[str | None] = mapped_column(sa.String(120))
    display_name = Bilingual("name")
    kind: Mapped[OrganiserKind] = mapped_column(enum_type(OrganiserKind))
    contact_name: Mapped[str] = mapped_column(sa.String(80))
    contact_phone: Mapped[str] = mapped_column(sa.String(32), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[DecisionStatus] = mapped_column(enum_type(DecisionStatus), default=DecisionStatus.PENDING, index=True)
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    applied_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    members: Mapped[list[OrganiserMember]] = relationship(back_populates="organiser", cascade="all, delete-orphan")
    applied_by: Mapped[User | None] = relationship(foreign_keys=[applied_by_id])


class OrganiserMember(db.Model):
    """A person acting for an organiser; one organiser per account."""
    __tablename__ = "organiser_members"
    organiser_id: Mapped[int] = mapped_column(sa.ForeignKey("organisers.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)

    organiser: Mapped[Organiser] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class VenueRequest(TimestampMixin, db.Model):
    """An organiser's session in one of the center's halls: held for it, used once an admin approves."""
    __tablename__ = "venue_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), unique=True)
    organiser_id: Mapped[int] = mapped_column(sa.ForeignKey("organisers.id", ondelete="CASCADE"), index=True)
    status: Mapped[DecisionStatus] = mapped_column(enum_type(DecisionStatus), default=DecisionStatus.PENDING, index=True)
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    session: Mapped[RoadshowSession] = relationship()
    organiser: Mapped[Organiser] = relationship()


class OrganiserReviewer(db.Model):
    """A reviewer in an organiser's own pool: the organiser assigns them to applications to its series, as an
    event's review team does. The same reviewer may be in several pools, and in the center's."""
    __tablename__ = "organiser_reviewers"
    organiser_id: Mapped[int] = mapped_column(sa.ForeignKey("organisers.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organiser: Mapped[Organiser] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
