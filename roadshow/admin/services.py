"""Queries and rules behind the admin pages: counts, work queues, venues, series, users."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..accounts import services as account_services
from ..accounts.models import Role, User, UserRole
from ..audit import services as audit
from ..common.errors import FieldRuleViolation, RuleViolation
from ..common.timeutil import utcnow
from ..extensions import db
from ..investors.models import Institution, VerificationStatus
from ..projects.models import Project, ProjectStatus
from ..roadshows.models import (
    Application, ApplicationStatus, Booking, BookingStatus, RoadshowSession, Series, SessionStatus, Venue,
)
from ..screening.models import ReviewAssignment

PER_PAGE = 20
SCREENING_STATUSES = (ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")



def _count(query) -> int:
    return db.session.scalar(query) or 0


# --- dashboard -----------------------------------------------------------------------------

def dashboard_counts(now: datetime | None = None) -> dict:
    now = now or utcnow()
    horizon = now + timedelta(days=14)
    users_per_role = dict(
        db.session.execute(sa.select(UserRole.role, sa.func.count()).group_by(UserRole.role)).all()
    )
    projects_per_status = dict(
        db.session.execute(sa.select(Project.status, sa.func.count()).group_by(Project.status)).all()
    )
    upcoming = sa.and_(
        RoadshowSession.starts_at >= now,
        RoadshowSession.starts_at < horizon,
        RoadshowSession.status != SessionStatus.CANCELLED,
    )
    return {
        "users_total": _count(sa.select(sa.func.count(User.id))),
        "users_disabled": _count(sa.select(sa.func.count(User.id)).where(User.is_disabled.is_(True))),
        "users_per_role": [(role, users_per_role.get(role, 0)) for role in Role],
        "institutions_pending": _count(
            sa.select(sa.func.count(Institution.id)).where(
                Institution.verification_status == VerificationStatus.PENDING
            )
        ),
        "institutions_verified": _count(
            sa.select(sa.func.count(Institution.id)).where(
                Institution.verification_status == VerificationStatus.VERIFIED
            )
        ),
        "projects_per_status": [(status, projects_per_status.get(status, 0)) for status in ProjectStatus],
        "projects_screening": sum(projects_per_status.get(s, 0) for s in SCREENING_STATUSES),
        # applications to pitch still waiting for a decision, and those of them no reviewer was asked to score
        "applications_pending": _count(
            sa.select(sa.func.count(Application.id)).where(Application.status == ApplicationStatus.PENDING)
        ),
        "applications_unassigned": _count(
            sa.select(sa.func.count(Application.id)).where(
                Application.status == ApplicationStatus.PENDING,
                ~sa.exists().where(ReviewAssignment.application_id == Application.id),
            )
        ),
        "sessions_upcoming": _count(sa.select(sa.func.count(RoadshowSession.id)).where(upcoming)),
        "seats_upcoming": _count(sa.select(sa.func.sum(RoadshowSession.seats_taken)).where(upcoming)),
        "capacity_upcoming": _count(sa.select(sa.func.sum(RoadshowSession.capacity)).where(upcoming)),
        "bookings_total": _count(
            sa.select(sa.func.count(Booking.id)).where(Booking.status == BookingStatus.CONFIRMED)
        ),
    }


def upcoming_sessions(days: int = 14, limit: int = 6, now: datetime | None = None) -> list[RoadshowSession]:
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(RoadshowSession)
            .where(
                RoadshowSession.starts_at >= now,
                RoadshowSession.starts_at < now + timedelta(days=days),
                RoadshowSession.status != SessionStatus.CANCELLED,
            )
            .order_by(RoadshowSession.starts_at)
            .limit(limit)
            .options(selectinload(RoadshowSession.venue))
        )
    )


# --- institutions --------------------------------------------------------------------------

def institutions_by_status(status: VerificationStatus, page: int = 1):
    order = Institution.updated_at.asc() if status == VerificationStatus.PENDING else Institution.updated_at.desc()
    query = (
        sa.select(Institution)
        .where(Institution.verification_status == status)
        .order_by(order, Institution.id)
        .options(selectinload(Institution.funds), selectinload(Institution.members))
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def institution_status_counts() -> dict[VerificationStatus, int]:
    rows = dict(
        db.session.execute(
            sa.select(Institution.verification_status, sa.func.count()).group_by(Institution.verification_status)
        ).all()
    )
    return {status: rows.get(status, 0) for status in VerificationStatus}


def pending_institutions(limit: int = 8) -> list[Institution]:
    return list(
        db.session.scalars(
            sa.select(Institution)
            .where(Institution.verification_status == VerificationStatus.PENDING)
            .order_by(Institution.updated_at, Institution.id)
            .limit(limit)
        )
    )


# --- screening -----------------------------------------------------------------------------

def screening_queue(limit: int | None = None) -> list[Project]:
    """Projects waiting for a screening decision, oldest submission first."""
    query = (
        sa.select(Project)
        .where(Project.status.in_(SCREENING_STATUSES))
        .order_by(Project.submitted_at.asc().nulls_last(), Project.id)
        .options(selectinload(Project.company))
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def recent_decisions(limit: int = 10) -> list[Project]:
    return list(
        db.session.scalars(
            sa.select(Project)
            .where(Project.status.in_((ProjectStatus.APPROVED, ProjectStatus.REJECTED)), Project.decided_at.is_not(None))
            .order_by(Project.decided_at.desc())
            .limit(limit)
            .options(selectinload(Project.company))
        )
    )


# --- venues and series ---------------------------------------------------------------------

def _name_taken(model, column, value: str, exclude_id: int | None) -> bool:
    query = sa.select(model.id).where(sa.func.lower(column) == value.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def all_venues() -> list[Venue]:
    return list(db.session.scalars(sa.select(Venue).order_by(Venue.is_online, Venue.name)))


def venue_session_counts() -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.select(RoadshowSession.venue_id, sa.func.count()).group_by(RoadshowSession.venue_id)
        ).all()
    )


def save_venue(venue: Venue | None, **fields) -> Venue:
    venue = venue or Venue()
    fields["name"] = fields["name"].strip()
    if _name_taken(Venue, Venue.name, fields["name"], venue.id):
        raise FieldRuleViolation("name", _("已有同名场地。"))
    if fields.get("capacity") is None or fields["capacity"] <= 0:
        raise FieldRuleViolation("capacity", _("容纳人数须大于 0。"))
    for name, value in fields.items():
        setattr(venue, name, value)
    db.session.add(venue)
    _flush_unique("name", _("已有同名场地。"))
    return venue


def all_series() -> list[Series]:
    return list(db.session.scalars(sa.select(Series).order_by(Series.kind, Series.name)))


def series_session_counts() -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.select(RoadshowSession.series_id, sa.func.count())
            .where(RoadshowSession.series_id.is_not(None))
            .group_by(RoadshowSession.series_id)
        ).all()
    )


def save_series(series: Series | None, **fields) -> Series:
    series = series or Series()
    fields["name"] = fields["name"].strip()
    fields["slug"] = fields["slug"].strip()
    if not SLUG_RE.match(fields["slug"]):
        raise FieldRuleViolation("slug", _("标识只能使用小写字母、数字和连字符，如 chain-ai。"))
    if _name_taken(Series, Series.name, fields["name"], series.id):
        raise FieldRuleViolation("name", _("已有同名系列。"))
    if _name_taken(Series, Series.slug, fields["slug"], series.id):
        raise FieldRuleViolation("slug", _("这个标识已被其他系列使用。"))
    for name, value in fields.items():
        setattr(series, name, value)
    db.session.add(series)
    _flush_unique("name", _("名称或标识已被使用。"))
    return series


def _flush_unique(field: str, message: str) -> None:
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # a concurrent save won the unique key; the caller rolls back
        raise FieldRuleViolation(field, message) from None


# --- sessions ------------------------------------------------------------------------------

def sessions_page(past: bool, page: int = 1, now: datetime | None = None):
    now = now or utcnow()
    query = sa.select(RoadshowSession).options(
        selectinload(RoadshowSession.venue), selectinload(RoadshowSession.series), selectinload(RoadshowSession.host)
    )
    if past:
        query = query.where(RoadshowSession.ends_at < now).order_by(RoadshowSession.starts_at.desc())
    else:
        query = query.where(RoadshowSession.ends_at >= now).order_by(RoadshowSession.starts_at)
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def session_tab_counts(now: datetime | None = None) -> dict[str, int]:
    now = now or utcnow()
    return {
        "upcoming": _count(sa.select(sa.func.count(RoadshowSession.id)).where(RoadshowSession.ends_at >= now)),
        "past": _count(sa.select(sa.func.count(RoadshowSession.id)).where(RoadshowSession.ends_at < now)),
    }


def hosts() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.HOST, User.is_disabled.is_(False))
            .order_by(User.name)
        )
    )


# --- users ---------------------------------------------------------------------------------

def search_users(q: str = "", role: Role | None = None, page: int = 1):
    query = sa.select(User).order_by(User.created_at.desc(), User.id.desc())
    q = (q or "").strip()
    if q:
        pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            sa.or_(sa.func.lower(User.email).like(pattern, escape="\\"), sa.func.lower(User.name).like(pattern, escape="\\"))
        )
    if role is not None:
        query = query.where(User.role_rows.any(UserRole.role == role))
    query = query.options(selectinload(User.company), selectinload(User.institution))
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def set_user_disabled(user: User, disabled: bool, acting_admin: User) -> User:
    """Disable or enable an account (audited); an admin cannot disable their own."""
    if user.id == acting_admin.id and disabled:
        raise RuleViolation(_("不能停用自己的账户。"))
    user.is_disabled = disabled
    if disabled:
        account_services.end_sessions(user)  # logged-in browsers, remember-me cookies and live sockets stop
    db.session.flush()
    audit.record(acting_admin, "user.disable" if disabled else "user.enable", user, user.email)
    return user
