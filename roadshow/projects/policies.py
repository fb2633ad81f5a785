"""Who may see and do what with companies' projects and decks (used by pages, the API, the live room and jobs)."""
from ..accounts.models import Role, User
from .models import Project


def is_owner(user: User, project: Project) -> bool:
    """A member of the project's company: edits, submits and withdraws it."""
    return user.is_authenticated and user.company_id is not None and user.company_id == project.company_id


def can_view_project(user: User, project: Project) -> bool:
    """Public projects are for everyone; drafts and projects in screening only for owner and admins."""
    if project.is_public:
        return True
    return user.is_authenticated and (is_owner(user, project) or user.is_admin)


def can_read_deck(user: User, project: Project) -> bool:
    """Decks are confidential: the owner, admins, and for public projects investors and hosts (in the viewer)."""
    if not (user.is_authenticated and project.has_deck):
        return False
    if is_owner(user, project) or user.is_admin:
        return True
    return project.is_public and user.has_role(Role.INVESTOR, Role.HOST)


def can_download_deck(user: User, project: Project) -> bool:
    """Readers may also download, unless the company switched downloads off (it and admins always may)."""
    if not can_read_deck(user, project):
        return False
    return project.deck_downloadable or is_owner(user, project) or user.is_admin


def can_see_deck_analytics(user: User, project: Project) -> bool:
    """Who read the deck is the company's business (and the center's admins'), nobody else's."""
    return user.is_authenticated and (is_owner(user, project) or user.is_admin)
