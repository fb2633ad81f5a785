"""Home page, the roadshow agenda, session pages and seat booking."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.actions import apply
from ..common.timeutil import utcnow
from ..extensions import db
from ..projects.services import is_owner
from . import queries, services
from .models import Booking

bp = Blueprint("roadshows", __name__)


@bp.get("/")
def home():
    upcoming = services.upcoming_sessions(limit=6)
    return render_template(
        "roadshows/home.html",
        upcoming=upcoming,
        projects=queries.recent_public_projects(),
        counts=queries.platform_counts(),
    )


@bp.get("/sessions")
def sessions():
    days = queries.group_by_local_day(services.upcoming_sessions())
    return render_template("roadshows/sessions.html", days=days)


@bp.get("/sessions/<int:session_id>")
def session_detail(session_id: int):
    session = queries.session_with_lineup(session_id) or abort(404)
    booking = None
    can_see_attendees = False
    if current_user.is_authenticated:
        booking = services.active_booking(session, current_user)
        can_see_attendees = current_user.is_admin or any(is_owner(current_user, s.project) for s in session.slots)
    return render_template(
        "roadshows/session_detail.html",
        session=session,
        booking=booking,
        attendees=queries.booked_institutions(session) if can_see_attendees else None,
    )


@bp.post("/sessions/<int:session_id>/book")
@role_required(Role.INVESTOR)
def book(session_id: int):
    session = db.session.get(services.RoadshowSession, session_id) or abort(404)
    apply(lambda: services.book_seat(session, current_user), _("预约成功：%(title)s。", title=session.title))
    return redirect(url_for(".session_detail", session_id=session_id))


@bp.post("/bookings/<int:booking_id>/cancel")
@role_required(Role.INVESTOR)
def cancel_booking(booking_id: int):
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.user_id != current_user.id:
        abort(404)
    apply(lambda: services.cancel_booking(booking, current_user), _("已取消预约。"), "info")
    return redirect(url_for(".session_detail", session_id=booking.session_id))


@bp.get("/my/bookings")
@role_required(Role.INVESTOR)
def my_bookings():
    return render_template("roadshows/my_bookings.html", bookings=queries.my_bookings(current_user), now=utcnow())
