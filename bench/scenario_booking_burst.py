"""Booking bursts (issue 21, target 4): many investors ask for few seats at the same moment, over the API.

Each booker has its own API token (write scope) and sends `POST /api/v1/me/bookings` at once with the
others (one burst, no connection reuse), on gunicorn (2 processes × 8 threads, as in production).
200 bookers for 20 seats: exactly 20 get a seat (201) and 180 a place on the waitlist (202), in the
database as well (20 confirmed bookings, seats_taken 20, waitlist positions 1..180, no server errors);
target p99 < 1 s. 1,000 bookers for 100 seats: exactly 100 bookings, p99 reported. Server CPU per
booking request (over both bursts) against the bare Flask view's CPU per request (bench/bare_flask.py,
served the same way, same run): target ≤ 3×. The same burst with a seat for everyone shows what
contention itself costs. A small burst on another session warms the server up first, uncounted. Beside the
target, the CPU of an API call that books nothing (GET /api/v1/me with a booker's token, same server) against
the same bare view: the share every API request takes before booking starts.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import timedelta

import aiohttp
import sqlalchemy as sa

from .scenario_pages import _gunicorn, most_served
from .support import QUICK, cpu_seconds, ratio, raise_open_files, say, summary
from .world import World, shared_world, venue

BURSTS = [(200, 20), (400, 40)] if QUICK else [(200, 20), (1_000, 100)]  # (bookers, seats); quick: 450 investors
P99_MS, CPU_SHARE = 1000.0, 3.0
WARM_UP = (50, 10)  # (bookers, seats)


@dataclass
class Burst:
    seconds: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    check: str = ""  # what the database holds afterwards, when it is not what it should be
    cpu_ms: float = 0.0  # server CPU during the burst

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


def bench_session(world: World, capacity: int, hours_ahead: int) -> int:
    """A session a week ahead in the online venue (no clash with the hall's daily sessions)."""
    from roadshow.common.timeutil import utcnow
    from roadshow_demo import data
    from roadshow.extensions import db
    from roadshow.roadshows.models import RoadshowSession, SessionStatus

    with world.app.app_context():
        online = venue(data.ONLINE)
        starts = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=7, hours=hours_ahead)
        session = RoadshowSession(title=f"压测抢座 · {capacity} 席", venue_id=online.id, starts_at=starts,
                                  ends_at=starts + timedelta(hours=1), capacity=capacity,
                                  status=SessionStatus.SCHEDULED)
        db.session.add(session)
        db.session.commit()
        return session.id


def api_tokens(world: World, user_ids: list[int]) -> list[str]:
    """One write token per booker, marked as just used (so the burst measures booking, not token bookkeeping)."""
    from roadshow.accounts.models import User
    from roadshow.api.tokens import create_token
    from roadshow.common.timeutil import utcnow
    from roadshow.extensions import db

    with world.app.app_context():
        tokens = []
        for user in db.session.scalars(sa.select(User).where(User.id.in_(user_ids)).order_by(User.id)):
            token, plaintext = create_token(user, "bench", ["write"])
            token.last_used_at = utcnow()
            tokens.append(plaintext)
        db.session.commit()
        return tokens


async def burst(base: str, tokens: list[str], session_id: int) -> Burst:
    result = Burst()
    gate = asyncio.Event()

    async def book(http: aiohttp.ClientSession, token: str) -> None:
        await gate.wait()
        started = time.perf_counter()
        try:
            async with http.post(f"{base}/api/v1/me/bookings", json={"session_id": session_id},
                                 headers={"Authorization": f"Bearer {token}"}) as response:
                await response.read()
                status = str(response.status)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            status = type(exc).__name__
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        result.statuses[status] = result.statuses.get(status, 0) + 1

    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as http:
        tasks = [asyncio.create_task(book(http, token)) for token in tokens]
        await asyncio.sleep(0.2)  # every task is waiting at the gate
        started = time.perf_counter()
        gate.set()
        await asyncio.gather(*tasks)
        result.seconds = time.perf_counter() - started
    return result


def check(world: World, session_id: int, seats: int, bookers: int) -> str:
    """'' when the database holds exactly what the answers said, else what is wrong."""
    from roadshow.extensions import db
    from roadshow.roadshows.models import Booking, BookingStatus, RoadshowSession, WaitlistEntry
    from roadshow.roadshows.services import waitlist_position

    with world.app.app_context():
        session = db.session.get(RoadshowSession, session_id)
        confirmed = db.session.scalar(sa.select(sa.func.count()).select_from(Booking).where(
            Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED))
        entries = list(db.session.scalars(sa.select(WaitlistEntry).where(WaitlistEntry.session_id == session_id)))
        positions = sorted(waitlist_position(e) for e in entries)
    wanted_seats = min(seats, bookers)
    problems = []
    if confirmed != wanted_seats or session.seats_taken != wanted_seats:
        problems.append(f"{confirmed} bookings, seats_taken {session.seats_taken} (want {wanted_seats})")
    if positions != list(range(1, bookers - wanted_seats + 1)):
        problems.append(f"{len(entries)} waitlist entries, positions {positions[:3]}…")
    return "; ".join(problems)


def contend(world: World, base: str, tokens: list[str], seats: int, hours_ahead: int, pid: int | None = None) -> Burst:
    session_id = bench_session(world, seats, hours_ahead)
    before = cpu_seconds(pid) if pid else 0.0
    result = asyncio.run(burst(base, tokens, session_id))
    result.cpu_ms = (cpu_seconds(pid) - before) * 1000 if pid else 0.0
    result.check = check(world, session_id, seats, len(tokens))
    return result


def measure(world: World) -> list[dict]:
    raise_open_files(4 * max(b for b, _ in BURSTS))
    tokens = api_tokens(world, world.investor_ids[-max(b for b, _ in BURSTS):])
    bursts, open_seats = {}, None
    with _gunicorn(world, "wsgi:app", "booking-burst") as (base, process):
        # A server that has booked before (statements compiled, connections open in both processes), as one
        # is when a popular session opens; the page scenarios warm up the same way. Not counted.
        say(f"booking_burst: warming up ({WARM_UP[0]} bookers, {WARM_UP[1]} seats, another session)")
        contend(world, base, tokens[:WARM_UP[0]], WARM_UP[1], 3 * (len(BURSTS) + 1))
        for n, (bookers, seats) in enumerate(BURSTS):
            say(f"booking_burst: {bookers} bookers, {seats} seats, gunicorn 2×8")
            bursts[bookers, seats] = contend(world, base, tokens[:bookers], seats, 3 * n, process.pid)
        say("booking_burst: the first burst again with a seat for everyone")
        bookers = BURSTS[0][0]
        open_seats = contend(world, base, tokens[:bookers], bookers, 3 * len(BURSTS), process.pid)
        say("booking_burst: an API call that books nothing (GET /api/v1/me), closed loop")
        _floor, floor_cpu = most_served(base, process.pid, "/api/v1/me",
                                        headers={"Authorization": f"Bearer {tokens[-1]}"})
    with _gunicorn(world, "bench.bare_flask:app", "booking-bare") as (base, process):
        say("booking_burst: bare Flask view")
        bare, bare_cpu = most_served(base, process.pid, "/sessions")
    return _rows(bursts, open_seats, bare_cpu, floor_cpu)


def run() -> list[dict]:
    return measure(shared_world())


def _rows(bursts: dict[tuple[int, int], Burst], open_seats: Burst, bare_cpu: float, floor_cpu: float) -> list[dict]:
    requests = sum(len(b.latencies_ms) for b in bursts.values())
    cpu_ms = sum(b.cpu_ms for b in bursts.values()) / max(requests, 1)
    rows = [{"name": "server CPU per booking request: share of the bare view's", "value": ratio(cpu_ms, bare_cpu),
             "unit": "×", "target": CPU_SHARE, "app": f"{cpu_ms:.2f} ms", "baseline": f"{bare_cpu:.2f} ms",
             "note": f"over the {requests:,} requests of both bursts (gunicorn 2×8, CPU of its processes); "
                     f"bare: one indexed query, closed loop"},
            {"name": "server CPU of an API call that books nothing: share of the bare view's",
             "value": ratio(floor_cpu, bare_cpu), "unit": "×", "app": f"{floor_cpu:.2f} ms",
             "baseline": f"{bare_cpu:.2f} ms",
             "note": "GET /api/v1/me with a booker's token, closed loop: what every API request costs before it "
                     "books (token and its roles read, rate limit, security headers, JSON answer)"}]
    for (bookers, seats), result in bursts.items():
        stats = summary(result.latencies_ms)
        label = f"{bookers} bookers, {seats} seats"
        rows.append({"name": f"{label}: p99", "value": stats["p99"], "unit": "ms",
                     "target": P99_MS if (bookers, seats) == BURSTS[0] else None,
                     "note": f"p50 {stats['p50']:.0f}, max {stats['max']:.0f} ms; burst done in {result.seconds:.2f} s "
                             f"({result.throughput:,.0f} req/s); server CPU {result.cpu_ms / max(len(result.latencies_ms), 1):.2f} ms/request"})
        rows.append(_wrong_row(label, bookers, seats, result))
    bookers, seats = BURSTS[0]
    first = bursts[BURSTS[0]]
    rows.append({"name": f"{bookers} bookers, {seats} seats: throughput vs a seat for everyone",
                 "value": ratio(first.throughput, open_seats.throughput), "unit": "×",
                 "app": f"{first.throughput:,.0f} req/s", "baseline": f"{open_seats.throughput:,.0f} req/s",
                 "note": f"the same burst with {bookers} seats: p99 {summary(open_seats.latencies_ms)['p99']:.0f} ms, "
                         f"answers {', '.join(f'{k}×{v}' for k, v in sorted(open_seats.statuses.items()))}"
                         + (f"; ITS DATABASE: {open_seats.check}" if open_seats.check else "")})
    return rows


def _wrong_row(label: str, bookers: int, seats: int, result: Burst) -> dict:
    wanted = {"201": seats, "202": bookers - seats}
    wrong = sum(abs(result.statuses.get(k, 0) - v) for k, v in wanted.items()) + sum(
        v for k, v in result.statuses.items() if k not in wanted)
    answers = ", ".join(f"{k}×{v}" for k, v in sorted(result.statuses.items()))
    return {"name": f"{label}: wrong answers or rows", "value": wrong + (1 if result.check else 0), "unit": "",
            "target": 0, "note": f"answers {answers}; database: "
                                 f"{result.check or f'exactly {seats} bookings, {bookers - seats} waiting in order'}"}
