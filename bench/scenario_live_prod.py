"""The live room at scale on the production topology: `live_5000` (5,000 clients in one room) and `join_storm`
(1,000 clients arriving within one second).

Both run on scripts/serve-prod.sh as `make serve-prod` starts it (two server processes, Redis, nginx, the
scheduler process) on the bench database, the clients connecting through nginx over WebSocket with a
login cookie and `auth: {session_id}` like the browser page. The clients are bench/swarm.py's lean
Socket.IO clients in two processes. The baseline is the bare python-socketio server
(bench/bare_socketio.py) on the same topology: the same launch script, worker class, Redis queue and nginx,
measured in the same run.

- live_5000: every client joins (at most JOIN_CONCURRENCY handshakes at once per generator process), the
  room settles, then one more investor asks QUESTIONS questions at RATE per second. Delivery latency is
  receipt minus the asker's time just before its emit, over every client and question; lost counts, per
  client, the accepted questions it never received. Server memory per client: the server processes'
  resident memory with the room full, minus before anyone joined, divided by the clients in the room.
  The generator's own CPU per received message, measured against the bare server, gives its ceiling.
- join_storm: STORM clients start connecting evenly spread over one second; the time is from the first
  arrival until the last client is in the room (the app: has received `state`; the bare server: connected).

BENCH_LIVE_PROD_CLIENTS / BENCH_JOIN_STORM set the sizes; BENCH_LIVE_PROD_CLASSES ("gevent,gthread") the
worker classes measured (the first is the one with targets; gthread gets THREADS = clients per process).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import fanout, swarm
from .scenario_live import live_session
from .soak import rss_mb, serve
from .support import QUICK, log_dir, raise_open_files, ratio, say, sizes, summary
from .world import World, investors, login_cookies, shared_world

CLIENTS = sizes("live_prod_clients", [5000], [300])[0]
STORM = sizes("join_storm", [1000], [200])[0]
CLASSES = os.environ.get("BENCH_LIVE_PROD_CLASSES", "gevent").split(",")
QUESTIONS = 10 if QUICK else 40
WARMUP = 2
RATE = 2.0  # questions per second
GENERATORS = 2  # load generator processes
JOIN_CONCURRENCY = 100  # handshakes in flight per generator process while filling the room
P99_TARGET_MS, STORM_RATIO = 1000.0, 2.0
BARE = "bench.bare_socketio:app"


@contextmanager
def topology(world: World, app: str, worker_class: str, clients: int):
    """scripts/serve-prod.sh serving `app`; yields (nginx's URL, the server processes' pids)."""
    extra = {"APP": app, "WORKER_CLASS": worker_class}
    if worker_class == "gthread":
        extra["THREADS"] = str(clients // 2 + 64)  # a thread per open WebSocket, the room split over two
    folder = Path(tempfile.mkdtemp(prefix="roadshow-live-prod-"))
    process, run_dir, proxy = serve(world, folder, **extra)
    try:
        yield proxy, [int((run_dir / f"web{n}.pid").read_text()) for n in (1, 2)]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        name = "bare" if app == BARE else "app"
        logs = log_dir() / f"live-prod-{name}-{worker_class}"
        shutil.rmtree(logs, ignore_errors=True)
        shutil.copytree(run_dir, logs, ignore=shutil.ignore_patterns("nginx-tmp", "*.ctl", "*.pid", "media"))
        shutil.rmtree(run_dir, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)


def server_rss_mb(pids: list[int]) -> float:
    return sum(rss_mb(pid) for pid in pids)


@dataclass
class Room:
    """One measured room: how the clients got in, what they received, what it cost."""
    clients: int
    joined: list[swarm.Joined]
    asking: swarm.Asking | None = None
    receipts: list[tuple[dict[int, float], bool, str | None]] | None = None
    generator_cpu: float = 0.0  # seconds, while the questions went out and arrived
    rss_before: float = 0.0
    rss_full: float = 0.0

    @property
    def in_room(self) -> int:
        return sum(1 for j in self.joined if j.in_room is not None)

    @property
    def errors(self) -> list[str]:
        return [j.error for j in self.joined if j.error] + [d for _, _, d in self.receipts or [] if d]

    def accepted(self) -> set[int]:
        return {seq for seq, ack in self.asking.acks.items() if isinstance(ack, dict) and ack.get("ok")}

    def tally(self) -> tuple[list[float], int, int]:
        """(latencies in ms after the warm-up, messages lost, clients that received every question)."""
        expected = self.accepted() | {seq for arrivals, _, _ in self.receipts for seq in arrivals}
        latencies, lost, complete = [], 0, 0
        for arrivals, _, _ in self.receipts:
            missing = expected - arrivals.keys()
            lost += len(missing)
            complete += not missing
            latencies += [(arrivals[seq] - self.asking.sends[seq]) * 1000 for seq in expected - missing
                          if seq >= WARMUP]
        lost += (self.clients - len(self.receipts)) * len(expected)
        return latencies, lost, complete

    def messages(self) -> int:
        return sum(len(arrivals) for arrivals, _, _ in self.receipts)


def storm(proxy: str, specs: list[swarm.Spec], joined_on: str) -> float:
    """Seconds from the first arrival until the last of the clients is in the room (inf: not all got in)."""
    with swarm.Swarm(GENERATORS) as crowd:
        start = time.time() + 1.0  # the generator processes are ready by then
        joined = crowd.join(proxy, specs, start, timeout=60, joined_on=joined_on)
    if any(j.in_room is None for j in joined):
        errors = [j.error for j in joined if j.error]
        say(f"join storm: {len(errors)} clients not in the room, first: {errors[:1]}")
        return float("inf")
    return max(j.in_room for j in joined) - start


def fill_and_ask(proxy: str, specs: list[swarm.Spec], asker: swarm.Spec, payload, joined_on: str,
                 pids: list[int]) -> Room:
    rss_before = server_rss_mb(pids)
    with swarm.Swarm(GENERATORS) as crowd:
        joined = crowd.join(proxy, specs, time.time(), concurrency=JOIN_CONCURRENCY, timeout=120, joined_on=joined_on)
        room = Room(len(specs), joined, rss_before=rss_before)
        crowd.wait_quiet(quiet=2.0, limit=120)
        room.rss_full = server_rss_mb(pids)
        cpu = crowd.cpu_seconds()
        room.asking = asyncio.run(swarm.ask(proxy, asker, payload, QUESTIONS + WARMUP, RATE, joined_on=joined_on))
        room.receipts = crowd.collect(len(room.accepted()), limit=30)
        room.generator_cpu = crowd.cpu_seconds() - cpu
    return room


def run() -> list[dict]:
    world = shared_world()
    raise_open_files(4 * CLIENTS + 2048)
    users = investors(world, max(CLIENTS, STORM) + 1)  # the room, one asker; a storm larger than the room too
    session_id = live_session(world, users)
    cookies = login_cookies(world, users)
    auth = {"session_id": session_id}
    source = swarm.source_address
    app_specs = [swarm.Spec(0.0, {"Cookie": c}, auth, source(i)) for i, c in enumerate(cookies[:CLIENTS])]
    asker = swarm.Spec(0.0, {"Cookie": cookies[CLIENTS]}, auth, source(CLIENTS))
    storm_specs = [swarm.Spec(i / STORM, {"Cookie": c}, auth, source(i)) for i, c in enumerate(cookies[:STORM])]
    bare_specs = [swarm.Spec(0.0, {}, None, source(i)) for i in range(CLIENTS)]
    bare_storm_specs = [swarm.Spec(i / STORM, {}, None, source(i)) for i in range(STORM)]
    rows = []
    for n, worker_class in enumerate(CLASSES):
        label = "" if n == 0 else f" ({worker_class})"
        say(f"live_prod: bare python-socketio on serve-prod ({worker_class}): {STORM} arriving in 1 s, "
            f"then {CLIENTS} in the room")
        with topology(world, BARE, worker_class, CLIENTS) as (proxy, pids):
            bare_storm = storm(proxy, bare_storm_specs, "connect")
            bare = fill_and_ask(proxy, bare_specs, swarm.Spec(0.0, {}, None, source(CLIENTS)), fanout.bare_payload,
                                "connect", pids)
        say(f"live_prod: the app on serve-prod ({worker_class}): {STORM} arriving in 1 s, then {CLIENTS} in the room")
        with topology(world, "wsgi:app", worker_class, CLIENTS) as (proxy, pids):
            app_storm = storm(proxy, storm_specs, "state")
            time.sleep(3)  # the storm's clients have left: their presence updates are over
            app = fill_and_ask(proxy, app_specs, asker, fanout.app_payload, "state", pids)
        rows += live_rows(app, bare, worker_class, label, targets=n == 0)
        rows += storm_rows(app_storm, bare_storm, worker_class, label, targets=n == 0)
    return rows


def _joined_note(room: Room) -> str:
    seconds = max((j.in_room for j in room.joined if j.in_room), default=0) - min(j.started for j in room.joined)
    text = f"{room.in_room:,}/{room.clients:,} in the room after {seconds:.1f} s"
    if room.errors:
        text += f"; {len(room.errors)} errors, first: {room.errors[0]}"
    return text


def live_rows(app: Room, bare: Room, worker_class: str, label: str, targets: bool) -> list[dict]:
    name = f"live_{CLIENTS}"
    a_lat, a_lost, a_complete = app.tally()
    b_lat, b_lost, _ = bare.tally()
    a, b = summary(a_lat), summary(b_lat)
    per_message_us = bare.generator_cpu / max(1, bare.messages()) * 1e6
    needed = CLIENTS * RATE
    ceiling = 1e6 / per_message_us if per_message_us else float("inf")
    per_client_kb = (app.rss_full - app.rss_before) * 1024 / max(1, app.in_room)
    return [
        {"name": f"{name}: question delivery p99, bare python-socketio{label}", "value": b["p99"], "unit": "ms",
         "note": f"baseline on serve-prod {worker_class}; p50 {b['p50']:.0f} ms; {_joined_note(bare)}; lost {b_lost}"},
        {"name": f"{name}: question delivery p99{label}", "value": a["p99"], "unit": "ms",
         "target": P99_TARGET_MS if targets else None,
         "note": f"{ratio(a['p99'], b['p99']):.2f}× bare; p50 {a['p50']:.0f}, p95 {a['p95']:.0f}, max {a['max']:.0f} ms "
                 f"over {a['count']:,} receipts; {QUESTIONS} questions at {RATE:g}/s; {_joined_note(app)}"},
        {"name": f"{name}: clients connected and receiving every question{label}", "value": a_complete,
         "unit": "clients", "target": CLIENTS if targets else None, "better": "higher",
         "note": f"{app.in_room:,} in the room; {len(app.accepted())}/{len(app.asking.sends)} questions accepted"},
        {"name": f"{name}: messages lost{label}", "value": a_lost, "unit": "msgs", "target": 0 if targets else None,
         "note": f"{len(app.accepted())} questions × {CLIENTS:,} clients; bare lost {b_lost}"},
        {"name": f"{name}: server memory per connected client{label}", "value": round(per_client_kb, 1), "unit": "KB",
         "note": f"two server processes: {app.rss_before:.0f} MB before, {app.rss_full:.0f} MB with the room full; "
                 f"bare {(bare.rss_full - bare.rss_before) * 1024 / max(1, bare.in_room):.1f} KB per client"},
        {"name": f"{name}: load generator CPU per received message{label}", "value": round(per_message_us, 1),
         "unit": "µs", "note": f"{GENERATORS} processes, measured on the bare run: ceiling ≈ {ceiling:,.0f} "
                               f"messages/s per core; the room needs {needed:,.0f}/s"},
    ]


def storm_rows(app: float, bare: float, worker_class: str, label: str, targets: bool) -> list[dict]:
    return [
        {"name": f"join_storm: {STORM:,} arriving in 1 s, all in the room, bare python-socketio{label}",
         "value": bare, "unit": "s", "note": f"baseline on serve-prod {worker_class} (connected)"},
        {"name": f"join_storm: {STORM:,} arriving in 1 s, all in the room{label}", "value": app, "unit": "s",
         "note": "the last client's `state` received, from the first arrival"},
        {"name": f"join_storm: app / bare{label}", "value": ratio(app, bare), "unit": "×",
         "target": STORM_RATIO if targets else None, "note": f"{app:.2f} s / {bare:.2f} s"},
    ]
