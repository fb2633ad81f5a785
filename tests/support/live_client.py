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
    the events it receives. With `reconnection` it comes back after a dropped connection as the page's
    Socket.IO client does (same cookies and auth; `connect` is recorded each time), and it answers `resync`
    with `sync` as the page does."""

    EVENTS = ("state", "question", "presence", "room", "error", "announcement", "access_changed", "removed",
              "resync")

    def __init__(self, base: str, http: requests.Session | None, session_id: int, transport: str = "polling",
                 headers: dict | None = None, reconnection: bool = False):
        self.seen: list[tuple[str, object]] = []  # appended by the client's thread
        self.sio = socketio.Client(reconnection=reconnection, reconnection_delay=0.5, reconnection_delay_max=2)
        for name in self.EVENTS:
            self.sio.on(name, lambda data, name=name: self.seen.append((name, data)))
        self.sio.on("connect", lambda: self.seen.append(("connect", None)))
        self.sio.on("resync", self._resync)
        cookie = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in http.cookies)} if http else {}
        self.sio.connect(base, headers={**cookie, **(headers or {})}, auth={"session_id": session_id},
                         transports=[transport], wait_timeout=10)

    def _resync(self, data=None) -> None:
        self.seen.append(("resync", data))
        self.sio.start_background_task(self.sio.emit, "sync")

    def mark(self) -> int:
        """A bookmark in the events seen so far: `wait_for(..., after=mark)` looks only at later ones."""
        return len(self.seen)

    def wait_for(self, name: str, predicate=lambda data: True, timeout: float = 10, after: int = 0):
        """The first `name` event so far (or arriving within the timeout) that satisfies the predicate."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event, data in list(self.seen)[after:]:
                if event == name and predicate(data):
                    return data
            time.sleep(0.05)
        pytest.fail(f"no `{name}` event within {timeout}s; the last ones seen: {str(self.seen[-5:])[-2000:]}")

    def close(self) -> None:
        self.sio.disconnect()
