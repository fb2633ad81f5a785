"""`make soak`: mixed load at a steady rate on the production shape for a long time; does anything drift?

scripts/serve-prod.sh (nginx, two gunicorn processes, Redis, the scheduler process) on the bench database
(bench/world.py at its quick scale; on PostgreSQL when DATABASE_URL points at one, as `make soak` arranges),
then SOAK_SECONDS (default 1800) of open-loop load at SOAK_RATE operations per second (default 20), through
nginx, in a fixed mix:

    page      anonymous home, calendar and session pages (mostly the page cache)
    member    the calendar of a signed-in investor (rendered per user)
    api       GET /api/v1/sessions and /api/v1/sessions/<id>
    booking   an investor books a seat through the API, and cancels it on their next turn
    ask       a question in a live room, over the room's WebSocket (acknowledged)
    vote      a vote on another investor's question (acknowledged)

HTTP comes from two loopback addresses (nginx's ip_hash sends each to one of the two server processes); the
live room's clients connect from one. Each operation is timed from when it was due (a server falling behind shows in the latencies, not as a
slower generator). Reported: every error; p50/p99 per window (SOAK_WINDOW_SECONDS, default 300, at most a
quarter of the run), the first window being the warm-up; the resident memory of each process (with its
children: gunicorn's worker, nginx's workers) after the warm-up and at the end. Results in
bench/results/soak.json. Exits 1 when any operation failed, when a background job run failed (the scheduler's
runs are read from the database: a job failing under load is an error no request sees), when a process grew by
more than SOAK_MEMORY_GROWTH_MB (default 50) after the warm-up, or when the last window's p99 is more than
SOAK_P99_DRIFT (default 2.0) times the first window's after the warm-up (both taken as at least
P99_FLOOR_MS, so that a few milliseconds of noise on a fast page is not called a drift).
"""
from __future__ import annotations

import http.cookiejar
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import requests
import socketio

from .scenario_booking_burst import api_tokens, bench_session
from .scenario_live import live_session
from .support import ROOT, free_port, say, summary
from .world import QUICK_SCALE, build, login_cookies

SECONDS = float(os.environ.get("SOAK_SECONDS", "1800"))
RATE = float(os.environ.get("SOAK_RATE", "20"))
WINDOW = min(float(os.environ.get("SOAK_WINDOW_SECONDS", "300")), SECONDS / 4)
P99_DRIFT = float(os.environ.get("SOAK_P99_DRIFT", "2.0"))
P99_FLOOR_MS = 50.0
MEMORY_GROWTH_MB = float(os.environ.get("SOAK_MEMORY_GROWTH_MB", "50"))
MIX = {"page": 40, "member": 10, "api": 25, "booking": 10, "ask": 8, "vote": 7}
ROOM_CLIENTS, BOOKERS = 12, 60
RESULTS = ROOT / "bench" / "results" / "soak.json"
RSS_EVERY = 10.0  # seconds between memory samples


@dataclass
class Record:
    due: float  # seconds since the start of the load
    kind: str
    ms: float
    ok: bool


@dataclass
class Soak:
    """What the load needs, prepared in the database before the servers start."""
    proxy: str
    session_id: int  # a session with a lineup, for the pages
    booking_session_id: int
    member_cookies: list[str]
    booker_tokens: list[str]
    room_session_id: int
    room_cookies: list[str]
    records: list[Record] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


# --------------------------------------------------------------------------- the operations

class FromAddress(requests.adapters.HTTPAdapter):
    """Connections from one loopback address: nginx's ip_hash picks the server process by the client's address
    (its first three bytes), so 127.0.0.1 and 127.0.1.1 are two visitors reaching the two processes."""

    def __init__(self, address: str):
        self.address = address
        super().__init__(pool_connections=4, pool_maxsize=64)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, source_address=(self.address, 0), **kwargs)


def client(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    # No cookie jar: each operation says who it is (its own cookie or token); a cookie one answer set must
    # not turn the next request into that user's.
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    return session


class Operations:
    def __init__(self, soak: Soak):
        self.soak = soak
        self.clients = [client("127.0.0.1"), client("127.0.1.1")]
        self.idle_bookers: list[tuple[str, int | None]] = [(token, None) for token in soak.booker_tokens]
        self.rooms = [self._room_client(cookie) for cookie in soak.room_cookies]
        self.questions: list[tuple[int, int]] = []  # (question id, asking client's index)
        self.votes: set[tuple[int, int]] = set()
        self.state = threading.Lock()
        self.asked = 0

    def _room_client(self, cookie: str) -> socketio.Client:
        client = socketio.Client(reconnection=True)
        client.connect(self.soak.proxy, headers={"Cookie": cookie}, auth={"session_id": self.soak.room_session_id},
                       transports=["websocket"], wait_timeout=20)
        return client

    def close(self) -> None:
        for client in self.rooms:
            client.disconnect()

    @property
    def http(self) -> requests.Session:
        return random.choice(self.clients)

    def _get(self, path: str, cookie: str | None = None) -> str | None:
        response = self.http.get(self.soak.proxy + path, headers={"Cookie": cookie} if cookie else {}, timeout=30,
                                 allow_redirects=False)
        return None if response.status_code == 200 else f"GET {path}: {response.status_code}"

    def page(self, rng: random.Random) -> str | None:
        return self._get(rng.choice(["/", "/calendar", f"/sessions/{self.soak.session_id}"]))

    def member(self, rng: random.Random) -> str | None:
        return self._get("/calendar", rng.choice(self.soak.member_cookies))

    def api(self, rng: random.Random) -> str | None:
        return self._get(rng.choice(["/api/v1/sessions?limit=20", f"/api/v1/sessions/{self.soak.session_id}"]))

    def booking(self, rng: random.Random) -> str | None:
        with self.state:
            if not self.idle_bookers:
                return "booking: no idle booker (raise BOOKERS for this rate)"
            token, booking_id = self.idle_bookers.pop(rng.randrange(len(self.idle_bookers)))
        auth = {"Authorization": f"Bearer {token}"}
        try:
            if booking_id is None:
                response = self.http.post(f"{self.soak.proxy}/api/v1/me/bookings", headers=auth, timeout=30,
                                          json={"session_id": self.soak.booking_session_id})
                booking_id = response.json().get("id") if response.status_code in (200, 201) else None
                failed = None if booking_id else f"book: {response.status_code} {response.text[:200]}"
            else:
                response = self.http.delete(f"{self.soak.proxy}/api/v1/me/bookings/{booking_id}", headers=auth,
                                            timeout=30)
                failed = None if response.status_code == 200 else f"cancel: {response.status_code} {response.text[:200]}"
                booking_id = None if not failed else booking_id
        finally:
            with self.state:
                self.idle_bookers.append((token, booking_id))
        return failed

    def ask(self, rng: random.Random) -> str | None:
        index = rng.randrange(len(self.rooms))
        with self.state:
            self.asked += 1
            n = self.asked
        ack = self.rooms[index].call("ask", {"body": f"压力测试问题 {n}：量产时间表？", "client_key": f"soak-{n}"},
                                     timeout=30)
        if not ack or not ack.get("ok"):
            return f"ask: {ack}"
        with self.state:
            self.questions.append((ack["id"], index))
        return None

    def vote(self, rng: random.Random) -> str | None:
        with self.state:
            choices = [(q, voter) for q, asker in self.questions[-20:] for voter in range(len(self.rooms))
                       if voter != asker and (q, voter) not in self.votes]
            if not choices:
                return None  # nothing to vote on yet: counted as done (it happens only at the very start)
            question_id, voter = rng.choice(choices)
            self.votes.add((question_id, voter))
        ack = self.rooms[voter].call("vote", {"question_id": question_id}, timeout=30)
        return None if ack and ack.get("ok") else f"vote: {ack}"


def run_load(soak: Soak, operations: Operations, seconds: float, rate: float, started: float) -> None:
    """Open loop: operation i is due at started + i / rate, whatever happened to the earlier ones."""
    kinds = [kind for kind, weight in MIX.items() for _ in range(weight)]
    rng = random.Random(2026)
    total = int(seconds * rate)

    def one(due: float, kind: str, seed: int) -> None:
        try:
            failed = getattr(operations, kind)(random.Random(seed))
        except Exception as exc:  # a timeout, a dropped connection: an error like any other
            failed = f"{kind}: {type(exc).__name__}: {exc}"[:300]
        record = Record(due - started, kind, (time.monotonic() - due) * 1000, failed is None)
        with soak.lock:
            soak.records.append(record)
            if failed:
                soak.errors.append(f"{record.due:.1f}s {failed}")

    with ThreadPoolExecutor(max_workers=64) as pool:
        for n in range(total):
            due = started + n / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, due, rng.choice(kinds), rng.randrange(1 << 30))


# --------------------------------------------------------------------------- memory

def process_tree(pid: int) -> list[int]:
    found, index = [pid], 0
    while index < len(found):
        try:
            children = Path(f"/proc/{found[index]}/task/{found[index]}/children").read_text().split()
        except OSError:
            children = []
        found.extend(int(child) for child in children)
        index += 1
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    for one in process_tree(pid):
        try:
            status = Path(f"/proc/{one}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def sample_memory(run_dir: Path, samples: list, stop: threading.Event, started: float) -> None:
    pids = {path.stem: int(path.read_text()) for path in run_dir.glob("*.pid")}
    while True:
        samples.append((time.monotonic() - started, {name: rss_mb(pid) for name, pid in sorted(pids.items())}))
        if stop.wait(RSS_EVERY):
            return


# --------------------------------------------------------------------------- the report

def windows(records: list[Record], seconds: float) -> list[dict]:
    rows = []
    count = max(1, math.ceil(seconds / WINDOW - 1e-9))
    for n in range(count):
        inside = [r for r in records if n * WINDOW <= r.due < (n + 1) * WINDOW]
        latencies = summary([r.ms for r in inside])
        rows.append({"from_s": n * WINDOW, "to_s": min((n + 1) * WINDOW, seconds), "operations": len(inside),
                     "errors": sum(not r.ok for r in inside), "p50_ms": latencies["p50"], "p99_ms": latencies["p99"],
                     "warm_up": n == 0})
    return rows


def memory_report(samples: list) -> dict:
    warm = next((values for at, values in samples if at >= WINDOW), samples[-1][1])
    end = samples[-1][1]
    return {name: {"after_warm_up_mb": round(warm[name], 1), "end_mb": round(end[name], 1),
                   "growth_mb": round(end[name] - warm[name], 1),
                   "growth_pct": round(100 * (end[name] - warm[name]) / warm[name], 1) if warm[name] else None}
            for name in end}


def failed_job_runs(world, since: datetime) -> list[str]:
    """The scheduler's runs that failed since the load began, each with the last line of its error."""
    import sqlalchemy as sa

    from roadshow.extensions import db
    from roadshow.jobs.models import JobRun, RunStatus

    with world.app.app_context():
        runs = db.session.scalars(sa.select(JobRun).where(JobRun.status == RunStatus.ERROR, JobRun.started_at >= since)
                                  .order_by(JobRun.started_at))
        return [f"{run.job_id} at {run.started_at:%H:%M:%S} UTC: {((run.error or '').strip().splitlines() or [''])[-1][:300]}"
                for run in runs]


def report(soak: Soak, samples: list, seconds: float, database: str, job_failures: list[str]) -> tuple[dict, bool]:
    rows = windows(soak.records, seconds)
    measured = [row for row in rows if not row["warm_up"]] or rows
    first, last = measured[0]["p99_ms"], measured[-1]["p99_ms"]
    drift = max(last, P99_FLOOR_MS) / max(first, P99_FLOOR_MS)
    per_kind = {}
    for kind in MIX:
        records = [r for r in soak.records if r.kind == kind]
        latencies = summary([r.ms for r in records])
        per_kind[kind] = {"operations": len(records), "errors": sum(not r.ok for r in records),
                          "p50_ms": latencies["p50"], "p99_ms": latencies["p99"]}
    errors = sum(not r.ok for r in soak.records)
    memory = memory_report(samples)
    grown = {name: row["growth_mb"] for name, row in memory.items() if row["growth_mb"] > MEMORY_GROWTH_MB}
    passed = errors == 0 and not job_failures and not grown and drift <= P99_DRIFT
    result = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": seconds, "rate_per_s": RATE, "window_s": WINDOW, "database": database,
        "operations": len(soak.records), "errors": errors, "error_rate": errors / max(len(soak.records), 1),
        "error_samples": soak.errors[:20], "per_kind": per_kind, "windows": rows,
        "p99_drift": {"first_ms": first, "last_ms": last, "ratio": round(drift, 2), "limit": P99_DRIFT,
                      "floor_ms": P99_FLOOR_MS},
        "memory": memory, "memory_growth_limit_mb": MEMORY_GROWTH_MB, "grown": grown,
        "job_failures": job_failures, "passed": passed,
    }
    return result, passed


def print_report(result: dict) -> None:
    print(f"soak: {result['seconds']:.0f} s at {result['rate_per_s']:g} operations/s on {result['database']}, "
          f"{result['operations']} operations, {result['errors']} errors")
    print(f"{'window':>14} {'ops':>6} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for row in result["windows"]:
        label = f"{row['from_s']:.0f}–{row['to_s']:.0f} s"
        print(f"{label:>14} {row['operations']:>6} {row['errors']:>6} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f}"
              + ("  (warm-up)" if row["warm_up"] else ""))
    print(f"{'operation':>14} {'ops':>6} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, row in result["per_kind"].items():
        print(f"{kind:>14} {row['operations']:>6} {row['errors']:>6} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f}")
    print(f"{'process':>14} {'MB warm':>8} {'MB end':>8} {'growth':>8}")
    for name, row in result["memory"].items():
        print(f"{name:>14} {row['after_warm_up_mb']:>8.1f} {row['end_mb']:>8.1f} {row['growth_mb']:>+7.1f}M")
    drift = result["p99_drift"]
    print(f"p99 drift: last window {drift['last_ms']:.1f} ms / first after warm-up {drift['first_ms']:.1f} ms "
          f"(each at least {drift['floor_ms']:.0f}) = {drift['ratio']} (limit {drift['limit']})")
    for line in result["error_samples"]:
        print("error:", line)
    for line in result["job_failures"]:
        print("job failed:", line)
    for name, growth in result["grown"].items():
        print(f"memory: {name} grew by {growth} MB (limit {result['memory_growth_limit_mb']:g})")
    print("PASSED" if result["passed"] else "FAILED")


# --------------------------------------------------------------------------- setting up

def prepare(world) -> dict:
    """Rows the load needs: a session with a lineup, a far session to book, a live room, cookies, tokens."""
    import sqlalchemy as sa

    from roadshow.common.timeutil import utcnow
    from roadshow.extensions import db
    from roadshow.roadshows.models import RoadshowSession, Slot

    investors = world.investor_ids
    room_ids, booker_ids, member_ids = investors[:ROOM_CLIENTS], investors[ROOM_CLIENTS:ROOM_CLIENTS + BOOKERS], \
        investors[ROOM_CLIENTS + BOOKERS:ROOM_CLIENTS + BOOKERS + 20]
    with world.app.app_context():
        session_id = db.session.scalar(sa.select(RoadshowSession.id).join(Slot).where(
            RoadshowSession.starts_at > utcnow()).order_by(RoadshowSession.starts_at).limit(1))
    return {"session_id": session_id, "booking_session_id": bench_session(world, BOOKERS * 2, hours_ahead=3),
            "member_cookies": login_cookies(world, member_ids), "booker_tokens": api_tokens(world, booker_ids),
            "room_session_id": live_session(world, room_ids), "room_cookies": login_cookies(world, room_ids)}


def serve(world, folder: Path, **extra: str) -> tuple[subprocess.Popen, Path, str]:
    """scripts/serve-prod.sh on the bench database (`extra`: more of its settings); (process, RUN_DIR, nginx's URL)."""
    run_dir = Path(tempfile.mkdtemp(prefix="roadshow-soak-"))  # reachable by nginx's workers (see serve-prod.sh)
    port = free_port()
    env = world.env(RUN_DIR=str(run_dir), PORT=str(port), VIDEO="0", WORKERS="2",
                    PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", **extra)
    env.pop("REDIS_URL", None)  # serve-prod.sh starts a Redis of its own
    log = folder / f"serve-prod-{port}.log"
    with open(log, "w") as out:
        process = subprocess.Popen(["bash", "scripts/serve-prod.sh"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while not (run_dir / "ready").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"serve-prod did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    return process, run_dir, (run_dir / "ready").read_text().strip()


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="roadshow-soak-db-"))
    database_url = os.environ.get("DATABASE_URL", "")
    database = "postgresql" if database_url.startswith("postgres") else "sqlite"
    say(f"soak: building the database ({database}, bench quick scale) in {folder}")
    world = build(folder, QUICK_SCALE, database_url if database == "postgresql" else None)
    soak = Soak(proxy="", **prepare(world))
    process, run_dir, soak.proxy = serve(world, folder)
    say(f"soak: serving at {soak.proxy}; {SECONDS:.0f} s at {RATE:g} operations/s, windows of {WINDOW:.0f} s")
    samples: list = []
    stop = threading.Event()
    operations = None
    job_failures: list[str] = []
    try:
        operations = Operations(soak)
        load_began = datetime.now(timezone.utc).replace(tzinfo=None)  # job runs are stored in naive UTC
        started = time.monotonic() + 0.5
        sampler = threading.Thread(target=sample_memory, args=(run_dir, samples, stop, started), daemon=True)
        sampler.start()
        run_load(soak, operations, SECONDS, RATE, started)
        stop.set()
        sampler.join()
        job_failures = failed_job_runs(world, load_began)
    finally:
        stop.set()
        if operations is not None:
            operations.close()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        logs = ROOT / "bench" / "results" / "logs" / "soak"
        shutil.rmtree(logs, ignore_errors=True)
        shutil.copytree(run_dir, logs, ignore=shutil.ignore_patterns("nginx-tmp", "*.ctl", "*.pid"))
        shutil.rmtree(run_dir, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    result, passed = report(soak, samples, SECONDS, database, job_failures)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print_report(result)
    say(f"soak: results in {RESULTS.relative_to(ROOT)}, server logs in bench/results/logs/soak/")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
