"""Courses: materials per session, attendance from check-in, the completion rule and certificates.

A course is a training series; its sessions are the series' sessions that were not cancelled. A person
is registered for the course with a confirmed registration (booking) for any of them, and has attended
a session when the door checked that registration in (checkin.Attendance). The course is complete once
they attended the required number of sessions: every session, unless the organiser set a threshold.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..audit import services as audit
from ..checkin.models import Attendance
from ..common.errors import PermissionDenied, RuleViolation
from ..extensions import db
from ..roadshows.models import Booking, BookingStatus, RoadshowSession, Series, SeriesKind, SessionStatus
from . import materials, policies
from .models import Certificate, CourseRule, TrainingMaterial

CENTER_NAME, CENTER_NAME_EN = "光谷科创路演中心", "Optics Valley Sci-Tech Roadshow Center"


# --- materials ---------------------------------------------------------------------------------

def session_materials(session: RoadshowSession, user: User) -> list[TrainingMaterial]:
    """The session's materials this person may read, in the order they were added."""
    rows = db.session.scalars(sa.select(TrainingMaterial).where(TrainingMaterial.session_id == session.id)
                              .order_by(TrainingMaterial.created_at, TrainingMaterial.id))
    return [material for material in rows if policies.can_read_material(user, material)]


def add_material(session: RoadshowSession, by: User, *, title: str, upload=None, url: str | None = None,
                 is_public: bool = False) -> TrainingMaterial:
    """Attach a file (`upload`: a FileStorage) or a link; raises UploadRejected for a bad file."""
    if not policies.can_manage_materials(by, session):
        raise PermissionDenied(_("只有平台管理员和本系列的主办方可以管理培训资料。"))
    if (upload is None) == (not url):
        raise RuleViolation(_("请上传一个文件或填写一个链接（二选一）。"))
    material = TrainingMaterial(session_id=session.id, title=title.strip(), url=url or None, is_public=is_public,
                                added_by_id=by.id)
    stored = materials.store_material(upload.stream, upload.filename, by.id) if upload is not None else None
    if stored is not None:
        material.file_name, material.original_name = stored.file_name, stored.original_name
        material.file_type, material.size = stored.file_type, stored.size
    try:
        db.session.add(material)
        db.session.flush()
    except Exception:
        materials.remove_material(material.file_name)  # no row points at it
        raise
    audit.record(by, "training.material_add", material, f"{session.title}: {material.title}")
    return material


def set_material_public(material: TrainingMaterial, by: User, public: bool) -> TrainingMaterial:
    if not policies.can_manage_material(by, material):
        raise PermissionDenied(_("只有平台管理员和本系列的主办方可以管理培训资料。"))
    material.is_public = public
    db.session.flush()
    audit.record(by, "training.material_visibility", material,
                 f"{material.title}: {'public' if public else 'registered only'}")
    return material


def delete_material(material: TrainingMaterial, by: User) -> str | None:
    """Remove the row; returns the stored file's name, to delete once the transaction has committed."""
    if not policies.can_manage_material(by, material):
        raise PermissionDenied(_("只有平台管理员和本系列的主办方可以管理培训资料。"))
    file_name = material.file_name
    audit.record(by, "training.material_remove", material, f"{material.session.title}: {material.title}")
    db.session.delete(material)
    db.session.flush()
    return file_name


# --- courses and completion --------------------------------------------------------------------

def courses_managed_by(user: User) -> list[Series]:
    """The training series this person manages: all for admins, an organiser's own otherwise."""
    query = sa.select(Series).where(Series.kind == SeriesKind.TRAINING).order_by(Series.name)
    return [series for series in db.session.scalars(query) if policies.can_manage_course(user, series)]


def course_sessions(series: Series) -> list[RoadshowSession]:
    return list(db.session.scalars(sa.select(RoadshowSession).where(
        RoadshowSession.series_id == series.id, RoadshowSession.status != SessionStatus.CANCELLED,
    ).order_by(RoadshowSession.starts_at, RoadshowSession.id)))


def threshold_of(series: Series) -> int | None:
    """The organiser's threshold (sessions to attend), None for every session."""
    rule = db.session.get(CourseRule, series.id)
    return rule.required_sessions if rule else None


def required_sessions(series: Series, sessions: list[RoadshowSession]) -> int:
    """Sessions to attend: the threshold, but never more than the course has (a cancelled session lowers it)."""
    threshold = threshold_of(series)
    return len(sessions) if threshold is None else min(threshold, len(sessions))


def rule_text(series: Series, sessions: list[RoadshowSession]) -> str:
    """The completion rule, as the course pages explain it."""
    total, required = len(sessions), required_sessions(series, sessions)
    if total == 0:
        return _("课程还没有安排课时。")
    if required == total:
        return ngettext("出席全部 %(num)d 场课程（以现场签到为准）即可获得结业证书。",
                        "出席全部 %(num)d 场课程（以现场签到为准）即可获得结业证书。", total)
    return _("出席 %(total)d 场课程中的至少 %(required)d 场（以现场签到为准）即可获得结业证书。",
             total=total, required=required)


def set_threshold(series: Series, by: User, required: int | None) -> CourseRule:
    """The organiser's rule: `required` sessions (None: every session)."""
    if not policies.can_manage_course(by, series):
        raise PermissionDenied(_("只有平台管理员和本系列的主办方可以设置结业条件。"))
    if required is not None and required < 1:
        raise RuleViolation(_("至少需要出席 1 场。"))
    rule = db.session.get(CourseRule, series.id) or CourseRule(series_id=series.id)
    rule.required_sessions = required
    db.session.add(rule)
    db.session.flush()
    audit.record(by, "training.course_rule", series, f"{series.name}: {required or 'all'}")
    return rule


def attended_session_ids(user_ids: list[int], sessions: list[RoadshowSession]) -> dict[int, set[int]]:
    """Per person: the ids of these sessions they were checked in at."""
    if not user_ids or not sessions:
        return {}
    rows = db.session.execute(
        sa.select(Booking.user_id, Attendance.session_id).join(Attendance, Attendance.booking_id == Booking.id)
        .where(Booking.user_id.in_(user_ids), Attendance.session_id.in_([s.id for s in sessions]))
    ).all()
    attended: dict[int, set[int]] = {}
    for user_id, session_id in rows:
        attended.setdefault(user_id, set()).add(session_id)
    return attended


def registered_session_ids(series: Series, user_ids: list[int] | None = None) -> dict[int, set[int]]:
    """Per person registered for the course (or only those in `user_ids`): the sessions they hold a registration for."""
    query = (sa.select(Booking.user_id, Booking.session_id).join(RoadshowSession, Booking.session_id == RoadshowSession.id)
             .where(RoadshowSession.series_id == series.id, RoadshowSession.status != SessionStatus.CANCELLED,
                    Booking.status == BookingStatus.CONFIRMED))
    if user_ids is not None:
        query = query.where(Booking.user_id.in_(user_ids))
    registered: dict[int, set[int]] = {}
    for user_id, session_id in db.session.execute(query).all():
        registered.setdefault(user_id, set()).add(session_id)
    return registered


@dataclass
class Progress:
    """One person in one course."""
    series: Series
    sessions: list[RoadshowSession]
    required: int
    registered: set[int] = field(default_factory=set)  # session ids
    attended: set[int] = field(default_factory=set)  # session ids
    certificate: Certificate | None = None

    @property
    def complete(self) -> bool:
        return self.required > 0 and len(self.attended) >= self.required


def progress_of(user: User, series: Series) -> Progress:
    sessions = course_sessions(series)
    return Progress(series, sessions, required_sessions(series, sessions),
                    registered_session_ids(series, [user.id]).get(user.id, set()),
                    attended_session_ids([user.id], sessions).get(user.id, set()),
                    db.session.scalars(sa.select(Certificate).where(Certificate.user_id == user.id,
                                                                   Certificate.series_id == series.id)).first())


def my_courses(user: User) -> list[Progress]:
    """The training courses this person is registered for, with their progress."""
    series = db.session.scalars(
        sa.select(Series).join(RoadshowSession, RoadshowSession.series_id == Series.id)
        .join(Booking, Booking.session_id == RoadshowSession.id)
        .where(Series.kind == SeriesKind.TRAINING, Booking.user_id == user.id, Booking.status == BookingStatus.CONFIRMED,
               RoadshowSession.status != SessionStatus.CANCELLED)
        .distinct().order_by(Series.name)
    ).all()
    return [progress_of(user, one) for one in series]


@dataclass(frozen=True)
class CourseRow:
    """One registered person on the organiser's course page."""
    user: User
    registered: set[int]
    attended: set[int]
    complete: bool


def course_report(series: Series) -> tuple[list[RoadshowSession], int, list[CourseRow]]:
    """Who registered, who attended which session, who completed: (sessions, required, rows by name)."""
    sessions = course_sessions(series)
    required = required_sessions(series, sessions)
    registered = registered_session_ids(series)
    attended = attended_session_ids(list(registered), sessions)
    users = db.session.scalars(sa.select(User).where(User.id.in_(list(registered))).order_by(User.name, User.id)).all()
    return sessions, required, [
        CourseRow(user, registered[user.id], attended.get(user.id, set()),
                  required > 0 and len(attended.get(user.id, set())) >= required)
        for user in users
    ]


# --- certificates ------------------------------------------------------------------------------

class CourseNotComplete(RuleViolation):
    """No certificate: the course is not complete (yet)."""


def issue_certificate(user: User, series: Series) -> Certificate:
    """This person's certificate for the course, issued now if it was not yet; CourseNotComplete otherwise.

    Issued once: two requests at the same moment both try to insert, the unique (person, course) lets one
    row through and the other reads it."""
    progress = progress_of(user, series)
    if progress.certificate is not None:
        return progress.certificate
    if not progress.complete:
        raise CourseNotComplete(_("您还没有完成这门课程（已出席 %(attended)d 场，需出席 %(required)d 场），暂无结业证书。",
                                  attended=len(progress.attended), required=progress.required))
    organiser = series.organiser
    certificate = Certificate(
        user_id=user.id, series_id=series.id, holder_name=user.name, course_title=series.name,
        course_title_en=series.name_en, organiser_name=organiser.name if organiser else CENTER_NAME,
        organiser_name_en=(organiser.name_en if organiser else CENTER_NAME_EN),
        sessions_attended=len(progress.attended), sessions_required=progress.required,
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:  # issued meanwhile by another request: that one was recorded
        return db.session.scalars(sa.select(Certificate).where(Certificate.user_id == user.id,
                                                               Certificate.series_id == series.id)).one()
    audit.record(user, "certificate.issue", certificate, f"{user.name}: {series.name}")
    return certificate


def certificate_by_code(code: str) -> Certificate | None:
    code = (code or "").strip()
    if not 0 < len(code) <= 64:
        return None
    return db.session.scalars(sa.select(Certificate).where(Certificate.code == code)).first()
