"""How many deck parsers run at once: a few per machine, one per uploader.

Each parser is a child process allowed 15 s and 512 MB; without a bound, ten parallel uploads start
ten of them. A slot is a lock file in a folder on the machine, held with flock(2): every process and
thread that opens the file contends for it (several gunicorn processes, their threads), and the kernel
frees it when its holder ends or dies, so no crash leaves a slot taken. No Redis or database needed.
"""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POLL_SECONDS = 0.1


class OwnerBusy(Exception):
    """The same owner already holds a slot."""


class MachineBusy(Exception):
    """Every machine slot stayed taken for the whole wait."""


def _try_lock(path: Path) -> int | None:
    """An open descriptor holding `path` exclusively, or None when another holder has it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _machine_slot(folder: Path, slots: int, wait: float) -> int:
    deadline = time.monotonic() + wait
    while True:
        for n in range(slots):
            fd = _try_lock(folder / f"slot-{n}.lock")
            if fd is not None:
                return fd
        if time.monotonic() >= deadline:
            raise MachineBusy
        time.sleep(POLL_SECONDS)


@contextmanager
def parser_slot(folder: Path, owner: str, slots: int, wait: float) -> Iterator[None]:
    """Hold one of `slots` machine slots and the owner's own slot while the body runs.

    The owner's slot is refused at once (OwnerBusy); a machine slot is waited for at most `wait`
    seconds (MachineBusy), so a worker is never blocked for long."""
    folder.mkdir(parents=True, exist_ok=True)
    own = _try_lock(folder / f"owner-{owner}.lock")
    if own is None:
        raise OwnerBusy
    try:
        machine = _machine_slot(folder, slots, wait)
        try:
            yield
        finally:
            os.close(machine)
    finally:
        os.close(own)
