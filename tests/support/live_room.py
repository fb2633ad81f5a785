"""Fixtures and helpers for the live-room tests (no tests here): a room with a host, a presenting
startup and seated investors, and Socket.IO test clients that each act like a separate browser."""
import contextvars
import time
from dataclasses import dataclass, field

import pytest

from roadshow.accounts.models import Role, User
from roadshow.common.timeutil import to_local
from roadshow.extensions import db as _db, socketio
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import Booking, RoadshowSession, SessionStatus, Slot

from .factories import PASSWORD


class LiveClient:
    """One browser: its own HTTP cookie jar (login) and a Socket.IO connection to one session's room.

    Every call runs in a fresh context, as on a server, so clients never share Flask's `g`
    (the logged-in user) or the database session with each other or with the test.
    """

    def __init__(self, app, user: User | None, session_id: int | None, auth: dict | None = None):
        self.app = app
        self.http = app.test_client()
        if user is not None:
            response = self.http.post("/login", data={"email": user.email, "password": PASSWORD})
            assert response.status_code == 302
        self.sio = self._run(lambda: socketio.test_client(
            app, flask_test_client=self.http, auth=auth if auth is not None else {"session_id": session_id}))
        self._seen: list[dict] = []

    @staticmethod
    def _run(call):
        result = contextvars.Context().run(call)
        _db.session.expire_all()  # the test then reads what the handler committed
        return result

    @property
    def connected(self) -> bool:
        return self.sio.is_connected()

    def emit(self, event: str, data=None):
        """Send an event and return the server's ack."""
        return self._run(lambda: self.sio.emit(event, data, callback=True))

    def disconnect(self) -> None:
        self._run(self.sio.disconnect)

    def received(self, name: str | None = None) -> list:
        """Payloads received since the last call (all kept for `last`), optionally of one event."""
        # get_received() refuses once disconnected; what arrived before (e.g. `removed`) is still queued
        self._seen.extend(self.sio.queue)
        self.sio.queue = []
        batch, self._seen = self._seen, []
        self._kept = getattr(self, "_kept", []) + batch
        return [e["args"][0] if e["args"] else None for e in batch if name is None or e["name"] == name]

    def last(self, name: str):
        self.received()
        matches = [e["args"][0] for e in self._kept if e["name"] == name]
        return matches[-1] if matches else None


@dataclass
class Room:
    session: RoadshowSession
    host: User
    founder: User
    investors: list[User]
    slots: list[Slot] = field(default_factory=list)
    clients: list[LiveClient] = field(default_factory=list)


def book(db, session: RoadshowSession, user: User) -> None:
    db.session.add(Booking(session_id=session.id, user_id=user.id))
    session.seats_taken += 1
    db.session.commit()


def edit_form(session: RoadshowSession, **changes) -> dict:
    """The admin's session form (/admin/sessions/<id>/edit) as the page fills it in, with `changes`."""
    fmt = "%Y-%m-%dT%H:%M"
    form = {
        "title": session.title, "venue_id": session.venue_id, "series_id": session.series_id or "",
        "host_id": session.host_id or "", "industry_chain": "",
        "starts_at": to_local(session.starts_at).strftime(fmt), "ends_at": to_local(session.ends_at).strftime(fmt),
        "capacity": session.capacity, "status": session.status.value, "description": session.description or "",
    }
    return {**form, **changes}


@pytest.fixture
def live_room(app, db, make_user, make_company, make_project, make_session, make_institution):
    """A live session with two pitching projects, its host, the first project's founder and two seated investors."""
    host = make_user(Role.HOST, name="王主持")
    founder = make_user(Role.STARTUP, name="李创始")
    company = make_company(founder)
    other_company = make_company(make_user(Role.STARTUP))
    projects = [make_project(company, ProjectStatus.SCHEDULED), make_project(other_company, ProjectStatus.SCHEDULED)]
    session = make_session(host=host, status=SessionStatus.LIVE)
    slots = [Slot(session=session, project=p, position=n, pitch_minutes=8, qa_minutes=5)
             for n, p in enumerate(projects, start=1)]
    db.session.add_all(slots)
    investors = []
    for name in ("张投资", "陈投资"):
        investor = make_user(Role.INVESTOR, name=name)
        make_institution(investor)
        book(db, session, investor)
        investors.append(investor)
    db.session.commit()
    return Room(session, host, founder, investors, slots)


@pytest.fixture
def connect(app):
    """connect(user, session) -> a LiveClient (user None: not logged in)."""
    def make(user, session, **kwargs) -> LiveClient:
        return LiveClient(app, user, session.id if session is not None else None, **kwargs)

    yield make
    # A presence broadcast held back for the interval still goes out after the test, through the one
    # Socket.IO server every test shares: wait for it, or the next test's room (same id) receives it.
    throttle = app.extensions.get("live_presence")
    deadline = time.monotonic() + app.config["LIVE_PRESENCE_INTERVAL"] + 2
    if throttle and throttle["due"]:
        while throttle["due"] and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # "due" is cleared just before the message is built and sent
