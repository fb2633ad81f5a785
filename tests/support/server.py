"""Start the real server (`python wsgi.py`) on a free loopback port with a migrated, seeded database."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.support import redis_server  # noqa: F401  (the tests' throw-away Redis, shared with the bench)

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(folder: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{folder / 'server.sqlite3'}")
    env.update(SECRET_KEY="test-server-secret", UPLOAD_DIR=str(folder / "uploads"), **extra)
    return env


def flask_cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True, timeout=300)


def prepare_database(env: dict) -> None:
    flask_cli(env, "db", "upgrade")
    flask_cli(env, "seed-demo", "--if-empty")


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"server did not answer {url} within {timeout}s")


@contextmanager
def running_server(env: dict, log: Path, port: int | None = None):
    """Yield the base URL of a server process using `env`, logging to `log`; stop it afterwards.

    Output goes to a file, not a pipe: an unread pipe fills up and blocks the server mid-request.
    """
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log, "w") as out:
        process = subprocess.Popen(  # as `make run` starts it: links in emails point at the server itself
            [sys.executable, "wsgi.py"], cwd=ROOT,
            env={**env, "HOST": "127.0.0.1", "PORT": str(port), "PUBLIC_BASE_URL": base},
            stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(base + "/api/v1/venues", process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


