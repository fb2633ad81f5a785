"""What every audience member of a room receives alike when joining: the approved questions, the announcements
and the polls as the room sees them, built once per change of the room instead of once per joining client.

A thousand investors arriving at a session's start each had these read from the database and serialised
(half of a join's work, bench/scenario_live_prod.py join_storm). Now each process keeps the room's audience
content under the room's content *version*, which broadcast.py bumps after every committed change to a
question, announcement or poll, before the change is broadcast. A joining client is put in the room's
Socket.IO rooms before it reads the version, so whatever it misses in kept content reaches it as the
broadcast that follows the bump: it sees exactly what an uncached join would. With Redis (several
processes) the version lives there; without it, in this process. If Redis cannot be reached the content
is read from the database, as before. KEPT_SECONDS bounds what no broadcast announces (an author renaming
themselves shows on their questions within that time).
"""
from __future__ import annotations

import logging
import secrets
import threading
import time

from collections.abc import Callable

from flask import Flask, current_app

from .ratelimit import redis_url

KEPT_SECONDS = 60
DAY = 86_400  # a room's version outlives its day in Redis by no more than this
KEPT_ROOMS = 256  # per process: rooms live at the same time are far fewer
log = logging.getLogger(__name__)


class ContentVersions:
    """The room's content version: a counter per session in this process, or with Redis a random token per
    session there (a token, not a counter: Redis may come back empty, and a counter starting again would
    match content kept before the outage)."""

    def __init__(self, url: str | None):
        self._local: dict[int, int] = {}
        self._lock = threading.Lock()
        self._redis = None
        if url:
            import redis

            self._redis = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
            self._errors = redis.RedisError

    @staticmethod
    def _key(session_id: int) -> str:
        return f"roadshow:live:content:{session_id}"

    def bump(self, session_id: int) -> bool:
        """A new version; False when it could not be shared (Redis away)."""
        if self._redis is None:
            with self._lock:
                self._local[session_id] = self._local.get(session_id, 0) + 1
            return True
        try:
            self._redis.set(self._key(session_id), secrets.token_hex(8), ex=DAY)
            return True
        except self._errors as exc:
            log.warning("live content version: redis unreachable (%s)", exc)
            return False

    def current(self, session_id: int) -> str | None:
        """The version to keep content under; None: unknown (Redis away), do not keep or use kept content."""
        if self._redis is None:
            with self._lock:
                return str(self._local.get(session_id, 0))
        key = self._key(session_id)
        try:  # none yet (a new room, or Redis came back empty): start one that no kept content can match
            _created, version = self._redis.pipeline(transaction=False).set(
                key, secrets.token_hex(8), nx=True, ex=DAY).get(key).execute()
            return version.decode() if version is not None else None
        except self._errors as exc:
            log.warning("live content version: redis unreachable (%s)", exc)
            return None


def _kept(app: Flask) -> dict:
    ext = app.extensions.get("live_content")
    if ext is None:
        ext = app.extensions.setdefault("live_content", {
            "versions": ContentVersions(redis_url()), "rooms": {}, "lock": threading.Lock()})
    return ext


def changed(session_id: int) -> None:
    """A question, announcement or poll of the room changed (committed): kept content is out of date."""
    kept = _kept(current_app._get_current_object())
    if not kept["versions"].bump(session_id):
        forget_all(current_app._get_current_object())  # this process at least; the others forget theirs when
        # Redis is back (queue.py resyncs the rooms) or within KEPT_SECONDS


def forget_all(app: Flask) -> None:
    """Drop every room's kept content: after an outage of the shared version (queue.py)."""
    kept = app.extensions.get("live_content")
    if kept is not None:
        with kept["lock"]:
            kept["rooms"].clear()


def kept_audience_content(session_id: int, read: Callable[[], dict]) -> dict:
    """The room's audience content (payloads.audience_content reads it): kept for the room's current version."""
    kept = _kept(current_app._get_current_object())
    version = kept["versions"].current(session_id)
    with kept["lock"]:
        found = kept["rooms"].get(session_id)
    if version is not None and found is not None and found[0] == version and time.monotonic() < found[1]:
        return found[2]
    content = read()
    if version is not None:
        with kept["lock"]:
            if len(kept["rooms"]) >= KEPT_ROOMS:
                kept["rooms"].clear()
            kept["rooms"][session_id] = (version, time.monotonic() + KEPT_SECONDS, content)
    return content
