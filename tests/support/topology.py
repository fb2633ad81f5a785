"""The production topology on loopback, as `make serve-prod` starts it (scripts/serve-prod.sh): two gunicorn
processes behind nginx, Socket.IO rooms and rate limits shared through a real Redis, a scheduler process,
on the test's database (PostgreSQL on the PostgreSQL legs). The fault tests also get the handles to break
it: each process's pid, a Redis they can stop and start again on its port, the PostgreSQL server's data
directory."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from .server import ROOT, free_port

NGINX = next((p for p in ("/usr/sbin/nginx", "/usr/bin/nginx") if os.access(p, os.X_OK)), None)
REDIS = next((p for p in ("/usr/bin/redis-server", "/usr/local/bin/redis-server") if os.access(p, os.X_OK)), None)
needs_topology = [
    pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (scripts/install-system-deps.sh)"),
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/install-system-deps.sh)"),
]


def wait_until(check, timeout: float, what: str, interval: float = 0.2):
    """Poll `check()` until it returns something truthy (returned), or fail saying `what` never happened."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"within {timeout}s: {what}")
        time.sleep(interval)


class RedisServer:
    """A redis-server of the test's own on a fixed port, so it can be stopped and started again there."""

    def __init__(self, folder: Path):
        self.port, self.log = free_port(), folder / "redis.log"
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "a") as out:
            self.process = subprocess.Popen(
                [REDIS, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
                stdout=out, stderr=out)
        wait_until(lambda: self._answers(), 10, f"redis-server on port {self.port} answers")

    def _answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def kill(self) -> None:
        """Gone at once, as a crashed or unreachable Redis (nothing kept: it runs without persistence)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@dataclass
class Topology:
    proxy: str  # nginx, where users arrive
    backends: list[str]  # the server processes behind it, reached directly
    run_dir: Path
    env: dict  # what serve-prod.sh ran with (database, Redis, secret, uploads)
    redis: RedisServer
    killed: list[int] = field(default_factory=list)

    def pid(self, name: str) -> int:
        """The pid of a process serve-prod.sh started (redis is ours: see `redis`): web1, web2, scheduler, nginx."""
        return int((self.run_dir / f"{name}.pid").read_text())

    def kill(self, name: str) -> None:
        """`kill -9` one process and its children (gunicorn's master and its worker: the worker alone would
        be replaced by the master at once), and wait until they are gone."""
        pids = _with_descendants(self.pid(name))
        for pid in pids:  # the parent first, so it starts no replacement
            os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not any(_alive(pid) for pid in pids), 10, f"{name} (pids {pids}) exit after SIGKILL")
        self.killed.extend(pids)

    def backend_behind_proxy(self) -> str:
        """Which web process (web1, web2) nginx sends this machine's requests to (ip_hash: always the same one)."""
        marker = uuid.uuid4().hex
        requests.get(f"{self.proxy}/healthz", headers={"X-Request-ID": marker}, timeout=10)
        for n in range(1, len(self.backends) + 1):
            if marker in (self.run_dir / f"web{n}.log").read_text():
                return f"web{n}"
        pytest.fail("no web process logged the request sent through nginx")


def _with_descendants(pid: int) -> list[int]:
    found, index = [pid], 0
    while index < len(found):
        try:
            children = Path(f"/proc/{found[index]}/task/{found[index]}/children").read_text().split()
        except FileNotFoundError:
            children = []
        found.extend(int(child) for child in children)
        index += 1
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a killed child of serve-prod.sh stays a zombie until the script reaps it
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def start_topology(app, tmp_path: Path, **extra_env: str):
    """Start scripts/serve-prod.sh on the test app's database; a generator for a fixture to yield from.

    RUN_DIR is a folder of its own, not under pytest's: nginx's workers (nobody, when the tests run as root)
    keep request bodies over 16 KB in RUN_DIR/nginx-tmp, and pytest's folders are private to their owner (an
    upload answered 500). Its logs are copied to tmp_path/run at the end."""
    run_dir, log = Path(tempfile.mkdtemp(prefix="roadshow-topology-")), tmp_path / "serve-prod.log"
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "topology-secret",
           "UPLOAD_DIR": str(tmp_path / "uploads"), "DECK_PARSER_SLOT_DIR": str(tmp_path / "deck-parsers"),
           "PORT": str(free_port()), "WORKERS": "2", "RUN_DIR": str(run_dir), "REDIS_URL": redis_server.url,
           **extra_env}
    with open(log, "w") as out:
        process = subprocess.Popen(["bash", "scripts/serve-prod.sh"], cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 120
        while not (run_dir / "ready").exists():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve-prod did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield Topology((run_dir / "ready").read_text().strip(), (run_dir / "backends").read_text().split(), run_dir,
                       env, redis_server)
    finally:
        process.terminate()
        process.wait(timeout=60)
        redis_server.kill()
        shutil.copytree(run_dir, tmp_path / "run", ignore=shutil.ignore_patterns("nginx-tmp", "*.ctl", "media"))
        shutil.rmtree(run_dir, ignore_errors=True)
