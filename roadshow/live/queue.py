"""The Socket.IO message queue between server processes, and what happens when its Redis goes away.

While Redis is unreachable each process still reaches its own clients, but what one process broadcasts
never reaches the clients of the others, and Redis may come back empty (presence lost). The queue cannot
replay what was lost, so each process finds out for itself, end to end, whether the queue works: it
publishes a heartbeat every second and listens for it coming back. Once heartbeats flow again after an
outage, the process registers its connections in presence again and tells its live-room clients to
`resync` (the page then sends `sync` and receives the whole state from the database).
"""
from __future__ import annotations

import logging
import threading
import time

import socketio
from flask import Flask

log = logging.getLogger(__name__)
HEARTBEAT = "roadshow:heartbeat"


class ResyncingRedisManager(socketio.RedisManager):
    HEARTBEAT_EVERY = 1.0  # seconds
    OUTAGE_AFTER = 3.0  # seconds without a heartbeat of our own coming back
    RETRY_MAX = 2  # seconds between reconnection attempts (python-socketio doubles up to 60)

    def __init__(self, url: str, app: Flask, channel: str = "flask-socketio"):
        # without a connect timeout an unreachable (not refusing) Redis would hold every emit
        super().__init__(url, channel=channel, redis_options={"socket_connect_timeout": 2})
        self.app = app
        self.last_heartbeat = time.monotonic()
        self.outage = False

    def initialize(self):
        super().initialize()
        if not self.write_only:
            threading.Thread(target=self._watch, name="socketio-queue-watch", daemon=True).start()

    def emit(self, event, data, namespace=None, room=None, skip_sid=None, callback=None, to=None, **kwargs):
        """As python-socketio's, but a message to one client of this process (its sid, e.g. the `state` every
        joining client is sent) goes to it directly: through the queue it was serialised, published, and
        parsed again by every process, only for the others to find they do not hold that client."""
        room = to or room
        if callback is None and isinstance(room, str) and self._holds(room, namespace or "/"):
            kwargs["ignore_queue"] = True
        return super().emit(event, data, namespace=namespace, room=room, skip_sid=skip_sid, callback=callback,
                            **kwargs)

    def _holds(self, sid: str, namespace: str) -> bool:
        """The client is connected (or, in its connect handler, connecting) to this process."""
        return self.is_connected(sid, namespace) or self.is_pre_connected(sid, namespace)

    def _heartbeat(self) -> str:
        return self.json.dumps({"method": HEARTBEAT, "host_id": self.host_id})

    def _listen(self):
        mine = self._heartbeat().encode()
        for message in super()._listen():
            if message == mine:  # other processes' heartbeats pass on, and python-socketio ignores them
                self.last_heartbeat = time.monotonic()
                continue
            yield message

    def _redis_listen_with_retries(self):
        """python-socketio's loop, retrying every RETRY_MAX seconds instead of backing off to a minute."""
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                yield from self.pubsub.listen()
            except Exception as exc:  # any failure of the connection: try again shortly
                log.debug("socket.io queue: cannot receive from redis (%s); retrying", exc)
                time.sleep(self.RETRY_MAX)

    def _watch(self) -> None:
        beat = self._heartbeat()
        while True:
            try:
                self.redis.publish(self.channel, beat)
            except Exception:  # noqa: BLE001 - Redis away: the missing heartbeats say so below
                self.connected = False  # the next emit reconnects
            time.sleep(self.HEARTBEAT_EVERY)
            silent = time.monotonic() - self.last_heartbeat > self.OUTAGE_AFTER
            if silent and not self.outage:
                self.outage = True
                log.warning("socket.io queue: redis unreachable; live rooms reach only this process's clients")
            elif not silent and self.outage:
                self.outage = False
                log.warning("socket.io queue: redis is back; live-room clients resynchronise")
                self._resync()

    def _resync(self) -> None:
        from .presence import connections, presence
        from . import broadcast, room_content
        from .broadcast import everyone

        room_content.forget_all(self.app)  # changes made during the outage did not reach the shared version
        with self.app.app_context():
            local = connections().all()
            for conn in local:
                try:
                    presence().add(conn)  # Redis may have come back empty
                except Exception:  # noqa: BLE001 - gone again: the next recovery repeats this
                    log.warning("socket.io queue: presence not restored", exc_info=True)
                    return
            for session_id in {conn.session_id for conn in local}:
                self.emit("resync", {}, namespace="/", room=everyone(session_id), ignore_queue=True)
                broadcast.presence_changed(session_id)  # the count with this process's members back in it


def client_manager(app: Flask):
    """The Socket.IO client manager for this app: the resyncing Redis queue, or None (one process, in memory)."""
    url = app.config["SOCKETIO_MESSAGE_QUEUE"]
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://")):
        raise ValueError(f"SOCKETIO_MESSAGE_QUEUE must be a redis:// URL, not {url!r}")
    return ResyncingRedisManager(url, app)
