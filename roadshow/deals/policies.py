"""Who may see a deal: its two parties and admins (a third party does not learn it exists)."""
from ..accounts.models import User
from .models import Deal


def is_party(user: User, deal: Deal) -> bool:
    """A member of the investing institution or of the startup."""
    return (user.institution_id is not None and user.institution_id == deal.institution_id) or (
        user.company_id is not None and user.company_id == deal.project.company_id
    )


def can_view_deal(user: User, deal: Deal) -> bool:
    return user.is_authenticated and (user.is_admin or is_party(user, deal))
