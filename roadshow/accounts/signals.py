"""Signals other domains listen to, so that accounts need not know about them."""
from blinker import Namespace

_signals = Namespace()

# Sent with the user after every login of theirs was invalidated (logout, password change or reset,
# account disabled); the live rooms close that user's connections.
sessions_ended = _signals.signal("sessions-ended")

# Sent with user= whose roles were replaced (inside the transaction that replaced them); the live rooms
# move that user's open sockets once it commits (an admin who no longer is leaves the hosts' audience).
roles_changed = _signals.signal("roles-changed")
