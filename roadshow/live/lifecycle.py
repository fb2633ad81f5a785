"""The live rooms follow their session's status (the scheduler's clock moves sessions live and ended)."""
from __future__ import annotations

from ..extensions import db
from ..roadshows.models import RoadshowSession, SessionStatus
from . import broadcast
from .models import LiveRoom, Phase
from .room import get_room


def session_status_changed(session: RoadshowSession, *, after: SessionStatus, **_extra) -> None:
    """Receiver of roadshows.signals.session_status_changed: a room whose session ended stops its timer;
    the room's clients receive `room`.

    Runs inside the sender's transaction (the job commits right after); a client that missed the event
    gets the same state on its next connect.
    """
    if after == SessionStatus.ENDED:
        room = db.session.get(LiveRoom, session.id)
        if room is not None and room.phase != Phase.ENDED:
            room.phase, room.timer_ends_at, room.version = Phase.ENDED, None, room.version + 1
            db.session.flush()
    broadcast.room_changed(get_room(session.id), session)
