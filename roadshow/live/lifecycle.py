"""The live rooms follow their session's status, whoever changes it (the clock, an admin, the host)."""
from __future__ import annotations

from ..extensions import db
from ..roadshows.models import RoadshowSession, SessionStatus
from . import broadcast, polls
from .access_changes import resync_membership
from .models import LiveRoom, Phase


def session_status_changed(session: RoadshowSession, *, after: SessionStatus, **_extra) -> None:
    """Receiver of roadshows.signals.session_status_changed: a room whose session ended stops its timer;
    the room's clients receive `room`; a cancelled session sends everyone out of its room with the reason.

    Runs inside the sender's transaction (the sender commits right after); a client that missed the event
    gets the same state on its next connect.
    """
    if after == SessionStatus.CANCELLED:
        resync_membership(session.id)  # on commit: everyone is told why and disconnected
    if after in (SessionStatus.ENDED, SessionStatus.CANCELLED):
        polls.close_all(session.id)  # the record keeps their final results
    room = db.session.get(LiveRoom, session.id)
    if room is None:  # nobody has opened the room yet (a connect creates it): no one to tell
        return
    if after == SessionStatus.ENDED and room.phase != Phase.ENDED:
        room.phase, room.timer_ends_at, room.version = Phase.ENDED, None, room.version + 1
        db.session.flush()
    broadcast.room_changed(room, session)
