"""Partner organisers: applying, the center's decision, their series and sessions, and venue requests.

Sessions are created and changed by the roadshows domain's own services (`save_session`,
`curation.update_session`), so the overlap rule, the state machine and the notifications are the same
as for the center's sessions: a hall cannot be double-booked whoever asks for it. What this module
adds is the scope (an organiser only touches its own series) and the venue request: a session in one
of the center's halls holds the hall at once, stays planned until an admin approves, and is cancelled
(which frees the hall) when an admin declines.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts import services as account_services
from ..accounts.reset import make_reset_token
from ..accounts.models import Role, User
from ..admin import services as catalogue
from ..audit.services import record
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.site_url import external_url, site_path
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n import stored_language
from ..notifications.services import notify, queue_email
from ..roadshows import curation, services as roadshow_services
from ..roadshows.models import Application, ApplicationStatus, RoadshowSession, Series, SessionStatus, Venue
from ..scheduling import services as scheduling_services
from ..scheduling.models import SessionTemplate
from ..screening import reviews
from ..screening.models import ReviewAssignment
from . import policies
from .models import DecisionStatus, Organiser, OrganiserMember, OrganiserReviewer, VenueRequest


# --- applying and the center's decision ----------------------------------------------------------

def membership(user: User) -> OrganiserMember | None:
    return db.session.get(OrganiserMember, user.id) if user.is_authenticated else None


def pending_application_of(user: User) -> Organiser | None:
    return db.session.scalars(
        sa.select(Organiser).where(Organiser.applied_by_id == user.id, Organiser.status == DecisionStatus.PENDING)
    ).first()


def apply_to_organise(user: User, **fields) -> Organiser:
    """An organisation asks to run its own series; the applicant becomes its first organiser account."""
    if membership(user) is not None:
        raise RuleViolation(_("您的账号已属于一家主办方。"))
    if pending_application_of(user) is not None:
        raise RuleViolation(_("您已提交过申请，请等待平台审核。"))
    fields["name"] = fields["name"].strip()
    if db.session.scalar(sa.select(Organiser.id).where(Organiser.name == fields["name"])) is not None:
        raise FieldRuleViolation("name", _("已有同名主办方。"))
    organiser = Organiser(status=DecisionStatus.PENDING, applied_by_id=user.id, **fields)
    db.session.add(organiser)
    db.session.flush()
    return organiser


def _decide(model, row, new_status: DecisionStatus, by: User, reason: str | None) -> None:
    """Pending → approved or declined, once: of two admins deciding at once, the second is told."""
    decided = db.session.execute(
        sa.update(model)
        .where(model.id == row.id, model.status == DecisionStatus.PENDING)
        .values(status=new_status, decided_at=utcnow(), decided_by_id=by.id, decision_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(row)
    if not decided:
        raise RuleViolation(_("这项申请已经处理过了（%(status)s）。", status=row.status.label))


def _required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise FieldRuleViolation("reason", _("请填写原因，申请方会看到它。"))
    return reason


def approve_organiser(organiser: Organiser, admin: User) -> Organiser:
    """The applicant's account becomes the organiser's first member, with the organiser role."""
    _decide(Organiser, organiser, DecisionStatus.APPROVED, admin, None)
    applicant = organiser.applied_by
    if applicant is not None and membership(applicant) is None:
        db.session.add(OrganiserMember(organiser_id=organiser.id, user_id=applicant.id))
        account_services.set_roles(applicant, applicant.roles | {Role.ORGANISER}, admin)
    record(admin, "organiser.approve", organiser, organiser.name)
    _tell_applicant(organiser)
    return organiser


def decline_organiser(organiser: Organiser, admin: User, reason: str | None) -> Organiser:
    reason = _required_reason(reason)
    _decide(Organiser, organiser, DecisionStatus.DECLINED, admin, reason)
    record(admin, "organiser.decline", organiser, f"{organiser.name}：{reason}")
    _tell_applicant(organiser)
    return organiser


def _tell_applicant(organiser: Organiser) -> None:
    if organiser.applied_by is None:
        return
    with stored_language(organiser.applied_by):  # stored and read later: in the reader's language
        if organiser.status is DecisionStatus.APPROVED:
            title = _("主办方申请已通过：%(name)s", name=organiser.display_name)
            body = _("您现在可以创建自己的路演系列和场次。")
        else:
            title = _("主办方申请未通过：%(name)s", name=organiser.display_name)
            body = _("原因：%(reason)s", reason=organiser.decision_reason)
        notify(organiser.applied_by, "organiser_decided", title, body, link=site_path("organisers.dashboard"),
               dedupe_key=f"organiser-decided:{organiser.id}")


def organisers_by_status(status: DecisionStatus) -> list[Organiser]:
    return list(db.session.scalars(
        sa.select(Organiser).where(Organiser.status == status).order_by(Organiser.created_at.desc(), Organiser.id.desc())
    ))


# --- series and venues ----------------------------------------------------------------------------

def series_of(organiser_id: int) -> list[Series]:
    return list(db.session.scalars(sa.select(Series).where(Series.organiser_id == organiser_id).order_by(Series.name)))


def save_series(organiser_id: int, series: Series | None, **fields) -> Series:
    """The organiser's own series (names and slugs are unique across the platform, like the center's)."""
    if series is not None and series.organiser_id != organiser_id:
        raise PermissionDenied(_("只能修改本主办方的系列。"))
    return catalogue.save_series(series, organiser_id=organiser_id, **fields)


def save_own_venue(organiser_id: int, **fields) -> Venue:
    """A place of the organiser's own (its campus, its park): used without asking the center."""
    return catalogue.save_venue(None, **{**fields, "organiser_id": organiser_id, "is_online": False})


def usable_venues(organiser_id: int) -> list[Venue]:
    """The organiser's own venues, the online rooms, and the center's halls (those on request)."""
    return list(db.session.scalars(
        sa.select(Venue)
        .where(sa.or_(Venue.organiser_id == organiser_id, Venue.organiser_id.is_(None)))
        .order_by(Venue.organiser_id.is_(None), Venue.is_online, Venue.name)
    ))


# --- sessions -------------------------------------------------------------------------------------

def venue_request_for(session: RoadshowSession) -> VenueRequest | None:
    return db.session.scalars(sa.select(VenueRequest).where(VenueRequest.session_id == session.id)).first()


def host_candidates(organiser_id: int) -> list[User]:
    """Who may host the organiser's sessions: its own members (an organiser hosts itself), then the center's hosts."""
    members = db.session.scalars(
        sa.select(User).join(OrganiserMember, OrganiserMember.user_id == User.id)
        .where(OrganiserMember.organiser_id == organiser_id, User.is_disabled.is_(False))
        .order_by(User.name, User.id)
    )
    return list(dict.fromkeys([*members, *catalogue.hosts()]))


def _check_scope(organiser_id: int, fields: dict) -> Venue:
    """The series is the organiser's, the venue one it may use, the host one it may ask; else the field says so."""
    series_id, venue_id, host_id = fields.get("series_id"), fields.get("venue_id"), fields.get("host_id")
    series = db.session.get(Series, series_id) if series_id else None
    if series is None or series.organiser_id != organiser_id:
        raise FieldRuleViolation("series_id", _("请选择本主办方的系列。"))
    venue = db.session.get(Venue, venue_id) if venue_id else None
    if venue is None or venue.organiser_id not in (None, organiser_id):
        raise FieldRuleViolation("venue_id", _("请选择场地。"))
    if host_id is not None and host_id not in {user.id for user in host_candidates(organiser_id)}:
        raise FieldRuleViolation("host_id", _("主持人须是本主办方的成员或中心的主持人。"))
    return venue


def _refuse_status_while_hall_waits(status: SessionStatus | None) -> None:
    if status not in (None, SessionStatus.PLANNED):
        raise FieldRuleViolation("status", _("场地申请获批之前，路演只能处于“筹备中”。"))


def _follow_venue(organiser_id: int, session: RoadshowSession, venue: Venue) -> None:
    """A session in a center hall has one venue request; moving to another hall asks again, leaving drops it."""
    request = venue_request_for(session)
    if not venue.is_center_hall:
        if request is not None:
            db.session.delete(request)
        return
    if request is None:
        db.session.add(VenueRequest(session_id=session.id, organiser_id=organiser_id, status=DecisionStatus.PENDING))
    elif request.status is not DecisionStatus.PENDING:
        request.status, request.decided_at, request.decided_by_id = DecisionStatus.PENDING, None, None
        request.decision_reason = None
    db.session.flush()


def create_session(organiser_id: int, by: User | None, **fields) -> RoadshowSession:
    """A session in one of the organiser's series (the center's own rules apply: no double-booked hall)."""
    venue = _check_scope(organiser_id, fields)
    if venue.is_center_hall:
        _refuse_status_while_hall_waits(fields.get("status"))
    session = roadshow_services.save_session(None, by=by, **fields)
    _follow_venue(organiser_id, session, venue)
    return session


def update_session(organiser_id: int, session: RoadshowSession, by: User, **fields) -> RoadshowSession:
    venue = _check_scope(organiser_id, fields)
    request = venue_request_for(session)
    new_place = venue.id != session.venue_id
    if venue.is_center_hall and (new_place or request is None or not request.status.is_approved):
        _refuse_status_while_hall_waits(fields.get("status"))
    curation.update_session(session, by=by, **fields)
    if new_place or (venue.is_center_hall and request is None):
        _follow_venue(organiser_id, session, venue)
    return session


def create_generated_session(organiser_id: int, **fields) -> RoadshowSession:
    """A session one of the organiser's templates generates, nobody acting: the same scope and hall rules as a
    session made by hand. In a center hall it is a venue request like any other, so it waits, planned."""
    venue = db.session.get(Venue, fields.get("venue_id")) if fields.get("venue_id") else None
    if venue is not None and venue.is_center_hall:
        fields["status"] = SessionStatus.PLANNED
    return create_session(organiser_id, None, **fields)


def sessions_of(organiser_id: int) -> list[RoadshowSession]:
    return list(db.session.scalars(
        sa.select(RoadshowSession).join(Series, RoadshowSession.series_id == Series.id)
        .where(Series.organiser_id == organiser_id)
        .order_by(RoadshowSession.starts_at.desc())
    ))


def venue_requests_of(sessions: list[RoadshowSession]) -> dict[int, VenueRequest]:
    ids = [s.id for s in sessions]
    if not ids:
        return {}
    return {r.session_id: r for r in db.session.scalars(sa.select(VenueRequest).where(VenueRequest.session_id.in_(ids)))}


def applications_to(organiser_id: int) -> list[Application]:
    """Applications to the organiser's series or to a session in one, pending first."""
    session_series = sa.select(RoadshowSession.id).join(Series, RoadshowSession.series_id == Series.id).where(
        Series.organiser_id == organiser_id)
    own_series = sa.select(Series.id).where(Series.organiser_id == organiser_id)
    return list(db.session.scalars(
        sa.select(Application)
        .where(sa.or_(Application.series_id.in_(own_series), Application.session_id.in_(session_series)))
        .order_by((Application.status == ApplicationStatus.PENDING).desc(), Application.created_at.desc())
    ))


# --- templates: the organiser's recurring sessions ------------------------------------------------

def templates_of(organiser_id: int) -> list[SessionTemplate]:
    return list(db.session.scalars(
        sa.select(SessionTemplate).join(Series, SessionTemplate.series_id == Series.id)
        .where(Series.organiser_id == organiser_id)
        .order_by(SessionTemplate.is_active.desc(), SessionTemplate.name)
    ))


def _refuse_others_template(organiser_id: int, template: SessionTemplate | None) -> None:
    if template is not None and (template.series is None or template.series.organiser_id != organiser_id):
        raise PermissionDenied(_("只能修改本主办方的模板。"))


def save_template(organiser_id: int, template: SessionTemplate | None, today, **fields) -> SessionTemplate:
    """The scheduling domain's template, kept to the organiser's series, venues and hosts. A center hall is not
    asked for here: each session the template generates is its own venue request (see create_generated_session)."""
    _refuse_others_template(organiser_id, template)
    _check_scope(organiser_id, fields)
    return scheduling_services.save_template(template, today, **fields)


def delete_template(organiser_id: int, template: SessionTemplate) -> None:
    _refuse_others_template(organiser_id, template)
    scheduling_services.delete_template(template)


# --- the organiser's own reviewers ---------------------------------------------------------------

def reviewers_of(organiser_id: int) -> list[User]:
    """The organiser's pool: active reviewer accounts it added (the only ones it may assign)."""
    return list(db.session.scalars(
        sa.select(User).join(OrganiserReviewer, OrganiserReviewer.user_id == User.id)
        .where(OrganiserReviewer.organiser_id == organiser_id, User.is_disabled.is_(False))
        .order_by(User.name, User.id)
    ))


def in_pool(organiser_id: int, user_id: int) -> OrganiserReviewer | None:
    return db.session.get(OrganiserReviewer, (organiser_id, user_id))


def add_reviewer(organiser_id: int, by: User, *, email: str, name: str) -> User:
    """Put a reviewer in the organiser's pool by email. A reviewer account is added as it is; an unknown address
    gets a new reviewer account and an email to set its password. An account of another kind is refused: an
    organiser gives nobody a role they did not have (the center's admins do)."""
    email = User.normalize_email(email)
    user = account_services.find_user_by_email(email)
    organiser = db.session.get(Organiser, organiser_id)
    if user is None:
        user = User(email=email, name=name.strip(), language=by.language)
        user.set_password(secrets.token_urlsafe(32))  # nobody knows it: the invitation's link sets the real one
        user.grant(Role.REVIEWER)
        db.session.add(user)
        db.session.flush()
        record(by, "organiser.reviewer_invite", user, f"{organiser.name}：{user.email}")  # an account made by a partner
        _send_invitation(user, organiser)
    elif not user.has_role(Role.REVIEWER) or user.is_disabled:
        raise FieldRuleViolation("email", _("这个邮箱的账号不是评审专家，不能加入评审库；请联系中心为其开通评审专家角色。"))
    elif in_pool(organiser_id, user.id) is not None:
        raise FieldRuleViolation("email", _("%(name)s 已在评审库中。", name=user.name))
    else:
        with stored_language(user):
            notify(user, "reviewer_pool_added", _("您已加入%(organiser)s的评审专家库", organiser=organiser.display_name),
                   _("主办方会把报名其路演系列的项目分配给您评审。"), link=site_path("screening.my_reviews"),
                   dedupe_key=f"reviewer-pool:{organiser_id}:{user.id}")
    db.session.add(OrganiserReviewer(organiser_id=organiser_id, user_id=user.id, added_by_id=by.id))
    db.session.flush()
    return user


def _send_invitation(user: User, organiser: Organiser) -> None:
    link = external_url("accounts.reset_password", token=make_reset_token(user))
    forgot = external_url("accounts.forgot_password")
    with stored_language(user):
        queue_email(user.email, _("%(organiser)s邀请您担任路演评审专家", organiser=organiser.display_name), _(
            "%(organiser)s在光谷科创路演中心为您开通了评审专家账号（%(email)s），请在 1 小时内打开下面的链接设置密码：\n\n"
            "%(link)s\n\n链接过期后，可以在这里重新获取：%(forgot)s\n\n登录后，“我的评审”中会列出分配给您的项目。",
            organiser=organiser.display_name, email=user.email, link=link, forgot=forgot))


def remove_reviewer(organiser_id: int, user: User) -> None:
    """Out of the pool: no new assignments from this organiser; reviews already assigned stay as they are."""
    row = in_pool(organiser_id, user.id)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def reviewer_candidates(organiser_id: int, application: Application) -> list[reviews.Candidate]:
    return reviews.candidates(application, pool=reviewers_of(organiser_id))


def assign_reviewer(organiser_id: int, application: Application, reviewer: User, by: User) -> ReviewAssignment:
    """Only to an application to the organiser's series, only a reviewer of its own pool."""
    if not policies.can_decide_application(by, application):
        raise PermissionDenied(_("只能为报名本主办方系列的项目分配评审。"))
    if in_pool(organiser_id, reviewer.id) is None:
        raise RuleViolation(_("%(name)s 不在本主办方的评审库中。", name=reviewer.name))
    return reviews.assign(application, reviewer, by)


def open_reviews_of(organiser_id: int) -> dict[int, int]:
    """Per reviewer of the pool: their unscored assignments on pending applications (all organisers')."""
    workload = reviews.open_assignment_counts()
    return {user.id: workload.get(user.id, 0) for user in reviewers_of(organiser_id)}


# --- the center's decision on a hall ------------------------------------------------------------

def pending_venue_requests() -> list[VenueRequest]:
    return list(db.session.scalars(
        sa.select(VenueRequest).where(VenueRequest.status == DecisionStatus.PENDING).order_by(VenueRequest.created_at)
    ))


def approve_venue_request(request: VenueRequest, admin: User) -> VenueRequest:
    _decide(VenueRequest, request, DecisionStatus.APPROVED, admin, None)
    record(admin, "venue_request.approve", request.session, f"{request.organiser.name}：{request.session.title}")
    _tell_organiser(request)
    return request


def decline_venue_request(request: VenueRequest, admin: User, reason: str | None) -> VenueRequest:
    """The hall is not given: the session is cancelled with the reason, which frees the hall."""
    reason = _required_reason(reason)
    _decide(VenueRequest, request, DecisionStatus.DECLINED, admin, reason)
    record(admin, "venue_request.decline", request.session, f"{request.organiser.name}：{reason}")
    curation.cancel_session(request.session, _("场地申请未获批准：%(reason)s", reason=reason), by=admin)
    _tell_organiser(request)
    return request


def _tell_organiser(request: VenueRequest) -> None:
    session = request.session
    for member in request.organiser.members:
        with stored_language(member.user):  # stored and read later: in each reader's language
            if request.status is DecisionStatus.APPROVED:
                title = _("场地申请已批准：%(title)s", title=session.display_title)
                body = _("%(venue)s 已为这场路演保留。", venue=session.venue.display_name)
            else:
                title = _("场地申请未获批准：%(title)s", title=session.display_title)
                body = _("原因：%(reason)s。这场路演已取消。", reason=request.decision_reason)
            notify(member.user, "venue_request_decided", title, body,
                   link=site_path("organisers.edit_session", session_id=session.id),
                   dedupe_key=f"venue-request:{request.id}:{member.user_id}:{request.decided_at:%Y%m%d%H%M%S%f}")
