"""After-roadshow pages: attendees' feedback forms, and each presenting startup's digest."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.actions import save_form
from ..common.lookup import get_visible_or_404
from ..extensions import db
from ..projects.models import Project
from ..roadshows.models import RoadshowSession
from . import services
from .forms import FeedbackForm
from .policies import can_give_feedback, can_see_digest

bp = Blueprint("feedback", __name__, url_prefix="/feedback")


def _pitched(session: RoadshowSession, project_id: int) -> Project:
    """The project of this session with that id; 404 for one that did not pitch in it."""
    project = services.pitched_project(session, project_id)
    if project is None:
        abort(404)
    return project


@bp.get("/")
@role_required(Role.INVESTOR)
def index():
    """Roadshows the investor attended, with a form per project."""
    return render_template("feedback/index.html", items=services.forms_for(current_user))


@bp.route("/sessions/<int:session_id>/projects/<int:project_id>", methods=["GET", "POST"])
@role_required(Role.INVESTOR)
def give(session_id: int, project_id: int):
    session = get_visible_or_404(RoadshowSession, session_id, can_give_feedback)
    project = _pitched(session, project_id)
    answer = services.answer_of(current_user, session, project)
    form = FeedbackForm(data=FeedbackForm.initial(answer) if answer and request.method == "GET" else None)
    if services.is_open(session) and save_form(
            form, lambda: services.save_feedback(current_user, session, project, **form.values()),
            lambda _answer: _("感谢反馈：%(project)s", project=project.title)):
        return redirect(url_for(".index") + f"#session-{session.id}")
    return render_template("feedback/form.html", form=form, session=session, project=project, answer=answer,
                           open=services.is_open(session), deadline=services.deadline(session))


@bp.get("/digests")
@role_required(Role.STARTUP)
def digests():
    """The company's projects that pitched in an ended session, each with its digest."""
    return render_template("feedback/digests.html", items=services.digests_for(current_user))


@bp.get("/sessions/<int:session_id>/projects/<int:project_id>/digest")
@role_required(Role.STARTUP, Role.ADMIN)
def digest_page(session_id: int, project_id: int):
    project = get_visible_or_404(Project, project_id, can_see_digest)
    session = db.get_or_404(RoadshowSession, session_id)
    if not session.status.is_ended:
        abort(404)
    _pitched(session, project.id)
    return render_template("feedback/digest.html", digest=services.digest(session, project),
                           min_aggregate=services.MIN_AGGREGATE, deadline=services.deadline(session))
