"""Who may check people in at a session's door."""
from ..accounts.models import User
from ..organisers.policies import can_manage_session
from ..roadshows.models import RoadshowSession


def can_check_in(user: User, session: RoadshowSession) -> bool:
    """The center's admins, the session's host, and the organiser running its series."""
    if not user.is_authenticated:
        return False
    return user.is_admin or session.host_id == user.id or can_manage_session(user, session)
