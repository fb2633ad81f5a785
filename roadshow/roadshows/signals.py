"""Signals of the roadshows domain: other domains react to a session's life without roadshows knowing them.

Receivers are connected in roadshow/wiring.py, never at import. They run inside the sender's
transaction (the sender commits after them), so they must not commit; they take their payload as
keyword arguments and accept ones they do not use (`**_extra`), so a new key breaks no receiver.
"""
from blinker import Namespace

_signals = Namespace()

# Sent with the RoadshowSession (its new status already written) and before=, after= (SessionStatus)
# for each session whose status changed; the live rooms stop an ended room and tell its clients.
session_status_changed = _signals.signal("session-status-changed")
