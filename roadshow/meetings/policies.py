"""Who may see and act on meetings and a startup's availability."""
from ..accounts.models import User
from ..projects.models import Project
from .models import AvailabilitySlot, MeetingMute, MeetingRequest, MeetingSide


def is_startup_member(user: User, project: Project) -> bool:
    return user.is_authenticated and user.company_id is not None and user.company_id == project.company_id


def is_investor_side(user: User, meeting: MeetingRequest) -> bool:
    """The investor who asked (or answered); for a startup's request, every member of the institution asked."""
    if not user.is_authenticated:
        return False
    if meeting.investor_id is not None and user.id == meeting.investor_id:
        return True
    return (meeting.initiator is MeetingSide.STARTUP and user.institution_id is not None
            and user.institution_id == meeting.institution_id)


def side_of(user: User, meeting: MeetingRequest) -> MeetingSide | None:
    """Which party of the meeting the user belongs to (None: not a party; admins are not one)."""
    if is_investor_side(user, meeting):
        return MeetingSide.INVESTOR
    if is_startup_member(user, meeting.project):
        return MeetingSide.STARTUP
    return None


def can_view_meeting(user: User, meeting: MeetingRequest) -> bool:
    """The two parties, admins."""
    return user.is_authenticated and (user.is_admin or side_of(user, meeting) is not None)


def can_manage_availability(user: User, slot: AvailabilitySlot) -> bool:
    """A startup's free time is its own members' to publish and withdraw."""
    return user.is_authenticated and user.company_id is not None and user.company_id == slot.company_id


def can_manage_mute(user: User, mute: MeetingMute) -> bool:
    """An institution's mutes are its members' to lift."""
    return user.is_authenticated and user.institution_id is not None and user.institution_id == mute.institution_id
