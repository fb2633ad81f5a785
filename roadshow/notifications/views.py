"""A user's notifications: the list, and marking them read."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from . import services

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():
    return render_template("notifications/index.html", notifications=services.recent_for(current_user.id))


@bp.post("/read")
@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int | None = None):
    services.mark_read(current_user.id, notification_id)
    db.session.commit()
    return redirect(url_for(".index"))
