"""Live room fan-out: N clients in one session's room, one investor asking 2 questions a second.

The app is served the default way, `python wsgi.py` (threading + simple-websocket on Werkzeug's
threaded server), on the bench database; every client is a bench investor with a confirmed seat and
a login cookie, joining over WebSocket with `auth: {session_id}` like the browser page. The baseline
is a bare python-socketio server in the same async mode on the same server (bench/bare_socketio.py)
broadcasting a payload of the same shape and size. Both are measured at each N in the same run
(bench/fanout.py says how); the ratio of the p99s is the cost of the application's broadcast path.
"""
from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta

from . import fanout
from .support import QUICK, free_port, gunicorn_command, log_dir, raise_open_files, ratio, say, server, sizes
from .world import World, login_cookies, shared_world, venue

LEVELS = sizes("clients", [100, 500, 1000], [50, 200])
QUESTIONS = 10 if QUICK else 40
RATE = 2.0  # questions per second
# BENCH_LIVE_GUNICORN=1: also the largest N on gunicorn (-k gthread, one process, a thread per client).
GUNICORN = os.environ.get("BENCH_LIVE_GUNICORN", "0") not in ("0", "")
TARGET_CLIENTS, P99_RATIO = 1000, 2.0


def live_session(world: World, attendees: list[int]) -> int:
    """A live session in the online venue with one pitching project, a seat for each attendee, its room in Q&A."""
    import sqlalchemy as sa

    from roadshow.common.timeutil import utcnow
    from roadshow_demo import data
    from roadshow.extensions import db
    from roadshow.live.models import LiveRoom, Phase
    from roadshow.projects.models import Project, ProjectStatus
    from roadshow.roadshows.models import Booking, RoadshowSession, SessionStatus, Slot

    with world.app.app_context():
        online = venue(data.ONLINE)
        project_id = db.session.scalar(sa.select(Project.id).where(Project.status == ProjectStatus.APPROVED).limit(1))
        now = utcnow()
        session = RoadshowSession(
            title=f"压测直播间 · {len(attendees)} 人", venue_id=online.id, starts_at=now - timedelta(minutes=10),
            ends_at=now + timedelta(hours=6), capacity=len(attendees), seats_taken=len(attendees),
            status=SessionStatus.LIVE)
        db.session.add(session)
        db.session.flush()
        slot = Slot(session_id=session.id, project_id=project_id, position=1)
        db.session.add(slot)
        db.session.flush()
        db.session.execute(sa.insert(Booking), [{"session_id": session.id, "user_id": u} for u in attendees])
        db.session.add(LiveRoom(session_id=session.id, current_slot_id=slot.id, phase=Phase.QA,
                                timer_ends_at=now + timedelta(hours=1)))
        db.session.commit()
        return session.id


def measure(base: str, clients: list[fanout.Client], asker: fanout.Client, payload) -> fanout.FanoutResult:
    return asyncio.run(fanout.fanout(base, clients, asker, payload, questions=QUESTIONS, rate=RATE))


def measure_app(world: World, n: int, gunicorn: bool = False) -> fanout.FanoutResult:
    """The app on `python wsgi.py`, or on gunicorn with one gthread process with a thread per client."""
    attendees = world.investor_ids[:n + 1]
    session_id = live_session(world, attendees)
    cookies = login_cookies(world, attendees)
    auth = {"session_id": session_id}
    clients = [fanout.Client({"Cookie": c}, auth) for c in cookies[:n]]
    port = free_port()
    log = log_dir() / f"live-app-{'gunicorn-' if gunicorn else ''}{n}.log"
    command = gunicorn_command("wsgi:app", log_dir(), "live-gunicorn", port, 1, n + 64) if gunicorn \
        else [sys.executable, "wsgi.py"]
    with server(command, world.env(), log, port=port):
        return measure(f"http://127.0.0.1:{port}", clients, fanout.Client({"Cookie": cookies[n]}, auth),
                       fanout.app_payload)


def measure_bare(world: World, n: int) -> fanout.FanoutResult:
    port = free_port()
    log = log_dir() / f"live-bare-{n}.log"
    with server([sys.executable, "-m", "bench.bare_socketio"], world.env(), log, port=port):
        clients = [fanout.Client({}, None) for _ in range(n)]
        return measure(f"http://127.0.0.1:{port}", clients, fanout.Client({}, None), fanout.bare_payload)


def run() -> list[dict]:
    world = shared_world()
    raise_open_files(4 * max(LEVELS) + 1024)
    rows = []
    for n in LEVELS:
        say(f"live: {n} clients, bare python-socketio")
        bare = measure_bare(world, n)
        say(f"live: {n} clients, app (python wsgi.py)")
        app = measure_app(world, n)
        rows += level_rows(n, app, bare)
    if GUNICORN:
        n = max(LEVELS)
        say(f"live: {n} clients, app on gunicorn gthread, {n + 64} threads")
        app = measure_app(world, n, gunicorn=True)
        rows += level_rows(n, app, bare, f"app on gunicorn gthread ({n + 64} threads)")
    return rows


def _describe(result: fanout.FanoutResult) -> str:
    stats = result.stats()
    text = (f"p50 {stats['p50']:.1f}, p95 {stats['p95']:.1f}, max {stats['max']:.0f} ms over {stats['count']:,} "
            f"receipts; {result.connected}/{result.clients} joined in {result.join_seconds:.1f} s "
            f"(+{result.settle_seconds:.1f} s to settle); {result.payload_bytes} B payload")
    if result.refused:
        text += f"; {result.refused} asks refused"
    if result.errors:
        text += f"; {len(result.errors)} errors, first: {result.errors[0]}"
    return text


def level_rows(n: int, app: fanout.FanoutResult, bare: fanout.FanoutResult, name: str = "app") -> list[dict]:
    a, b = app.stats(), bare.stats()
    label = f"{n:,} clients"
    rows = [] if name != "app" else [
        {"name": f"{label}: fan-out p99, bare python-socketio", "value": b["p99"], "unit": "ms",
         "note": f"baseline; {_describe(bare)}; lost {bare.lost}"}]
    return rows + [
        {"name": f"{label}: fan-out p99, {name}", "value": a["p99"], "unit": "ms", "note": _describe(app)},
        {"name": f"{label}: p99 {name} / bare", "value": ratio(a["p99"], b["p99"]), "unit": "×",
         "target": P99_RATIO if n >= TARGET_CLIENTS else None,
         "note": f"p50 ratio {ratio(a['p50'], b['p50']):.2f}; {QUESTIONS} questions at {RATE:g}/s"},
        {"name": f"{label}: messages lost, {name}", "value": app.lost + (app.refused * app.connected if app.sent else 0), "unit": "msgs",
         "target": 0, "note": f"{app.sent} questions × {app.clients} clients; bare lost {bare.lost}"},
    ]
