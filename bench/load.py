"""HTTP load from this process (asyncio + aiohttp): open loop at a fixed arrival rate, and closed loop.

Open loop (like wrk2): request i is due at start + i / rate whether or not earlier ones have
answered, and its latency is counted from when it was due, so a server that falls behind shows it
in the percentiles instead of quietly slowing the generator down (no coordinated omission).
Closed loop: C clients each send the next request when the last one answered; its throughput is
the most the server gives at that concurrency.
"""
from __future__ import annotations

import asyncio
import gc
import itertools
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import aiohttp

from .support import summary


@dataclass
class LoadResult:
    offered: float | None  # requests per second asked for (None: closed loop)
    seconds: float  # from the first request due to the last answer
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0

    @property
    def failed(self) -> int:
        return sum(self.errors.values())

    def stats(self) -> dict[str, float]:
        return summary(self.latencies_ms)


def _session(connections: int, headers: dict | None) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=connections, force_close=False),
        timeout=aiohttp.ClientTimeout(total=30), headers=headers or {},
        cookie_jar=aiohttp.DummyCookieJar(),  # only the cookies the caller sends: no visitor turns into another
    )


async def _one(http: aiohttp.ClientSession, url: str, result: LoadResult, started: float, expect: int,
               cookie: str | None = None) -> float:
    try:
        async with http.get(url, allow_redirects=False, headers={"Cookie": cookie} if cookie else None) as response:
            await response.read()
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        status = type(exc).__name__
    done = time.perf_counter()
    if status == expect:
        result.ok += 1
        result.latencies_ms.append((done - started) * 1000)
    else:  # a failed request counts as infinitely slow: errors cannot flatter the percentiles
        result.errors[str(status)] = result.errors.get(str(status), 0) + 1
        result.latencies_ms.append(math.inf)
    return done


async def open_loop(url: str, rate: float, seconds: float, *, connections: int = 256,
                    headers: dict | None = None, expect: int = 200) -> LoadResult:
    total = max(1, round(rate * seconds))
    result = LoadResult(rate, 0.0)
    async with _session(connections, headers) as http:
        start = time.perf_counter() + 0.05
        tasks = []
        for n in range(total):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(_one(http, url, result, due, expect)))
        finished = await asyncio.gather(*tasks)
    result.seconds = max(finished) - start
    return result


async def closed_loop(url: str, concurrency: int, seconds: float, *, headers: dict | None = None,
                      expect: int = 200, cookies: Iterable[str] | None = None) -> LoadResult:
    """`cookies`: each request sends the next of them (many logged-in visitors), from the start again when
    a list runs out; an iterator goes on where the previous run left it."""
    result = LoadResult(None, seconds)
    turns = itertools.cycle(cookies or [None])
    async with _session(concurrency, headers) as http:
        start = time.perf_counter()
        stop_at = start + seconds

        async def client():
            while time.perf_counter() < stop_at:
                await _one(http, url, result, time.perf_counter(), expect, next(turns))

        await asyncio.gather(*(client() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - start
    return result


def _without_gc_pauses(coroutine):
    """Run it with this process's objects frozen: the bench process holds the scaled database's app, and a full
    collection pausing the generator would be counted as the server's latency (requests are timed from when
    they were due)."""
    gc.collect()
    gc.freeze()
    try:
        return asyncio.run(coroutine)
    finally:
        gc.unfreeze()


def run_open_loop(url: str, rate: float, seconds: float, **kwargs) -> LoadResult:
    return _without_gc_pauses(open_loop(url, rate, seconds, **kwargs))


def run_closed_loop(url: str, concurrency: int, seconds: float, **kwargs) -> LoadResult:
    return _without_gc_pauses(closed_loop(url, concurrency, seconds, **kwargs))
