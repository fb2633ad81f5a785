"""Signals of the projects domain (receivers are connected in roadshow/wiring.py, never at import)."""
from blinker import Namespace

_signals = Namespace()

# Sent by services.change_status, the one writer of a project's status, with the Project (new status
# written), before=, after= (ProjectStatus) and by= (the User acting, None for the system).
project_status_changed = _signals.signal("project-status-changed")
