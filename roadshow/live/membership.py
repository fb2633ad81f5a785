"""Joining and leaving a room: the access check on connect, the Socket.IO rooms a member is put in, presence."""
from __future__ import annotations

from flask_babel import gettext as _

from ..common.bounds import DB_INT_MAX, id_from
from ..extensions import db, socketio
from ..roadshows.models import RoadshowSession
from . import broadcast
from .access import Access, room_access
from .access_changes import remove_socket
from .errors import LiveError
from .presence import Connection, connections, presence


def session_id_from(auth, args) -> int:
    """The session a client asks to join: `auth: {session_id}` (browsers) or `?session_id=` (other clients)."""
    raw = auth.get("session_id") if isinstance(auth, dict) else args.get("session_id")
    if isinstance(raw, str):
        raw = id_from(raw)
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 < raw <= DB_INT_MAX:
        raise LiveError("invalid_payload", _("缺少直播场次编号。"))
    return raw


def rooms_for(access: Access) -> list[str]:
    session_id = access.session.id
    names = [broadcast.everyone(session_id)]
    names.append(broadcast.hosts(session_id) if access.can_moderate else broadcast.audience(session_id))
    if access.user_id is not None:
        names.append(broadcast.person(session_id, access.user_id))
        names.append(broadcast.user_room(access.user_id))  # personal deliveries reach the live page too
    if access.company_id is not None:
        names.append(broadcast.company(session_id, access.company_id))
    return names


def admit(session_id: int, user) -> Access:
    """The connecting member's access to the session's room, or LiveError."""
    session = db.session.get(RoadshowSession, session_id)
    if session is None:
        raise LiveError("not_found", _("没有这场路演。"))
    return room_access(session, user)


def join(sid: str, access: Access) -> None:
    rooms = tuple(rooms_for(access))
    for name in rooms:
        socketio.server.enter_room(sid, name, namespace="/")
    conn = Connection(sid, access.session.id, access.user_id, access.institution_name, rooms, access.role.value)
    connections().add(conn)
    presence().add(conn)


def wants_personal(auth) -> bool:
    return isinstance(auth, dict) and auth.get("personal") is True and "session_id" not in auth


def join_personal(sid: str, user) -> None:
    """A signed-in person's socket for their own deliveries only (no live room, not counted as present)."""
    if not user.is_authenticated:
        raise LiveError("login_required", _("请先登录。"))
    socketio.server.enter_room(sid, broadcast.user_room(user.id), namespace="/")


def leave(sid: str) -> Connection | None:
    conn = connections().pop(sid)
    if conn is not None:
        presence().remove(conn)
    return conn


def access_of(sid: str, user) -> Access:
    """The member's access, checked again for each event: a removal or a cancelled seat takes effect at once."""
    conn = connections().get(sid)
    if conn is None:
        raise LiveError("not_joined", _("连接已失效，请刷新页面。"))
    return admit(conn.session_id, user)


def sign_out(user_id: int, message: str) -> None:
    """The account's sessions ended (logout, password change, disabled): close its live connections.

    Every socket of the account, on whichever process, gets `removed` and is closed there; and every
    event is checked against the login again, so nothing arrives between the two.
    """
    for conn in presence().of_user(user_id):
        remove_socket(conn.sid, {"code": "signed_out", "message": message})
    # Personal sockets (on any process) are told, and hear nothing more for this account.
    socketio.emit("signed_out", {"code": "signed_out", "message": message}, to=broadcast.user_room(user_id))
    socketio.server.close_room(broadcast.user_room(user_id), namespace="/")


def close_sockets_of(user) -> None:
    """Receiver of accounts.signals.sessions_ended."""
    sign_out(user.id, _("您的登录已失效，请重新登录后进入直播间。"))
