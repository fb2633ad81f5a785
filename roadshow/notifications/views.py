"""A user's notifications: the list, and marking them read."""
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..common.lookup import get_visible_or_404
from ..extensions import db
from . import services
from .models import Notification
from .policies import is_recipient

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():
    return render_template("notifications/index.html", notifications=services.recent_for(current_user.id))


@bp.post("/read")
@login_required
def mark_all_read():
    services.mark_read(current_user.id)
    db.session.commit()
    return redirect(url_for(".index"))


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    notification = get_visible_or_404(Notification, notification_id, is_recipient)  # another user's: as if missing
    services.mark_read(current_user.id, notification.id)
    db.session.commit()
    return redirect(url_for(".index"))
