"""Who may see and act on meetings and a startup's availability."""
from ..accounts.models import User
from ..projects.models import Project
from .models import AvailabilitySlot, MeetingRequest


def is_startup_member(user: User, project: Project) -> bool:
    return user.is_authenticated and user.company_id is not None and user.company_id == project.company_id


def can_view_meeting(user: User, meeting: MeetingRequest) -> bool:
    """The investor who asked, the startup's members, admins."""
    return user.is_authenticated and (
        user.is_admin or user.id == meeting.investor_id or is_startup_member(user, meeting.project))


def can_manage_availability(user: User, slot: AvailabilitySlot) -> bool:
    """A startup's free time is its own members' to publish and withdraw."""
    return user.is_authenticated and user.company_id is not None and user.company_id == slot.company_id
