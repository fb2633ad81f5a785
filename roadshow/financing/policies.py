"""Who may see and answer financing events."""
from ..accounts.models import User
from .models import FinancingEvent


def is_named_institution(user: User, event: FinancingEvent) -> bool:
    """The institution an event names answers it (confirm or dispute)."""
    return bool(user.is_authenticated and user.institution_id is not None
                and user.institution_id == event.institution_id)
