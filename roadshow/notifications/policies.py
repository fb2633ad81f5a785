"""Who may see a notification: only the person it was sent to."""
from ..accounts.models import User
from .models import Notification


def is_recipient(user: User, notification: Notification) -> bool:
    return user.is_authenticated and notification.user_id == user.id
