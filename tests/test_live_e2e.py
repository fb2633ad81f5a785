"""End to end: real server processes (`python wsgi.py`) on random ports, python-socketio clients that
log in over HTTP first, and (when redis-server is installed) two processes sharing rooms through Redis."""
import os
import re
import shutil
import time
from contextlib import contextmanager

import pytest
import requests
import socketio

from .conftest import PASSWORD
from .support.server import free_port, redis_server, running_server
from .test_live_support import live_room  # noqa: F401  (fixture)


@contextmanager
def server(app, tmp_path, **env):
    """`python wsgi.py` on a random port, on the test's database, until the block ends."""
    port = free_port()
    env = {**os.environ, "SECRET_KEY": "e2e-secret", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "UPLOAD_DIR": str(tmp_path / "uploads"), **env}
    with running_server(env, tmp_path / f"server-{port}.log", port=port) as base:
        yield base


def login_cookie(base: str, email: str) -> str:
    """Log in through the real login form (with its CSRF token); the session cookie as a Cookie header."""
    http = requests.Session()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', http.get(base + "/login").text).group(1)
    response = http.post(base + "/login", data={"email": email, "password": PASSWORD, "csrf_token": token},
                         allow_redirects=False)
    assert response.status_code == 302, response.text[:300]
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


class Browser:
    """A python-socketio client in one session's room that records what it receives."""

    def __init__(self, base: str, email: str | None, session_id: int, headers: dict | None = None):
        self.seen: list[tuple[str, object]] = []  # appended by the client's thread
        self.sio = socketio.Client(reconnection=False)
        for name in ("state", "question", "presence", "room", "error"):
            self.sio.on(name, lambda data, name=name: self.seen.append((name, data)))
        cookie = {"Cookie": login_cookie(base, email)} if email else {}
        self.sio.connect(base, headers={**cookie, **(headers or {})}, auth={"session_id": session_id},
                         transports=["polling"], wait_timeout=10)

    def wait_for(self, name: str, predicate=lambda data: True, timeout: float = 10):
        """The first `name` event so far (or arriving within the timeout) that satisfies the predicate."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event, data in list(self.seen):
                if event == name and predicate(data):
                    return data
            time.sleep(0.05)
        pytest.fail(f"no `{name}` event arrived in {timeout}s")

    def close(self) -> None:
        self.sio.disconnect()


def test_two_clients_on_a_real_server_one_asks_the_other_receives(app, live_room, tmp_path):
    alice, bob = live_room.investors
    session_id = live_room.session.id
    with server(app, tmp_path) as base:
        a = Browser(base, alice.email, session_id)
        b = Browser(base, bob.email, session_id)
        try:
            assert a.wait_for("state")["you"]["can_ask"]
            b.wait_for("state")
            ack = a.sio.call("ask", {"body": "真实服务器上的提问"}, timeout=10)
            assert ack["ok"], ack
            question = b.wait_for("question", lambda q: q["id"] == ack["id"])
            assert question["body"] == "真实服务器上的提问" and question["author"] == alice.name
            assert b.wait_for("presence", lambda p: p["count"] >= 2)["count"] == 2
        finally:
            a.close()
            b.close()

        with pytest.raises(socketio.exceptions.ConnectionError):  # not logged in, room not public
            Browser(base, None, session_id)
        with pytest.raises(socketio.exceptions.ConnectionError):  # another site's page
            Browser(base, alice.email, session_id, headers={"Origin": "http://evil.example"})


@pytest.mark.skipif(shutil.which("redis-server") is None,
                    reason="redis-server is not installed (apt-get install redis-server)")
def test_question_asked_on_one_process_reaches_a_client_on_another_through_redis(app, live_room, tmp_path):
    alice, bob = live_room.investors
    session_id = live_room.session.id
    with redis_server(tmp_path) as url, server(app, tmp_path, SOCKETIO_MESSAGE_QUEUE=url) as one, \
            server(app, tmp_path, SOCKETIO_MESSAGE_QUEUE=url) as two:
        a = Browser(one, alice.email, session_id)
        b = Browser(two, bob.email, session_id)
        try:
            a.wait_for("state")
            b.wait_for("state")
            # presence adds up over both processes
            assert b.wait_for("presence", lambda p: p["count"] == 2)["count"] == 2
            ack = a.sio.call("ask", {"body": "跨进程的提问"}, timeout=10)
            assert ack["ok"], ack
            assert b.wait_for("question", lambda q: q["id"] == ack["id"])["body"] == "跨进程的提问"
        finally:
            a.close()
            b.close()
