"""Matching at national scale: 100,000 projects × 20,000 funds, each fund's top 200 and each project's top 50.

`top_matches` scores chunk by chunk of projects and never holds the whole matrix (8 GB as float32).
It runs in a child process so that its peak memory (ru_maxrss of that process: the interpreter, the
encoded profiles, one chunk of scores and the kept pairs) is measured alone. Synthetic profiles, fixed
seed, the same generator as the matching scenario. The incremental case: one changed project scored
against every fund (its own top 50, and which funds' top 200 it now enters), against the per-pair
reference timed on a sample of funds in the same run.
"""
from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time

import numpy as np

from bench.scenario_matching import WAN, best_of, synthetic
from bench.support import QUICK, ROOT
from roadshow.matching.scoring import (
    DEFAULT_WEIGHTS, FundBlock, ProjectBlock, ProjectProfile, score_matrix, score_pair, top_matches,
)

FUNDS, PROJECTS = (2_000, 10_000) if QUICK else (20_000, 100_000)
PER_FUND, PER_PROJECT = 200, 50
SAMPLE_FUNDS = 2_000
SECONDS_TARGET, MEMORY_TARGET_MB, INCREMENTAL_TARGET_MS = 30.0, 2048.0, 20.0


def encoded(n_funds: int, n_projects: int):
    funds, projects = synthetic(random.Random(2026), n_funds, n_projects)
    return funds, FundBlock.from_profiles(funds, DEFAULT_WEIGHTS), ProjectBlock.from_profiles(projects, DEFAULT_WEIGHTS)


def child() -> None:
    """Runs in its own process: encode, then the blockwise top-k; prints the figures as JSON."""
    started = time.perf_counter()
    funds, fund_block, project_block = encoded(FUNDS, PROJECTS)
    encode_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    top = top_matches(fund_block, project_block, PER_FUND, PER_PROJECT)
    top_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu

    # Incremental: one changed project against every fund, given the national fund lists.
    changed = ProjectProfile("integrated_circuits", "a", "wuhan", 3000 * WAN, 88, "little_giant", True)
    last_kept = top.fund_scores[:, -1]

    def incremental():
        one = ProjectBlock.from_profiles([changed], DEFAULT_WEIGHTS)
        best = top_matches(fund_block, one, per_fund=0, per_project=PER_PROJECT)
        entering = np.nonzero(score_matrix(fund_block, one)[:, 0] > last_kept)[0]
        return best, entering

    incremental_s, (_, entering) = best_of(incremental, 20)
    sample = random.Random(7).sample(range(FUNDS), min(SAMPLE_FUNDS, FUNDS))
    started = time.perf_counter()
    for f in sample:
        score_pair(funds[f], changed, DEFAULT_WEIGHTS)
    reference_s = (time.perf_counter() - started) / len(sample) * FUNDS
    print(json.dumps({
        "encode_s": encode_s, "top_s": top_s, "cpu_s": cpu_s, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "incremental_ms": incremental_s * 1000, "reference_ms": reference_s * 1000, "entering": len(entering),
        "kept": int(top.fund_projects.size + top.project_funds.size),
    }))


def run() -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "bench.scenario_matching_national"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    m = json.loads(done.stdout.strip().splitlines()[-1])
    size = f"{PROJECTS:,} projects × {FUNDS:,} funds"
    return [
        {"name": "matching_national", "value": m["top_s"], "unit": "s", "target": SECONDS_TARGET,
         "note": f"{size}: each fund's top {PER_FUND} + each project's top {PER_PROJECT}, blockwise, two passes "
                 f"side by side ({m['kept']:,} pairs kept); {m['cpu_s']:.1f} s of CPU (both threads); encoding "
                 f"the profiles ({m['encode_s']:.1f} s) not included"},
        {"name": "matching_national peak memory", "value": m["peak_mb"], "unit": "MB", "target": MEMORY_TARGET_MB,
         "note": "ru_maxrss of the child process that encoded and ran it (interpreter + numpy included)"},
        {"name": "matching_national_incremental", "value": m["incremental_ms"], "unit": "ms",
         "target": INCREMENTAL_TARGET_MS,
         "note": f"one changed project: encode + its top {PER_PROJECT} of {FUNDS:,} funds + the "
                 f"{m['entering']:,} funds whose top {PER_FUND} it enters; best of 20"},
        {"name": "matching_national_incremental per-pair reference", "value": m["reference_ms"], "unit": "ms",
         "note": f"score_pair × {FUNDS:,} funds, EXTRAPOLATED from {min(SAMPLE_FUNDS, FUNDS):,} sampled; "
                 f"ratio {m['reference_ms'] / m['incremental_ms']:.0f}×"},
    ]


if __name__ == "__main__":
    child()
