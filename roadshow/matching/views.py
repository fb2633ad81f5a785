"""Matching pages: projects matched to an investor, institutions matched to a startup's project,
investment-express subscriptions, advisor requests, and the admin's session matrix."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.permissions import admin_required, role_required
from ..common.actions import apply, save_form
from ..common.forms import requested_page
from ..common.lookup import get_visible_or_404
from ..common.page_cache import cached_for_readers
from ..common.site_url import local_referrer
from ..extensions import db
from ..investors.models import Institution
from ..meetings.forms import MeetingRequestForm
from ..meetings.models import OPEN_STATUSES, MeetingSource
from ..meetings.services import meetings_for
from ..projects.models import Project
from ..projects.policies import can_view_project
from ..roadshows.models import RoadshowSession
from . import advisors, express, policies, queries, services
from .explain import localized
from .forms import AdvisorRequestForm, MatchFilterForm, SavedSearchForm
from .models import AdvisorRequest, MatchFlag, SavedSearch

bp = Blueprint("matching", __name__, url_prefix="/matching")
bp.add_app_template_filter(localized, "match_reason")  # a stored reason in the page's language


# ----------------------------------------------------------------------------- investors

@bp.get("/")
@cached_for_readers
@role_required(Role.INVESTOR)
def index():
    """为我匹配的项目."""
    form = MatchFilterForm(request.args)
    if not form.validate():
        form = MatchFilterForm()
    page = queries.page_of_projects_for_institution(
        current_user, requested_page(), chain=form.chain.data or "", stage=form.stage.data or "",
        min_score=form.min_score.data or 0, view=form.view.data, sort=form.sort.data,
    )
    open_meetings = {m.project_id: m for m in meetings_for(current_user, OPEN_STATUSES)}
    return render_template("matching/index.html", form=form, page=page, open_meetings=open_meetings,
                           meeting_form=MeetingRequestForm(source=MeetingSource.MATCH.value),
                           has_institution=current_user.institution_id is not None)


@bp.post("/projects/<int:project_id>/flag")
@role_required(Role.INVESTOR)
def flag(project_id: int):
    project = get_visible_or_404(Project, project_id, can_view_project)  # a hidden project is not flagged
    value = request.form.get("flag", "")
    chosen = MatchFlag(value) if value in {f.value for f in MatchFlag} else None
    messages = {MatchFlag.SAVED: _("已收藏"), MatchFlag.HIDDEN: _("已隐藏，可在“已隐藏”中恢复"), None: _("已恢复")}
    apply(lambda: queries.set_flag(current_user, project, chosen), messages[chosen])
    return redirect(local_referrer() or url_for(".index"))


@bp.route("/express", methods=["GET", "POST"])
@role_required(Role.INVESTOR)
def express_list():
    """路演投资直通车: subscriptions list and a new one."""
    form = SavedSearchForm()
    if save_form(form, lambda: express.save_search(current_user, **form.values()),
                 lambda s: _("已订阅“%(name)s”，有符合条件的新项目时会通知您。", name=s.name)):
        return redirect(url_for(".express_list"))
    searches = db.session.scalars(
        db.select(SavedSearch).where(SavedSearch.user_id == current_user.id).order_by(SavedSearch.created_at.desc())
    ).all()
    return render_template("matching/express.html", form=form, searches=searches)


def _own_search(search_id: int) -> SavedSearch:
    return get_visible_or_404(SavedSearch, search_id, policies.owns_saved_search)


@bp.route("/express/<int:search_id>/edit", methods=["GET", "POST"])
@role_required(Role.INVESTOR)
def express_edit(search_id: int):
    search = _own_search(search_id)
    form = SavedSearchForm(data=None if request.method == "POST" else SavedSearchForm.initial(search))
    if save_form(form, lambda: express.save_search(current_user, search, **form.values()), lambda s: _("订阅已更新。")):
        return redirect(url_for(".express_list"))
    return render_template("matching/express_form.html", form=form, search=search)


@bp.post("/express/<int:search_id>/toggle")
@role_required(Role.INVESTOR)
def express_toggle(search_id: int):
    search = _own_search(search_id)
    search.active = not search.active
    db.session.commit()
    flash(_("订阅已恢复。") if search.active else _("订阅已暂停。"), "success")
    return redirect(url_for(".express_list"))


@bp.post("/express/<int:search_id>/delete")
@role_required(Role.INVESTOR)
def express_delete(search_id: int):
    search = _own_search(search_id)
    apply(lambda: express.delete_search(current_user, search), _("订阅已删除。"))
    return redirect(url_for(".express_list"))


# ----------------------------------------------------------------------------- startups and advisors

@bp.get("/project/<int:project_id>")
@role_required(Role.STARTUP, Role.ADMIN)
def project_matches(project_id: int):
    """匹配的投资机构."""
    project = get_visible_or_404(Project, project_id, policies.can_see_project_matches)
    return render_template(
        "matching/project.html", project=project, matches=queries.institutions_for_project(project),
        advisor_matches=queries.institutions_for_project(project, advisors=True, limit=5),
        advisor_request=advisors.open_request_for(project), advisor_form=AdvisorRequestForm(),
        past_requests=project_advisor_requests(project),
    )


def project_advisor_requests(project: Project) -> list[AdvisorRequest]:
    return db.session.scalars(
        db.select(AdvisorRequest).where(AdvisorRequest.project_id == project.id)
        .order_by(AdvisorRequest.created_at.desc())
    ).all()


@bp.post("/project/<int:project_id>/advisor")
@role_required(Role.STARTUP)
def ask_advisor(project_id: int):
    project = get_visible_or_404(Project, project_id, can_view_project)
    form = AdvisorRequestForm()
    if form.validate_on_submit():
        apply(lambda: advisors.request_advisor(current_user, project, form.message.data),
              _("需求已发送给匹配度最高的财务顾问机构。"))
    else:
        flash(_("需求说明不能超过 1000 个字。"), "warning")
    return redirect(url_for(".project_matches", project_id=project_id))


@bp.post("/advisor-requests/<int:request_id>/close")
@role_required(Role.STARTUP)
def close_advisor_request(request_id: int):
    advisor_request = get_visible_or_404(AdvisorRequest, request_id, policies.can_see_advisor_request)
    apply(lambda: advisors.close(current_user, advisor_request), _("需求已关闭。"))
    return redirect(url_for(".project_matches", project_id=advisor_request.project_id))


@bp.get("/advisor-requests")
@role_required(Role.INVESTOR)
def advisor_requests():
    """Requests received by the user's advisor institution."""
    return render_template("matching/advisor_requests.html", requests=advisors.requests_for(current_user))


@bp.post("/advisor-requests/<int:request_id>/engage")
@role_required(Role.INVESTOR)
def engage_advisor_request(request_id: int):
    advisor_request = get_visible_or_404(AdvisorRequest, request_id, policies.can_see_advisor_request)
    apply(lambda: advisors.engage(current_user, advisor_request), _("已承接该需求，企业会收到通知。"))
    return redirect(url_for(".advisor_requests"))


# ----------------------------------------------------------------------------- admin

@bp.get("/sessions")
@admin_required
def admin_sessions():
    return render_template("matching/admin_sessions.html", sessions=queries.upcoming_sessions_with_projects(),
                           run=queries.latest_run(), pairs=queries.stored_pairs())


@bp.post("/recompute")
@admin_required
def recompute():
    apply(services.recompute_all, _("匹配已全部重新计算。"))
    return redirect(url_for(".admin_sessions"))


@bp.get("/sessions/<int:session_id>")
@admin_required
def session_matrix(session_id: int):
    session = db.get_or_404(RoadshowSession, session_id)
    return render_template("matching/session_matrix.html", session=session, matrix=queries.session_matrix(session))


@bp.post("/sessions/<int:session_id>/invite/<int:institution_id>")
@admin_required
def invite(session_id: int, institution_id: int):
    session = db.get_or_404(RoadshowSession, session_id)
    institution = db.get_or_404(Institution, institution_id)
    told = queries.invite_to_session(session, institution)
    db.session.commit()
    if told:
        flash(_("已邀请 %(inst)s 的 %(n)d 位投资人。", inst=institution.name, n=told), "success")
    else:
        flash(_("%(inst)s 的投资人此前已收到本场邀请。", inst=institution.name), "info")
    return redirect(url_for(".session_matrix", session_id=session_id))
