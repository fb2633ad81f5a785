"""Applications to pitch: a startup applies, admins decide, accepted ones wait in the scheduling queue.

How this meets the project workflow (projects.services.TRANSITIONS): a project may apply once
it is submitted; accepting its application is a screening decision, so a project not yet
approved is approved then, through change_status. That rule lives in `_approve_for_roadshow`.
"""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit.services import record
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..common.timeutil import utcnow
from ..common.workflow import ChangedMeanwhile, IllegalTransition, write_status
from ..extensions import db
from ..i18n import stored_language
from ..notifications.services import notify
from ..projects.models import Project, ProjectStatus
from ..projects.policies import is_owner
from ..projects.services import change_status
from ..roadshows.models import (
    Application, ApplicationStatus, RoadshowSession, Series, SeriesKind, SessionStatus, Slot,
)

PER_PAGE = 20
# A project may apply from submission on; screening of the application then decides it.
APPLICABLE_STATUSES = (ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW, ProjectStatus.APPROVED)
# Sessions that take applications for a particular date.
OPEN_FOR_APPLICATIONS = (SessionStatus.OPEN,)


def in_flight():
    """Applications still on their way to a slot: pending, or accepted and not yet placed."""
    return sa.or_(
        Application.status == ApplicationStatus.PENDING,
        sa.and_(Application.status == ApplicationStatus.ACCEPTED, Application.slot_id.is_(None)),
    )


# --- the startup's side --------------------------------------------------------------------

def applicable_projects(user: User) -> list[Project]:
    if user.company_id is None:
        return []
    return list(
        db.session.scalars(
            sa.select(Project)
            .where(Project.company_id == user.company_id, Project.status.in_(APPLICABLE_STATUSES))
            .order_by(Project.title)
        )
    )


# A training series' sessions are lessons for startups, not roadshows: they take no pitch applications.
PITCHING_SERIES = Series.kind != SeriesKind.TRAINING


def open_sessions(now: datetime | None = None) -> list[RoadshowSession]:
    return list(
        db.session.scalars(
            sa.select(RoadshowSession)
            .outerjoin(Series, RoadshowSession.series_id == Series.id)
            .where(RoadshowSession.status.in_(OPEN_FOR_APPLICATIONS), RoadshowSession.starts_at > (now or utcnow()),
                   sa.or_(Series.id.is_(None), PITCHING_SERIES))
            .order_by(RoadshowSession.starts_at)
            .options(selectinload(RoadshowSession.venue))
        )
    )


def all_series() -> list[Series]:
    return list(db.session.scalars(sa.select(Series).where(PITCHING_SERIES).order_by(Series.kind, Series.name)))


def _is_training(series: Series | None) -> bool:
    return series is not None and series.kind.is_training


def apply(
    user: User,
    project: Project,
    *,
    series: Series | None = None,
    session: RoadshowSession | None = None,
    preferred_from: date | None = None,
    preferred_to: date | None = None,
    note: str = "",
    today: date | None = None,
) -> Application:
    """Apply a project to pitch in a series (within a preferred window) or in one open session."""
    if not is_owner(user, project):
        raise PermissionDenied(_("只能为自己企业的项目申请路演。"))
    if project.status not in APPLICABLE_STATUSES:
        raise FieldRuleViolation(
            "project_id", _("项目处于“%(status)s”状态，提交平台评审后才能申请路演。", status=project.status.label)
        )
    if (series is None) == (session is None):
        raise FieldRuleViolation("target", _("请选择一个路演系列或一场征集中的路演。"))
    if _is_training(series) or (session is not None and _is_training(session.series)):
        raise FieldRuleViolation("target", _("资本市场培训课程不征集路演项目，请选择一场路演。"))
    if session is not None:
        if session.status not in OPEN_FOR_APPLICATIONS or session.starts_at <= utcnow():
            raise FieldRuleViolation("target", _("这场路演已不再征集项目。"))
        preferred_from = preferred_to = None  # the session's date is the window
    if preferred_from and preferred_to and preferred_to < preferred_from:
        raise FieldRuleViolation("preferred_to", _("期望时间的结束日期不能早于开始日期。"))
    if preferred_from and today and preferred_from < today:
        raise FieldRuleViolation("preferred_from", _("期望时间不能早于今天。"))
    if db.session.scalar(sa.select(Application.id).where(Application.project_id == project.id, in_flight()).limit(1)):
        raise FieldRuleViolation("project_id", _("该项目已有待筛选或待排期的路演申请，有结论或排期后再申请。"))
    application = Application(
        project=project, series=series, session=session, status=ApplicationStatus.PENDING,
        preferred_from=preferred_from, preferred_to=preferred_to, note=(note or "").strip(),
    )
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent submission won the one-pending-per-project index; the caller rolls back
        raise FieldRuleViolation("project_id", _("该项目已有待筛选的路演申请。")) from None
    return application


def withdraw(user: User, application: Application) -> Application:
    if not is_owner(user, application.project):
        raise PermissionDenied(_("只能撤回自己企业的申请。"))
    return change_application_status(application, ApplicationStatus.WITHDRAWN, by=user)


# --- the application's state machine ---------------------------------------------------------

A = ApplicationStatus
# An application waits for one answer: screening accepts or rejects it, or the startup withdraws it.
# An accepted one then waits for a slot (Application.slot), which is not a status of its own.
APPLICATION_TRANSITIONS: dict[ApplicationStatus, tuple[ApplicationStatus, ...]] = {
    A.PENDING: (A.ACCEPTED, A.REJECTED, A.WITHDRAWN),
    A.ACCEPTED: (),
    A.REJECTED: (),
    A.WITHDRAWN: (),
}
DECISIONS = {A.ACCEPTED: "application.accept", A.REJECTED: "application.reject"}  # with their audit actions


def _moved_on(application: Application, new_status: ApplicationStatus) -> str:
    """What the person is told when the application has already had its answer."""
    if new_status == A.WITHDRAWN:
        return _("申请已是“%(status)s”，不能撤回。", status=application.status.label)
    return _("这份申请已是“%(status)s”，不能再次决定。", status=application.status.label)


def change_application_status(
    application: Application, new_status: ApplicationStatus, *, by: User | None = None, reason: str | None = None
) -> Application:
    """Give a pending application its answer; the only code that writes an application's status.

    A decision records who made it, when and why, goes to the audit log and is told to the startup.
    A conditional UPDATE on the status read, so an admin's decision and the startup's withdrawal
    (or two admins) cannot both win: the later one is refused with what happened first.
    """
    if new_status not in APPLICATION_TRANSITIONS[application.status]:
        raise IllegalTransition(_moved_on(application, new_status))
    values = {}
    if new_status in DECISIONS:
        values.update(decision_reason=reason, decided_at=utcnow(), decided_by_id=by.id if by is not None else None)
    if not write_status(application, new_status, **values):
        raise ChangedMeanwhile(_moved_on(application, new_status))
    if new_status in DECISIONS:
        if by is not None:
            project = application.project
            record(by, DECISIONS[new_status], application, f"{project.title}：{reason or ''}".rstrip("："))
        _tell_startup(application)
    return application


def projects_with_open_applications(company_id: int | None) -> set[int]:
    """Ids of the company's projects that have an application waiting for a decision or accepted: for them,
    applying to a roadshow is no longer the next step."""
    if company_id is None:
        return set()
    return set(db.session.scalars(
        sa.select(Application.project_id).join(Project)
        .where(Project.company_id == company_id,
               Application.status.in_((ApplicationStatus.PENDING, ApplicationStatus.ACCEPTED)))
    ))


def company_applications(company_id: int | None) -> list[Application]:
    if company_id is None:
        return []
    return list(
        db.session.scalars(
            sa.select(Application)
            .join(Project)
            .where(Project.company_id == company_id)
            .order_by(Application.created_at.desc(), Application.id.desc())
            .options(
                selectinload(Application.project),
                selectinload(Application.series),
                selectinload(Application.session).selectinload(RoadshowSession.venue),
                selectinload(Application.slot).selectinload(Slot.session),
            )
        )
    )


# --- decisions -----------------------------------------------------------------------------

def _approve_for_roadshow(project: Project, admin: User) -> None:
    """Being selected for a roadshow is passing screening: approve a project not yet approved (by the admin).

    Goes through change_status, so TRANSITIONS stays the one table of project steps.
    """
    if project.status == ProjectStatus.SUBMITTED:
        change_status(project, ProjectStatus.UNDER_REVIEW, by=admin)
    if project.status == ProjectStatus.UNDER_REVIEW:
        change_status(project, ProjectStatus.APPROVED, by=admin)
    if project.status not in (ProjectStatus.APPROVED, ProjectStatus.SCHEDULED):
        raise RuleViolation(
            _("项目当前为“%(status)s”，不能入选路演。", status=project.status.label)
        )


def accept(application: Application, admin: User, note: str | None = None) -> Application:
    """Select the project for a roadshow; it joins the scheduling queue (first accepted, first placed)."""
    change_application_status(application, ApplicationStatus.ACCEPTED, by=admin, reason=(note or "").strip() or None)
    _approve_for_roadshow(application.project, admin)  # audited as the admin's; a refusal rolls the decision back with it
    return application


def reject(application: Application, admin: User, reason: str | None) -> Application:
    reason = (reason or "").strip()
    if not reason:
        raise FieldRuleViolation("reason", _("请填写未入选的原因，企业会看到它。"))
    return change_application_status(application, ApplicationStatus.REJECTED, by=admin, reason=reason)


def _tell_startup(application: Application) -> None:
    project = application.project
    members = db.session.scalars(sa.select(User).where(User.company_id == project.company_id))
    for user in members:
        with stored_language(user):  # stored and read later: in the reader's language
            target = application.target.display_title if application.session else application.target.display_name
            if application.status == ApplicationStatus.ACCEPTED:
                title = _("路演申请已入选：%(project)s", project=project.title)
                body = _("“%(project)s”已入选“%(target)s”，平台将按入选先后为您安排路演场次，排期后会再通知您。",
                         project=project.title, target=target)
            else:
                title = _("路演申请未入选：%(project)s", project=project.title)
                body = _("“%(project)s”申请的“%(target)s”本次未入选。原因：%(reason)s",
                         project=project.title, target=target, reason=application.decision_reason)
            if application.decision_reason and application.status == ApplicationStatus.ACCEPTED:
                body += " " + _("说明：%(note)s", note=application.decision_reason)
        notify(user, "application_decided", title, body, link=site_path("screening.my_applications"),
               dedupe_key=f"application-decided:{application.id}:{user.id}")


# --- the scheduling queue (filled into slots by scheduling) -----------------------------------

def accepted_queue(limit: int | None = None) -> list[Application]:
    """Accepted applications not yet given a slot, earliest decision first.

    Scheduling takes them in this order and calls `mark_slotted` for each one it places.
    `application.session` is the session asked for (None: any session of `application.series`).
    """
    query = (
        sa.select(Application)
        .where(Application.status == ApplicationStatus.ACCEPTED, Application.slot_id.is_(None))
        .order_by(Application.decided_at.asc().nulls_last(), Application.id)
        .options(selectinload(Application.project).selectinload(Project.company))
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def mark_slotted(application: Application, slot: Slot) -> Application:
    """Record that an accepted application got its slot; the project becomes scheduled."""
    if application.status != ApplicationStatus.ACCEPTED or application.slot_id is not None:
        raise RuleViolation(_("只有已入选且尚未排期的申请可以安排场次。"))
    if slot.project is not application.project:  # compared as objects: a new slot has no project_id before flush
        raise RuleViolation(_("场次中的项目与申请不一致。"))
    application.slot = slot
    if application.project.status == ProjectStatus.APPROVED:
        change_status(application.project, ProjectStatus.SCHEDULED)
    db.session.flush()
    return application


# --- admin lists ---------------------------------------------------------------------------

def applications_page(status: ApplicationStatus, page: int = 1):
    order = Application.created_at.asc() if status == ApplicationStatus.PENDING else Application.decided_at.desc()
    query = (
        sa.select(Application)
        .where(Application.status == status)
        .order_by(order, Application.id)
        .options(
            selectinload(Application.project).selectinload(Project.company),
            selectinload(Application.series),
            selectinload(Application.session),
        )
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def status_counts() -> dict[ApplicationStatus, int]:
    rows = dict(db.session.execute(sa.select(Application.status, sa.func.count()).group_by(Application.status)).all())
    return {status: rows.get(status, 0) for status in ApplicationStatus}
