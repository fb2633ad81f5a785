"""Booking under contention: 200 investors ask for one of 20 seats at the same moment, over the API.

Each booker has its own API token (write scope) and sends `POST /api/v1/me/bookings` at once with the
others (one burst, no connection reuse). Exactly 20 must get a seat (201) and 180 a place on the
waitlist (202), in the database as well: 20 confirmed bookings, seats_taken 20, 180 waitlist positions
1..180, no server errors. Measured on the default server (`python wsgi.py`) and as in production
(gunicorn, 2 processes × 8 threads), both on the bench SQLite database. Baseline: the same burst for a
session with a seat for everyone (no one waits), same server, same run.
"""
from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta

import aiohttp
import sqlalchemy as sa

from .support import free_port, gunicorn_command, log_dir, ratio, say, server, summary
from .world import World, shared_world, venue

BOOKERS, SEATS = 200, 20


@dataclass
class Burst:
    seconds: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    check: str = ""  # what the database holds afterwards, when it is not what it should be

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


def contend(world: World, base: str, tokens: list[str], seats: int, hours_ahead: int) -> Burst:
    session_id = bench_session(world, seats, hours_ahead)
    result = asyncio.run(burst(base, tokens, session_id))
    result.check = check(world, session_id, seats, len(tokens))
    return result


def run() -> list[dict]:
    world = shared_world()
    tokens = api_tokens(world, world.investor_ids[-BOOKERS:])
    logs = log_dir()
    servers = {
        "python wsgi.py": lambda port: [sys.executable, "wsgi.py"],
        "gunicorn 2×8 threads": lambda port: gunicorn_command("wsgi:app", logs, "booking-gunicorn", port, 2, 8),
    }
    rows = []
    for n, (name, command) in enumerate(servers.items()):
        port = free_port()
        with server(command(port), world.env(), logs / f"booking-{n}.log", port=port) as base:
            say(f"booking: {BOOKERS} bookers, {SEATS} seats, {name}")
            contended = contend(world, base, tokens, SEATS, hours_ahead=2 * n)
            baseline = contend(world, base, tokens, BOOKERS, hours_ahead=2 * n + 1)
        rows += _rows(name, contended, baseline)
    return rows


def _rows(name: str, contended: Burst, baseline: Burst) -> list[dict]:
    stats, base = summary(contended.latencies_ms), summary(baseline.latencies_ms)
    wanted = {"201": SEATS, "202": BOOKERS - SEATS}
    wrong = sum(abs(contended.statuses.get(k, 0) - v) for k, v in wanted.items()) + sum(
        v for k, v in contended.statuses.items() if k not in wanted)
    answers = ", ".join(f"{k}×{v}" for k, v in sorted(contended.statuses.items()))
    return [
        {"name": f"{name}: throughput, {BOOKERS} bookers for {SEATS} seats", "value": contended.throughput,
         "unit": "req/s", "note": f"burst done in {contended.seconds:.2f} s; p50 {stats['p50']:.0f} ms"},
        {"name": f"{name}: p99", "value": stats["p99"], "unit": "ms",
         "note": f"max {stats['max']:.0f} ms; seat-for-everyone p99 {base['p99']:.0f} ms"},
        {"name": f"{name}: throughput vs a seat for everyone", "value": ratio(contended.throughput, baseline.throughput),
         "unit": "×", "note": f"baseline: same burst, {BOOKERS} seats: {baseline.throughput:,.0f} req/s, "
                              f"answers {', '.join(f'{k}×{v}' for k, v in sorted(baseline.statuses.items()))}"},
        {"name": f"{name}: wrong answers or rows", "value": wrong + (1 if contended.check else 0), "unit": "",
         "target": 0, "note": f"answers {answers}; database: "
                 f"{contended.check or f'exactly {SEATS} bookings, {BOOKERS - SEATS} waiting in order'}"
                 + (f"; SEAT-FOR-EVERYONE RUN: {baseline.check}" if baseline.check else "")},
    ]
