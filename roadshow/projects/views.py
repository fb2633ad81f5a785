"""Project library, project pages, pitch decks, and the startup's company and project desk."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.actions import apply
from ..common.errors import RuleViolation
from ..common.files import UploadRejected
from ..common.forms import requested_page
from ..common.lookup import get_visible_or_404
from ..i18n.formatting import format_file_size
from ..extensions import db
from ..listing import services as listing_services
from ..roadshows.queries import sessions_pitching
from ..common.error_pages import problem
from ..extensions import limiter
from . import deck_analytics, decks, services
from .facts import company_facts
from .downloads import send_deck
from .forms import CompanyForm, DeckDownloadsForm, DeckForm, ProjectFilterForm, ProjectForm
from .models import Project
from .policies import can_download_deck, can_read_deck, can_see_deck_analytics, can_view_project, is_owner

bp = Blueprint("projects", __name__)

PER_PAGE = 12


@bp.context_processor
def deck_helpers():
    return {"max_deck_size": format_file_size(current_app.config["MAX_DECK_BYTES"])}


def _viewable_project(project_id: int) -> Project:
    return get_visible_or_404(Project, project_id, can_view_project)  # a draft is not even admitted to exist


def _own_project(project_id: int) -> Project:
    return get_visible_or_404(Project, project_id, is_owner)


# Public pages -------------------------------------------------------------------------------

@bp.get("/projects")
def public_list():
    filters = ProjectFilterForm(request.args)
    query = services.public_projects_query(filters.selected_chain(), filters.selected_stage(), filters.search_text())
    page = db.paginate(query, page=requested_page(), per_page=PER_PAGE, error_out=False)
    filtered = bool(filters.selected_chain() or filters.selected_stage() or filters.search_text())
    return render_template("projects/list.html", page=page, filters=filters, filtered=filtered)


@bp.get("/projects/<int:project_id>")
def detail(project_id: int):
    project = _viewable_project(project_id)
    owner = is_owner(current_user, project)
    return render_template(
        "projects/detail.html",
        project=project,
        company=project.company,
        facts=company_facts(project.company),
        is_owner=owner,
        show_credit_code=owner or (current_user.is_authenticated and current_user.is_admin),
        can_download=can_download_deck(current_user, project),
        can_read=can_read_deck(current_user, project),
        roadshows=sessions_pitching(project),
        listing_tags=listing_services.tags_shown_to(current_user, project.company),
    )


@bp.get("/projects/<int:project_id>/deck")
def download_deck(project_id: int):
    project = _viewable_project(project_id)
    if not project.has_deck:
        abort(404)
    if not can_download_deck(current_user, project):
        abort(403)
    deck_analytics.record_download(current_user, project)  # committed with the audit entry
    return send_deck(project)


def _readable_deck(project_id: int) -> Project:
    project = _viewable_project(project_id)
    if not project.has_deck:
        abort(404)
    if not can_read_deck(current_user, project):
        abort(403)
    return project


@bp.get("/projects/<int:project_id>/deck/read")
def read_deck(project_id: int):
    """The deck in the browser (pdf.js), page by page, with the reader's name on every page."""
    project = _readable_deck(project_id)
    view = deck_analytics.open_view(current_user, project)
    db.session.commit()
    return render_template("projects/deck_viewer.html", project=project, view=view,
                           watermark=deck_analytics.watermark_text(current_user),
                           can_download=can_download_deck(current_user, project))


@bp.get("/projects/<int:project_id>/deck/file")
def deck_file(project_id: int):
    """The PDF the viewer renders (inline, never cached)."""
    return send_deck(_readable_deck(project_id), in_viewer=True)


def _reader_key() -> str:
    return f"user:{current_user.get_id()}"


@bp.post("/projects/<int:project_id>/deck/events")
@limiter.limit(lambda: current_app.config["DECK_EVENT_RATE"], key_func=_reader_key, scope="deck-events")
def deck_event(project_id: int):
    """The viewer reports a page shown and the seconds it stayed visible: {view, page, seconds}."""
    project = _readable_deck(project_id)
    data = request.get_json(silent=True)
    fields = data if isinstance(data, dict) else {}
    view, page, seconds = fields.get("view"), fields.get("page"), fields.get("seconds")
    numbers = all(isinstance(v, int) and not isinstance(v, bool) for v in (view, page)) and \
        isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and set(fields) == {"view", "page", "seconds"}
    if not numbers:
        return problem(400, "invalid_event", _("阅读记录格式不对：需要 view、page、seconds 三个数字。"))
    try:
        deck_analytics.record_page(current_user, project, view, page, seconds)
    except deck_analytics.DeckEventError as exc:
        db.session.rollback()
        return problem(422, "invalid_event", str(exc))
    db.session.commit()
    return "", 204


@bp.route("/projects/<int:project_id>/deck/analytics", methods=["GET", "POST"])
def deck_analytics_page(project_id: int):
    """Who read the deck, which pages and how long, who downloaded it; the company's download switch."""
    project = get_visible_or_404(Project, project_id, can_see_deck_analytics)
    # On POST an unticked switch sends nothing: the form must not fall back to the stored value.
    form = DeckDownloadsForm() if request.method == "POST" else DeckDownloadsForm(downloadable=project.deck_downloadable)
    if form.validate_on_submit():
        apply(lambda: services.set_deck_downloadable(project, form.downloadable.data),
              _("已允许下载路演材料。") if form.downloadable.data else _("已关闭下载，投资人只能在线阅读。"))
        return redirect(url_for(".deck_analytics_page", project_id=project.id))
    return render_template("projects/deck_analytics.html", project=project, form=form,
                           readers=deck_analytics.readers(project))


# The startup's desk -------------------------------------------------------------------------

@bp.route("/my/company", methods=["GET", "POST"])
@role_required(Role.STARTUP)
def my_company():
    company = current_user.company
    form = CompanyForm.for_company(company)
    if form.validate_on_submit():
        try:
            services.save_company(current_user, company, **form.company_fields())
            db.session.commit()
        except services.DuplicateCreditCode as exc:
            db.session.rollback()
            form.credit_code.errors.append(str(exc))
        except IntegrityError:  # two registrations racing for one credit code
            db.session.rollback()
            form.credit_code.errors.append(_("该统一社会信用代码已被其他企业登记。"))
        except RuleViolation as exc:
            db.session.rollback()
            flash(str(exc), "warning")
        else:
            flash(_("企业信息已保存。") if company else _("企业登记成功，现在可以创建项目了。"), "success")
            return redirect(url_for(".my_projects"))
    status = 400 if form.is_submitted() else 200
    return render_template("projects/company_form.html", form=form, company=company), status


@bp.get("/my/projects")
@role_required(Role.STARTUP)
def my_projects():
    from ..screening.services import APPLICABLE_STATUSES, projects_with_open_applications

    company = current_user.company
    projects = services.company_projects(company) if company else []
    applied = projects_with_open_applications(company.id if company else None)
    # the journey's next step on each card: applying to a roadshow, once the project may and has not yet
    can_apply = {p.id for p in projects if p.status in APPLICABLE_STATUSES and p.id not in applied}
    facts = company_facts(company) if company else None
    return render_template("projects/my_projects.html", company=company, projects=projects, can_apply=can_apply,
                           applied=applied, facts=facts)


@bp.route("/my/projects/new", methods=["GET", "POST"])
@role_required(Role.STARTUP)
def new_project():
    company = current_user.company
    if company is None:
        flash(_("请先登记企业信息，再创建项目。"), "info")
        return redirect(url_for(".my_company"))
    form = ProjectForm.for_company(company)
    if form.validate_on_submit():
        try:
            project = services.create_project(current_user, **form.project_fields())
        except RuleViolation as exc:
            db.session.rollback()
            flash(str(exc), "warning")
        else:
            db.session.commit()
            flash(_("项目已创建。下一步：上传路演材料（PDF），然后提交评审。"), "success")
            return redirect(url_for(".edit_project", project_id=project.id))
    status = 400 if form.is_submitted() else 200
    return render_template("projects/project_form.html", form=form, project=None, company=company), status


def _render_edit(project: Project, form: ProjectForm | None = None, deck_form: DeckForm | None = None, status=200):
    return render_template(
        "projects/project_form.html",
        form=form or ProjectForm.for_project(project, fresh=True),
        deck_form=deck_form or DeckForm(formdata=None),
        project=project,
        company=project.company,
    ), status


@bp.route("/my/projects/<int:project_id>/edit", methods=["GET", "POST"])
@role_required(Role.STARTUP)
def edit_project(project_id: int):
    project = _own_project(project_id)
    if not project.is_editable:
        flash(_("项目处于“%(status)s”状态，不能修改。", status=project.status.label), "warning")
        return redirect(url_for(".my_projects"))
    form = ProjectForm.for_project(project)
    if form.validate_on_submit():
        apply(lambda: services.update_project(current_user, project, **form.project_fields()), _("项目信息已保存。"))
        return redirect(url_for(".my_projects"))
    return _render_edit(project, form=form, status=400 if form.is_submitted() else 200)


@bp.post("/my/projects/<int:project_id>/deck")
@role_required(Role.STARTUP)
def upload_deck(project_id: int):
    project = _own_project(project_id)
    deck_form = DeckForm()
    if not deck_form.validate_on_submit():
        return _render_edit(project, deck_form=deck_form, status=400)
    upload = deck_form.deck.data
    try:
        old_file = services.attach_deck(current_user, project, upload.stream, upload.filename)
    except (UploadRejected, RuleViolation) as exc:
        db.session.rollback()
        deck_form.deck.errors.append(str(exc))
        return _render_edit(project, deck_form=deck_form, status=getattr(exc, "status", 400))
    new_file = project.deck_file
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        decks.remove_deck(new_file)  # the row still points at the old deck
        raise
    decks.remove_deck(old_file)
    flash(ngettext("路演材料已上传（%(num)d 页）。", "路演材料已上传（%(num)d 页）。", project.deck_pages), "success")
    return redirect(url_for(".edit_project", project_id=project.id))


@bp.post("/my/projects/<int:project_id>/submit")
@role_required(Role.STARTUP)
def submit_project(project_id: int):
    project = _own_project(project_id)
    apply(
        lambda: services.submit_project(current_user, project),
        _("“%(title)s”已提交评审，结果会显示在这里。", title=project.title),
    )
    return redirect(url_for(".my_projects"))


@bp.post("/my/projects/<int:project_id>/withdraw")
@role_required(Role.STARTUP)
def withdraw_project(project_id: int):
    project = _own_project(project_id)
    apply(
        lambda: services.withdraw_project(current_user, project),
        _("“%(title)s”已撤回为草稿，可以继续修改。", title=project.title),
        "info",
    )
    return redirect(url_for(".my_projects"))
