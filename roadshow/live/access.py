"""Who may be in a session's live room, and what each kind of member may do there."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..extensions import db
from ..roadshows.models import RoadshowSession, SessionStatus, Slot
from ..roadshows.policies import has_seat
from ..projects.models import Project
from .access_changes import resync_membership
from .errors import LiveError
from .models import LiveStream, RoomBan


class RoomRole(StrEnum):
    HOST = "host"  # the session's host, and admins: run the room and moderate
    PRESENTER = "presenter"  # members of a company with a slot: see interest in their projects
    ATTENDEE = "attendee"  # a confirmed seat: ask, vote, request meetings
    VIEWER = "viewer"  # public viewing: watch and read only

    @property
    def is_presenter(self) -> bool:
        return self is RoomRole.PRESENTER

    @property
    def is_viewer(self) -> bool:
        return self is RoomRole.VIEWER


@dataclass(frozen=True)
class Access:
    session: RoadshowSession
    user: User | None
    role: RoomRole

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @property
    def can_moderate(self) -> bool:
        return self.role == RoomRole.HOST

    @property
    def can_ask(self) -> bool:
        return self.role == RoomRole.ATTENDEE

    @property
    def can_flag_interest(self) -> bool:
        return self.user is not None and self.role in (RoomRole.ATTENDEE, RoomRole.VIEWER) \
            and self.user.has_role(Role.INVESTOR)

    @property
    def company_id(self) -> int | None:
        """The presenting company whose interest flags this member sees."""
        return self.user.company_id if self.role == RoomRole.PRESENTER else None

    @property
    def institution_name(self) -> str | None:
        institution = self.user.institution if self.user is not None else None
        return institution.name if institution is not None else None


def _presents(session: RoadshowSession, user: User) -> bool:
    if user.company_id is None:
        return False
    return db.session.scalar(
        sa.select(Slot.id).join(Project).where(Slot.session_id == session.id, Project.company_id == user.company_id)
    ) is not None


def is_banned(session_id: int, user_id: int) -> bool:
    return db.session.get(RoomBan, (session_id, user_id)) is not None


def room_access(session: RoadshowSession, user: User | None) -> Access:
    """The member's role in the room; raises LiveError when they may not enter at all."""
    if session.status == SessionStatus.CANCELLED:
        reason = session.cancellation_reason
        raise LiveError("cancelled", _("这场路演已取消。原因：%(reason)s", reason=reason) if reason
                        else _("这场路演已取消。"))
    user = user if user is not None and user.is_authenticated else None
    if user is not None and (user.is_admin or session.host_id == user.id):
        return Access(session, user, RoomRole.HOST)
    if user is not None and is_banned(session.id, user.id):
        raise LiveError("banned", _("您已被主持人移出本场直播间。"))
    if user is not None and _presents(session, user):
        return Access(session, user, RoomRole.PRESENTER)
    if user is not None and has_seat(user, session):  # the bookings' own rule
        return Access(session, user, RoomRole.ATTENDEE)
    if session.public_viewing:
        return Access(session, user, RoomRole.VIEWER)
    if user is None:
        raise LiveError("login_required", _("请先登录，再进入直播间。"))
    raise LiveError("forbidden", _("本场直播间仅对已预约的投资人、路演企业和主持人开放。"))


def record_access(session: RoadshowSession, user: User | None) -> Access:
    """The session's record: whoever could be in the room, the center's hosts (they follow up every session),
    and investors of verified institutions when an admin opened the replay to them."""
    try:
        return room_access(session, user)
    except LiveError as exc:
        if exc.code != "forbidden":
            raise
        if user.has_role(Role.HOST) or _replay_opened_to(session, user):
            return Access(session, user, RoomRole.VIEWER)
        raise LiveError("forbidden", _("路演记录仅对本场参会投资人、路演企业和主持人开放。")) from None


def _replay_opened_to(session: RoadshowSession, user: User) -> bool:
    """An admin opened the session's replay to investors of verified institutions, and this is one."""
    stream = db.session.get(LiveStream, session.id)
    institution = user.institution
    return bool(stream is not None and stream.replay_open_to_verified and user.has_role(Role.INVESTOR)
                and institution is not None and institution.is_verified)


def remove_user(access: Access, user_id: int) -> RoomBan:
    """The host removes a disruptive member; they cannot rejoin this session's room."""
    from .room import require_host

    require_host(access)
    target = db.session.get(User, user_id)
    if target is None:
        raise LiveError("not_found", _("没有这个用户。"))
    if target.is_admin or target.id == access.session.host_id:
        raise LiveError("forbidden", _("不能移出主持人或管理员。"))
    ban = db.session.get(RoomBan, (access.session.id, user_id))
    if ban is None:
        ban = RoomBan(session_id=access.session.id, user_id=user_id, banned_by_id=access.user_id)
        db.session.add(ban)
        db.session.flush()
    resync_membership(access.session.id, [user_id])  # their sockets are told and closed on commit
    return ban
