"""Fan-out of a live room, measured from the clients: N python-socketio asyncio clients over WebSocket
join one room, one more client asks questions at a steady rate, and every client notes when each
question reaches it.

All clients and the asker live in this process, so `time.time()` at emit and at receipt are on one
clock. A question carries its sequence number in its text ("[bench 00017] ..."): latency is receipt
minus the asker's time just before it emitted; lost is, per client, the questions the server
accepted (acked, or seen by any client) that this client never received.
"""
from __future__ import annotations

import asyncio
import gc
import json
import re
import time
from dataclasses import dataclass, field

import socketio

from .support import summary

MARK = re.compile(r"^\[bench (\d+)\]")
QUESTION = "目前的量产良率和月产能分别是多少？明年的扩产计划如何安排？"


def question_text(seq: int) -> str:
    return f"[bench {seq:05d}] {QUESTION}"


def seq_of(data) -> int | None:
    match = MARK.match(data.get("body", "")) if isinstance(data, dict) else None
    return int(match.group(1)) if match else None


@dataclass
class Client:
    """How one client connects: HTTP headers (the login cookie) and the Socket.IO auth."""
    headers: dict
    auth: dict | None


@dataclass
class FanoutResult:
    clients: int
    connected: int
    join_seconds: float
    settle_seconds: float
    sent: int
    refused: int  # asks the server answered with ok: false, or never acked
    latencies_ms: list[float] = field(default_factory=list)
    lost: int = 0
    dropped: int = 0  # connections lost before the end
    payload_bytes: int = 0
    errors: list[str] = field(default_factory=list)

    def stats(self) -> dict[str, float]:
        return summary(self.latencies_ms)


class Member:
    def __init__(self, clock: dict):
        self.sio = socketio.AsyncClient(reconnection=False)
        self.arrivals: dict[int, float] = {}
        self.clock = clock  # shared: when the last event of any kind arrived (to see a room settle)
        self.sample: dict | None = None
        self.dropped: str | None = None  # why the server closed this connection before the end
        self.closing = False
        self.sio.on("question", self.on_question)
        self.sio.on("*", self.on_other)
        self.sio.on("disconnect", self.on_disconnect)

    async def on_question(self, data):
        now = time.time()
        self.clock["last"] = now
        seq = seq_of(data)
        if seq is not None and seq not in self.arrivals:
            self.arrivals[seq] = now
            self.sample = data

    async def on_other(self, event, data=None):
        self.clock["last"] = time.time()

    async def on_disconnect(self, reason=None):
        if not self.closing:
            self.dropped = str(reason)

    async def connect(self, base: str, client: Client, timeout: float) -> None:
        """Connected within `timeout` seconds, or an error (a server out of threads never answers the upgrade)."""
        try:
            await asyncio.wait_for(self.sio.connect(base, headers=client.headers, auth=client.auth,
                                                    transports=["websocket"], wait_timeout=timeout), timeout)
        except asyncio.TimeoutError:
            await self.sio.disconnect()
            raise


async def _join(base: str, clients: list[Client], clock: dict, concurrency: int, timeout: float,
                errors: list[str]) -> list[Member]:
    gate = asyncio.Semaphore(concurrency)

    async def one(client: Client) -> Member | None:
        async with gate:
            member = Member(clock)
            for attempt in range(3):
                try:
                    await member.connect(base, client, timeout)
                    return member
                except (socketio.exceptions.ConnectionError, OSError, asyncio.TimeoutError) as exc:
                    if attempt == 2:
                        errors.append(f"connect: {exc!r}"[:160])
                    await asyncio.sleep(0.5 * (attempt + 1))
            return None

    joined = await asyncio.gather(*(one(c) for c in clients))
    return [m for m in joined if m is not None]


async def _settle(clock: dict, quiet: float, limit: float) -> float:
    """Wait until no event has arrived for `quiet` seconds (at most `limit`); the time waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if time.time() - clock.get("last", 0) >= quiet:
            break
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def fanout(base: str, clients: list[Client], asker: Client, ask_payload, *, questions: int, rate: float,
                 warmup: int = 2, join_concurrency: int = 50, connect_timeout: float = 30, drain: float = 15,
                 settle_quiet: float = 1.0, settle_limit: float = 120) -> FanoutResult:
    """Join every client, then ask `warmup` + `questions` at `rate` per second; ask_payload(seq) is the `ask`
    body. The warm-up questions count for losses, not for latency (first broadcasts pay one-off costs)."""
    clock: dict = {}
    errors: list[str] = []
    started = time.monotonic()
    members = await _join(base, clients, clock, join_concurrency, connect_timeout, errors)
    joined = time.monotonic() - started
    asking = Member(clock)
    try:
        try:
            await asking.connect(base, asker, connect_timeout)
        except (socketio.exceptions.ConnectionError, OSError, asyncio.TimeoutError) as exc:
            errors.append(f"the asker could not connect: {exc!r}"[:160])
            return FanoutResult(len(clients), len(members), joined, 0.0, 0, questions + warmup,
                                lost=len(clients) * (questions + warmup), errors=errors)
        settled = await _settle(clock, settle_quiet, settle_limit)
        # This process holds a thousand clients (and the bench database's app): keep all that out of the
        # collector's full passes while measuring, or their pauses show up as fan-out latency.
        gc.collect()
        gc.freeze()
        sends, acks = await _ask(asking, ask_payload, questions + warmup, rate)
        await _drain(members, sends, acks, drain)
        result = FanoutResult(len(clients), len(members), joined, settled, len(sends), 0, errors=errors)
        _tally(result, members, asking, sends, acks, warmup)
        return result
    finally:
        gc.unfreeze()
        for member in [*members, asking]:
            member.closing = True
        await asyncio.gather(*(m.sio.disconnect() for m in [*members, asking]), return_exceptions=True)


async def _ask(asking: Member, ask_payload, count: int, rate: float) -> tuple[dict[int, float], dict[int, object]]:
    """Emit `count` questions at a steady rate, without waiting for answers: (send times, acks as they come)."""
    sends: dict[int, float] = {}
    acks: dict[int, object] = {}
    begin = time.monotonic() + 0.1
    for seq in range(count):
        delay = begin + seq / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sends[seq] = time.time()
        await asking.sio.emit("ask", ask_payload(seq), callback=lambda ack=None, seq=seq: acks.__setitem__(seq, ack))
    return sends, acks


def _accepted(acks: dict[int, object]) -> set[int]:
    return {seq for seq, ack in acks.items() if isinstance(ack, dict) and ack.get("ok")}


async def _drain(members: list[Member], sends: dict, acks: dict, limit: float) -> None:
    """Wait until every ask is answered and every client has every question anyone got (at most `limit` s)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        seen = _accepted(acks) | {seq for m in members for seq in m.arrivals}
        if len(acks) == len(sends) and all(len(m.arrivals) >= len(seen) for m in members):
            return
        await asyncio.sleep(0.1)


def _tally(result: FanoutResult, members: list[Member], asking: Member, sends: dict, acks: dict, warmup: int) -> None:
    accepted = _accepted(acks)
    expected = accepted | {seq for m in members for seq in m.arrivals}
    result.refused = len(sends) - len(accepted)
    for member in members:
        for seq in expected:
            if seq not in member.arrivals:
                result.lost += 1
            elif seq >= warmup:
                result.latencies_ms.append((member.arrivals[seq] - sends[seq]) * 1000)
    result.lost += (result.clients - len(members)) * len(expected)  # a client that never got in got nothing
    sample = next((m.sample for m in members if m.sample is not None), None)
    if sample is not None:
        result.payload_bytes = len(json.dumps(sample, ensure_ascii=False).encode())
    dropped = [m.dropped for m in [*members, asking] if m.dropped is not None]
    if dropped:
        result.dropped = len(dropped)
        result.errors.append(f"{len(dropped)} connections closed by the server or the network, first: {dropped[0]}")
    failed = [ack for ack in acks.values() if not (isinstance(ack, dict) and ack.get("ok"))]
    if failed:
        result.errors.append(f"ask refused: {failed[0]}"[:160])


def bare_payload(seq: int) -> dict:
    """The bare server broadcasts what it is given: a `question` shaped like the app's (payloads.question_public)."""
    return {"payload": {
        "id": 100_000 + seq, "project_id": 4321, "body": question_text(seq), "anonymous": False,
        "author": "压测投资人0999", "institution": "光谷压测投资机构0123", "votes": 0, "pinned": False,
        "answered": False, "status": "approved", "created_at": 1_795_000_000_000 + seq,
    }}


def app_payload(seq: int) -> dict:
    return {"body": question_text(seq)}
