"""Training materials, each course's completion rule, and certificates of attendance."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n.content import Bilingual

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..roadshows.models import RoadshowSession, Series


class TrainingMaterial(db.Model):
    """A file (stored under UPLOAD_DIR with a random name) or a link, attached to one training session.

    Those registered for the session see it, and everyone once the session's managers make it public."""
    __tablename__ = "training_materials"
    __table_args__ = (
        # exactly one of a stored file and a link
        sa.CheckConstraint("(file_name IS NULL) <> (url IS NULL)", name="file_or_link"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    file_name: Mapped[str | None] = mapped_column(sa.String(64), unique=True)  # random, on disk
    original_name: Mapped[str | None] = mapped_column(sa.String(200))  # the uploader's, for the download
    file_type: Mapped[str | None] = mapped_column(sa.String(8))  # pdf, pptx, docx, xlsx
    size: Mapped[int | None]
    url: Mapped[str | None] = mapped_column(sa.String(500))
    is_public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[RoadshowSession] = relationship()

    @property
    def is_link(self) -> bool:
        return self.url is not None


class CourseRule(db.Model):
    """How many sessions of a training series complete the course; without a row, every session."""
    __tablename__ = "training_course_rules"
    __table_args__ = (sa.CheckConstraint("required_sessions >= 1", name="at_least_one_session"),)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"), primary_key=True)
    required_sessions: Mapped[int | None]  # None: every session of the course
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def new_verification_code() -> str:
    """What a certificate is found by: 128 random bits, so nobody reaches another's by counting."""
    return secrets.token_urlsafe(16)


class Certificate(db.Model):
    """A certificate of attendance: one per person and course, issued once the course is complete.

    The names and counts are kept as they were on issue, so the verification page says what the
    certificate said even if the course is renamed later."""
    __tablename__ = "training_certificates"
    __table_args__ = (sa.UniqueConstraint("user_id", "series_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_verification_code)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[int] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"), index=True)
    holder_name: Mapped[str] = mapped_column(sa.String(120))
    course_title: Mapped[str] = mapped_column(sa.String(160))
    course_title_en: Mapped[str | None] = mapped_column(sa.String(160))
    organiser_name: Mapped[str] = mapped_column(sa.String(160))
    organiser_name_en: Mapped[str | None] = mapped_column(sa.String(160))
    sessions_attended: Mapped[int]
    sessions_required: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    display_course_title = Bilingual("course_title")
    display_organiser_name = Bilingual("organiser_name")

    user: Mapped[User] = relationship()
    series: Mapped[Series] = relationship()
