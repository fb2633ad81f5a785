"""Admin page: the audit log, filterable by action, person and record type."""
from flask import Blueprint, render_template, request

from ..accounts.permissions import admin_required
from ..common.bounds import id_from
from ..common.forms import requested_page
from ..extensions import db
from .services import ACTIONS, entries_query

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.get("/")
@admin_required
def index():
    action = request.args.get("action") if request.args.get("action") in ACTIONS else None
    actor_id = id_from(request.args.get("actor"))
    target_type = (request.args.get("target") or "")[:40] or None
    page = db.paginate(entries_query(action, actor_id, target_type), page=requested_page(), per_page=50,
                       error_out=False)
    return render_template("audit/index.html", page=page, actions=ACTIONS, action=action)
