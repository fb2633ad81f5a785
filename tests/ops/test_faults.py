"""Faults on the production topology (scripts/serve-prod.sh on loopback): each test starts it, breaks one part
the way it breaks in a year of daily roadshows (kill -9, a restart, an outage, a full disk), and checks what
the README's "Faults" section promises: nothing acknowledged is lost, nothing is half-written, nobody is left
hanging, and the rest keeps working."""
from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from datetime import time as dt_time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
import socketio
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.api.tokens import create_token
from roadshow.common.timeutil import utcnow
from roadshow.conversations.services import post, thread_for_meeting
from roadshow.jobs.models import ABANDONED, JobRun, RunStatus
from roadshow.live.models import Interest, Question, QuestionVote
from roadshow.meetings.services import request_meeting
from roadshow.notifications.models import EmailStatus, Notification, OutboxEmail
from roadshow.notifications.services import queue_email
from roadshow.projects.models import Project, ProjectStatus
from roadshow.roadshows.models import Booking, BookingStatus, RoadshowSession
from roadshow.scheduling.models import SessionTemplate, TemplateOccurrence

from roadshow_demo.official_lists import HEADERS, list_bytes

from ..conftest import ON_POSTGRES, pdf_bytes
from ..support.live_client import RoomClient, csrf_token, logged_in
from ..support.factories import credit_code
from ..support.server import ROOT
from ..support.smtp import SmtpReceiver
from ..support.topology import needs_topology, start_topology, wait_until

pytestmark = needs_topology


@pytest.fixture
def topology_env() -> dict:
    """Settings a test adds to the topology's environment (override in a test with indirect use)."""
    return {}


@pytest.fixture
def topology(app, tmp_path, topology_env):
    # questions as fast as the test sends them; the limit itself is tested elsewhere
    yield from start_topology(app, tmp_path, KEEP_GOING="1", LIVE_QUESTION_RATE="1000/minute", **topology_env)


def room_clients(base: str, live_room, transport: str = "websocket"):
    """The asker, a second investor and the host, each its own browser, reconnecting as the page does."""
    (asker, voter), session_id = live_room.investors, live_room.session.id
    return [RoomClient(base, logged_in(base, user.email), session_id, transport, reconnection=True)
            for user in (asker, voter, live_room.host)]


# --------------------------------------------------------------------------------------------- 1. app process

def test_an_app_process_killed_mid_session_loses_nothing_it_acknowledged(topology, live_room, db):
    """kill -9 of the process holding the room (reached through nginx) while an investor keeps asking: every
    client reconnects to the survivor and gets the whole state again; every acknowledged question, vote and
    interest is there; a question whose answer never came is sent again with the same key and stored once."""
    victim = topology.backend_behind_proxy()
    asker, voter, host = room_clients(topology.proxy, live_room)
    project_id = live_room.slots[0].project_id
    acked: dict[str, int] = {}  # client key -> question id the server acknowledged
    unanswered: list[str] = []  # sent, but no answer came: the page says "not sent"
    stop = threading.Event()

    def keep_asking():
        n = 0
        while not stop.is_set():
            key = f"q{n}"
            try:
                ack = asker.sio.call("ask", {"body": f"问题 {n}", "client_key": key}, timeout=3)
            except socketio.exceptions.SocketIOError:
                unanswered.append(key)
                wait_until(lambda: asker.sio.connected, 30, "the asker reconnects")
            else:
                assert ack["ok"], ack
                acked[key] = ack["id"]
            n += 1
            time.sleep(0.05)

    try:
        for client in (asker, voter, host):
            client.wait_for("state")
        first = asker.sio.call("ask", {"body": "量产良率目标是多少？", "client_key": "first"}, timeout=10)
        assert first["ok"], first
        assert voter.sio.call("vote", {"question_id": first["id"]}, timeout=10) == {"ok": True, "votes": 1}
        assert asker.sio.call("interest", {"project_id": project_id}, timeout=10)["ok"]
        acked["first"] = first["id"]

        marks = [client.mark() for client in (asker, voter, host)]
        asking = threading.Thread(target=keep_asking)
        asking.start()
        wait_until(lambda: len(acked) >= 5, 20, "questions are acknowledged before the kill")
        before_kill = len(acked)
        topology.kill(victim)
        for client, mark in zip((asker, voter, host), marks):
            client.wait_for("connect", after=mark, timeout=30)
            client.wait_for("state", after=mark, timeout=30)
        wait_until(lambda: len(acked) >= before_kill + 5, 30, "questions are acknowledged after the kill")
        stop.set()
        asking.join(timeout=30)
        assert topology.backend_behind_proxy() != victim  # nginx sent everyone to the survivor

        for key in unanswered:  # what the page does when the user presses "send" again: the same key
            ack = asker.sio.call("ask", {"body": f"问题 {key[1:]}", "client_key": key}, timeout=10)
            assert ack["ok"], ack
            acked[key] = ack["id"]

        mark = host.mark()
        assert host.sio.call("sync", timeout=10)["ok"]
        state = host.wait_for("state", after=mark)
        shown = {q["id"]: q for q in state["questions"]}
        assert set(acked.values()) <= set(shown)  # nothing acknowledged is lost
        assert shown[first["id"]]["votes"] == 1
        assert [(i["project_id"], i["count"]) for i in state["interests"]] == [(project_id, 1)]
    finally:
        stop.set()
        for client in (asker, voter, host):
            client.close()

    db.session.rollback()
    stored = db.session.scalars(sa.select(Question).where(Question.author_id == live_room.investors[0].id)).all()
    assert sorted(q.id for q in stored) == sorted(acked.values())  # once each: no resent question doubled
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionVote)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interest)) == 1


# --------------------------------------------------------------------------------------------------- 2. Redis

# The outage the issue names is 30 s; what the app does depends on noticing it and on Redis coming back, not on
# its length (every wait below is a poll, and the queue retries every 2 s however long Redis is away), so the
# leg uses 10 s. REDIS_OUTAGE_SECONDS=30 runs the full length.
REDIS_OUTAGE_SECONDS = float(os.environ.get("REDIS_OUTAGE_SECONDS", "10"))


def booking_token(db, make_user, make_institution) -> tuple[object, str]:
    """An investor with a verified institution and an API token that may book."""
    investor = make_user(Role.INVESTOR)
    make_institution(investor)
    _token, plaintext = create_token(investor, "faults", ["write"])
    db.session.commit()
    return investor, plaintext


def test_redis_away_keeps_the_site_working_and_live_rooms_resync_when_it_returns(
        topology, live_room, db, make_user, make_institution, make_session):
    """Redis killed (it comes back empty): pages, logins and bookings keep working, /readyz says what is
    missing, a question asked during the outage is stored; once Redis is back /readyz recovers, the
    host on the other process is told to resync and receives it, and broadcasts cross processes again."""
    one, two = topology.backends
    asker = RoomClient(one, logged_in(one, live_room.investors[0].email), live_room.session.id, "websocket",
                       reconnection=True)
    host = RoomClient(two, logged_in(two, live_room.host.email), live_room.session.id, "websocket",
                      reconnection=True)
    investor, token = booking_token(db, make_user, make_institution)
    session = make_session(capacity=5)
    api = {"Authorization": f"Bearer {token}"}
    try:
        asker.wait_for("state"), host.wait_for("state")
        mark = host.mark()
        topology.redis.kill()
        started = time.monotonic()
        ready = wait_until(lambda: (r := requests.get(f"{topology.proxy}/readyz", timeout=10)).json()["failing"]
                           and r, 10, "/readyz reports the outage")
        # reported, but the process stays in rotation: it serves on without Redis
        assert ready.status_code == 200 and ready.json()["status"] == "degraded"
        assert ready.json()["failing"] == ["redis"]
        for page in ("/", "/calendar", f"/sessions/{session.id}"):
            assert requests.get(f"{topology.proxy}{page}", timeout=10).status_code == 200, page
        logged_in(topology.proxy, investor.email)  # asserts the login form's redirect
        booked = requests.post(f"{topology.proxy}/api/v1/me/bookings", json={"session_id": session.id},
                               headers=api, timeout=10)
        assert booked.status_code == 201, booked.text
        during = asker.sio.call("ask", {"body": "断线期间的问题", "client_key": "during"}, timeout=10)
        assert during["ok"], during

        time.sleep(max(0.0, REDIS_OUTAGE_SECONDS - (time.monotonic() - started)))
        topology.redis.start()
        wait_until(lambda: requests.get(f"{topology.proxy}/readyz", timeout=10).json()["status"] == "ok", 15,
                   "/readyz recovers")
        host.wait_for("resync", after=mark, timeout=15)
        host.wait_for("state", lambda s: during["id"] in {q["id"] for q in s["questions"]},
                                 after=mark, timeout=10)
        # both processes registered their connections again (Redis came back empty)
        host.wait_for("presence", lambda p: p["count"] == 2, after=mark, timeout=10)

        after = asker.sio.call("ask", {"body": "恢复之后的问题", "client_key": "after"}, timeout=10)
        assert after["ok"], after
        host.wait_for("question", lambda q: q["id"] == after["id"], timeout=10)  # across processes again
    finally:
        asker.close(), host.close()
    db.session.rollback()
    assert db.session.scalar(sa.select(RoadshowSession.seats_taken).where(RoadshowSession.id == session.id)) == 1


# ---------------------------------------------------------------------------------------------- 3. PostgreSQL

def pg_ctl(*args: str) -> None:
    """pg_ctl on the leg's server (scripts/with-postgres.sh exports PGDATA); as its owner when we are root."""
    binary = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
    owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*owner, str(binary), "-D", os.environ["PGDATA"], *args], check=True, capture_output=True,
                   timeout=60)


@pytest.mark.skipif(not ON_POSTGRES or "PGDATA" not in os.environ,
                    reason="needs the PostgreSQL server of scripts/with-postgres.sh (the faults leg on PostgreSQL)")
def test_postgresql_restart_under_load_fails_cleanly_and_the_pool_recovers(
        topology, db, make_user, make_institution, make_session):
    """Bookings, cancellations and page views keep coming while PostgreSQL stops for 3 s and starts again:
    each answer is a success, a refusal, or a clean 503 (problem+json for the API, a page for people, with
    Retry-After); never a 500. Afterwards the same server processes answer again, and every seat counter
    matches its bookings."""
    session_id = make_session(capacity=6).id  # plain values: the load threads have no app context
    tokens = [booking_token(db, make_user, make_institution)[1] for _ in range(12)]
    web_pids = [topology.pid("web1"), topology.pid("web2")]
    answers: list[tuple[str, int, str, str]] = []  # (what, status, content type, body start)
    stop = threading.Event()

    def load(worker: int) -> None:
        http = requests.Session()
        n = worker
        while not stop.is_set():
            api = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
            try:
                if n % 3 == 0:
                    what, r = "page", http.get(f"{topology.proxy}/sessions/{session_id}", timeout=15)
                else:
                    what, r = "book", http.post(f"{topology.proxy}/api/v1/me/bookings", timeout=15, headers=api,
                                                json={"session_id": session_id, "join_waitlist": False})
                    mine = http.get(f"{topology.proxy}/api/v1/me/bookings", headers=api, timeout=15)
                    if mine.status_code == 200 and n % 2:
                        for booking in [b for b in mine.json() if b["status"] == "confirmed"][:1]:
                            what, r = "cancel", http.delete(f"{topology.proxy}/api/v1/me/bookings/{booking['id']}",
                                                            headers=api, timeout=15)
                    elif mine.status_code != 200:
                        what, r = "list", mine
            except requests.RequestException as exc:  # a hung or dropped request is a failure too
                answers.append(("error", 0, "", repr(exc)))
            else:
                answers.append((what, r.status_code, r.headers.get("Content-Type", ""), r.text[:200]))
            n += 4

    workers = [threading.Thread(target=load, args=(w,)) for w in range(4)]
    for worker in workers:
        worker.start()
    try:
        wait_until(lambda: len(answers) >= 20, 60, "load is flowing before the restart")
        pg_ctl("stop", "-m", "fast", "-w")
        time.sleep(3)
        pg_ctl("start", "-w", "-l", os.path.join(os.path.dirname(os.environ["PGDATA"]), "log"))
        restarted = len(answers)
        wait_until(lambda: sum(1 for a in answers[restarted:] if a[1] in (200, 201)) >= 20, 60,
                   "requests succeed again after the restart")
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)

    assert [topology.pid("web1"), topology.pid("web2")] == web_pids  # the same processes: the pool recovered
    unavailable = [a for a in answers if a[1] == 503]
    assert unavailable, "no request met the outage"
    wrong = [a for a in answers if a[1] not in (200, 201, 409, 503)]
    assert not wrong, wrong[:5]
    for what, _status, content_type, body in unavailable:
        if what == "page":
            assert content_type.startswith("text/html") and "503" in body, body
        else:
            assert content_type == "application/problem+json" and '"database_unavailable"' in body, body

    db.session.rollback()
    db.session.expire_all()
    confirmed = db.session.scalar(sa.select(sa.func.count()).select_from(Booking).where(
        Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED))
    assert db.session.get(RoadshowSession, session_id).seats_taken == confirmed <= 6


# ------------------------------------------------------------------------------------------------ 4. scheduler

JOB_LEASE = 4.0  # seconds (JOB_LEASE_SECONDS): short, so that the test waits for an expiry a few times over
STUCK_JOBS = ("reminders", "conversation_digest", "horizon_fill")  # all three also run when a scheduler starts


class Scheduler:
    """`flask --app wsgi scheduler`, the process scripts/serve-prod.sh starts, on the test's database."""

    def __init__(self, app, folder: Path, name: str):
        env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "faults-secret",
               "UPLOAD_DIR": str(folder / "uploads"), "JOB_LEASE_SECONDS": str(JOB_LEASE),
               "CONVERSATION_DIGEST_DELAY": "0"}
        self.log = folder / f"{name}.log"
        with open(self.log, "w") as out:
            self.process = subprocess.Popen([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "scheduler"], cwd=ROOT,
                                            env=env, stdout=out, stderr=out)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM: running jobs finish (released from the test's locks by then), then the process exits."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()


def job_runs(db, job_id: str) -> list[JobRun]:
    db.session.rollback()  # a new snapshot: the schedulers wrote it
    db.session.expire_all()
    return db.session.scalars(sa.select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.id)).all()


def clear_of_the_next_five_minutes(margin: float = 40) -> None:
    """Reminders (every 5 minutes) and digests (every 10) also fire on the clock; keep that out of the test's
    window, so that each run it sees is one it caused."""
    into = time.time() % 300
    if into > 300 - margin:
        time.sleep(300 - into + 5)


@pytest.fixture
def stuck_jobs(app, db, tmp_path, make_user, make_session, make_template, make_company, make_project,
               make_institution):
    """Work for the three jobs (a session in three hours with two booked investors, an unread conversation
    message, two session templates), and a transaction of the test's own that holds what each job must write
    before it can finish: the outbox (reminders and digests end up there) and the second template's row (the
    horizon fill writes it after filling the first). A scheduler started now gets stuck mid-job."""
    session = make_session(starts_in=timedelta(hours=3))
    investors = []
    for _ in range(2):
        investor = make_user(Role.INVESTOR)
        make_institution(investor)
        db.session.add(Booking(session_id=session.id, user_id=investor.id))
        session.seats_taken += 1
        investors.append(investor)
    founder = make_user(Role.STARTUP)
    project = make_project(make_company(founder), ProjectStatus.APPROVED)
    thread = thread_for_meeting(request_meeting(investors[0], project, "想约见"))
    post(founder, thread, "资料已更新，请查看。")
    templates = [make_template(), make_template(start_time=dt_time(9, 0), end_time=dt_time(11, 0))]
    db.session.commit()
    holder = db.engine.connect()
    transaction = holder.begin()
    holder.execute(sa.text("LOCK TABLE outbox_emails IN SHARE ROW EXCLUSIVE MODE"))
    holder.execute(sa.select(SessionTemplate.id).where(SessionTemplate.id == templates[1].id).with_for_update())
    try:
        yield SimpleNamespace(session=session, investors=investors,
                              release=lambda: transaction.rollback() if transaction.is_active else None,
                              pid=holder.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
    finally:
        if transaction.is_active:
            transaction.rollback()
        holder.close()


def blocked_by(db, pid: int) -> list[int]:
    """The database connections waiting for a lock that connection `pid` holds."""
    return db.session.scalars(sa.text("SELECT pid FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                              {"pid": pid}).all()


@pytest.mark.skipif(not ON_POSTGRES, reason="the jobs are held mid-run by PostgreSQL locks (the faults leg on PostgreSQL)")
def test_the_scheduler_killed_mid_job_is_taken_over_and_nothing_is_sent_or_created_twice(app, db, tmp_path,
                                                                                         stuck_jobs):
    """Scheduler A is stuck in the middle of the reminders, the digest and the horizon fill (each waits for a
    lock after part of its work) for longer than the lease: it keeps its leases, and scheduler B, started
    meanwhile, skips the jobs. A dies (kill -9) and the locks go: within the lease B notices, runs each job
    again exactly once, and every reminder, digest and session exists once."""
    first = Scheduler(app, tmp_path, "scheduler-a")
    second = None
    try:
        wait_until(lambda: all(any(r.status == RunStatus.RUNNING for r in job_runs(db, job)) for job in STUCK_JOBS),
                   90, "scheduler A starts the three jobs")
        wait_until(lambda: len(blocked_by(db, stuck_jobs.pid)) >= len(STUCK_JOBS), 60,
                   "the three jobs wait for the test's locks mid-run")
        abandoned = {job: next(r for r in job_runs(db, job) if r.status == RunStatus.RUNNING) for job in STUCK_JOBS}

        second = Scheduler(app, tmp_path, "scheduler-b")
        wait_until(lambda: "scheduler running" in second.log.read_text(), 60, "scheduler B starts")
        time.sleep(3 * JOB_LEASE)  # B checks for abandoned runs every half lease: A renews its leases
        for job, run in abandoned.items():
            statuses = [r.status for r in job_runs(db, job) if r.id >= run.id]
            assert statuses[0] == RunStatus.RUNNING and set(statuses[1:]) <= {RunStatus.SKIPPED}, statuses
            assert utcnow() - run.started_at > timedelta(seconds=3 * JOB_LEASE)

        clear_of_the_next_five_minutes()
        first.kill()
        stuck_jobs.release()
        for job, run in abandoned.items():
            wait_until(lambda: any(r.run_key == f"rerun:{run.id}" and r.status == RunStatus.OK
                                   for r in job_runs(db, job)), 30, f"scheduler B runs {job} again")
        time.sleep(3 * JOB_LEASE)  # several more checks for abandoned runs: none runs a job once more
    finally:
        if first.process.poll() is None:
            first.kill()
        stuck_jobs.release()
        if second is not None:
            second.stop()

    for job, run in abandoned.items():
        ran = [(r.run_key, r.status) for r in job_runs(db, job) if r.id >= run.id and r.status != RunStatus.SKIPPED]
        assert ran == [(run.run_key, RunStatus.ERROR), (f"rerun:{run.id}", RunStatus.OK)], ran
        assert db.session.get(JobRun, run.id).error == ABANDONED

    # Every reminder, digest and email once; every date of every template one session.
    session, investors = stuck_jobs.session, stuck_jobs.investors
    reminders = db.session.scalars(sa.select(Notification.dedupe_key).where(Notification.kind == "reminder")).all()
    assert sorted(k for k in reminders if k.startswith(f"reminder:{session.id}:")) == sorted(
        f"reminder:{session.id}:{investor.id}:D-1" for investor in investors)
    emails = db.session.execute(sa.select(OutboxEmail.to_address, OutboxEmail.subject)).all()
    assert len(emails) == len(set(emails))
    assert sum("对接消息" in subject and to == investors[0].email for to, subject in emails) == 1
    assert sum(to == investor.email and session.title in subject for investor in investors
               for to, subject in emails) == 2
    occurrences = db.session.scalar(sa.select(sa.func.count()).select_from(TemplateOccurrence))
    per_time = db.session.execute(sa.select(RoadshowSession.venue_id, RoadshowSession.starts_at, sa.func.count())
                                  .group_by(RoadshowSession.venue_id, RoadshowSession.starts_at)).all()
    assert occurrences >= 10 and all(count == 1 for *_key, count in per_time)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RoadshowSession)) == occurrences + 1


# ----------------------------------------------------------------------------------------------------- 5. SMTP

@pytest.fixture
def smtp():
    receiver = SmtpReceiver()  # its port is chosen now, the server started only when the test says so
    yield receiver
    receiver.stop()


def run_outbox_drain(topology, admin_http) -> None:
    """An admin presses "run now" on the outbox job, through nginx (what the scheduler does every minute)."""
    page = f"{topology.proxy}/admin/jobs/"
    response = admin_http.post(f"{topology.proxy}/admin/jobs/outbox_drain/run", allow_redirects=False,
                               data={"csrf_token": csrf_token(admin_http, page)})
    assert response.status_code == 302, response.text[:300]


def outbox(db) -> list[OutboxEmail]:
    db.session.rollback()  # a new snapshot: the server processes wrote it
    db.session.expire_all()
    return db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)).all()


def make_due(db) -> None:
    """What an hour of waiting does to the backoff (at most 15 minutes): every waiting email is due, the one
    tried longest ago first, as after a real hour."""
    for email in outbox(db):
        email.next_attempt_at -= timedelta(hours=1)
    db.session.commit()


@pytest.fixture
def smtp_topology(app, tmp_path, smtp):
    yield from start_topology(app, tmp_path, KEEP_GOING="1", MAIL_SERVER="127.0.0.1", MAIL_PORT=str(smtp.port))


def test_smtp_down_for_an_hour_keeps_every_email_and_delivers_each_once_when_it_returns(
        smtp_topology, smtp, db, make_user):
    """The SMTP server is down: every email waits in the outbox, tried again with growing intervals through
    more attempts than an hour of retries makes, the admin jobs page shows the backlog and the error; once the
    server is back each email is delivered exactly once, and the page shows the backlog gone."""
    topology = smtp_topology
    topology.kill("scheduler")  # the test drives the outbox job itself, so it knows how many runs there were
    admin_http = logged_in(topology.proxy, make_user(Role.ADMIN).email)
    for n in range(3):
        queue_email(f"investor{n}@example.com", f"路演提醒 {n}", "明天上午九点，光谷路演厅。", dedupe_key=f"faults:{n}")
    db.session.commit()
    waiting = len(outbox(db))  # the new admin's welcome mail, if any, waits too

    run_outbox_drain(topology, admin_http)
    first = outbox(db)
    assert all(e.status == EmailStatus.PENDING for e in first)
    tried = [e for e in first if e.attempts]
    assert len(tried) == 1 and "Connection" in tried[0].last_error  # the run stopped at the unreachable server
    page = admin_http.get(f"{topology.proxy}/admin/jobs/").text
    assert f"发件箱：{waiting} 封邮件待发送" in page and "1 封发送失败" in page and "ConnectionRefusedError" in page

    run_outbox_drain(topology, admin_http)  # at once: the tried email waits for its backoff, the next is tried
    assert [e.attempts for e in outbox(db)].count(0) == waiting - 2

    for _ in range(7 * waiting):  # more than an hour of retries for every email (each run tries one)
        make_due(db)
        run_outbox_drain(topology, admin_http)
    emails = outbox(db)
    assert {e.status for e in emails} == {EmailStatus.PENDING}  # none given up
    assert min(e.attempts for e in emails) > 6  # more attempts than the six that used to end in "failed"
    assert smtp.received == []

    smtp.start()
    make_due(db)
    run_outbox_drain(topology, admin_http)
    run_outbox_drain(topology, admin_http)  # a second run sends nothing again
    emails = outbox(db)
    assert {e.status for e in emails} == {EmailStatus.SENT}
    ids = smtp.message_ids()
    assert sorted(ids) == sorted(f"<outbox-{e.id}@localhost>" for e in emails)  # each exactly once
    assert "发件箱" not in admin_http.get(f"{topology.proxy}/admin/jobs/").text


# ------------------------------------------------------------------------------------------------ 6. full disk

UPLOAD_DISK = 1024 * 1024  # bytes: a tmpfs this small fills up within the test


@pytest.fixture
def upload_disk(tmp_path):
    """UPLOAD_DIR on a 1 MB filesystem of its own (a tmpfs), so that the test can fill it up."""
    mount = tmp_path / "uploads"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a small tmpfs for the uploads needs root (mount -t tmpfs)")
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={UPLOAD_DISK},mode=0755", "tmpfs", str(mount)],
                   check=True, capture_output=True, timeout=30)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=False, capture_output=True, timeout=30)


def fill(folder: Path, leave: int) -> Path:
    """Write a file into `folder` until at most `leave` bytes are free on its filesystem."""
    filler = folder / f"filler-{uuid.uuid4().hex}"
    with open(filler, "wb", buffering=0) as out:
        try:
            while (room := free_bytes(folder) - leave) > 0:
                out.write(b"\0" * min(room, 65536))
        except OSError:
            pass  # full
    return filler


def free_bytes(folder: Path) -> int:
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


@pytest.fixture
def upload_topology(app, tmp_path, upload_disk):
    yield from start_topology(app, tmp_path, KEEP_GOING="1", UPLOAD_DIR=str(upload_disk))


def test_a_full_upload_disk_refuses_uploads_clearly_and_leaves_nothing_half_written(
        upload_topology, upload_disk, db, make_user, make_company, make_project):
    """A startup's deck and an admin's official list arrive while the disk for uploads is full: the form comes
    back with a message saying so (507), the project still shows its previous deck (the file is there), no
    partial file is left; once there is room again the same upload goes through."""
    topology = upload_topology
    founder = make_user(Role.STARTUP)
    project = make_project(make_company(founder))
    admin = make_user(Role.ADMIN)
    db.session.commit()
    startup_http, admin_http = logged_in(topology.proxy, founder.email), logged_in(topology.proxy, admin.email)
    edit_page = f"{topology.proxy}/my/projects/{project.id}/edit"

    def upload_deck(pages: int) -> requests.Response:
        return startup_http.post(f"{topology.proxy}/my/projects/{project.id}/deck", allow_redirects=False,
                                 data={"csrf_token": csrf_token(startup_http, edit_page)},
                                 files={"deck": ("路演材料.pdf", pdf_bytes(pages), "application/pdf")}, timeout=60)

    def stored_deck() -> tuple[str | None, int | None]:
        db.session.rollback()
        db.session.expire_all()
        stored = db.session.get(Project, project.id)
        return stored.deck_file, stored.deck_pages

    assert upload_deck(3).status_code == 302
    first_deck, _pages = stored_deck()
    assert files_under(upload_disk) == [f"decks/{first_deck}"]

    filler = fill(upload_disk, leave=32 * 1024)
    refused = upload_deck(1000)  # about 120 KB: the first 32 KB fit, then the disk is full
    assert refused.status_code == 507, refused.text[:300]
    assert refused.headers["Content-Type"].startswith("text/html")
    assert "服务器存储空间已满，文件没有保存" in refused.text and 'name="deck"' in refused.text
    assert stored_deck() == (first_deck, 3)  # the project keeps its deck, and the file is there
    assert files_under(upload_disk) == sorted([f"decks/{first_deck}", filler.name])  # no partial file
    assert startup_http.get(f"{topology.proxy}/projects/{project.id}/deck", timeout=30).status_code == 200

    full = fill(upload_disk, leave=0)  # not a byte left: the admin's list preview cannot be kept either
    official = admin_http.post(f"{topology.proxy}/admin/official-lists/", timeout=60, data={
        "kind": "innovation", "source": "2025 年度创新积分评价结果",
        "csrf_token": csrf_token(admin_http, f"{topology.proxy}/admin/official-lists/")},
        files={"file": ("innovation.xlsx", list_bytes(HEADERS["innovation"],
                                                      [(credit_code(5), "光谷企业", 80, "A", 2025)], "xlsx"))})
    assert official.status_code == 507 and "服务器存储空间已满" in official.text, official.text[:300]
    assert files_under(upload_disk) == sorted([f"decks/{first_deck}", filler.name, full.name])

    filler.unlink(), full.unlink()  # the admin makes room
    assert upload_deck(1000).status_code == 302
    second_deck, pages = stored_deck()
    assert pages == 1000 and second_deck != first_deck
    assert files_under(upload_disk) == [f"decks/{second_deck}"]  # the replaced deck removed, nothing else
