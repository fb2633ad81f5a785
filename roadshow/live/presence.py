"""Who is in which room right now: the local connections, and a head count shared by all processes.

Socket.IO needs sticky sessions, so a connection's events always reach the process that accepted
it: the process keeps its own connections in memory (`Connections`). The head count and the
institutions present must add up over every process, so with Redis configured they live in a
Redis hash per room; on a single process a dict does.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from flask import Flask, current_app

from .ratelimit import redis_url

STALE_AFTER = 12 * 3600  # seconds


@dataclass(frozen=True)
class Connection:
    sid: str
    session_id: int
    user_id: int | None
    institution: str | None

    @property
    def member_key(self) -> str:
        """One person counts once however many tabs they open; each anonymous viewer counts."""
        return f"u{self.user_id}" if self.user_id is not None else f"s{self.sid}"


def summarise(members: list[dict]) -> dict:
    people = {m["key"] for m in members}
    institutions = sorted({m["institution"] for m in members if m["institution"]})
    return {"count": len(people), "institutions": institutions}


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


class RedisPresence:
    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url)

    @staticmethod
    def _key(session_id: int) -> str:
        return f"roadshow:live:presence:{session_id}"

    def add(self, conn: Connection) -> None:
        key = self._key(conn.session_id)
        # Entries of a process that died without saying goodbye go away with the day's room.
        self._redis.pipeline().hset(key, conn.sid, json.dumps(_member(conn))).expire(key, STALE_AFTER).execute()

    def remove(self, conn: Connection) -> None:
        self._redis.hdel(self._key(conn.session_id), conn.sid)

    def summary(self, session_id: int) -> dict:
        return summarise([json.loads(v) for v in self._redis.hvals(self._key(session_id))])


def _member(conn: Connection) -> dict:
    return {"key": conn.member_key, "institution": conn.institution}


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
