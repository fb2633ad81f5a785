"""Socket.IO events of the live rooms. One room per session; see membership.py for who joins which room.

Each handler is called with the member's freshly checked Access and the validated fields; a refusal
or bad input answers the sender with an `error` event ({code, message}) and an unsuccessful ack,
and changes nothing. Handlers commit, then broadcast, so no one hears of a change that was rolled back.
"""
from __future__ import annotations

from functools import wraps

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, emit
from marshmallow import ValidationError

from ..common.errors import RuleViolation
from ..extensions import db, socketio
from . import broadcast, interests, membership, payloads, polls, questions, room, schemas, video
from .access import remove_user
from .errors import LiveError, error_payload
from .presence import presence


# (event, handler) pairs, bound to the app's Socket.IO server by register(). A decorator that bound
# them at import would reach only the server that existed then: every create_app() makes a new one.
HANDLERS: list[tuple[str, object]] = []


def register() -> None:
    for name, handler in HANDLERS:
        socketio.on_event(name, handler)


def _on(name: str):
    def add(handler):
        HANDLERS.append((name, handler))
        return handler
    return add


def _user():
    return current_user._get_current_object()


def _refuse(body: dict) -> dict:
    emit("error", body)
    return {"ok": False, **body}


def _load(schema: type[schemas.EventSchema], data) -> dict:
    try:
        return schema().load({} if data is None else data)
    except ValidationError as exc:
        fields = ", ".join(sorted(k for k in exc.messages if k != "_schema")) if isinstance(exc.messages, dict) else ""
        raise LiveError("invalid_payload", _("请求内容有误：%(fields)s。", fields=fields or _("格式不对"))) from None


def room_event(name: str, schema: type[schemas.EventSchema] = schemas.Empty):
    """Register a handler(access, **fields) for a client event; its dict result is the ack."""
    def register(handler):
        @wraps(handler)
        def run(data=None):
            try:
                access = membership.access_of(request.sid, _user())
                return {"ok": True, **(handler(access, **_load(schema, data)) or {})}
            except RuleViolation as exc:
                db.session.rollback()
                return _refuse(error_payload(exc))
            except Exception:  # never leave the client waiting, never show a traceback
                db.session.rollback()
                current_app.logger.exception("live event %s failed", name)
                return _refuse({"code": "internal", "message": _("服务器出错了，请稍后再试。")})

        HANDLERS.append((name, run))
        return run
    return register


def _send_state(access) -> None:
    emit("state", payloads.full_state(access, room.get_room(access.session.id), presence().summary(access.session.id)))


@_on("connect")
def on_connect(auth=None):
    """Every browser opening a live page sends it (auth: {session_id}); it receives `state`, the room `presence`.
    A page that only needs the person's own deliveries (conversations) connects with auth: {personal: true}."""
    try:
        if membership.wants_personal(auth):
            membership.join_personal(request.sid, _user())
            return
        access = membership.admit(membership.session_id_from(auth, request.args), _user())
    except LiveError as exc:
        db.session.rollback()
        raise ConnectionRefusedError(str(exc), exc.payload()) from None
    session_id = access.session.id  # the commit below expires the session: reading its id would load it again
    membership.join(request.sid, access)
    try:
        _send_state(access)
        db.session.commit()  # the room row, when this was the first visit
    except Exception:
        membership.leave(request.sid)  # a failed connect gets no disconnect event
        raise
    broadcast.presence_changed(session_id)


@_on("disconnect")
def on_disconnect(reason=None):
    """Sent by Socket.IO when a client goes away; the room receives `presence`."""
    conn = membership.leave(request.sid)
    if conn is not None:
        broadcast.presence_changed(conn.session_id)


@room_event("sync")
def sync(access):
    """Any member may ask again for the whole state; only the sender receives `state`."""
    _send_state(access)


@room_event("ask", schemas.Ask)
def ask(access, body, anonymous, project_id, client_key):
    """An investor with a seat asks; attendees receive `question` (or, under pre-moderation, only hosts and the author).
    Sent again with the same `client_key`, the ack names the question stored the first time."""
    question = questions.ask(access, body, anonymous=anonymous, project_id=project_id, client_key=client_key)
    db.session.commit()
    broadcast.question_changed(question)
    return {"id": question.id, "status": question.status.value}


@room_event("vote", schemas.QuestionRef)
def vote(access, question_id):
    """An investor with a seat upvotes a question once; everyone receives the `question` with its new count."""
    question = questions.vote(access, question_id)
    db.session.commit()
    broadcast.question_changed(question)
    return {"votes": question.votes}


@room_event("unvote", schemas.QuestionRef)
def unvote(access, question_id):
    """The voter takes the upvote back; everyone receives the `question` with its new count."""
    question = questions.unvote(access, question_id)
    db.session.commit()
    broadcast.question_changed(question)
    return {"votes": question.votes}


@room_event("withdraw", schemas.QuestionRef)
def withdraw(access, question_id):
    """The author takes back their question; everyone receives `question_removed`."""
    question = questions.withdraw(access, question_id)
    db.session.commit()
    broadcast.question_changed(question)


@room_event("interest", schemas.Interest)
def interest(access, project_id):
    """An investor asks to meet the presenting (or named) project; that startup and the hosts receive `interest`."""
    flag, created = interests.flag_interest(access, project_id)
    db.session.commit()
    if created:
        broadcast.interest_flagged(flag)
    return {"project_id": flag.project_id, "created": created}


@room_event("host:moderate", schemas.Moderate)
def moderate(access, question_id, action):
    """The host approves, hides, pins, unpins or (un)marks answered a question; the room receives the change."""
    question = questions.moderate(access, question_id, action)
    db.session.commit()
    broadcast.question_changed(question)


@room_event("host:announce", schemas.Announce)
def announce(access, body):
    """The host posts an announcement; everyone receives `announcement`."""
    announcement = questions.announce(access, body)
    db.session.commit()
    broadcast.announced(announcement)


@room_event("host:remove", schemas.RemoveUser)
def remove(access, user_id):
    """The host removes a disruptive member; their clients receive `removed` and are disconnected."""
    remove_user(access, user_id)
    db.session.commit()


@room_event("host:poll_launch", schemas.PollLaunch)
def poll_launch(access, question, options, kind, anonymous):
    """The host puts a poll to the room; everyone receives `poll`."""
    poll = polls.launch(access, question, options, kind=kind, anonymous=anonymous)
    db.session.commit()
    broadcast.poll_changed(poll)
    return {"id": poll.id}


@room_event("poll_vote", schemas.PollVote)
def poll_vote(access, poll_id, option_ids):
    """A signed-in member votes once; hosts (and the room, once results are shown) receive the new counts."""
    poll = polls.vote(access, poll_id, option_ids)
    db.session.commit()
    broadcast.poll_changed(poll)
    return {"poll_id": poll.id, "option_ids": sorted(option_ids)}


@room_event("host:poll_show", schemas.PollRef)
def poll_show(access, poll_id):
    """The host shows the results to the room while voting goes on."""
    poll = polls.show_results(access, poll_id)
    db.session.commit()
    broadcast.poll_changed(poll)


@room_event("host:poll_close", schemas.PollRef)
def poll_close(access, poll_id):
    """The host ends the voting; the room receives `poll` with the final results."""
    poll = polls.close(access, poll_id)
    db.session.commit()
    broadcast.poll_changed(poll)


@room_event("host:rotate_key")
def rotate_key(access):
    """The host (or an admin) replaces the stream key; only the sender receives the new one, in the ack."""
    publishing = video.rotate_key(access)
    db.session.commit()
    return {"server_url": publishing.server_url, "stream_key": publishing.stream_key}


def _room_control(name: str, action, schema=schemas.Empty, doc: str = ""):
    """Host controls that change the running order or switches; the room receives `room`."""
    def handler(access, **fields):
        changed = action(access, **fields)
        db.session.commit()
        broadcast.room_changed(changed, access.session)

    handler.__doc__ = doc
    handler.__name__ = name.replace(":", "_")
    room_event(name, schema)(handler)


_room_control("host:open", room.open_room, schemas.OpenRoom,
              doc="The host opens the room (session goes live); more than 30 minutes early only with early=true.")
_room_control("host:advance", room.advance, doc="The host moves on: pitch → Q&A → next project → end.")
_room_control("host:start_slot", room.start_slot, schemas.SlotRef, doc="The host starts one project's pitch.")
_room_control("host:extend", room.extend, schemas.Extend, doc="The host adds minutes to the running timer.")
_room_control("host:end", room.end_session, doc="The host ends the session.")
_room_control("host:settings", room.update_settings, schemas.Settings, doc="The host locks Q&A or toggles pre-moderation.")
