"""Admin pages: upload an official list, see its preview, apply it; the imports done so far."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import admin_required
from ..common.errors import RuleViolation
from ..extensions import db
from . import services
from .forms import ApplyForm, UploadForm
from .models import ListKind

bp = Blueprint("official", __name__, url_prefix="/admin/official-lists")
PREVIEW_ROWS = 50


@bp.before_request
@admin_required
def require_admin():
    """Only the center's admins import official lists."""


@bp.route("/", methods=["GET", "POST"])
def index():
    form = UploadForm()
    if form.validate_on_submit():
        kind = ListKind(form.kind.data)
        upload = form.file.data
        data = upload.read(services.limits().max_bytes + 1)
        try:
            plan = services.plan_import(kind, upload.filename or "", data)
            sha = services.stash(plan)
        except RuleViolation as exc:
            form.file.errors = [str(exc)]
            status = getattr(exc, "status", 400)
        else:
            apply_form = ApplyForm(kind=kind.value, source=form.source.data, file_name=upload.filename, sha256=sha)
            return render_template("official/preview.html", plan=plan, source=form.source.data,
                                   apply_form=apply_form, shown=PREVIEW_ROWS)
    else:
        status = 400 if form.errors else 200
    return render_template("official/index.html", form=form, imports=services.recent_imports()), status


@bp.post("/apply")
def apply():
    form = ApplyForm()
    if not form.validate_on_submit():
        flash(_("导入请求无效，请重新上传文件。"), "warning")
        return redirect(url_for("official.index"))
    try:
        batch = services.apply_import(ListKind(form.kind.data), form.source.data, form.file_name.data,
                                      form.sha256.data, current_user)
    except RuleViolation as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("official.index"))
    db.session.commit()
    flash(_("已导入：匹配 %(matched)d 行，其中变更 %(changed)d 行；未匹配 %(unmatched)d 行。",
            matched=batch.matched, changed=batch.changed, unmatched=batch.unmatched), "success")
    return redirect(url_for("official.index"))
