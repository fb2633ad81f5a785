"""A thread per meeting request or deal, its messages, each reader's read marker, and reports."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.timeutil import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..deals.models import Deal
    from ..meetings.models import MeetingRequest
    from ..projects.models import Project

MESSAGE_MAX = 2000  # characters of one message


class Thread(db.Model):
    """The conversation of one meeting request or one deal (exactly one of the two)."""
    __tablename__ = "threads"
    __table_args__ = (
        sa.CheckConstraint("(meeting_id IS NULL) != (deal_id IS NULL)", name="one_subject"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting_requests.id", ondelete="CASCADE"),
                                                   unique=True)
    deal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("deals.id", ondelete="CASCADE"), unique=True)
    # A party that blocked the conversation: nobody can post until they lift it.
    blocked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    blocked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(index=True)

    meeting: Mapped[MeetingRequest | None] = relationship()
    deal: Mapped[Deal | None] = relationship()
    blocked_by: Mapped[User | None] = relationship()

    @property
    def project(self) -> Project:
        return self.meeting.project if self.meeting is not None else self.deal.project

    @property
    def is_blocked(self) -> bool:
        return self.blocked_by_id is not None


class Message(db.Model):
    __tablename__ = "messages"
    __table_args__ = (
        # Text within bounds, or a shared deck (which may come without words).
        sa.CheckConstraint(f"length(body) <= {MESSAGE_MAX}", name="body_bounded"),
        sa.CheckConstraint("length(body) > 0 OR deck_project_id IS NOT NULL", name="not_empty"),
        sa.Index("ix_messages_thread_id_id", "thread_id", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    # The project's deck shared in the thread; who may open it is still the deck's own rule.
    deck_project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]  # an admin took it down (moderation)

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship()
    deck_project: Mapped[Project | None] = relationship()


class ThreadMark(db.Model):
    """How far one reader has read a thread, and how far the email digest has told them."""
    __tablename__ = "thread_marks"
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    read_up_to: Mapped[int] = mapped_column(default=0)  # the last message id read
    mailed_up_to: Mapped[int] = mapped_column(default=0)  # the last message id a digest covered


class MessageReport(db.Model):
    """A party reports a message to the admins; once per reporter and message."""
    __tablename__ = "message_reports"
    __table_args__ = (sa.UniqueConstraint("message_id", "reporter_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]

    message: Mapped[Message] = relationship()
    reporter: Mapped[User | None] = relationship()
