"""Live delivery of a new message to every participant's open sockets (their personal Socket.IO room)."""
from __future__ import annotations

from ..extensions import socketio
from ..i18n.formatting import format_datetime
from ..live.broadcast import user_room
from .models import Message
from .services import participants


def payload(message: Message) -> dict:
    return {
        "thread_id": message.thread_id, "id": message.id, "author_id": message.author_id,
        "author": message.author.name if message.author else "", "body": message.body,
        "deck": message.deck_project_id is not None, "created_at": format_datetime(message.created_at),
    }


def deliver(message: Message) -> None:
    """Called after the commit: nobody hears of a message that was rolled back."""
    body = payload(message)
    for person in participants(message.thread):
        socketio.emit("conversation_message", body, to=user_room(person.id))
