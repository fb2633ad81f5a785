"""Authenticated endpoints: the caller's own account, bookings, projects and applications."""
from flask import jsonify
from flask_login import current_user

from ..common.lookup import get_visible_or_404
from ..extensions import db
from ..roadshows import services as roadshow_services
from ..matching.queries import projects_for_institution
from ..meetings.services import meetings_for, request_meeting
from ..projects.models import Project
from ..projects.policies import can_view_project
from ..projects.services import company_projects
from ..roadshows.models import Booking, RoadshowSession, WaitlistEntry
from ..roadshows.policies import owns_booking
from ..roadshows.queries import my_bookings, my_waitlist
from ..screening.services import company_applications
from . import schemas as s
from .auth import require
from .blueprint import bp

BEARER = [{"bearerAuth": []}]


def authenticated(bp_view):
    """Document what every authenticated endpoint may answer besides success."""
    for status, name in ((401, "UNAUTHORIZED"), (403, "FORBIDDEN")):
        bp_view = bp.alt_response(status, response=name)(bp_view)
    return bp.doc(security=BEARER)(bp_view)


def _waitlist_item(entry: WaitlistEntry, position: int) -> dict:
    """What WaitlistSchema shows of one entry (the position is computed by the caller's query)."""
    return {"session": entry.session, "position": position, "created_at": entry.created_at}


@bp.get("/me")
@require("read")
@authenticated
@bp.response(200, s.MeSchema)
def me():
    """The caller's account and roles."""
    return current_user


@bp.get("/me/bookings")
@require("read")
@authenticated
@bp.response(200, s.BookingSchema(many=True))
def list_bookings():
    """The caller's seat bookings, latest session first."""
    return my_bookings(current_user)


@bp.post("/me/bookings")
@require("write")
@authenticated
@bp.arguments(s.BookingRequest)
@bp.response(201, s.BookingSchema)
@bp.alt_response(202, schema=s.WaitlistSchema, description="Full: the caller is on the waitlist")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def create_booking(body):
    """Book a seat (investors). When the session is full the caller joins its waitlist (202), or with
    `join_waitlist: false` gets 409 with code `session_full`."""
    session = db.get_or_404(RoadshowSession, body["session_id"])
    result = roadshow_services.request_seat(session, current_user, waitlist=body["join_waitlist"])
    db.session.commit()
    if isinstance(result, WaitlistEntry):
        waiting = _waitlist_item(result, roadshow_services.waitlist_position(result))
        response = jsonify(s.WaitlistSchema().dump(waiting))  # the alternative response is serialised here
        response.status_code = 202
        return response
    return result


@bp.delete("/me/bookings/<int:booking_id>")
@require("write")
@authenticated
@bp.response(200, s.BookingSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def cancel_booking(booking_id):
    """Cancel one of the caller's bookings, up to the session start."""
    booking = get_visible_or_404(Booking, booking_id, owns_booking)  # another user's is not confirmed to exist
    roadshow_services.cancel_booking(booking, current_user)
    db.session.commit()
    return booking


@bp.get("/me/waitlist")
@require("read")
@authenticated
@bp.response(200, s.WaitlistSchema(many=True))
def list_waitlist():
    """Sessions the caller is waiting for a seat in, with their position."""
    return [_waitlist_item(entry, position) for entry, position in my_waitlist(current_user)]


@bp.delete("/me/waitlist/<int:session_id>")
@require("write")
@authenticated
@bp.response(204)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def leave_waitlist(session_id):
    """Stop waiting for a seat in a session."""
    session = db.get_or_404(RoadshowSession, session_id)
    roadshow_services.leave_waitlist(session, current_user)
    db.session.commit()


@bp.get("/me/applications")
@require("read")
@authenticated
@bp.response(200, s.ApplicationSchema(many=True))
def list_applications():
    """The roadshow applications of the caller's company (startups), newest first."""
    return company_applications(current_user.company_id)


@bp.get("/me/projects")
@require("read")
@authenticated
@bp.response(200, s.ProjectSchema(many=True))
def list_my_projects():
    """The projects of the caller's company, in any status."""
    return company_projects(current_user.company) if current_user.company else []


@bp.get("/me/meetings")
@require("read")
@authenticated
@bp.response(200, s.MeetingSchema(many=True))
def list_meetings():
    """Meeting requests the caller sent (investors) or received (startups)."""
    return meetings_for(current_user)


@bp.post("/me/meetings")
@require("write")
@authenticated
@bp.arguments(s.MeetingRequestBody)
@bp.response(201, s.MeetingSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def create_meeting(body):
    """Ask to meet a public project's team (investors); an open request for the same project is returned."""
    project = get_visible_or_404(Project, body["project_id"], can_view_project)
    meeting = request_meeting(current_user, project, body["message"], source="api")
    db.session.commit()
    return meeting


@bp.get("/me/matches")
@require("read")
@authenticated
@bp.response(200, s.MatchSchema(many=True))
def list_matches():
    """Projects matched to the caller's institution, best first, with the reasons."""
    return projects_for_institution(current_user)
