"""Live roadshow rooms: the room's persisted state, questions and votes, interest flags, bans, announcements."""
from __future__ import annotations

from datetime import datetime
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
    from ..projects.models import Project
    from ..roadshows.models import RoadshowSession, Slot

QUESTION_MAX = 500
ANNOUNCEMENT_MAX = 300
POLL_QUESTION_MAX = 200
POLL_OPTION_MAX = 80
POLL_OPTIONS_MAX = 6


class Phase(LabeledEnum):
    WAITING = "waiting", _l("等待开始")
    PITCH = "pitch", _l("项目路演")
    QA = "qa", _l("现场问答")
    ENDED = "ended", _l("已结束")


class LiveRoom(db.Model):
    """What a restarted server needs to carry on: one row per session, created when the room is first used."""
    __tablename__ = "live_rooms"
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), primary_key=True)
    current_slot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("slots.id", ondelete="SET NULL"))
    phase: Mapped[Phase] = mapped_column(enum_type(Phase), default=Phase.WAITING)
    timer_ends_at: Mapped[datetime | None]  # naive UTC; clients count down to it themselves
    qa_locked: Mapped[bool] = mapped_column(default=False)
    premoderation: Mapped[bool] = mapped_column(default=False)
    # Bumped by every change: two hosts clicking "next" at once advance only once (conditional UPDATE).
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[RoadshowSession] = relationship()
    current_slot: Mapped[Slot | None] = relationship()


CLIENT_KEY_MAX = 64


class QuestionStatus(LabeledEnum):
    PENDING = "pending", _l("待审核")
    APPROVED = "approved", _l("已发布")
    HIDDEN = "hidden", _l("已隐藏")
    WITHDRAWN = "withdrawn", _l("已撤回")


class Question(db.Model):
    __tablename__ = "live_questions"
    __table_args__ = (
        sa.CheckConstraint(f"length(body) BETWEEN 1 AND {QUESTION_MAX}", name="body_length"),
        sa.CheckConstraint("votes >= 0", name="votes_not_negative"),
        sa.Index("ix_live_questions_author_recent", "author_id", "created_at"),
        # A page that got no answer sends the question again with the same key: it is stored once.
        sa.Index("uq_live_questions_author_client_key", "author_id", "client_key", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), index=True)
    # The project asked about; None for a question to the whole session (asked before the first pitch).
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.String(QUESTION_MAX))
    anonymous: Mapped[bool] = mapped_column(default=False)  # hidden from other attendees, never from the host
    status: Mapped[QuestionStatus] = mapped_column(enum_type(QuestionStatus), default=QuestionStatus.APPROVED)
    pinned: Mapped[bool] = mapped_column(default=False)
    votes: Mapped[int] = mapped_column(default=0)  # kept equal to the vote rows by conditional UPDATEs
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    client_key: Mapped[str | None] = mapped_column(sa.String(CLIENT_KEY_MAX))  # chosen by the asking page

    author: Mapped[User] = relationship()
    project: Mapped[Project | None] = relationship()


class QuestionVote(db.Model):
    __tablename__ = "live_question_votes"
    __table_args__ = (sa.Index("ix_live_question_votes_user_recent", "user_id", "created_at"),)
    # The primary key is what makes "one vote per person per question" hold under concurrent clicks.
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("live_questions.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Interest(db.Model):
    """An investor's "request a meeting" click on a project during the session."""
    __tablename__ = "live_interests"
    __table_args__ = (sa.UniqueConstraint("session_id", "project_id", "investor_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    investor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    investor: Mapped[User] = relationship()
    project: Mapped[Project] = relationship()


class RoomBan(db.Model):
    """A user the host removed from one session's room; they may not rejoin it."""
    __tablename__ = "live_bans"
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    banned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Announcement(db.Model):
    __tablename__ = "live_announcements"
    __table_args__ = (sa.CheckConstraint(f"length(body) BETWEEN 1 AND {ANNOUNCEMENT_MAX}", name="body_length"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.String(ANNOUNCEMENT_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PollKind(LabeledEnum):
    SINGLE = "single", _l("单选")
    MULTIPLE = "multiple", _l("多选")


class Poll(db.Model):
    """A question the host puts to the room; open until the host closes it, kept in the session's record."""
    __tablename__ = "live_polls"
    __table_args__ = (sa.CheckConstraint(f"length(question) BETWEEN 1 AND {POLL_QUESTION_MAX}", name="question_length"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    question: Mapped[str] = mapped_column(sa.String(POLL_QUESTION_MAX))
    kind: Mapped[PollKind] = mapped_column(enum_type(PollKind), default=PollKind.SINGLE)
    anonymous: Mapped[bool] = mapped_column(default=False)  # nobody, the host included, sees who chose what
    results_shown: Mapped[bool] = mapped_column(default=False)  # the audience sees the counts (hosts always do)
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    options: Mapped[list[PollOption]] = relationship(order_by="PollOption.position", cascade="all, delete-orphan")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class PollOption(db.Model):
    __tablename__ = "live_poll_options"
    __table_args__ = (
        sa.UniqueConstraint("poll_id", "position"),
        # positions 1..6, unique per poll: a poll cannot hold more than six options
        sa.CheckConstraint(f"position BETWEEN 1 AND {POLL_OPTIONS_MAX}", name="position_range"),
        sa.CheckConstraint(f"length(label) BETWEEN 1 AND {POLL_OPTION_MAX}", name="label_length"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("live_polls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(POLL_OPTION_MAX))


class PollBallot(db.Model):
    """One member's vote in one poll. The primary key is what makes "vote once" hold under concurrent clicks."""
    __tablename__ = "live_poll_ballots"
    __table_args__ = (sa.Index("ix_live_poll_ballots_user_recent", "user_id", "created_at"),)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("live_polls.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    choices: Mapped[list[PollChoice]] = relationship(cascade="all, delete-orphan")


class PollChoice(db.Model):
    """An option chosen on a ballot (one for single choice, one or more for multiple choice)."""
    __tablename__ = "live_poll_choices"
    __table_args__ = (
        sa.ForeignKeyConstraint(["poll_id", "user_id"], ["live_poll_ballots.poll_id", "live_poll_ballots.user_id"],
                                ondelete="CASCADE"),
    )
    poll_id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(sa.ForeignKey("live_poll_options.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)


# Live video: one stream per session (RTMP in from OBS or the hall's encoder, HLS out), its recordings and replay.
class StreamState(LabeledEnum):
    WAITING = "waiting", _l("等待直播信号")
    LIVE = "live", _l("直播中")
    ENDED = "ended", _l("直播已结束")


class LiveStream(db.Model):
    """The session's stream: its secret key (host and admins only) and what the media server last reported."""
    __tablename__ = "live_streams"
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), primary_key=True)
    stream_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    state: Mapped[StreamState] = mapped_column(enum_type(StreamState), default=StreamState.WAITING)
    published_at: Mapped[datetime | None]  # the current (or last) publication began
    key_rotated_at: Mapped[datetime] = mapped_column(default=utcnow)
    replay_published: Mapped[bool] = mapped_column(default=True)  # admins can take the replay down
    replay_open_to_verified: Mapped[bool] = mapped_column(default=False)  # also verified investors without a seat


class Recording(db.Model):
    """One publication as recorded by the media server, remuxed into an HLS replay (ffmpeg, no re-encoding)."""
    __tablename__ = "live_recordings"
    __table_args__ = (sa.CheckConstraint("duration_seconds >= 0", name="duration_not_negative"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    duration_seconds: Mapped[float] = mapped_column(default=0)
    folder: Mapped[str] = mapped_column(sa.String(80), unique=True)  # under the replays directory
    ready: Mapped[bool] = mapped_column(default=False)


class SlotStart(db.Model):
    """When the host started a project's pitch in the room: the replay's chapter marks."""
    __tablename__ = "live_slot_starts"
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("slots.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChapterRemoval(db.Model):
    """A presenting startup asked for its chapter to leave the replay: it is cut out of what is served."""
    __tablename__ = "live_chapter_removals"
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("slots.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
