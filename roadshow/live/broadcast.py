"""Room names and the events the room receives. Each change is serialised once and emitted once per
audience (the room, the attendees, the hosts, one company, one person), never once per client.
"""
from __future__ import annotations

import threading
import time

from flask import Flask, current_app

from ..extensions import socketio
from . import interests, payloads, room_content
from .models import Announcement, Interest, LiveRoom, Poll, Question, QuestionStatus
from .presence import presence
from ..roadshows.models import RoadshowSession


def everyone(session_id: int) -> str:
    return f"live:{session_id}"


def audience(session_id: int) -> str:
    """Everyone but the hosts: they get the public form of questions."""
    return f"live:{session_id}:audience"


def hosts(session_id: int) -> str:
    return f"live:{session_id}:hosts"


def company(session_id: int, company_id: int) -> str:
    return f"live:{session_id}:company:{company_id}"


def person(session_id: int, user_id: int) -> str:
    return f"live:{session_id}:user:{user_id}"


def room_changed(room: LiveRoom, session: RoadshowSession) -> None:
    socketio.emit("room", payloads.room_payload(room, session), to=everyone(session.id))


def question_changed(question: Question) -> None:
    """Attendees see approved questions (others are taken off their lists); hosts see all; the author their own."""
    sid = question.session_id
    room_content.changed(sid)  # before the broadcast: a client joining now finds it, or receives it
    public = payloads.question_public(question)
    if payloads.is_public(question):
        socketio.emit("question", public, to=audience(sid))
    else:
        socketio.emit("question_removed", {"id": question.id}, to=audience(sid))
        if question.status == QuestionStatus.PENDING:
            socketio.emit("question", public, to=person(sid, question.author_id))
    if question.status == QuestionStatus.WITHDRAWN:
        socketio.emit("question_removed", {"id": question.id}, to=hosts(sid))
    else:
        socketio.emit("question", payloads.question_for_host(question), to=hosts(sid))


def announced(announcement: Announcement) -> None:
    room_content.changed(announcement.session_id)
    socketio.emit("announcement", payloads.announcement_payload(announcement), to=everyone(announcement.session_id))


def poll_changed(poll: Poll) -> None:
    """Hosts see the counts (and, unless anonymous, who chose what) at every vote; the room once they are shown."""
    room_content.changed(poll.session_id)
    socketio.emit("poll", payloads.poll_payload(poll, for_host=True), to=hosts(poll.session_id))
    socketio.emit("poll", payloads.poll_payload(poll), to=audience(poll.session_id))


def stream_changed(session_id: int) -> None:
    """The media server reported a push starting or ending: every client's player follows."""
    socketio.emit("stream", payloads.stream_payload(session_id), to=everyone(session_id))


def interest_flagged(interest: Interest) -> None:
    """The presenting startup and the hosts see who wants a meeting, as it happens."""
    count = interests.counts_by_project(interest.session_id).get(interest.project_id, 0)
    body = payloads.interest_payload(interest, count)
    socketio.emit("interest", body, to=hosts(interest.session_id))
    socketio.emit("interest", body, to=company(interest.session_id, interest.project.company_id))


# At most one `presence` broadcast per room per interval (seconds, config LIVE_PRESENCE_INTERVAL; 0: every
# change). Each join or leave used to broadcast to the whole room: a thousand investors arriving for the
# start made a million messages, and the clients fell so far behind that they missed their pings.
def presence_changed(session_id: int) -> None:
    """The head count to everyone: at once, or, if one went out less than the interval ago, once more when
    it is over (with the count as it is then), however many joins and leaves happen in between."""
    app = current_app._get_current_object()
    interval = app.config["LIVE_PRESENCE_INTERVAL"]
    throttle = app.extensions.setdefault("live_presence", {"lock": threading.Lock(), "last": {}, "due": set()})
    with throttle["lock"]:
        if session_id in throttle["due"]:
            return  # a broadcast is already on its way
        wait = throttle["last"].get(session_id, -interval) + interval - time.monotonic()
        if wait > 0:
            throttle["due"].add(session_id)
        else:
            throttle["last"][session_id] = time.monotonic()
    if wait > 0:
        socketio.start_background_task(_presence_later, app, session_id, wait)
    else:
        _send_presence(session_id)


def _presence_later(app: Flask, session_id: int, wait: float) -> None:
    socketio.sleep(wait)
    with app.app_context():
        throttle = app.extensions["live_presence"]
        with throttle["lock"]:
            throttle["due"].discard(session_id)
            throttle["last"][session_id] = time.monotonic()
        _send_presence(session_id)


def _send_presence(session_id: int) -> None:
    socketio.emit("presence", presence().summary(session_id), to=everyone(session_id))


def user_room(user_id: int) -> str:
    """Every open socket of one person, whatever page it was opened on: personal deliveries (conversations)."""
    return f"user:{user_id}"
