"""`make bench`: run every bench/scenario_*.py's run(), print one table, write bench/results/latest.json.

A scenario's run() returns a list of measurements:
    {"name": str, "value": float, "unit": str, "target": float | None, "better": "lower" | "higher", "note": str,
     "app": str, "baseline": str}
with a target, the value must be at most it ("lower", the default) or at least it ("higher"); "app" and
"baseline" (optional) say what a ratio was computed from, measured in the same run. A `<name>_postgresql`
scenario's rows get the same-named row's value of `<name>` (SQLite) beside them, from this run or the last.
`python -m bench.run live pages` runs only those scenarios. A scenario that fails shows as a failed row.
"""
from __future__ import annotations

import json
import math
import os
import platform
import signal
import sys
import traceback
from datetime import datetime, timezone
from importlib import import_module
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"


def scenarios() -> list[str]:
    return sorted(p.stem for p in HERE.glob("scenario_*.py"))


def meets(row: dict) -> bool:
    target, value = row["target"], row["value"]
    if target is None:
        return True
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return value >= target if row["better"] == "higher" else value <= target


def run_all(names: list[str]) -> list[dict]:
    rows = []
    for name in names:
        scenario = name.removeprefix("scenario_")
        try:
            measured = import_module(f"bench.{name}").run()
        except Exception as exc:  # one broken scenario must not hide the others' numbers
            traceback.print_exc()
            measured = [{"name": "scenario failed", "value": None, "unit": "", "target": 0,
                         "note": f"{type(exc).__name__}: {exc}"[:200]}]
        for row in measured:
            row = {"scenario": scenario, "target": None, "better": "lower", "note": "", **row}
            row["ok"] = meets(row)
            rows.append(row)
    return rows


def beside_sqlite(rows: list[dict]) -> None:
    """Give each PostgreSQL row the value of the same measurement on SQLite (this run, else the last one)."""
    earlier = json.loads(RESULTS.read_text())["results"] if RESULTS.exists() else []
    found = {(r["scenario"], r["name"]): r["value"] for r in earlier + rows}
    for row in rows:
        if row["scenario"].endswith("_postgresql"):
            row["sqlite"] = found.get((row["scenario"].removesuffix("_postgresql"), row["name"]))


def _cell(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.3f}" if isinstance(value, float) else str(value)


def _target(row: dict) -> str:
    if row["target"] is None:
        return "—"
    return ("≥ " if row["better"] == "higher" else "≤ ") + _cell(row["target"])


def print_table(rows: list[dict]) -> None:
    header = ("scenario", "measurement", "value", "unit", "target", "ok", "app", "baseline", "SQLite", "note")
    table = [header] + [
        (r["scenario"], r["name"], _cell(r["value"]), r["unit"], _target(r),
         "" if r["target"] is None else ("✓" if r["ok"] else "✗"), r.get("app", ""), r.get("baseline", ""),
         _cell(r["sqlite"]) if "sqlite" in r else "", r["note"])
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(header) - 1)]
    for n, line in enumerate(table):
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths)) + "  " + line[-1])
        if n == 0:
            print("  ".join("-" * w for w in widths) + "  " + "-" * 4)


def main(argv: list[str]) -> int:
    # SIGTERM (a timeout, a CI runner) unwinds like Ctrl-C, so every server a scenario started is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    names = [f"scenario_{a}" if not a.startswith("scenario_") else a for a in argv] or scenarios()
    rows = run_all(names)
    beside_sqlite(rows)
    print_table(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "results": [{k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in r.items()}
                    for r in rows],
    }, ensure_ascii=False, indent=2) + "\n")
    print(f"\nwritten to {RESULTS.relative_to(HERE.parent)}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
