"""Who may see a personal API token: only the person it belongs to."""
from ..accounts.models import User
from .models import ApiToken


def owns_token(user: User, token: ApiToken) -> bool:
    return user.is_authenticated and token.user_id == user.id
