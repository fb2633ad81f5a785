"""Lean Socket.IO clients for the large live-room benchmarks (bench/scenario_live_prod.py): thousands of them.

python-socketio's AsyncClient keeps a client object, an Engine.IO client, queues and several tasks per
connection, and decodes every packet into Python objects; at 5,000 clients on two cores the generator
itself became the slowest party. A member here speaks Engine.IO 4 / Socket.IO 5 over aiohttp's
WebSocket directly, WebSocket transport and the default namespace only: it opens, connects with its auth,
answers the server's pings, and notes when `state` (or, for the bare server, the connect ack) arrives and
when each `question` arrives, reading the sequence number out of the raw frame without decoding it.

The members run in child processes (`python -m bench.swarm FD`: they import nothing of the application),
each one asyncio loop holding its share, commanded over a socket pair by a `Swarm` in the calling
process. Times are `time.time()` on one machine, so a child's receipt and the asker's send compare.
The asker (`Asker`) is one more member, in the calling process, that also emits and reads acks.
"""
from __future__ import annotations

import asyncio
import json
import re
import resource
import socket
import subprocess
import sys
from multiprocessing.connection import Connection
import time
from dataclasses import dataclass, field

import aiohttp

QUESTION = '42["question"'
STATE = '42["state"'
MARK = re.compile(r'"\[bench (\d+)\]')


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://", 1).rstrip("/") + "/socket.io/?EIO=4&transport=websocket"


@dataclass
class Spec:
    """One client: when it arrives (seconds after the join starts), its HTTP headers, its Socket.IO auth, and
    the loopback address it connects from (nginx sends each client address to one server process, ip_hash
    on the first three bytes: clients spread over 127.0.X.1 spread over the processes as real ones do)."""
    offset: float
    headers: dict
    auth: dict | None
    source: str | None = None


def source_address(n: int) -> str:
    """The n-th client's address: one of 250 loopback /24 networks."""
    return f"127.0.{n % 250 + 1}.1"


@dataclass
class Joined:
    """How one client's arrival went: when it started, when it was in the room (None: never), why not."""
    started: float
    in_room: float | None
    error: str | None = None


class Member:
    """One connection. `joined_on` is "state" (the app sends the room's state on connect) or "connect"."""

    __slots__ = ("ws", "in_room", "arrivals", "error", "dropped", "closing", "clock", "joined_on", "ready", "acks")

    def __init__(self, clock: list[float], joined_on: str):
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.in_room: float | None = None
        self.arrivals: dict[int, float] = {}
        self.error: str | None = None
        self.dropped: str | None = None
        self.closing = False
        self.clock = clock  # [time of the last frame any member of this process received]
        self.joined_on = joined_on
        self.ready: asyncio.Future | None = None
        self.acks: dict[int, asyncio.Future] = {}

    async def connect(self, http: aiohttp.ClientSession, url: str, spec: Spec, timeout: float) -> None:
        """Open, connect with the auth, and wait until in the room; the reading goes on in a task."""
        self.ready = asyncio.get_running_loop().create_future()
        self.ws = await http.ws_connect(url, headers=spec.headers, max_msg_size=0, compress=0,
                                        timeout=aiohttp.ClientWSTimeout(ws_close=5))
        opened = await asyncio.wait_for(self.ws.receive(), timeout)
        if opened.type != aiohttp.WSMsgType.TEXT or not opened.data.startswith("0"):
            raise ConnectionError(f"no Engine.IO open packet: {opened.type} {str(opened.data)[:80]}")
        await self.ws.send_str("40" + (json.dumps(spec.auth) if spec.auth is not None else ""))
        asyncio.get_running_loop().create_task(self._read())
        await asyncio.wait_for(asyncio.shield(self.ready), timeout)

    def _in_room(self, now: float) -> None:
        if self.in_room is None:
            self.in_room = now
            if not self.ready.done():
                self.ready.set_result(None)

    def _refused(self, why: str) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(why))
            self.ready.exception()  # whoever waited may have timed out already: no "never retrieved" warning

    async def _read(self) -> None:
        ws = self.ws
        try:
            async for message in ws:
                now = time.time()
                self.clock[0] = now
                if message.type != aiohttp.WSMsgType.TEXT:
                    continue
                data = message.data
                if data.startswith(QUESTION):
                    match = MARK.search(data)
                    if match is not None:
                        self.arrivals.setdefault(int(match.group(1)), now)
                elif data == "2":  # Engine.IO ping
                    await ws.send_str("3")
                elif data.startswith(STATE):
                    self._in_room(now)
                elif data.startswith("40"):
                    if self.joined_on == "connect":
                        self._in_room(now)
                elif data.startswith("43"):
                    self._ack(data)
                elif data.startswith("44"):
                    self._refused(f"connect refused: {data[2:200]}")
                elif data.startswith("1"):  # Engine.IO close
                    break
        except Exception as exc:  # noqa: BLE001 - whatever ends the connection is reported as its end
            if not self.closing:
                self.dropped = f"{type(exc).__name__}: {exc}"[:160]
        if not self.closing and self.dropped is None:
            self.dropped = f"closed by the server ({ws.close_code})"
        self._refused(self.dropped or "closed")

    def _ack(self, data: str) -> None:
        digits = 2
        while digits < len(data) and data[digits].isdigit():
            digits += 1
        future = self.acks.pop(int(data[2:digits]), None)
        if future is not None and not future.done():
            body = json.loads(data[digits:])
            future.set_result(body[0] if body else None)

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()


def session(source: str | None = None) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, force_close=True, local_addr=(source, 0) if source else None),
        cookie_jar=aiohttp.DummyCookieJar())


class Sessions(dict):
    """One HTTP session per source address, made when first needed."""

    def __missing__(self, source: str | None) -> aiohttp.ClientSession:
        self[source] = session(source)
        return self[source]

    async def close(self) -> None:
        for http in self.values():
            await http.close()


async def arrive(http: Sessions, url: str, specs: list[Spec], members: list[Member], start_at: float, concurrency: int,
                 timeout: float, attempts: int = 3) -> list[Joined]:
    """Each client connects at start_at + its offset (at most `concurrency` handshakes at once; 0: no limit)."""
    gate = asyncio.Semaphore(concurrency) if concurrency else None

    async def one(spec: Spec, member: Member) -> Joined:
        await asyncio.sleep(max(0.0, start_at + spec.offset - time.time()))
        started, error = time.time(), None
        for attempt in range(attempts):
            try:
                if gate is None:
                    await member.connect(http[spec.source], url, spec, timeout)
                else:
                    async with gate:
                        await member.connect(http[spec.source], url, spec, timeout)
                return Joined(started, member.in_room)
            except (aiohttp.ClientError, OSError, ConnectionError, asyncio.TimeoutError) as exc:
                error = f"{type(exc).__name__}: {exc}"[:160]
                member.closing = True
                if member.ws is not None:
                    await member.ws.close()
                member.__init__(member.clock, member.joined_on)
                await asyncio.sleep(0.5 * (attempt + 1))
        member.error = error
        return Joined(started, None, error)

    return await asyncio.gather(*(one(s, m) for s, m in zip(specs, members)))


# --------------------------------------------------------------------------- the child processes

def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _serve(pipe) -> None:
    """A child: members joined on command, their receipts sent back on command."""
    loop = asyncio.get_running_loop()
    clock = [0.0]
    members: list[Member] = []
    http = Sessions()
    try:
        while True:
            command, *args = await loop.run_in_executor(None, pipe.recv)
            if command == "join":
                base, specs, start_at, concurrency, timeout, joined_on = args
                new = [Member(clock, joined_on) for _ in specs]
                members += new
                result = await arrive(http, ws_url(base), specs, new, start_at, concurrency, timeout)
                pipe.send(result)
            elif command == "last":
                pipe.send(clock[0])
            elif command == "cpu":
                pipe.send(_cpu())
            elif command == "collect":
                expected, limit = args
                deadline = time.monotonic() + limit
                while time.monotonic() < deadline and any(
                        len(m.arrivals) < expected and m.in_room is not None and m.dropped is None for m in members):
                    await asyncio.sleep(0.1)
                pipe.send([(m.arrivals, m.in_room is not None, m.dropped) for m in members])
            elif command == "close":
                await asyncio.gather(*(m.close() for m in members), return_exceptions=True)
                members.clear()
                pipe.send("closed")
                return
    finally:
        await http.close()


class Swarm:
    """`workers` child processes holding members; the methods block until every child has answered."""

    def __init__(self, workers: int = 2):
        from .support import ROOT, _die_with_parent

        self.pipes, self.processes = [], []
        for _ in range(workers):
            parent, child = socket.socketpair()
            process = subprocess.Popen([sys.executable, "-m", "bench.swarm", str(child.fileno())], cwd=ROOT,
                                       pass_fds=[child.fileno()], preexec_fn=_die_with_parent)
            child.close()
            self.pipes.append(Connection(parent.detach()))
            self.processes.append(process)

    def _all(self, *command) -> list:
        for pipe in self.pipes:
            pipe.send(command)
        return [pipe.recv() for pipe in self.pipes]

    def join(self, base: str, specs: list[Spec], start_at: float, concurrency: int = 0, timeout: float = 60,
             joined_on: str = "state") -> list[Joined]:
        """Spec k goes to child k % workers (so a spread of arrivals is spread over the children too);
        the results in the order of `specs`. `concurrency` is per child."""
        n = len(self.pipes)
        for i, pipe in enumerate(self.pipes):
            pipe.send(("join", base, specs[i::n], start_at, concurrency, timeout, joined_on))
        parts = [pipe.recv() for pipe in self.pipes]
        ordered: list[Joined] = [None] * len(specs)  # type: ignore[list-item]
        for i, part in enumerate(parts):
            ordered[i::n] = part
        return ordered

    def wait_quiet(self, quiet: float, limit: float) -> float:
        """Until no member has received anything for `quiet` seconds (at most `limit`); the seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            if time.time() - max(self._all("last")) >= quiet:
                break
            time.sleep(0.2)
        return time.monotonic() - started

    def cpu_seconds(self) -> float:
        return sum(self._all("cpu"))

    def collect(self, expected: int, limit: float) -> list[tuple[dict[int, float], bool, str | None]]:
        """Per member (child by child): (seq -> arrival time, was in the room, why it dropped or None),
        once each has `expected` questions or `limit` seconds have passed."""
        return [row for part in self._all("collect", expected, limit) for row in part]

    def close(self) -> None:
        """Members closed, children gone; a child still busy (a join cut short by Ctrl-C) is killed."""
        try:
            for pipe in self.pipes:
                pipe.send(("close",))
            for pipe in self.pipes:
                if pipe.poll(30):
                    pipe.recv()
        except (EOFError, OSError, BrokenPipeError):
            pass
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> "Swarm":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --------------------------------------------------------------------------- the asker

@dataclass
class Asking:
    sends: dict[int, float] = field(default_factory=dict)  # seq -> time just before the emit
    acks: dict[int, object] = field(default_factory=dict)  # seq -> the ack (None: none came)


async def ask(base: str, spec: Spec, payload, count: int, rate: float, joined_on: str = "state",
              ack_timeout: float = 30) -> Asking:
    """One more member that emits `ask` with payload(seq) `count` times at `rate` per second, not waiting for
    answers between emits, and collects the acks."""
    asking = Asking()
    async with session(spec.source) as http:
        member = Member([0.0], joined_on)
        await member.connect(http, ws_url(base), spec, 30)
        loop = asyncio.get_running_loop()
        futures: dict[int, asyncio.Future] = {}
        begin = time.monotonic() + 0.1
        for seq in range(count):
            delay = begin + seq / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            member.acks[seq] = futures[seq] = loop.create_future()
            asking.sends[seq] = time.time()
            await member.ws.send_str(f"42{seq}" + json.dumps(["ask", payload(seq)], ensure_ascii=False))
        for seq, future in futures.items():
            try:
                asking.acks[seq] = await asyncio.wait_for(future, ack_timeout)
            except asyncio.TimeoutError:
                asking.acks[seq] = None
        await member.close()
    return asking


if __name__ == "__main__":  # a child of Swarm, talking over the socket whose descriptor it was given
    from bench import swarm  # the classes it sends back must be bench.swarm's, not __main__'s

    asyncio.run(swarm._serve(Connection(int(sys.argv[1]))))
