"""The pages and booking scenarios on PostgreSQL (issue 21, target 6): the project's throw-away server.

`scenario_<name>_postgresql.run()` starts `scripts/with-postgres.sh python -m bench.postgresql <name> <out>`:
in that child, DATABASE_URL points at a fresh PostgreSQL; it builds the bench database there (bench/world.py,
same scale and seed as on SQLite) and runs the SQLite scenario's measure(world) unchanged, so the two sets of
rows compare like with like (bench/run.py puts the SQLite figure beside each).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import import_module
from pathlib import Path

from .support import QUICK, ROOT, say

NOT_INSTALLED = 3  # scripts/with-postgres.sh's exit status


def rows_on_postgresql(scenario: str) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="roadshow-bench-pg-") as folder:
        out = Path(folder) / "rows.json"
        say(f"{scenario}_postgresql: starting a throw-away PostgreSQL")
        done = subprocess.run(["bash", "scripts/with-postgres.sh", sys.executable, "-m", "bench.postgresql",
                               scenario, str(out)], cwd=ROOT, timeout=3600)
        if done.returncode == NOT_INSTALLED:
            return [{"name": "PostgreSQL", "value": None, "unit": "", "target": 0,
                     "note": "PostgreSQL is not installed (scripts/install-system-deps.sh)"}]
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"the {scenario} scenario on PostgreSQL exited with {done.returncode}")
        return json.loads(out.read_text())


def main(scenario: str, out: str) -> None:
    from .world import FULL, QUICK_SCALE, build

    folder = Path(tempfile.mkdtemp(prefix="roadshow-bench-"))
    try:
        say(f"building the bench database on PostgreSQL ({'quick' if QUICK else 'full'} scale)")
        world = build(folder, QUICK_SCALE if QUICK else FULL, os.environ["DATABASE_URL"])
        rows = import_module(f"bench.scenario_{scenario}").measure(world)
        Path(out).write_text(json.dumps(rows, ensure_ascii=False))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
