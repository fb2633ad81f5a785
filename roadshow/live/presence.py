"""Who is in which room right now: the local connections, and a registry shared by all processes.

Socket.IO needs sticky sessions, so a connection's events always reach the process that accepted
it: the process keeps its own connections in memory (`Connections`). The head count and the
institutions present must add up over every process, and a change of someone's access must find
their sockets wherever they are connected, so with Redis configured every connection (its user and
the Socket.IO rooms it was put in) is also kept in a Redis hash per room and one per user; on a
single process dicts do.
"""
from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from dataclasses import dataclass

from flask import Flask, current_app

from .ratelimit import redis_url

log = logging.getLogger(__name__)
STALE_AFTER = 12 * 3600  # seconds
# Institutions named in a room's presence: the most represented first. A province-wide roadshow draws hundreds;
# every member is sent the presence at each change, so naming them all made each message grow with the room
# (and the side panel a wall of badges on a phone). The total is sent beside them.
INSTITUTIONS_NAMED = 20


@dataclass(frozen=True)
class Connection:
    sid: str
    session_id: int
    user_id: int | None
    institution: str | None
    rooms: tuple[str, ...] = ()  # the audience rooms it was put in (membership.rooms_for)
    role: str | None = None  # its RoomRole then

    @property
    def member_key(self) -> str:
        """One person counts once however many tabs they open; each anonymous viewer counts."""
        return f"u{self.user_id}" if self.user_id is not None else f"s{self.sid}"


def summarise(members: list[dict]) -> dict:
    people = {m["key"] for m in members}
    connections = Counter(m["institution"] for m in members if m["institution"])
    # Redis's order for a sorted set read from the top: most connections first, equal ones by name descending.
    ranked = sorted(connections, key=lambda name: (connections[name], name), reverse=True)
    return _summary(len(people), ranked, len(connections))


def _summary(people: int, ranked: list[str], institutions: int) -> dict:
    """The presence sent to a room: its head count, its INSTITUTIONS_NAMED most represented institutions (by
    open connections), shown in name order, and how many institutions in all."""
    return {"count": people, "institutions": sorted(ranked[:INSTITUTIONS_NAMED]), "institution_count": institutions}


class MemoryPresence:
    def __init__(self):
        self._rooms: dict[int, dict[str, dict]] = {}
        self._lock = threading.Lock()

    def add(self, conn: Connection) -> None:
        with self._lock:
            self._rooms.setdefault(conn.session_id, {})[conn.sid] = _member(conn)

    def remove(self, conn: Connection) -> None:
        with self._lock:
            self._rooms.get(conn.session_id, {}).pop(conn.sid, None)

    def summary(self, session_id: int) -> dict:
        with self._lock:
            return summarise(list(self._rooms.get(session_id, {}).values()))

    def members(self, session_id: int) -> list[Connection]:
        with self._lock:
            return [_connection(sid, session_id, m) for sid, m in self._rooms.get(session_id, {}).items()]

    def of_user(self, user_id: int) -> list[Connection]:
        with self._lock:
            return [_connection(sid, session_id, m) for session_id, room in self._rooms.items()
                    for sid, m in room.items() if m.get("user_id") == user_id]

    def moved(self, conn: Connection) -> None:
        """The connection was put in other rooms (unless it has gone in the meantime)."""
        with self._lock:
            room = self._rooms.get(conn.session_id, {})
            if conn.sid in room:
                room[conn.sid] = _member(conn)


# Replace a member's entry only while it exists: its process may have removed it (the client left)
# after we read it, and a re-created entry would count a ghost in the room.
_SET_IF_PRESENT = """
if redis.call('hexists', KEYS[1], ARGV[1]) == 1 then
    redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
end
"""
# The head count is kept as it changes, so reading it costs the same in a room of five or five thousand
# (summing the members' entries at every join made a full room's arrival quadratic). KEYS: the members, the
# people (member key -> connections), the institutions (a sorted set: name scored by its connections, so the
# most represented are read without reading them all). Counted only when the entry is new or really gone, so
# adding again what is there (the resync after a Redis outage) changes nothing.
# KEYS[4], for a signed-in member: their connections (sid -> session id). One script call is one round trip:
# a pipeline holding a script asks Redis first whether it knows the script, which is one more per join.
_ADD = """
if redis.call('hset', KEYS[1], ARGV[1], ARGV[2]) == 1 then
    redis.call('hincrby', KEYS[2], ARGV[3], 1)
    if ARGV[4] ~= '' then redis.call('zincrby', KEYS[3], 1, ARGV[4]) end
end
for i = 1, 3 do redis.call('expire', KEYS[i], ARGV[5]) end
if KEYS[4] then
    redis.call('hset', KEYS[4], ARGV[1], ARGV[6])
    redis.call('expire', KEYS[4], ARGV[5])
end
"""
_REMOVE = """
if redis.call('hdel', KEYS[1], ARGV[1]) == 1 then
    if redis.call('hincrby', KEYS[2], ARGV[2], -1) <= 0 then redis.call('hdel', KEYS[2], ARGV[2]) end
    if ARGV[3] ~= '' and tonumber(redis.call('zincrby', KEYS[3], -1, ARGV[3])) <= 0 then
        redis.call('zrem', KEYS[3], ARGV[3])
    end
end
if KEYS[4] then redis.call('hdel', KEYS[4], ARGV[1]) end
"""


class RedisPresence:
    """Presence in Redis. This process's own connections are also kept in memory: while Redis is unreachable
    the room sees those (a partial count rather than a refused connection), and once it is back the
    Socket.IO queue (queue.py) registers them again."""

    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        self._set_if_present = self._redis.register_script(_SET_IF_PRESENT)
        self._add = self._redis.register_script(_ADD)
        self._remove = self._redis.register_script(_REMOVE)
        self._local = MemoryPresence()
        self._errors = redis.RedisError

    def _shared(self, action, fallback):
        try:
            return action()
        except self._errors as exc:
            log.warning("live presence: redis unreachable (%s); using this process's connections", exc)
            return fallback()

    @staticmethod
    def _key(session_id: int) -> str:
        return f"roadshow:live:presence:{session_id}"

    @classmethod
    def _count_keys(cls, session_id: int) -> list[str]:
        """The room's members, then its people and its institutions with their connection counts. (The
        institutions were a hash under ":institutions" before they were ranked: a new name, so a process of the
        new version never meets a key of the old type left by a running one.)"""
        key = cls._key(session_id)
        return [key, f"{key}:people", f"{key}:institution_ranks"]

    @staticmethod
    def _user_key(user_id: int) -> str:
        """sid -> session id of every live connection of one user, whichever process holds it."""
        return f"roadshow:live:user:{user_id}"

    def _keys(self, conn: Connection) -> list[str]:
        """The scripts' keys for a connection: the room's counts, and the member's own when signed in."""
        keys = self._count_keys(conn.session_id)
        return keys if conn.user_id is None else [*keys, self._user_key(conn.user_id)]

    def add(self, conn: Connection) -> None:
        self._local.add(conn)
        # Entries of a process that died without saying goodbye go away with the day's room.
        args = [conn.sid, json.dumps(_member(conn)), conn.member_key, conn.institution or "", STALE_AFTER,
                conn.session_id]
        self._shared(lambda: self._add(keys=self._keys(conn), args=args), list)

    def remove(self, conn: Connection) -> None:
        self._local.remove(conn)
        args = [conn.sid, conn.member_key, conn.institution or ""]
        self._shared(lambda: self._remove(keys=self._keys(conn), args=args), list)

    def summary(self, session_id: int) -> dict:
        def shared():
            _, people, institutions = self._count_keys(session_id)
            count, ranked, total = (self._redis.pipeline(transaction=False).hlen(people)
                                    .zrange(institutions, 0, INSTITUTIONS_NAMED - 1, desc=True)
                                    .zcard(institutions).execute())
            return _summary(count, [name.decode() for name in ranked], total)

        return self._shared(shared, lambda: self._local.summary(session_id))

    def members(self, session_id: int) -> list[Connection]:
        return self._shared(lambda: [_connection(sid.decode(), session_id, json.loads(m))
                                     for sid, m in self._redis.hgetall(self._key(session_id)).items()],
                            lambda: self._local.members(session_id))

    def of_user(self, user_id: int) -> list[Connection]:
        def shared():
            found = []
            for sid, session_id in self._redis.hgetall(self._user_key(user_id)).items():
                member = self._redis.hget(self._key(int(session_id)), sid)
                if member is not None:
                    found.append(_connection(sid.decode(), int(session_id), json.loads(member)))
            return found

        return self._shared(shared, lambda: self._local.of_user(user_id))

    def moved(self, conn: Connection) -> None:
        """The connection was put in other rooms (unless it has gone in the meantime)."""
        self._local.moved(conn)
        self._shared(lambda: self._set_if_present(keys=[self._key(conn.session_id)],
                                                  args=[conn.sid, json.dumps(_member(conn))]), list)


def _member(conn: Connection) -> dict:
    return {"key": conn.member_key, "institution": conn.institution, "user_id": conn.user_id,
            "rooms": list(conn.rooms), "role": conn.role}


def _connection(sid: str, session_id: int, member: dict) -> Connection:
    return Connection(sid, session_id, member.get("user_id"), member.get("institution"),
                      tuple(member.get("rooms", ())), member.get("role"))


class Connections:
    """This process's live-room connections by Socket.IO sid."""

    def __init__(self):
        self._by_sid: dict[str, Connection] = {}
        self._lock = threading.Lock()

    def add(self, conn: Connection) -> None:
        with self._lock:
            self._by_sid[conn.sid] = conn

    def pop(self, sid: str) -> Connection | None:
        with self._lock:
            return self._by_sid.pop(sid, None)

    def get(self, sid: str) -> Connection | None:
        return self._by_sid.get(sid)

    def all(self) -> list[Connection]:
        with self._lock:
            return list(self._by_sid.values())

    def of_user(self, session_id: int | None, user_id: int) -> list[str]:
        """The user's sids in one session's room, or in every room when session_id is None."""
        with self._lock:
            return [c.sid for c in self._by_sid.values()
                    if c.user_id == user_id and session_id in (None, c.session_id)]


def _extension(app: Flask) -> dict:
    ext = app.extensions.get("live")
    if ext is None:
        url = redis_url()
        ext = app.extensions.setdefault(
            "live", {"connections": Connections(), "presence": RedisPresence(url) if url else MemoryPresence()}
        )
    return ext


def connections() -> Connections:
    return _extension(current_app)["connections"]


def presence():
    return _extension(current_app)["presence"]
