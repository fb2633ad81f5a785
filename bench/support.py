"""Helpers shared by the scenarios: sizes, ports, server processes on loopback, percentiles.

Every server a scenario starts is a child process on 127.0.0.1 with its output in a log file (a pipe
nobody reads would fill up and stall it), stopped by its own process id when the block ends.
"""
from __future__ import annotations

import math
import os
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# BENCH_QUICK=1: smaller sizes and shorter runs, for trying the benchmarks out (numbers not comparable).
QUICK = os.environ.get("BENCH_QUICK", "0") not in ("0", "", "no", "false")
SECRET = "roadshow-bench-secret"  # the servers and the bench process sign the same cookies
UNLIMITED = "1000000/minute"


def sizes(name: str, full, quick):
    """A size list from BENCH_<NAME> ("100,500"), else the quick or full default."""
    raw = os.environ.get(f"BENCH_{name.upper()}")
    if raw:
        values = [type(full[0])(v) for v in raw.split(",") if v.strip()]
        return values
    return quick if QUICK else full


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def redis_server(folder: Path):
    """A throw-away redis-server on a free loopback port (no persistence, files in `folder`); yields its URL."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
                                "--daemonize", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def raise_open_files(wanted: int) -> int:
    """Raise this process's open-files limit (children inherit it) as far as allowed; the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def server_env(database_url: str, folder: Path, **extra: str) -> dict[str, str]:
    """The environment of an app server under benchmark: no scheduler, limits out of the way."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCKETIO_", "RATELIMIT_"))}
    env.update(
        DATABASE_URL=database_url, SECRET_KEY=SECRET, UPLOAD_DIR=str(folder / "uploads"),
        SCHEDULER_ENABLED="0", API_RATE_LIMIT=UNLIMITED, LOGIN_LIMIT_PER_IP=UNLIMITED,
        LOGIN_LIMIT_PER_ACCOUNT=UNLIMITED, LIVE_QUESTION_RATE=UNLIMITED, LIVE_VOTE_RATE=UNLIMITED,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def gunicorn_command(target: str, log_dir: Path, name: str, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn with gthread workers, as in production (scripts/serve-prod.sh). A WebSocket holds a thread
    and a connection for its whole life, so a process takes at most `threads` of them (and never more than
    --worker-connections, raised here to match)."""
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--worker-class", "gthread",
               "--threads", str(threads), "--worker-connections", str(max(1000, threads)),
               "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "3", "--backlog", "2048", "--timeout", "120"]
    if _gunicorn_has_control_socket():
        command += ["--control-socket", str(log_dir / f"{name}.ctl")]
    return command + [target]


_control_socket: bool | None = None


def _gunicorn_has_control_socket() -> bool:
    global _control_socket
    if _control_socket is None:
        help_text = subprocess.run([str(BIN / "gunicorn"), "--help"], capture_output=True, text=True).stdout
        _control_socket = "--control-socket" in help_text
    return _control_socket


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"server did not answer {url} within {timeout}s:\n{log.read_text()[-3000:]}")


@contextmanager
def server(command: list[str], env: dict[str, str], log: Path, ready_path: str = "/readyz", port: int | None = None):
    """Run `command` (which listens on `port`, passed as PORT too) until the block ends; yields the base URL."""
    with server_process(command, env, log, ready_path, port) as (base, _process):
        yield base


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children that are still running (gunicorn's
    workers): unlike wall time, hardly changed by whatever else runs on the machine."""
    total = 0.0
    pids = [pid] + [int(p) for p in subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                                                   text=True).stdout.split()]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@contextmanager
def server_process(command: list[str], env: dict[str, str], log: Path, ready_path: str = "/readyz",
                   port: int | None = None):
    """Like server(), yielding (base URL, process)."""
    port = port or free_port()
    with open(log, "w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + ready_path, process, log)
        yield base, process
    finally:
        stop(process)


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM when the bench process dies, however it dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL; gunicorn's workers are in the same process group, started by us."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list (p in 0..100); NaN for an empty one."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summary(values: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max of a list of numbers (same unit as given)."""
    ordered = sorted(values)
    return {"p50": percentile(ordered, 50), "p95": percentile(ordered, 95), "p99": percentile(ordered, 99),
            "max": ordered[-1] if ordered else math.nan, "count": len(ordered)}


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline else math.inf


def log_dir() -> Path:
    folder = ROOT / "bench" / "results" / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def say(message: str) -> None:
    """Progress on stderr, so a long run shows where it is (the table goes to stdout)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
