"""Who may see and act on applications to pitch and on review assignments."""
from ..accounts.models import User
from ..projects.policies import is_owner
from ..roadshows.models import Application
from .models import ReviewAssignment


def owns_application(user: User, application: Application) -> bool:
    """The applying company's members: they follow and withdraw it."""
    return is_owner(user, application.project)


def is_assigned_reviewer(user: User, assignment: ReviewAssignment) -> bool:
    """A reviewer sees only the applications assigned to them, and their decks."""
    return user.is_authenticated and assignment.reviewer_id == user.id
