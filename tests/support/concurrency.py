"""Run the same step for several callers at the same moment, as concurrent requests would."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable


def at_once(step: Callable, callers: Iterable, timeout: float | None = None) -> None:
    """`step(caller)` in one thread per caller, all started before any is waited for; returns when all ended
    (or `timeout` seconds passed for each)."""
    threads = [threading.Thread(target=step, args=(caller,)) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
