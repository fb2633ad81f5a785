"""Who may see and act on matching records: advisor requests, saved searches, a project's matches."""
from ..accounts.models import User
from ..projects.models import Project
from ..projects.policies import is_owner
from .models import AdvisorRequest, SavedSearch


def can_manage_advisor_request(user: User, request: AdvisorRequest) -> bool:
    """The requesting company's members: they close it."""
    return user.is_authenticated and user.company_id is not None and user.company_id == request.project.company_id


def is_advisor_recipient(user: User, request: AdvisorRequest) -> bool:
    """A member of an advisor institution the request was sent to: they may take it on."""
    return user.is_authenticated and user.institution_id is not None and \
        user.institution_id in {r.institution_id for r in request.recipients}


def can_see_advisor_request(user: User, request: AdvisorRequest) -> bool:
    return can_manage_advisor_request(user, request) or is_advisor_recipient(user, request)


def owns_saved_search(user: User, search: SavedSearch) -> bool:
    return user.is_authenticated and search.user_id == user.id


def can_see_project_matches(user: User, project: Project) -> bool:
    """The institutions matched to a project: its company and admins."""
    return user.is_authenticated and (user.is_admin or is_owner(user, project))
