"""Signals other domains listen to, so that accounts need not know about them."""
from blinker import Namespace

_signals = Namespace()

# Sent with the user after every login of theirs was invalidated (logout, password change or reset,
# account disabled); the live rooms close that user's connections.
sessions_ended = _signals.signal("sessions-ended")
