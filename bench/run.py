"""`make bench`: run every bench/scenario_*.py's run(), print one table, write bench/results/latest.json.

A scenario's run() returns a list of measurements:
    {"name": str, "value": float, "unit": str, "target": float | None (value must stay below it), "note": str}
"""
from __future__ import annotations

import json
import os
import platform
import sys
from datetime import datetime, timezone
from importlib import import_module
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"


def scenarios() -> list[str]:
    return sorted(p.stem for p in HERE.glob("scenario_*.py"))


def run_all(names: list[str]) -> list[dict]:
    rows = []
    for name in names:
        for row in import_module(f"bench.{name}").run():
            row = {"scenario": name.removeprefix("scenario_"), "target": None, "note": "", **row}
            row["ok"] = row["target"] is None or row["value"] < row["target"]
            rows.append(row)
    return rows


def _cell(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.3f}" if isinstance(value, float) else str(value)


def print_table(rows: list[dict]) -> None:
    header = ("scenario", "measurement", "value", "unit", "target", "ok", "note")
    table = [header] + [
        (r["scenario"], r["name"], _cell(r["value"]), r["unit"], _cell(r["target"]),
         "" if r["target"] is None else ("yes" if r["ok"] else "NO"), r["note"])
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(header) - 1)]
    for n, line in enumerate(table):
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths)) + "  " + line[-1])
        if n == 0:
            print("  ".join("-" * w for w in widths) + "  " + "-" * 4)


def main(argv: list[str]) -> int:
    names = [f"scenario_{a}" if not a.startswith("scenario_") else a for a in argv] or scenarios()
    rows = run_all(names)
    print_table(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "results": rows,
    }, ensure_ascii=False, indent=2) + "\n")
    print(f"\nwritten to {RESULTS.relative_to(HERE.parent)}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
