"""The production topology on loopback, as `make serve-prod` starts it (scripts/serve-prod.sh): two gunicorn
processes behind nginx, Socket.IO rooms and rate limits shared through a real Redis, a scheduler process,
on the test's database (PostgreSQL on the PostgreSQL leg)."""
import re
import threading
import time

import pytest
import requests
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.jobs.models import JobRun, RunStatus
from roadshow.notifications.models import OutboxEmail
from roadshow.roadshows.models import RoadshowSession
from roadshow.scheduling.models import TemplateOccurrence

from ..support.concurrency import at_once
from ..support.live_client import RoomClient, csrf_token, logged_in
from ..support.topology import needs_topology, start_topology

pytestmark = needs_topology


@pytest.fixture
def topology(app, tmp_path):
    yield from start_topology(app, tmp_path)


def test_a_question_asked_on_one_process_reaches_clients_on_the_other_and_behind_nginx(topology, live_room):
    """The investor is on backend 1, the host on backend 2, another investor comes through nginx on a WebSocket."""
    (asker, watcher), session_id = live_room.investors, live_room.session.id
    one, two = topology.backends
    clients = [
        RoomClient(one, logged_in(one, asker.email), session_id, "polling"),
        RoomClient(two, logged_in(two, live_room.host.email), session_id, "polling"),
        RoomClient(topology.proxy, logged_in(topology.proxy, watcher.email), session_id, "websocket"),
    ]
    try:
        for client in clients:
            client.wait_for("state")
        assert clients[2].sio.transport() == "websocket"  # nginx passed the upgrade through
        ack = clients[0].sio.call("ask", {"body": "跨进程：量产良率目标是多少？"}, timeout=10)
        assert ack["ok"], ack
        for client in clients[1:]:
            question = client.wait_for("question", lambda q: q["id"] == ack["id"])
            assert question["body"] == "跨进程：量产良率目标是多少？"
    finally:
        for client in clients:
            client.sio.disconnect()


def test_run_now_pressed_on_two_processes_at_once_creates_one_set_of_sessions(topology, db, make_user, make_template):
    """The horizon fill started at the same moment in both server processes: no session is made twice."""
    admin = make_user(Role.ADMIN)
    wait_for_startup_fill(db)  # while it holds the job, a run pressed now would only be skipped
    template = make_template()  # new to every fill so far
    pages = {base: logged_in(base, admin.email) for base in topology.backends}
    tokens = {base: csrf_token(http, f"{base}/admin/jobs/") for base, http in pages.items()}
    barrier, statuses = threading.Barrier(len(pages)), []

    def press(base: str) -> None:
        barrier.wait()
        response = pages[base].post(f"{base}/admin/jobs/horizon_fill/run", data={"csrf_token": tokens[base]},
                                    allow_redirects=False)
        statuses.append(response.status_code)

    at_once(press, pages)
    assert statuses == [302, 302]
    pressed = db.session.scalars(sa.select(JobRun.status).where(JobRun.job_id == "horizon_fill", JobRun.manual)).all()
    assert len(pressed) == 2 and RunStatus.OK in pressed and set(pressed) <= {RunStatus.OK, RunStatus.SKIPPED}

    rows = db.session.scalars(sa.select(TemplateOccurrence).where(TemplateOccurrence.template_id == template.id)).all()
    assert rows and len({row.day for row in rows}) == len(rows)
    session_ids = {row.session_id for row in rows}
    assert None not in session_ids and len(session_ids) == len(rows)
    in_venue = db.session.scalar(sa.select(sa.func.count(RoadshowSession.id))
                                 .where(RoadshowSession.venue_id == template.venue_id))
    assert in_venue == len(rows)  # every session in the venue belongs to one occurrence: none doubled


def wait_for_startup_fill(db, timeout: float = 60) -> None:
    """The scheduler process fills the horizon once when it starts; wait until that run has finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # a new snapshot each time
        runs = db.session.scalars(sa.select(JobRun.status).where(JobRun.job_id == "horizon_fill")).all()
        if runs and RunStatus.RUNNING not in runs:
            return
        time.sleep(0.2)
    pytest.fail("the scheduler process's start-up horizon fill did not finish")


def test_login_throttle_counts_attempts_on_every_process_together(topology, make_user):
    """5 failed logins per account and 10 per address per minute (the defaults), whichever process they reach."""
    user = make_user(Role.INVESTOR)
    http = requests.Session()
    token = csrf_token(http, f"{topology.proxy}/login")
    targets = [*topology.backends, topology.proxy]

    def attempt(n: int, email: str) -> requests.Response:
        return http.post(f"{targets[n % len(targets)]}/login",
                         data={"email": email, "password": "wrong-password", "csrf_token": token},
                         allow_redirects=False)

    assert [attempt(n, user.email).status_code for n in range(5)] == [200] * 5
    blocked = [attempt(n, user.email) for n in range(3)]  # now refused on every process
    assert [r.status_code for r in blocked] == [429] * 3
    assert "登录失败次数过多" in blocked[0].text and int(blocked[0].headers["Retry-After"]) > 0
    # the address has 5 failures so far: 5 more on other accounts, then it is refused too
    assert [attempt(n, f"guess{n}@example.com").status_code for n in range(6)] == [200] * 5 + [429]


def test_nginx_passes_the_request_id_and_client_address_to_the_json_logs(topology):
    response = requests.get(f"{topology.proxy}/healthz", headers={"X-Request-ID": "topology-check-1"})
    assert response.status_code == 200 and response.headers["X-Request-ID"] == "topology-check-1"
    generated = requests.get(f"{topology.proxy}/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)  # nginx's $request_id when the client sends none
    logs = "".join((topology.run_dir / f"web{n}.log").read_text() for n in (1, 2))
    assert '"request_id": "topology-check-1"' in logs and f'"request_id": "{generated}"' in logs


def test_nginx_answers_only_for_the_public_host_and_reset_links_name_it(topology, db, make_user):
    """serve-prod's PUBLIC_BASE_URL is the proxy's address: nginx drops other hosts, the servers refuse them."""
    user = make_user(Role.INVESTOR)
    with pytest.raises(requests.ConnectionError):  # 444: nginx closes the connection without answering
        requests.get(f"{topology.proxy}/password/forgot", headers={"Host": "evil.example"}, timeout=10)
    for backend in topology.backends:  # reached directly, each process refuses the name too
        assert requests.get(f"{backend}/password/forgot", headers={"Host": "evil.example"}).status_code == 400

    http = requests.Session()
    token = csrf_token(http, f"{topology.proxy}/password/forgot")
    response = http.post(f"{topology.proxy}/password/forgot", data={"email": user.email, "csrf_token": token},
                         headers={"X-Forwarded-Host": "evil.example"}, allow_redirects=False)
    assert response.status_code == 302
    db.session.rollback()  # a new snapshot: the mail was written by a server process
    body = db.session.scalars(sa.select(OutboxEmail.body).where(OutboxEmail.to_address == user.email)).one()
    assert f"{topology.proxy}/password/reset/" in body and "evil.example" not in body
