"""Screening (路演筛选) pages: startups apply, reviewers score what they are assigned, admins decide."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role, User
from ..accounts.permissions import admin_required, role_required
from ..common.actions import apply, save_form
from ..common.bounds import id_from
from ..common.forms import requested_page
from ..common.timeutil import to_local, utcnow
from ..common.lookup import get_visible_or_404
from ..extensions import db
from ..projects.downloads import send_deck
from ..roadshows.models import Application, ApplicationStatus, RoadshowSession, Series
from . import policies, reviews, services
from .desk import Desk, register as register_desk
from .forms import AcceptForm, ApplicationForm, AssignForm, ProfileForm, RejectForm, ScoreForm
from .models import CRITERIA, ReviewAssignment

bp = Blueprint("screening", __name__, url_prefix="/screening")


@bp.context_processor
def rubric_criteria():
    return {"criteria": CRITERIA}


# --- startups: apply, follow, withdraw -----------------------------------------------------

@bp.get("/applications")
@role_required(Role.STARTUP)
def my_applications():
    return render_template(
        "screening/my_applications.html",
        applications=services.company_applications(current_user.company_id),
        can_apply=bool(services.applicable_projects(current_user)),
    )


@bp.route("/apply", methods=["GET", "POST"])
@role_required(Role.STARTUP)
def apply_page():
    projects = services.applicable_projects(current_user)
    session_id = id_from(request.args.get("session_id"))
    preset = {
        # the obvious choice is made for the startup: its only project that can apply
        "project_id": id_from(request.args.get("project_id")) or (projects[0].id if len(projects) == 1 else None),
        "target": f"session:{session_id}" if session_id else None,
    }
    form = ApplicationForm(data=preset if request.method == "GET" else None)
    form.set_choices(projects, services.all_series(), services.open_sessions())

    def submit():
        series_id, session_id = form.target_ids()
        project = next((p for p in projects if p.id == form.project_id.data), None) or abort(404)
        return services.apply(
            current_user,
            project,
            series=db.session.get(Series, series_id) if series_id else None,
            session=db.session.get(RoadshowSession, session_id) if session_id else None,
            preferred_from=form.preferred_from.data,
            preferred_to=form.preferred_to.data,
            note=form.note.data,
            today=to_local(utcnow()).date(),
        )

    if save_form(form, submit, lambda a: _("已提交路演申请：%(title)s。平台筛选后会通知您。", title=a.project.title)):
        return redirect(url_for(".my_applications"))
    return render_template("screening/apply.html", form=form, has_projects=bool(projects))


@bp.post("/applications/<int:application_id>/withdraw")
@role_required(Role.STARTUP)
def withdraw(application_id: int):
    application = get_visible_or_404(Application, application_id, policies.owns_application)
    apply(lambda: services.withdraw(current_user, application), _("已撤回申请。"), "info")
    return redirect(url_for(".my_applications"))


# --- reviewers: only what is assigned to them ----------------------------------------------

def _my_assignment(assignment_id: int) -> ReviewAssignment:
    return get_visible_or_404(ReviewAssignment, assignment_id, policies.is_assigned_reviewer)


@bp.get("/reviews")
@role_required(Role.REVIEWER)
def my_reviews():
    return render_template(
        "screening/my_reviews.html",
        assignments=reviews.reviewer_assignments(current_user),
        profile=reviews.profile_of(current_user),
    )


@bp.route("/reviews/<int:assignment_id>", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def review(assignment_id: int):
    assignment = _my_assignment(assignment_id)
    score = assignment.score
    form = ScoreForm(obj=score)
    if save_form(
        form,
        lambda: reviews.save_score(assignment, current_user, comment=form.comment.data, **form.marks()),
        lambda _saved: _("评分已保存。在筛选结论作出前，您都可以修改。"),
    ):
        return redirect(url_for(".review", assignment_id=assignment.id))
    return render_template(
        "screening/review.html",
        assignment=assignment,
        application=assignment.application,
        form=form,
        editable=assignment.application.status == ApplicationStatus.PENDING,
    )


@bp.get("/reviews/<int:assignment_id>/deck")
@role_required(Role.REVIEWER)
def review_deck(assignment_id: int):
    return send_deck(_my_assignment(assignment_id).application.project)


@bp.route("/profile", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def my_profile():
    return _profile_page(current_user, ".my_reviews", "screening/profile.html")


def _profile_page(user: User, done_endpoint: str, template: str):
    form = ProfileForm(obj=reviews.profile_of(user))
    if save_form(form, lambda: reviews.save_profile(user, **form.service_fields()), lambda _p: _("专家档案已保存。")):
        return redirect(url_for(done_endpoint))
    return render_template(template, form=form, reviewer=user)


# --- admins: assign, weigh, decide -----------------------------------------------------------

QUEUE_TAB = "queue"


@bp.get("/admin/applications")
@admin_required
def admin_applications():
    tab = request.args.get("status", ApplicationStatus.PENDING.value)
    counts = services.status_counts()
    queue = services.accepted_queue()
    if tab == QUEUE_TAB:
        items, page = queue, None
    else:
        try:
            status = ApplicationStatus(tab)
        except ValueError:
            status, tab = ApplicationStatus.PENDING, ApplicationStatus.PENDING.value
        page = services.applications_page(status, requested_page())
        items = page.items
    return render_template(
        "screening/admin_applications.html",
        tab=tab, page=page, items=items, counts=counts, statuses=list(ApplicationStatus), queue_count=len(queue),
        summaries=reviews.summaries_for(items), assigned=reviews.assignment_counts(items),
    )


def _application(application_id: int) -> Application:
    return db.get_or_404(Application, application_id)


@bp.get("/admin/applications/<int:application_id>")
@admin_required
def admin_application(application_id: int):
    application = _application(application_id)
    assignments = reviews.assignments_of(application)
    assign_form = AssignForm()
    assign_form.set_candidates(reviews.candidates(application))
    return render_template(
        "screening/admin_application.html",
        application=application,
        assignments=assignments,
        summary=reviews.summarize([a.score for a in assignments if a.score]),
        assign_form=assign_form,
        accept_form=AcceptForm(),
        reject_form=RejectForm(),
    )


register_desk(bp, Desk(
    application=_application,
    assignment=lambda assignment_id: db.get_or_404(ReviewAssignment, assignment_id),
    assign=lambda application, reviewer: reviews.assign(application, reviewer, current_user),
    page=".admin_application",
), admin_required, prefix="/admin")


@bp.get("/admin/reviewers")
@admin_required
def admin_reviewers():
    pool = reviews.reviewer_pool()
    return render_template(
        "screening/admin_reviewers.html",
        pool=pool, profiles=reviews.profiles_by_user(pool), workload=reviews.open_assignment_counts(),
    )


@bp.route("/admin/reviewers/<int:user_id>", methods=["GET", "POST"])
@admin_required
def admin_reviewer(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or not user.has_role(Role.REVIEWER):
        abort(404)
    return _profile_page(user, ".admin_reviewers", "screening/admin_reviewer.html")
