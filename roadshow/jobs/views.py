"""Admin jobs page: every periodic job, its next run and last result, and "run now"."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..accounts.permissions import admin_required
from ..common.timeutil import utcnow
from ..notifications.services import outbox_backlog
from . import services
from .cli import scheduler_command
from .models import RunStatus
from .registry import discover
from .runner import UnknownJob, run_job

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs", cli_group=None)
bp.cli.add_command(scheduler_command)


@bp.before_request
@admin_required
def require_admin():
    """Only admins see or run jobs."""


@bp.get("/")
def index():
    job_id = request.args.get("job") or None
    if job_id not in discover():
        job_id = None
    return render_template(
        "jobs/index.html", rows=services.job_overview(utcnow()), runs=services.recent_runs(job_id), job_id=job_id,
        outbox=outbox_backlog(),
    )


@bp.post("/<job_id>/run")
def run_now(job_id: str):
    try:
        run = run_job(job_id, manual=True)
    except UnknownJob:
        abort(404)
    name = discover()[job_id].description or job_id
    if run is None or run.status == RunStatus.SKIPPED:
        flash(_("“%(name)s”正在其他进程中运行，本次未执行。", name=name), "warning")
    elif run.status == RunStatus.ERROR:
        flash(_("“%(name)s”运行出错，错误详情见下方运行记录。", name=name), "danger")
    else:
        flash(_("“%(name)s”已运行完成。", name=name), "success")
    return redirect(url_for(".index", job=job_id))
