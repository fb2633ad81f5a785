"""Run the same step for several callers at the same moment, as concurrent requests would."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable


def at_once(step: Callable, callers: Iterable, timeout: float | None = None) -> None:
    """`step(caller)` in one thread per caller, all started before any is waited for; returns when all ended
    (or `timeout` seconds passed for each).

    An exception in any thread fails the caller (as one ExceptionGroup): a race whose losers crash must
    not pass because the winner left the right rows behind. A thread still running after `timeout` fails
    it too."""
    errors: list[BaseException] = []

    def run(caller) -> None:
        try:
            step(caller)
        except BaseException as exc:  # noqa: BLE001 (every failure is reported to the test)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(caller,)) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        errors.append(TimeoutError(f"{stuck} of {len(threads)} threads still running after {timeout} s"))
    if errors:
        raise ExceptionGroup("a concurrent step failed", errors)
