"""Authenticated endpoints: the caller's own account, bookings, projects and applications."""
import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from ..common.errors import PermissionDenied, RuleViolation
from ..extensions import db
from ..roadshows import services as roadshow_services
from ..roadshows.models import Booking, RoadshowSession
from ..roadshows.queries import my_bookings
from . import schemas as s
from .auth import require
from .blueprint import bp

BEARER = [{"bearerAuth": []}]


def authenticated(bp_view):
    """Document what every authenticated endpoint may answer besides success."""
    for status, name in ((401, "UNAUTHORIZED"), (403, "FORBIDDEN")):
        bp_view = bp.alt_response(status, response=name)(bp_view)
    return bp.doc(security=BEARER)(bp_view)


@bp.get("/me")
@authenticated
@bp.response(200, s.MeSchema)
@require("read")
def me():
    """The caller's account and roles."""
    return current_user


@bp.get("/me/bookings")
@authenticated
@bp.response(200, s.BookingSchema(many=True))
@require("read")
def list_bookings():
    """The caller's seat bookings, latest session first."""
    return my_bookings(current_user)


@bp.post("/me/bookings")
@authenticated
@bp.arguments(s.BookingRequest)
@bp.response(201, s.BookingSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
@require("write")
def create_booking(body):
    """Book a seat (investors). A full session answers 409 with code `session_full`."""
    session = db.session.get(RoadshowSession, body["session_id"]) or abort(404)
    booking = roadshow_services.book_seat(session, current_user)
    db.session.commit()
    return booking


@bp.delete("/me/bookings/<int:booking_id>")
@authenticated
@bp.response(200, s.BookingSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
@require("write")
def cancel_booking(booking_id):
    """Cancel one of the caller's bookings, up to the session start."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.user_id != current_user.id:
        abort(404)  # another user's booking is not even confirmed to exist
    roadshow_services.cancel_booking(booking, current_user)
    db.session.commit()
    return booking
