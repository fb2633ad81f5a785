"""Training pages: a session's materials, "my training" with certificates, the organisers' course pages, and the
public verification of a certificate (/certificates/<code>).

Records are looked up through the training policies: another organiser's course, session or material answers
404 like a missing one; a material the reader may not see, too."""
from __future__ import annotations

import csv
from functools import wraps
from io import StringIO

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..common.actions import apply, show_violation
from ..common.errors import RuleViolation
from ..common.files import UploadRejected
from ..common.lookup import get_visible_or_404
from ..extensions import db
from ..roadshows.models import RoadshowSession, Series
from . import certificate_pdf, materials, policies, services
from .forms import CourseRuleForm, MaterialForm, MaterialVisibilityForm
from .models import TrainingMaterial

bp = Blueprint("training", __name__, url_prefix="/training")
verify_bp = Blueprint("certificates", __name__)


def register_domain(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(verify_bp)


def course_manager_required(view):
    """Admins and approved organisers (each then sees only the courses it manages); 403 for everyone else."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not policies.may_run_courses(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


# --- materials ---------------------------------------------------------------------------------

def _render_materials(session: RoadshowSession, form: MaterialForm | None = None, status: int = 200):
    manages = policies.can_manage_materials(current_user, session)
    return render_template(
        "training/materials.html", session=session, materials=services.session_materials(session, current_user),
        manages=manages, form=form or (MaterialForm() if manages else None),
        registered=policies.is_registered(current_user, session),
    ), status


@bp.get("/sessions/<int:session_id>/materials")
def session_materials(session_id: int):
    return _render_materials(get_visible_or_404(RoadshowSession, session_id, policies.is_training_session))


@bp.post("/sessions/<int:session_id>/materials")
@login_required
def add_material(session_id: int):
    session = get_visible_or_404(RoadshowSession, session_id, policies.can_manage_materials)
    form = MaterialForm()
    if not form.validate_on_submit():
        return _render_materials(session, form, 400)
    try:
        material = services.add_material(session, current_user, title=form.title.data, upload=form.upload(),
                                         url=form.url.data, is_public=form.is_public.data)
    except UploadRejected as exc:
        db.session.rollback()
        form.file.errors.append(str(exc))
        return _render_materials(session, form, exc.status)
    except RuleViolation as exc:
        db.session.rollback()
        show_violation(form, exc)
        return _render_materials(session, form, getattr(exc, "status", 400))
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        materials.remove_material(material.file_name)
        raise
    flash(_("已添加培训资料：%(title)s。", title=material.title), "success")
    return redirect(url_for(".session_materials", session_id=session.id))


@bp.get("/materials/<int:material_id>/download")
def download_material(material_id: int):
    material = get_visible_or_404(TrainingMaterial, material_id, policies.can_read_material)
    if material.is_link:
        return redirect(material.url)
    path = materials.material_path(material.file_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=materials.MIME_TYPES[material.file_type], as_attachment=True,
                         download_name=material.original_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/materials/<int:material_id>/visibility")
@login_required
def set_material_visibility(material_id: int):
    material = get_visible_or_404(TrainingMaterial, material_id, policies.can_manage_material)
    form = MaterialVisibilityForm()
    if form.validate_on_submit():
        public = form.is_public.data
        apply(lambda: services.set_material_public(material, current_user, public),
              _("资料已公开，所有人都能查看。") if public else _("资料已设为仅报名者可见。"))
    return redirect(url_for(".session_materials", session_id=material.session_id))


@bp.post("/materials/<int:material_id>/delete")
@login_required
def delete_material(material_id: int):
    material = get_visible_or_404(TrainingMaterial, material_id, policies.can_manage_material)
    session_id, title = material.session_id, material.title
    file_name = services.delete_material(material, current_user)
    db.session.commit()
    materials.remove_material(file_name)
    flash(_("已删除培训资料：%(title)s。", title=title), "success")
    return redirect(url_for(".session_materials", session_id=session_id))


# --- a person's own courses ----------------------------------------------------------------------

@bp.get("/")
@login_required
def my_training():
    return render_template("training/my_training.html", courses=services.my_courses(current_user),
                           rule_text=services.rule_text)


@bp.get("/courses/<int:series_id>/certificate.pdf")
@login_required
def certificate(series_id: int):
    series = get_visible_or_404(Series, series_id, policies.is_registered_for_course)
    try:
        issued = services.issue_certificate(current_user, series)
    except services.CourseNotComplete as exc:
        db.session.rollback()
        return render_template("training/not_complete.html", series=series, message=str(exc)), 404
    db.session.commit()
    response = Response(certificate_pdf.render(issued), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename=certificate-{issued.id}.pdf"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- organisers' and admins' course pages --------------------------------------------------------

@bp.get("/courses")
@course_manager_required
def courses():
    managed = services.courses_managed_by(current_user)
    return render_template("training/courses.html", courses=[(s, services.course_sessions(s)) for s in managed])


@bp.route("/courses/<int:series_id>", methods=["GET", "POST"])
@course_manager_required
def course(series_id: int):
    series = get_visible_or_404(Series, series_id, policies.can_manage_course)
    form = CourseRuleForm(required_sessions=services.threshold_of(series))
    if form.validate_on_submit():
        required = form.required_sessions.data
        apply(lambda: services.set_threshold(series, current_user, required), _("结业条件已保存。"))
        return redirect(url_for(".course", series_id=series.id))
    sessions, required, rows = services.course_report(series)
    return render_template("training/course.html", series=series, sessions=sessions, required=required, rows=rows,
                           form=form, rule=services.rule_text(series, sessions)), 400 if form.errors else 200


def _csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/courses/<int:series_id>/attendance.csv")
@course_manager_required
def course_csv(series_id: int):
    series = get_visible_or_404(Series, series_id, policies.can_manage_course)
    sessions, required, rows = services.course_report(series)
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("姓名"), _("邮箱"), *[f"{s.title} ({s.starts_at.date().isoformat()})" for s in sessions],
                     _("出席场次"), _("结业要求"), _("是否结业")])
    for row in rows:
        marks = [_("出席") if s.id in row.attended else (_("已报名") if s.id in row.registered else "") for s in sessions]
        writer.writerow([_csv_cell(row.user.name), _csv_cell(row.user.email), *marks, len(row.attended), required,
                         _("是") if row.complete else _("否")])
    # A byte-order mark so that Excel opens the Chinese text as UTF-8.
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=course-{series.id}-attendance.csv"})


# --- public verification -----------------------------------------------------------------------

@verify_bp.get("/certificates/<verification_code>")
def verify(verification_code: str):
    found = services.certificate_by_code(verification_code)
    if found is None:
        return render_template("training/verify.html", certificate=None), 404
    return render_template("training/verify.html", certificate=found)
