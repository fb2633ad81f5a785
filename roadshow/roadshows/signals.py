"""Signals of the roadshows domain: other domains react to a session's life without roadshows knowing them.

Receivers are connected in roadshow/wiring.py, never at import. They run inside the sender's
transaction (the sender commits after them), so they must not commit; they take their payload as
keyword arguments and accept ones they do not use (`**_extra`), so a new key breaks no receiver.
"""
from blinker import Namespace

_signals = Namespace()

# Sent by lifecycle.change_session_status with the RoadshowSession (its new status already written),
# before=, after= (SessionStatus) and by= (the User acting, None for the system), for every change;
# the live rooms stop an ended room and tell its clients.
session_status_changed = _signals.signal("session-status-changed")

# Sent whenever who may be in a session's live room, or in which role, changed (seat booked or given back,
# host or public viewing changed, a company starts or stops presenting), with session_id= and user_ids=
# (the users concerned; None for everyone in the room); the live rooms move the sockets concerned once
# the transaction commits, and do nothing if it rolls back.
room_audience_changed = _signals.signal("room-audience-changed")

# Sent by services.save_session with the new RoadshowSession (flushed), when a session is created
# (an admin, or the horizon job filling templates); partners' webhooks hear of it.
session_created = _signals.signal("session-created")

# Sent by services.save_session with the RoadshowSession when its time or place changed.
session_rescheduled = _signals.signal("session-rescheduled")

# Sent by services._confirm_booking with the RoadshowSession (seats already counted) and user_id=,
# whenever an investor gets a seat (booked at once, or promoted from the waitlist).
booking_confirmed = _signals.signal("booking-confirmed")
