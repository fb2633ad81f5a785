"""Who may see a matchmaking day: admins, any investor (to join it), the members of startups taking part."""
from ..accounts.models import Role, User
from .models import MatchmakingDay


def takes_part(user: User, day: MatchmakingDay) -> bool:
    return user.is_authenticated and any(
        party.user_id == user.id
        or (party.project is not None and user.company_id is not None and party.project.company_id == user.company_id)
        for party in day.parties)


def can_view_day(user: User, day: MatchmakingDay) -> bool:
    return user.is_authenticated and (user.is_admin or user.has_role(Role.INVESTOR) or takes_part(user, day))
