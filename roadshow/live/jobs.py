"""The scheduler's session lifecycle job moves sessions live and ended by the clock; open rooms hear of it."""
from __future__ import annotations

from ..extensions import db
from ..roadshows.models import RoadshowSession
from ..scheduling.lifecycle import LIFECYCLE_LISTENERS
from . import broadcast
from .models import LiveRoom, Phase
from .room import get_room


def sessions_moved(went_live: list[int], ended: list[int]) -> None:
    """A room whose session ended by the clock stops its timer; every moved room receives `room`.

    Runs inside the job's transaction (the job commits right after); a client that missed the event
    gets the same state on its next connect.
    """
    for session_id in ended:
        room = db.session.get(LiveRoom, session_id)
        if room is not None and room.phase != Phase.ENDED:
            room.phase, room.timer_ends_at, room.version = Phase.ENDED, None, room.version + 1
    db.session.flush()
    for session_id in [*went_live, *ended]:
        session = db.session.get(RoadshowSession, session_id)
        broadcast.room_changed(get_room(session_id), session)


def listen_to_lifecycle() -> None:
    if sessions_moved not in LIFECYCLE_LISTENERS:
        LIFECYCLE_LISTENERS.append(sessions_moved)
