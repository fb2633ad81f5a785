"""A real server seen as a browser sees it: log in through the form over HTTP, then join a live room."""
from __future__ import annotations

import re
import time

import pytest
import requests
import socketio

from .factories import PASSWORD

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(http: requests.Session, url: str) -> str:
    """The CSRF token of the form on the page at `url`."""
    return CSRF.search(http.get(url).text).group(1)


def logged_in(base: str, email: str) -> requests.Session:
    """An HTTP session logged in through the real login form."""
    http = requests.Session()
    response = http.post(f"{base}/login", data={"email": email, "password": PASSWORD,
                                               "csrf_token": csrf_token(http, f"{base}/login")},
                         allow_redirects=False)
    assert response.status_code == 302, response.text[:300]
    return http


class RoomClient:
    """A python-socketio client in one session's live room (with `http`'s cookies; anonymous without), recording
    the events it receives."""

    EVENTS = ("state", "question", "presence", "room", "error", "announcement", "access_changed", "removed")

    def __init__(self, base: str, http: requests.Session | None, session_id: int, transport: str = "polling",
                 headers: dict | None = None):
        self.seen: list[tuple[str, object]] = []  # appended by the client's thread
        self.sio = socketio.Client(reconnection=False)
        for name in self.EVENTS:
            self.sio.on(name, lambda data, name=name: self.seen.append((name, data)))
        cookie = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in http.cookies)} if http else {}
        self.sio.connect(base, headers={**cookie, **(headers or {})}, auth={"session_id": session_id},
                         transports=[transport], wait_timeout=10)

    def wait_for(self, name: str, predicate=lambda data: True, timeout: float = 10):
        """The first `name` event so far (or arriving within the timeout) that satisfies the predicate."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event, data in list(self.seen):
                if event == name and predicate(data):
                    return data
            time.sleep(0.05)
        pytest.fail(f"no `{name}` event within {timeout}s; seen: {self.seen}")

    def close(self) -> None:
        self.sio.disconnect()
