"""Who may see institutions and manage their funds."""
from ..accounts.models import User
from .models import Fund, Institution


def can_view_institution(user: User, institution: Institution) -> bool:
    """Verified institutions are public; others only for their members and admins."""
    if institution.is_verified:
        return True
    return bool(user.is_authenticated and (user.institution_id == institution.id or user.is_admin))


def can_manage_fund(user: User, fund: Fund) -> bool:
    """An institution's funds are its own members' to edit and delete."""
    return user.is_authenticated and user.institution_id is not None and fund.institution_id == user.institution_id
