"""Who may read and write a thread: the two parties of its meeting request or deal; admins read (moderation)."""
from ..accounts.models import User
from ..deals.policies import is_party as is_deal_party
from ..meetings.policies import side_of
from .models import Message, Thread


def is_party(user: User, thread: Thread) -> bool:
    if not user.is_authenticated:
        return False
    if thread.meeting is not None:
        return side_of(user, thread.meeting) is not None
    return is_deal_party(user, thread.deal)


def can_view_thread(user: User, thread: Thread) -> bool:
    return user.is_authenticated and (user.is_admin or is_party(user, thread))


def can_view_message(user: User, message: Message) -> bool:
    return can_view_thread(user, message.thread)
