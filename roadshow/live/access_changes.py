"""When someone's right to be in a live room changes, their open sockets follow at once, on every process.

The Socket.IO rooms a socket is in (membership.rooms_for: everyone, the hosts or the audience, one
company, one person) are decided when it connects. Every event a socket sends is checked again, but
broadcasts are not: an old host would still receive the author of anonymous questions, an investor
who gave back their seat the announcements. So every service that changes who may be in a room (host
changed, seat cancelled or confirmed, roles changed, banned by the host, session cancelled, public
viewing switched) calls resync_membership(); once its transaction commits, each socket concerned is
moved to the rooms the connect rule (access.room_access) gives it now and receives `access_changed`,
or, if it may no longer be in the room at all, receives `removed` with the reason and is disconnected.

Across processes: the registry in presence.py (Redis, when configured) finds every socket of a user
or of a room whichever process holds it, and python-socketio's message-queue manager carries
leave_room, enter_room, disconnect and emits to a sid to the process that holds that socket.

The domains below the live rooms do not call in here: accounts sends roles_changed and roadshows (and
scheduling, placing a company in a session) send room_audience_changed; roadshow/wiring.py connects the
two receivers defined at the end of this module. The live rooms' own services call resync_membership() directly.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..extensions import db, socketio
from .errors import LiveError
from .presence import Connection, presence

if TYPE_CHECKING:
    from .access import Access

_PENDING = "live_resync_pending"
_PLANNED = "live_resync_planned"


def resync_membership(session_id: int | None, user_ids: Iterable[int] | None = None) -> None:
    """Who may be in a live room changed: when this transaction commits, move the sockets concerned.

    `session_id` None: every room the users are connected to (e.g. their roles changed); `user_ids`
    None: everyone in the session's room, anonymous viewers too (e.g. the session was cancelled).
    Nothing happens if the transaction rolls back.
    """
    if session_id is None and user_ids is None:
        raise ValueError("resync_membership needs a session, users, or both")
    users = None if user_ids is None else frozenset(user_ids)
    db.session.info.setdefault(_PENDING, []).append((session_id, users))


def remove_socket(sid: str, body: dict) -> None:
    """Tell the client why (`removed`: {code, message}), then close the socket, on whichever process holds it."""
    socketio.emit("removed", body, to=sid)
    socketio.server.disconnect(sid, namespace="/")


@dataclass(frozen=True)
class _Change:
    conn: Connection  # as registered, with the rooms it is in now
    rooms: tuple[str, ...] | None  # the rooms it belongs in now; None: it may not be in the room at all
    role: str | None  # its role now
    body: dict  # what its client is told


def _connections_concerned(session_id: int | None, user_ids: frozenset[int] | None) -> list[Connection]:
    if session_id is None:
        return [conn for user_id in user_ids for conn in presence().of_user(user_id)]
    return [conn for conn in presence().members(session_id) if user_ids is None or conn.user_id in user_ids]


def _access_now(session_id: int, user_id: int | None) -> Access | LiveError:
    """The member's Access under the connect rule, or the LiveError saying why they may not be in the room."""
    from .membership import admit  # imported late: see _plan

    user = db.session.get(User, user_id) if user_id is not None else None
    if user_id is not None and (user is None or not user.is_active):
        return LiveError("signed_out", _("您的登录已失效，请重新登录后进入直播间。"))
    try:
        return admit(session_id, user)
    except LiveError as exc:
        return exc


def _plan(requests: list) -> list[_Change]:
    """Each connection concerned, with the rooms the access rule now gives it (read inside the transaction)."""
    # imported late: the domains that call resync_membership sit below the live rooms' other modules
    from .membership import rooms_for

    concerned = {conn.sid: conn for session_id, users in requests
                 for conn in _connections_concerned(session_id, users)}
    outcomes: dict[tuple, Access | LiveError] = {}
    changes = []
    for conn in concerned.values():
        key = (conn.session_id, conn.user_id)
        if key not in outcomes:
            outcomes[key] = _access_now(*key)
        outcome = outcomes[key]
        if isinstance(outcome, LiveError):
            changes.append(_Change(conn, None, None, outcome.payload()))
            continue
        rooms = tuple(rooms_for(outcome))
        if set(rooms) != set(conn.rooms) or outcome.role.value != conn.role:
            changes.append(_Change(conn, rooms, outcome.role.value, {
                "code": "access_changed", "role": outcome.role.value,
                "message": _("您在本场直播间的身份已变更，页面将重新载入。"),
            }))
    return changes


def _move(change: _Change) -> None:
    conn, server = change.conn, socketio.server
    for name in set(conn.rooms) - set(change.rooms):
        server.leave_room(conn.sid, name, namespace="/")
    for name in set(change.rooms) - set(conn.rooms):
        try:
            server.enter_room(conn.sid, name, namespace="/")
        except (KeyError, ValueError):  # a socket of this process that went away meanwhile
            return
    presence().moved(replace(conn, rooms=change.rooms, role=change.role))
    socketio.emit("access_changed", change.body, to=conn.sid)


def _apply(changes: list[_Change]) -> None:
    for change in changes:
        if change.rooms is None:
            remove_socket(change.conn.sid, change.body)
        else:
            _move(change)


# SQLAlchemy sends these for savepoints too (begin_nested); only the outermost transaction counts. A request
# made inside a savepoint that is rolled back is still carried out: a resync only applies the current rule.

@event.listens_for(Session, "before_commit")
def _plan_before_commit(db_session) -> None:
    # Decided while the transaction (with the change) is still open: after the commit no SQL may run.
    if db_session.in_nested_transaction():
        return
    requests = db_session.info.pop(_PENDING, None)
    if requests:
        try:
            db_session.info.setdefault(_PLANNED, []).extend(_plan(requests))
        except Exception:  # an unreachable registry must not undo the change itself; events are checked anyway
            current_app.logger.exception("could not work out which live sockets lost access")


@event.listens_for(Session, "after_commit")
def _apply_after_commit(db_session) -> None:
    # Only now: no one is moved for a change that was rolled back, and a client that reconnects at
    # once is admitted under the new access.
    if db_session.in_nested_transaction():
        return
    changes = db_session.info.pop(_PLANNED, None)
    if changes:
        try:
            _apply(changes)
        except Exception:  # the commit has happened: report it rather than turn it into an error page
            current_app.logger.exception("could not move live sockets after an access change")


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(db_session) -> None:
    if db_session.in_nested_transaction():
        return
    db_session.info.pop(_PENDING, None)
    db_session.info.pop(_PLANNED, None)


def roles_changed(sender=None, *, user, **_extra) -> None:
    """Receiver of accounts.signals.roles_changed: the user's sockets, in every room, follow their new roles."""
    resync_membership(None, [user.id])


def audience_changed(sender=None, *, session_id: int, user_ids: Iterable[int] | None, **_extra) -> None:
    """Receiver of roadshows.signals.room_audience_changed."""
    resync_membership(session_id, user_ids)
