"""Admin: the center's staff curate sessions, verify institutions and screen projects."""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import services as account_services
from ..accounts.models import Role, User
from ..accounts.permissions import admin_required
from ..common.actions import apply, save_form
from ..common.forms import requested_page, safe_next_url
from ..common.timeutil import local_to_utc, to_local
from ..extensions import db
from ..investors import services as investor_services
from ..investors.models import Institution, VerificationStatus
from ..projects import services as project_services
from ..projects.models import Project, ProjectStatus
from ..roadshows import curation, services as roadshow_services
from ..roadshows.models import RoadshowSession, Series, Slot, Venue
from . import services
from .forms import ReasonForm, RolesForm, SeriesForm, SessionForm, VenueForm

bp = Blueprint("admin", __name__, url_prefix="/admin")

@bp.before_request
@admin_required
def require_admin():
    """The one admin check for every page below: anonymous users log in first, everyone else but admins gets 403."""


def _page() -> int:
    return requested_page()


# --- dashboard -----------------------------------------------------------------------------

@bp.get("/")
def dashboard():
    return render_template(
        "admin/dashboard.html",
        counts=services.dashboard_counts(),
        pending_institutions=services.pending_institutions(),
        screening=services.screening_queue(limit=8),
        upcoming=services.upcoming_sessions(),
    )


# --- institutions --------------------------------------------------------------------------

@bp.get("/institutions")
def institutions():
    try:
        status = VerificationStatus(request.args.get("status", VerificationStatus.PENDING.value))
    except ValueError:
        status = VerificationStatus.PENDING
    return render_template(
        "admin/institutions.html",
        status=status,
        page=services.institutions_by_status(status, _page()),
        counts=services.institution_status_counts(),
    )


def _institution(institution_id: int) -> Institution:
    return db.get_or_404(Institution, institution_id)


def _back(default: str = ".dashboard", **values) -> str:
    return safe_next_url(default) if request.args.get("next") else url_for(default, **values)


@bp.post("/institutions/<int:institution_id>/verify")
def verify_institution(institution_id: int):
    institution = _institution(institution_id)
    investor_services.set_verification(institution, VerificationStatus.VERIFIED, by=current_user)
    db.session.commit()
    flash(_("已认证机构：%(name)s。", name=institution.name), "success")
    return redirect(_back(".institutions", status=VerificationStatus.PENDING.value))


@bp.post("/institutions/<int:institution_id>/reject")
def reject_institution(institution_id: int):
    institution = _institution(institution_id)
    form = ReasonForm()
    form.validate()  # an empty note is refused by the service with the message the admin needs
    apply(
        lambda: investor_services.set_verification(institution, VerificationStatus.REJECTED, form.reason.data,
                                                   by=current_user),
        _("已将机构“%(name)s”标记为未通过，机构成员会看到审核意见。", name=institution.name),
        "info",
        violation_category="danger",
    )
    return redirect(_back(".institutions", status=VerificationStatus.PENDING.value))


# --- project screening ---------------------------------------------------------------------

@bp.get("/reviews")
def review_queue():
    return render_template(
        "admin/review_queue.html",
        projects=services.screening_queue(),
        recent=services.recent_decisions(),
    )


def _project(project_id: int) -> Project:
    return db.get_or_404(Project, project_id)


def _move_project(project: Project, status: ProjectStatus, success_message: str, success_category: str = "success",
                  reason: str | None = None):
    """Apply one screening step (change_status records it in the audit log) and go back to the queue."""
    apply(
        lambda: project_services.change_status(project, status, reason, by=current_user),
        success_message,
        success_category,
        violation_category="danger",
    )
    return redirect(url_for(".review_queue"))


@bp.post("/reviews/<int:project_id>/start")
def start_review(project_id: int):
    project = _project(project_id)
    return _move_project(project, ProjectStatus.UNDER_REVIEW, _("已开始评审：%(title)s。", title=project.title))


@bp.post("/reviews/<int:project_id>/approve")
def approve_project(project_id: int):
    project = _project(project_id)
    return _move_project(project, ProjectStatus.APPROVED, _("项目已通过筛选并公开展示：%(title)s。", title=project.title))


@bp.post("/reviews/<int:project_id>/reject")
def reject_project(project_id: int):
    form = ReasonForm()
    form.validate()  # an empty reason is refused by change_status with the message the admin needs
    project = _project(project_id)
    return _move_project(
        project,
        ProjectStatus.REJECTED,
        _("项目未通过筛选：%(title)s。企业会看到您填写的原因。", title=project.title),
        "info",
        reason=form.reason.data,
    )


# --- venues and series ----------------------------------------------------------------------

@dataclass(frozen=True)
class _Catalogue:
    """A short list admins keep (venues, series): one page lists and adds, another edits an entry."""

    model: type
    form_class: type
    save: Callable  # save(entry or None, **form.service_fields()) -> entry
    entries: Callable[[], list]
    session_counts: Callable[[], dict]
    list_endpoint: str
    list_template: str
    edit_template: str
    added_message: Callable[[Any], str]  # messages are callables so gettext runs per request
    saved_message: Callable[[], str]

    def list_page(self):
        form = self.form_class()
        if save_form(form, lambda: self.save(None, **form.service_fields()), self.added_message):
            return redirect(url_for(self.list_endpoint))
        return render_template(
            self.list_template, form=form, entries=self.entries(), session_counts=self.session_counts()
        )

    def edit_page(self, entry_id: int):
        entry = db.get_or_404(self.model, entry_id)
        form = self.form_class(obj=entry)
        if save_form(form, lambda: self.save(entry, **form.service_fields()), lambda _saved: self.saved_message()):
            return redirect(url_for(self.list_endpoint))
        return render_template(self.edit_template, form=form, entry=entry)


_VENUES = _Catalogue(
    model=Venue,
    form_class=VenueForm,
    save=services.save_venue,
    entries=services.all_venues,
    session_counts=services.venue_session_counts,
    list_endpoint=".venues",
    list_template="admin/venues.html",
    edit_template="admin/venue_form.html",
    added_message=lambda venue: _("已添加场地：%(name)s。", name=venue.name),
    saved_message=lambda: _("场地信息已保存。"),
)

_SERIES = _Catalogue(
    model=Series,
    form_class=SeriesForm,
    save=services.save_series,
    entries=services.all_series,
    session_counts=services.series_session_counts,
    list_endpoint=".series_list",
    list_template="admin/series.html",
    edit_template="admin/series_form.html",
    added_message=lambda series: _("已添加系列：%(name)s。", name=series.name),
    saved_message=lambda: _("系列信息已保存。"),
)


@bp.route("/venues", methods=["GET", "POST"])
def venues():
    return _VENUES.list_page()


@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
def edit_venue(venue_id: int):
    return _VENUES.edit_page(venue_id)


@bp.route("/series", methods=["GET", "POST"])
def series_list():
    return _SERIES.list_page()


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
def edit_series(series_id: int):
    return _SERIES.edit_page(series_id)


# --- sessions ------------------------------------------------------------------------------

@bp.get("/sessions")
def sessions():
    past = request.args.get("tab") == "past"
    return render_template(
        "admin/sessions.html", past=past, page=services.sessions_page(past, _page()), tabs=services.session_tab_counts()
    )


def _session_form(session: RoadshowSession | None) -> SessionForm:
    data = None
    if session is not None:
        data = {
            "title": session.title,
            "description": session.description,
            "title_en": session.title_en,
            "description_en": session.description_en,
            "series_id": session.series_id,
            "venue_id": session.venue_id,
            "host_id": session.host_id,
            "industry_chain": session.industry_chain.value if session.industry_chain else "",
            "starts_at": to_local(session.starts_at).replace(tzinfo=None),
            "ends_at": to_local(session.ends_at).replace(tzinfo=None),
            "capacity": session.capacity,
            "startup_capacity": session.startup_capacity,
            "public_capacity": session.public_capacity,
            "status": session.status.value,
        }
    form = SessionForm(data=data)
    form.set_choices(services.all_series(), services.all_venues(), services.hosts())
    return form


def _save_session_view(session: RoadshowSession | None):
    form = _session_form(session)
    # Editing goes through curation: a new time or place is announced to everyone booked or presenting.
    save = curation.update_session if session is not None else roadshow_services.save_session
    if save_form(
        form,
        lambda: save(session, by=current_user, **form.service_fields(local_to_utc)),
        lambda saved: _("路演已保存：%(title)s。", title=saved.title),
    ):
        return redirect(url_for(".sessions"))
    return render_template(
        "admin/session_form.html",
        form=form,
        session=session,
        cancel_form=ReasonForm(formdata=None) if session is not None else None,
        waitlist_count=roadshow_services.waitlist_count(session) if session is not None else 0,
    )


@bp.route("/sessions/new", methods=["GET", "POST"])
def new_session():
    return _save_session_view(None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(session_id: int):
    session = db.get_or_404(RoadshowSession, session_id)
    return _save_session_view(session)


@bp.post("/sessions/<int:session_id>/cancel")
def cancel_session(session_id: int):
    session = db.get_or_404(RoadshowSession, session_id)
    form = ReasonForm()
    form.validate()  # an empty reason is refused by the service with the message the admin needs
    apply(
        lambda: curation.cancel_session(session, form.reason.data, by=current_user),  # audited there
        _("已取消路演：%(title)s。已通知预约的投资人和路演企业，项目已退回排期队列。", title=session.title),
        "info",
        violation_category="danger",
    )
    return redirect(url_for(".edit_session", session_id=session_id))


def _slot(slot_id: int) -> Slot:
    return db.get_or_404(Slot, slot_id)


@bp.post("/slots/<int:slot_id>/move/<any(up, down):direction>")
def move_slot(slot_id: int, direction: str):
    slot = _slot(slot_id)
    session_id = slot.session_id
    apply(lambda: curation.move_slot(slot, -1 if direction == "up" else 1), _("路演顺序已调整。"),
          violation_category="danger")
    return redirect(url_for(".edit_session", session_id=session_id))


@bp.post("/slots/<int:slot_id>/remove")
def remove_slot(slot_id: int):
    slot = _slot(slot_id)
    session_id, title = slot.session_id, slot.project.title
    apply(lambda: curation.remove_from_lineup(slot),
          _("已将“%(title)s”移出本场，项目回到排期队列。", title=title), "info", violation_category="danger")
    return redirect(url_for(".edit_session", session_id=session_id))


# --- users ---------------------------------------------------------------------------------

@bp.get("/users")
def users():
    try:
        role = Role(request.args.get("role", ""))
    except ValueError:
        role = None
    q = request.args.get("q", "").strip()
    page = services.search_users(q, role, _page())
    role_forms = {u.id: RolesForm(formdata=None, prefix=f"u{u.id}", data={"roles": [r.value for r in u.roles]}) for u in page.items}
    return render_template("admin/users.html", page=page, q=q, role=role, role_forms=role_forms)


def _user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.post("/users/<int:user_id>/roles")
def set_user_roles(user_id: int):
    user = _user(user_id)
    form = RolesForm(prefix=f"u{user_id}")
    if not form.validate():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
        return redirect(_back(".users"))
    roles = {Role(r) for r in form.roles.data}
    apply(
        lambda: account_services.set_roles(user, roles, current_user),
        _("已更新 %(name)s 的角色。", name=user.name),
        violation_category="danger",
    )
    return redirect(_back(".users"))


@bp.post("/users/<int:user_id>/toggle")
def toggle_user(user_id: int):
    user = _user(user_id)
    disable = not user.is_disabled
    if disable:
        message, category = _("已停用账户 %(email)s，该用户将无法登录。", email=user.email), "warning"
    else:
        message, category = _("已启用账户 %(email)s。", email=user.email), "success"
    apply(lambda: services.set_user_disabled(user, disable, current_user), message, category,
          violation_category="danger")
    return redirect(_back(".users"))
