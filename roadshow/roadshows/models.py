"""Venues, series, roadshow sessions, their slots, seat bookings and applications."""
from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.choices import IndustryChain, LabeledEnum
from ..common.db import TimestampMixin, enum_type
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n.content import Bilingual

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..organisers.models import Organiser
    from ..projects.models import Project


class Venue(TimestampMixin, db.Model):
    __tablename__ = "venues"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name_en: Mapped[str | None] = mapped_column(sa.String(120))
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    capacity: Mapped[int] = mapped_column(default=100)
    is_online: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    # A partner organiser's own place (its campus, its park); None for the center's halls and online rooms.
    organiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisers.id", ondelete="CASCADE"), index=True)
    display_name = Bilingual("name")
    display_description = Bilingual("description")

    organiser: Mapped[Organiser | None] = relationship()

    @property
    def is_center_hall(self) -> bool:
        """One of the center's own halls: a partner organiser asks the center before using it."""
        return self.organiser_id is None and not self.is_online


class SeriesKind(LabeledEnum):
    DAILY = "daily", _l("每日路演")
    CHAIN_MONTHLY = "chain_monthly", _l("一月一链产业链专场")
    SRDI = "srdi", _l("专精特新专场")
    ALUMNI = "alumni", _l("校友专场")
    TRAINING = "training", _l("资本市场培训")

    @property
    def is_training(self) -> bool:
        """A capital-market training series: a course, with materials and certificates (roadshow.training)."""
        return self is SeriesKind.TRAINING


class AttendeeType(LabeledEnum):
    """Who a seat is for. Each type has its own seats and its own waitlist in a session."""
    INVESTOR = "investor", _l("投资人"), "primary"
    STARTUP = "startup", _l("创业企业"), "success"
    PUBLIC = "public", _l("公众"), "info"

    @property
    def is_investor(self) -> bool:
        return self is AttendeeType.INVESTOR

    @property
    def register_label(self):
        """The button that registers as this type (investors keep their "book a seat")."""
        return {AttendeeType.INVESTOR: _l("预约席位"), AttendeeType.STARTUP: _l("以创业企业身份报名"),
                AttendeeType.PUBLIC: _l("报名参加")}[self]

    @property
    def waitlist_label(self):
        return {AttendeeType.INVESTOR: _l("加入候补名单"), AttendeeType.STARTUP: _l("加入创业企业候补名单"),
                AttendeeType.PUBLIC: _l("加入公众候补名单")}[self]


class Series(TimestampMixin, db.Model):
    __tablename__ = "series"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[SeriesKind] = mapped_column(enum_type(SeriesKind))
    industry_chain: Mapped[IndustryChain | None] = mapped_column(enum_type(IndustryChain))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    name_en: Mapped[str | None] = mapped_column(sa.String(120))
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    # The partner organiser running the series; None for the center's own.
    organiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisers.id", ondelete="SET NULL"), index=True)
    # Seats for startups and for the public that a new session of the series gets unless it says otherwise
    # (0: the type may not register). Investors' seats come from the session form or template as always.
    startup_capacity: Mapped[int] = mapped_column(default=0, server_default="0")
    public_capacity: Mapped[int] = mapped_column(default=0, server_default="0")
    display_name = Bilingual("name")
    display_description = Bilingual("description")

    organiser: Mapped[Organiser | None] = relationship()


class SessionStatus(LabeledEnum):
    PLANNED = "planned", _l("筹备中"), "secondary"
    OPEN = "open", _l("征集项目中"), "info"
    SCHEDULED = "scheduled", _l("已排期"), "primary"
    LIVE = "live", _l("直播中"), "danger"
    ENDED = "ended", _l("已结束"), "dark"
    CANCELLED = "cancelled", _l("已取消"), "secondary"

    @property
    def is_live(self) -> bool:
        return self is SessionStatus.LIVE

    @property
    def is_cancelled(self) -> bool:
        return self is SessionStatus.CANCELLED

    @property
    def is_ended(self) -> bool:
        return self is SessionStatus.ENDED

    @property
    def is_upcoming(self) -> bool:
        """Not started yet (and not cancelled)."""
        return self in (SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.SCHEDULED)

    @property
    def is_final(self) -> bool:
        """Ended or cancelled: its line-up and time no longer change."""
        return self in (SessionStatus.ENDED, SessionStatus.CANCELLED)

    @property
    def is_bookable(self) -> bool:
        return self in BOOKABLE_STATUSES


# Sessions an investor may still book a seat in.
BOOKABLE_STATUSES = (SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.SCHEDULED, SessionStatus.LIVE)


class RoadshowSession(TimestampMixin, db.Model):
    __tablename__ = "roadshow_sessions"
    __table_args__ = (
        # The database itself refuses an overbooked session, whatever the Python code does.
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
        sa.CheckConstraint("startup_seats_taken >= 0 AND startup_seats_taken <= startup_capacity",
                           name="startup_seats_within_capacity"),
        sa.CheckConstraint("public_seats_taken >= 0 AND public_seats_taken <= public_capacity",
                           name="public_seats_within_capacity"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index("ix_roadshow_sessions_venue_time", "venue_id", "starts_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    title_en: Mapped[str | None] = mapped_column(sa.String(160))
    description_en: Mapped[str | None] = mapped_column(sa.Text)
    display_title = Bilingual("title")
    display_description = Bilingual("description")
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="SET NULL"), index=True)
    venue_id: Mapped[int] = mapped_column(sa.ForeignKey("venues.id", ondelete="RESTRICT"))
    host_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    industry_chain: Mapped[IndustryChain | None] = mapped_column(enum_type(IndustryChain))
    starts_at: Mapped[datetime] = mapped_column(index=True)  # naive UTC
    ends_at: Mapped[datetime]
    capacity: Mapped[int]  # investors' seats
    seats_taken: Mapped[int] = mapped_column(default=0)
    # Seats of the other attendee types (0: that type may not register); SEAT_COLUMNS names each type's pair.
    startup_capacity: Mapped[int] = mapped_column(default=0, server_default="0")
    startup_seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    public_capacity: Mapped[int] = mapped_column(default=0, server_default="0")
    public_seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    status: Mapped[SessionStatus] = mapped_column(enum_type(SessionStatus), default=SessionStatus.PLANNED, index=True)
    # iCalendar SEQUENCE: bumped whenever the time, place or status changes, so calendars update the event.
    sequence: Mapped[int] = mapped_column(default=0)
    cancellation_reason: Mapped[str | None] = mapped_column(sa.Text)  # shown on the session page once cancelled
    # Live room open to anyone to watch and read (not to ask); otherwise attendees only.
    public_viewing: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    series: Mapped[Series | None] = relationship()
    venue: Mapped[Venue] = relationship()
    host: Mapped[User | None] = relationship()
    slots: Mapped[list[Slot]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Slot.position"
    )

    def capacity_for(self, attendee_type: AttendeeType) -> int:
        return getattr(self, SEAT_COLUMNS[attendee_type][0])

    def seats_taken_for(self, attendee_type: AttendeeType) -> int:
        return getattr(self, SEAT_COLUMNS[attendee_type][1])

    def seats_left_for(self, attendee_type: AttendeeType) -> int:
        return max(self.capacity_for(attendee_type) - self.seats_taken_for(attendee_type), 0)

    def admits(self, attendee_type: AttendeeType) -> bool:
        """The type may register (it has seats in this session)."""
        return self.capacity_for(attendee_type) > 0

    @property
    def attendee_types(self) -> list[AttendeeType]:
        return [t for t in AttendeeType if self.admits(t)]

    @property
    def seats_left(self) -> int:
        """Seats left over all attendee types (what calendars and cards show)."""
        return sum(self.seats_left_for(t) for t in AttendeeType)

    @property
    def is_bookable(self) -> bool:
        return self.status in BOOKABLE_STATUSES


# Each attendee type's (capacity, seats taken) columns on RoadshowSession: the one seat rule
# (services._take_seat) updates the pair of the type it is asked for.
SEAT_COLUMNS: dict[AttendeeType, tuple[str, str]] = {
    AttendeeType.INVESTOR: ("capacity", "seats_taken"),
    AttendeeType.STARTUP: ("startup_capacity", "startup_seats_taken"),
    AttendeeType.PUBLIC: ("public_capacity", "public_seats_taken"),
}


class Slot(db.Model):
    """One project's pitch inside a session."""
    __tablename__ = "slots"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "position"),
        sa.UniqueConstraint("session_id", "project_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    pitch_minutes: Mapped[int] = mapped_column(default=10)
    qa_minutes: Mapped[int] = mapped_column(default=10)

    session: Mapped[RoadshowSession] = relationship(back_populates="slots")
    project: Mapped[Project] = relationship()


class BookingStatus(LabeledEnum):
    CONFIRMED = "confirmed", _l("已预约"), "success"
    CANCELLED = "cancelled", _l("已取消"), "secondary"

    @property
    def is_confirmed(self) -> bool:
        return self is BookingStatus.CONFIRMED


def new_checkin_code() -> str:
    """What the booking's QR code carries: unguessable (128 random bits), shown only to its holder."""
    return secrets.token_urlsafe(16)


class Booking(TimestampMixin, db.Model):
    """A person's seat (a registration) of one attendee type; one row per (session, user), re-used when they
    register again, so nobody holds two seats of one session."""
    __tablename__ = "bookings"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[BookingStatus] = mapped_column(enum_type(BookingStatus), default=BookingStatus.CONFIRMED)
    attendee_type: Mapped[AttendeeType] = mapped_column(
        enum_type(AttendeeType), default=AttendeeType.INVESTOR, server_default=AttendeeType.INVESTOR.value)
    cancelled_at: Mapped[datetime | None]
    # Scanned (or typed) at the door: roadshow.checkin records the attendance once.
    checkin_code: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_checkin_code)

    session: Mapped[RoadshowSession] = relationship()
    user: Mapped[User] = relationship()


class WaitlistEntry(db.Model):
    """A person waiting for a seat of one attendee type in a session; when a seat of that type frees, the
    earliest entry of the type is promoted.

    The position is the number of entries created before this one, so leaving the list
    renumbers nobody.
    """
    __tablename__ = "waitlist_entries"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "user_id"),
        sa.Index("ix_waitlist_entries_queue", "session_id", "created_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    attendee_type: Mapped[AttendeeType] = mapped_column(
        enum_type(AttendeeType), default=AttendeeType.INVESTOR, server_default=AttendeeType.INVESTOR.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[RoadshowSession] = relationship()
    user: Mapped[User] = relationship()


class ApplicationStatus(LabeledEnum):
    PENDING = "pending", _l("待筛选"), "warning"
    ACCEPTED = "accepted", _l("已入选"), "success"
    REJECTED = "rejected", _l("未入选"), "danger"
    WITHDRAWN = "withdrawn", _l("已撤回"), "secondary"

    @property
    def is_pending(self) -> bool:
        return self is ApplicationStatus.PENDING

    @property
    def is_accepted(self) -> bool:
        return self is ApplicationStatus.ACCEPTED

    @property
    def is_rejected(self) -> bool:
        return self is ApplicationStatus.REJECTED


class Application(TimestampMixin, db.Model):
    """A project applying to pitch in a series or in one particular session."""
    __tablename__ = "applications"
    __table_args__ = (
        sa.CheckConstraint("series_id IS NOT NULL OR session_id IS NOT NULL", name="has_target"),
        # A project waits for one screening decision at a time.
        sa.Index(
            "ix_applications_one_pending", "project_id", unique=True,
            sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"))
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_type(ApplicationStatus), default=ApplicationStatus.PENDING, index=True
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The startup's preferred window for pitching (local dates); slot filling honours it.
    preferred_from: Mapped[date | None]
    preferred_to: Mapped[date | None]
    decided_at: Mapped[datetime | None]  # when accepted or rejected: the scheduling queue is first-accepted-first
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The slot an accepted application was given; NULL means it still waits in the scheduling queue
    # (deleting the slot puts it back there, at its original decided_at).
    slot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("slots.id", ondelete="SET NULL"), unique=True)

    project: Mapped[Project] = relationship()
    series: Mapped[Series | None] = relationship()
    session: Mapped[RoadshowSession | None] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    slot: Mapped[Slot | None] = relationship()

    @property
    def target(self) -> RoadshowSession | Series | None:
        """What the startup applied for: one session, else a series."""
        return self.session or self.series


class QuestionKind(LabeledEnum):
    TEXT = "text", _l("文字回答")
    CHOICE = "choice", _l("单项选择")

    @property
    def is_choice(self) -> bool:
        return self is QuestionKind.CHOICE


class RegistrationQuestion(TimestampMixin, db.Model):
    """A question on the registration form of one session, or of every session of a series."""
    __tablename__ = "registration_questions"
    __table_args__ = (
        sa.CheckConstraint("(series_id IS NULL) <> (session_id IS NULL)", name="one_owner"),
        sa.CheckConstraint("kind <> 'choice' OR options <> ''", name="choice_has_options"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(sa.ForeignKey("series.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), index=True)
    prompt: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind), default=QuestionKind.TEXT)
    options: Mapped[str] = mapped_column(sa.Text, default="")  # a choice question's options, one per line
    required: Mapped[bool] = mapped_column(default=False)

    series: Mapped[Series | None] = relationship()
    session: Mapped[RoadshowSession | None] = relationship()

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class RegistrationAnswer(TimestampMixin, db.Model):
    """A registrant's answer to one question for one session (kept while they wait, book or cancel)."""
    __tablename__ = "registration_answers"
    __table_args__ = (sa.UniqueConstraint("question_id", "session_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("registration_questions.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("roadshow_sessions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(sa.Text, default="")

    question: Mapped[RegistrationQuestion] = relationship()
