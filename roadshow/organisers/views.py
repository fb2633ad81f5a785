"""Partner organisers' pages (/organise) and the center's decisions on them (/admin/organisers).

Every organiser page looks its record up through the organisers' policies: a series, session or
application of another organiser answers 404 like a missing one.
"""
from functools import wraps

from flask import Blueprint, Flask, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import Role
from ..accounts.permissions import admin_required, role_required
from ..admin.forms import ReasonForm, SeriesForm, SessionForm, VenueForm
from ..checkin.services import show_up, show_up_per_series
from ..common.actions import apply, save_form
from ..common.errors import RuleViolation
from ..common.lookup import get_visible_or_404
from ..common.timeutil import local_to_utc, to_local, utcnow
from ..extensions import db
from ..roadshows.models import Application, RoadshowSession, Series
from ..scheduling import horizon, rules as template_rules, services as scheduling_services
from ..scheduling.forms import TemplateForm
from ..scheduling.models import SessionTemplate
from ..screening import reviews
from ..screening.desk import Desk, register as register_desk
from ..screening.forms import AcceptForm, AssignForm, RejectForm
from ..screening.models import CRITERIA, ReviewAssignment
from . import policies, services
from .forms import OrganiserApplicationForm, ReviewerInviteForm
from .models import DecisionStatus, Organiser, VenueRequest

bp = Blueprint("organisers", __name__, url_prefix="/organise")
admin_bp = Blueprint("organisers_admin", __name__, url_prefix="/admin/organisers")


def register_domain(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)


def organiser_required(view):
    """The organiser role and a membership of an approved organiser (kept in g.organiser_id)."""

    @wraps(view)
    @role_required(Role.ORGANISER)
    def wrapped(*args, **kwargs):
        g.organiser_id = policies.organiser_id_of(current_user)
        if g.organiser_id is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


# --- applying ----------------------------------------------------------------------------------

@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply_page():
    form = OrganiserApplicationForm()
    member, pending = services.membership(current_user), services.pending_application_of(current_user)
    if member is None and pending is None and save_form(
        form, lambda: services.apply_to_organise(current_user, **form.service_fields()),
        lambda organiser: _("已提交主办方申请：%(name)s。平台审核后会通知您。", name=organiser.name),
    ):
        return redirect(url_for(".apply_page"))
    return render_template("organisers/apply.html", form=form, member=member, pending=pending)


# --- the organiser's own series ----------------------------------------------------------------

@bp.get("/")
@organiser_required
def dashboard():
    organiser = db.session.get(Organiser, g.organiser_id)
    sessions = services.sessions_of(g.organiser_id)
    applications = services.applications_to(g.organiser_id)
    attendance = show_up([s.id for s in sessions])
    return render_template(
        "organisers/dashboard.html", organiser=organiser, series=services.series_of(g.organiser_id),
        sessions=sessions, venue_requests=services.venue_requests_of(sessions), attendance=attendance,
        figures=show_up_per_series(sessions, attendance),
        applications=applications, summaries=reviews.summaries_for(applications), accept_form=AcceptForm(),
        reject_form=RejectForm(),
    )


def _series_page(series: Series | None):
    form = SeriesForm(obj=series)
    if save_form(form, lambda: services.save_series(g.organiser_id, series, **form.service_fields()),
                 lambda saved: _("系列已保存：%(name)s。", name=saved.name)):
        return redirect(url_for(".dashboard"))
    return render_template("organisers/series_form.html", form=form, series=series)


@bp.route("/series/new", methods=["GET", "POST"])
@organiser_required
def new_series():
    return _series_page(None)


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit_series(series_id: int):
    return _series_page(get_visible_or_404(Series, series_id, policies.organises))


@bp.route("/venues", methods=["GET", "POST"])
@organiser_required
def venues():
    form = VenueForm()  # its "online" box is not shown: an organiser adds places of its own (the service says so)
    if save_form(form, lambda: services.save_own_venue(g.organiser_id, **form.service_fields()),
                 lambda venue: _("已添加场地：%(name)s。", name=venue.name)):
        return redirect(url_for(".venues"))
    return render_template("organisers/venues.html", form=form, venues=services.usable_venues(g.organiser_id))


# --- sessions ----------------------------------------------------------------------------------

def _session_form(session: RoadshowSession | None, series: Series | None = None) -> SessionForm:
    data = {"series_id": series.id} if series is not None else None
    if session is not None:
        data = {
            "title": session.title, "description": session.description, "title_en": session.title_en,
            "description_en": session.description_en, "series_id": session.series_id, "venue_id": session.venue_id,
            "host_id": session.host_id, "industry_chain": session.industry_chain.value if session.industry_chain else "",
            "starts_at": to_local(session.starts_at).replace(tzinfo=None),
            "ends_at": to_local(session.ends_at).replace(tzinfo=None),
            "capacity": session.capacity, "startup_capacity": session.startup_capacity,
            "public_capacity": session.public_capacity, "status": session.status.value,
        }
    form = SessionForm(data=data)
    form.set_choices(services.series_of(g.organiser_id), services.usable_venues(g.organiser_id),
                     services.host_candidates(g.organiser_id))
    return form


def _session_page(session: RoadshowSession | None, series: Series | None = None):
    form = _session_form(session, series)

    def save():
        fields = form.service_fields(local_to_utc)
        if session is None:
            return services.create_session(g.organiser_id, current_user, **fields)
        return services.update_session(g.organiser_id, session, current_user, **fields)

    if save_form(form, save, lambda saved: _("路演已保存：%(title)s。", title=saved.title)):
        return redirect(url_for(".dashboard"))
    return render_template(
        "organisers/session_form.html", form=form, session=session,
        venue_request=services.venue_request_for(session) if session is not None else None,
    )


@bp.route("/series/<int:series_id>/sessions/new", methods=["GET", "POST"])
@organiser_required
def new_session(series_id: int):
    return _session_page(None, get_visible_or_404(Series, series_id, policies.organises))


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit_session(session_id: int):
    return _session_page(get_visible_or_404(RoadshowSession, session_id, policies.can_manage_session))


# --- templates: recurring sessions of the organiser's series ------------------------------------

def _today():
    return to_local(utcnow()).date()


@bp.get("/templates")
@organiser_required
def templates():
    entries = services.templates_of(g.organiser_id)
    return render_template(
        "organisers/templates.html", entries=entries, describe=template_rules.describe,
        previews={t.id: scheduling_services.preview(t, _today(), count=3) for t in entries},
        counts=scheduling_services.occurrence_counts(),
    )


def _template_page(template: SessionTemplate | None):
    data = TemplateForm.data_of(template) if template is not None else None
    own_series = services.series_of(g.organiser_id)
    if template is None and len(own_series) == 1:
        data = {"series_id": own_series[0].id}  # the obvious choice, made for the organiser
    form = TemplateForm(data=data)
    form.set_choices(own_series, services.usable_venues(g.organiser_id), services.host_candidates(g.organiser_id))
    if save_form(
        form, lambda: services.save_template(g.organiser_id, template, _today(), **form.service_fields()),
        lambda saved: _("模板已保存：%(name)s。每晚自动生成未来场次，也可以在模板列表中立即生成。", name=saved.name),
    ):
        return redirect(url_for(".templates"))
    preview = scheduling_services.preview(template, _today()) if template is not None else []
    return render_template("organisers/template_form.html", form=form, template=template, preview=preview)


@bp.route("/templates/new", methods=["GET", "POST"])
@organiser_required
def new_template():
    return _template_page(None)


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit_template(template_id: int):
    return _template_page(get_visible_or_404(SessionTemplate, template_id, policies.can_manage_template))


@bp.post("/templates/<int:template_id>/delete")
@organiser_required
def delete_template(template_id: int):
    template = get_visible_or_404(SessionTemplate, template_id, policies.can_manage_template)
    apply(lambda: services.delete_template(g.organiser_id, template),
          _("已删除模板：%(name)s。已生成的场次仍保留在日程中。", name=template.name), "info")
    return redirect(url_for(".templates"))


@bp.post("/templates/<int:template_id>/generate")
@organiser_required
def generate_template(template_id: int):
    """The template's sessions of the coming weeks now, with the same rules as the nightly fill."""
    template = get_visible_or_404(SessionTemplate, template_id, policies.can_manage_template)
    try:
        counts = horizon.fill_template(template)
    except RuleViolation as exc:
        db.session.rollback()
        flash(str(exc), "warning")
    else:
        db.session.commit()
        flash(_("新生成 %(created)d 场，沿用已有场次 %(adopted)d 场，%(clashes)d 个日期因场地已被占用未生成。", **counts),
              "success")
    return redirect(url_for(".templates"))


# --- applications to the organiser's series: its own reviewers, its decision ---------------------

def _application(application_id: int) -> Application:
    return get_visible_or_404(Application, application_id, policies.can_decide_application)


@bp.get("/applications/<int:application_id>")
@organiser_required
def application(application_id: int):
    """The same desk as the center's: the reviewers' scores side by side, the assignment, the decision."""
    application = _application(application_id)
    assignments = reviews.assignments_of(application)
    assign_form = AssignForm()
    assign_form.set_candidates(services.reviewer_candidates(g.organiser_id, application))
    return render_template(
        "organisers/application.html", application=application, assignments=assignments, criteria=CRITERIA,
        summary=reviews.summarize([a.score for a in assignments if a.score]), assign_form=assign_form,
        accept_form=AcceptForm(), reject_form=RejectForm(), has_pool=bool(services.reviewers_of(g.organiser_id)),
    )


register_desk(bp, Desk(
    application=_application,
    assignment=lambda assignment_id: get_visible_or_404(ReviewAssignment, assignment_id,
                                                        policies.can_manage_assignment),
    assign=lambda application, reviewer: services.assign_reviewer(g.organiser_id, application, reviewer,
                                                                  current_user),
    page=".application",
), organiser_required)


@bp.route("/reviewers", methods=["GET", "POST"])
@organiser_required
def reviewers():
    form = ReviewerInviteForm()
    if save_form(form, lambda: services.add_reviewer(g.organiser_id, current_user, **form.service_fields()),
                 lambda user: _("%(name)s 已加入评审库。", name=user.name)):
        return redirect(url_for(".reviewers"))
    pool = services.reviewers_of(g.organiser_id)
    return render_template("organisers/reviewers.html", form=form, pool=pool,
                           profiles=reviews.profiles_by_user(pool), workload=services.open_reviews_of(g.organiser_id))


@bp.post("/reviewers/<int:user_id>/remove")
@organiser_required
def remove_reviewer(user_id: int):
    row = services.in_pool(g.organiser_id, user_id) or abort(404)
    name = row.user.name
    apply(lambda: services.remove_reviewer(g.organiser_id, row.user),
          _("已将 %(name)s 移出评审库。已分配的评审不受影响。", name=name), "info")
    return redirect(url_for(".reviewers"))


# --- the center's decisions ----------------------------------------------------------------------

@admin_bp.before_request
@admin_required
def require_admin():
    """Everything below is the center's staff's."""


@admin_bp.get("/")
def index():
    return render_template(
        "organisers/admin_index.html",
        pending=services.organisers_by_status(DecisionStatus.PENDING),
        approved=services.organisers_by_status(DecisionStatus.APPROVED),
        venue_requests=services.pending_venue_requests(),
        reason_form=ReasonForm(formdata=None),
    )


@admin_bp.post("/<int:organiser_id>/approve")
def approve(organiser_id: int):
    organiser = db.get_or_404(Organiser, organiser_id)
    apply(lambda: services.approve_organiser(organiser, current_user),
          _("已批准主办方：%(name)s。", name=organiser.name), violation_category="danger")
    return redirect(url_for(".index"))


@admin_bp.post("/<int:organiser_id>/decline")
def decline(organiser_id: int):
    organiser = db.get_or_404(Organiser, organiser_id)
    form = ReasonForm()
    form.validate()
    apply(lambda: services.decline_organiser(organiser, current_user, form.reason.data),
          _("已拒绝主办方申请：%(name)s。", name=organiser.name), "info", violation_category="danger")
    return redirect(url_for(".index"))


@admin_bp.post("/venue-requests/<int:venue_request_id>/approve")
def approve_venue(venue_request_id: int):
    venue_request = db.get_or_404(VenueRequest, venue_request_id)
    apply(lambda: services.approve_venue_request(venue_request, current_user),
          _("已批准场地申请：%(title)s。", title=venue_request.session.title), violation_category="danger")
    return redirect(url_for(".index"))


@admin_bp.post("/venue-requests/<int:venue_request_id>/decline")
def decline_venue(venue_request_id: int):
    venue_request = db.get_or_404(VenueRequest, venue_request_id)
    form = ReasonForm()
    form.validate()
    apply(lambda: services.decline_venue_request(venue_request, current_user, form.reason.data),
          _("已拒绝场地申请，路演已取消：%(title)s。", title=venue_request.session.title), "info",
          violation_category="danger")
    return redirect(url_for(".index"))
