"""Authenticated endpoints: the caller's own account, bookings, projects and applications."""
import sqlalchemy as sa
from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..common.db import commit_as_written
from ..common.lookup import get_visible_or_404
from ..extensions import db
from ..roadshows import services as roadshow_services
from ..matching.queries import projects_for_institution
from ..common.errors import FieldRuleViolation, PermissionDenied
from ..conversations import live as conversation_live, services as conversations
from ..conversations.models import Thread
from ..conversations.policies import can_view_thread, is_party as is_thread_party
from ..deals.models import Deal
from ..deals.policies import can_view_deal
from ..investors.models import Institution
from ..investors.policies import can_view_institution
from ..meetings import services as meeting_services
from ..meetings.models import MeetingRequest
from ..meetings.policies import can_view_meeting
from ..meetings.services import ask_institution, meetings_for, request_meeting
from ..projects.models import Project
from ..projects.policies import can_view_project
from ..projects.services import company_projects
from ..roadshows.models import AttendeeType, Booking, RoadshowSession, WaitlistEntry
from ..roadshows.policies import owns_booking
from ..roadshows.queries import my_bookings, my_waitlist
from ..screening.services import company_applications
from . import schemas as s
from .auth import require
from .blueprint import bp

WAITLIST = s.WaitlistSchema()  # the 202 answer to a booking, serialised by hand: one instance, not one per request

BEARER = [{"bearerAuth": []}]


def authenticated(bp_view):
    """Document what every authenticated endpoint may answer besides success."""
    for status, name in ((401, "UNAUTHORIZED"), (403, "FORBIDDEN")):
        bp_view = bp.alt_response(status, response=name)(bp_view)
    return bp.doc(security=BEARER)(bp_view)


def _waitlist_item(entry: WaitlistEntry, position: int) -> dict:
    """What WaitlistSchema shows of one entry (the position is computed by the caller's query)."""
    return {"session": entry.session, "attendee_type": entry.attendee_type.value, "position": position,
            "created_at": entry.created_at}


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
@bp.arguments(s.BookingRequest())
@bp.response(201, s.BookingSchema)
@bp.alt_response(202, schema=s.WaitlistSchema, description="Full: the caller is on the waitlist")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def create_booking(body):
    """Register for a session as an attendee type (investors by default; `startup` for startup accounts,
    `public` for any account, where the session admits them). When that type's seats are full the caller joins
    its waitlist (202), or with `join_waitlist: false` gets 409 with code `session_full`. Answers to the
    session's registration questions go in `answers`; a missing required one or an unlisted choice is a 422."""
    session = db.first_or_404(sa.select(RoadshowSession).where(RoadshowSession.id == body["session_id"])
                              .options(joinedload(RoadshowSession.venue), joinedload(RoadshowSession.series)))
    result = roadshow_services.request_seat(
        session, current_user, attendee_type=AttendeeType(body["attendee_type"]), waitlist=body["join_waitlist"],
        answers={int(question_id): value for question_id, value in body["answers"].items()})
    # The answer is what was just written, under the session's lock: the booking or entry with its session, venue
    # and series loaded now and kept through the commit (else each is read again after it).
    result.session, session.venue, session.series  # noqa: B018 (loaded, and held by the answer)
    commit_as_written()
    if isinstance(result, WaitlistEntry):
        waiting = _waitlist_item(result, roadshow_services.waitlist_position(result))
        response = jsonify(WAITLIST.dump(waiting))  # the alternative response is serialised here
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
@bp.arguments(s.MeetingRequestBody())
@bp.response(201, s.MeetingSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def create_meeting(body):
    """Ask for a meeting, either way. Investors: a public project's team, optionally in one of its free
    slots (`slot_id`); an open request for the same project is returned. Startups: a verified institution
    (`institution_id`) about one of their own public projects, with a message; one open request per
    institution, a daily cap, none to an institution that muted the startup (409)."""
    project = get_visible_or_404(Project, body["project_id"], can_view_project)
    if body["institution_id"] is not None:
        institution = get_visible_or_404(Institution, body["institution_id"], can_view_institution)
        meeting = ask_institution(current_user, institution, project, body["message"], source="api")
    else:
        meeting = request_meeting(current_user, project, body["message"], source="api", slot_id=body["slot_id"])
    db.session.commit()
    return meeting


def _meeting(meeting_id: int) -> MeetingRequest:
    return get_visible_or_404(MeetingRequest, meeting_id, can_view_meeting)


@bp.post("/me/meetings/<int:meeting_id>/accept")
@require("write")
@authenticated
@bp.arguments(s.AcceptBody(), required=False)  # every field optional: no body is a valid request
@bp.response(200, s.MeetingSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def accept_meeting(body, meeting_id):
    """The side asked accepts: with one of the startup's free slots, the slot the request holds, or (a
    startup) the investor's proposed time. Two parties taking one slot at once: one wins, the other gets 422."""
    meeting = _meeting(meeting_id)
    meeting_services.accept(current_user, meeting, body["slot_id"])
    db.session.commit()
    return meeting


@bp.post("/me/meetings/<int:meeting_id>/decline")
@require("write")
@authenticated
@bp.arguments(s.ReasonBody(), required=False)
@bp.response(200, s.MeetingSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def decline_meeting(body, meeting_id):
    """The side asked declines a request (a held slot is freed)."""
    meeting = _meeting(meeting_id)
    meeting_services.decline(current_user, meeting, body["reason"])
    db.session.commit()
    return meeting


@bp.post("/me/meetings/<int:meeting_id>/cancel")
@require("write")
@authenticated
@bp.arguments(s.ReasonBody(), required=False)
@bp.response(200, s.MeetingSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def cancel_meeting(body, meeting_id):
    """The side that asked withdraws its request, or either side calls an accepted meeting off."""
    meeting = _meeting(meeting_id)
    meeting_services.cancel(current_user, meeting, body["reason"])
    db.session.commit()
    return meeting


def _thread_item(thread: Thread, unread: dict[int, int]) -> dict:
    return {"id": thread.id, "meeting_id": thread.meeting_id, "deal_id": thread.deal_id,
            "title": conversations.title_of(thread), "unread": unread.get(thread.id, 0),
            "is_blocked": thread.is_blocked, "last_message_at": thread.last_message_at}


@bp.get("/me/threads")
@require("read")
@authenticated
@bp.response(200, s.ThreadSchema(many=True))
def list_threads():
    """The caller's conversations with messages (of their meeting requests and deals), latest first."""
    threads = conversations.threads_for(current_user)
    unread = conversations.unread_counts(current_user, threads)
    return [_thread_item(t, unread) for t in threads]


@bp.post("/me/threads")
@require("write")
@authenticated
@bp.arguments(s.ThreadRequest())
@bp.response(200, s.ThreadSchema)
@bp.alt_response(404, response="NOT_FOUND")
def open_thread(body):
    """The conversation of one of the caller's meeting requests (`meeting_id`) or deals (`deal_id`), made
    the first time it is asked for."""
    if body["meeting_id"] is not None:
        thread = conversations.thread_for_meeting(_meeting(body["meeting_id"]))
    elif body["deal_id"] is not None:
        thread = conversations.thread_for_deal(get_visible_or_404(Deal, body["deal_id"], can_view_deal))
    else:
        raise FieldRuleViolation("meeting_id", _("请给出 meeting_id 或 deal_id。"))
    db.session.commit()
    return _thread_item(thread, conversations.unread_counts(current_user, [thread]))


def _thread(thread_id: int) -> Thread:
    return get_visible_or_404(Thread, thread_id, can_view_thread)


@bp.get("/me/threads/<int:thread_id>/messages")
@require("read")
@authenticated
@bp.arguments(s.MessageQuery(), location="query", as_kwargs=True)
@bp.response(200, s.MessageSchema(many=True))
@bp.alt_response(404, response="NOT_FOUND")
def list_messages(thread_id, after):
    """A conversation's messages, oldest first (up to 200 after `after`); reading does not move the read
    marker: POST …/read does."""
    return conversations.messages_of(_thread(thread_id), after=after)


@bp.post("/me/threads/<int:thread_id>/messages")
@require("write")
@authenticated
@bp.arguments(s.MessageBody())
@bp.response(201, s.MessageSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT")
def post_message(body, thread_id):
    """Write in a conversation (the two parties only); it is delivered live to the others' open pages."""
    message = conversations.post(current_user, _thread(thread_id), body["body"], share_deck=body["share_deck"])
    db.session.commit()
    conversation_live.deliver(message)
    return message


@bp.post("/me/threads/<int:thread_id>/read")
@require("write")
@authenticated
@bp.response(204)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(403, response="FORBIDDEN")
def read_thread(thread_id):
    """Mark the conversation read up to its latest message."""
    thread = _thread(thread_id)
    if not is_thread_party(current_user, thread):
        raise PermissionDenied(_("只有对接双方有阅读标记。"))
    conversations.mark_read(current_user, thread)
    db.session.commit()


@bp.get("/me/matches")
@require("read")
@authenticated
@bp.response(200, s.MatchSchema(many=True))
def list_matches():
    """Projects matched to the caller's institution, best first, with the reasons."""
    return projects_for_institution(current_user)
