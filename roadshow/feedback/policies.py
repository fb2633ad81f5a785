"""Who may give feedback on a session and who may read a project's digest."""
import sqlalchemy as sa

from ..accounts.models import Role, User
from ..extensions import db
from ..projects.models import Project
from ..projects.policies import is_owner
from ..roadshows.models import Booking, BookingStatus, RoadshowSession


def attended(user: User, session: RoadshowSession) -> bool:
    """An investor with a confirmed seat in the session (the live room keeps no lasting record of presence)."""
    return user.is_authenticated and user.has_role(Role.INVESTOR) and db.session.scalar(
        sa.select(Booking.id).where(Booking.session_id == session.id, Booking.user_id == user.id,
                                    Booking.status == BookingStatus.CONFIRMED)
    ) is not None


def can_give_feedback(user: User, session: RoadshowSession) -> bool:
    """An attendee of a session that has ended: the only one who sees its feedback form."""
    return session.status.is_ended and attended(user, session)


def can_see_digest(user: User, project: Project) -> bool:
    """A project's feedback digest: its company and admins."""
    return user.is_authenticated and (user.is_admin or is_owner(user, project))
