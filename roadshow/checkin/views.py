"""The holder's ticket (a QR code) and the door's check-in page for staff."""
from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..common.errors import RuleViolation
from ..common.lookup import get_visible_or_404
from ..extensions import db
from ..roadshows.models import Booking, RoadshowSession
from ..roadshows.policies import owns_booking
from . import services
from .forms import CheckInForm
from .policies import can_check_in

bp = Blueprint("checkin", __name__, url_prefix="/checkin")


@bp.get("/bookings/<int:booking_id>")
@login_required
def ticket(booking_id: int):
    booking = get_visible_or_404(Booking, booking_id, owns_booking)
    return render_template("checkin/ticket.html", booking=booking, session=booking.session)


@bp.get("/bookings/<int:booking_id>/qr.svg")
@login_required
def ticket_qr(booking_id: int):
    booking = get_visible_or_404(Booking, booking_id, owns_booking)
    response = Response(services.qr_svg(booking), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"  # the code is its holder's entry ticket
    return response


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@login_required
def door(session_id: int):
    session = get_visible_or_404(RoadshowSession, session_id, can_check_in)
    form = CheckInForm()
    if form.validate_on_submit():
        try:
            result = services.check_in(session, form.code.data, current_user, form.scanned_time())
        except RuleViolation as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(services.describe(result), "success" if result.first else "warning")
        return redirect(url_for(".door", session_id=session.id))
    attendees = services.attendee_list(session)
    return render_template("checkin/door.html", session=session, form=form, attendees=attendees,
                           came=sum(1 for _booking, attendance in attendees if attendance))
