"""Computing and storing the match matrix: all at once, or only the stale rows and columns.

Only pairs scoring at least MATCH_MIN_SCORE are stored, so recomputing one project's column (or one
fund's row) and replacing its stored pairs gives exactly what a full recompute would.
"""
from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..common.timeutil import utcnow
from ..extensions import db
from .explain import reasons
from .models import Match, MatchMark, MatchRun, ScoredEntity
from .profiles import FundRow, ProjectRow, fund_changed_at, fund_rows, project_changed_at, project_rows
from .scoring import COMPONENTS, FundBlock, ProjectBlock, pairs_at_least

# Above this share of stale rows and columns, one full recompute is cheaper than many partial ones.
FULL_RECOMPUTE_SHARE = 0.5


def current_weights() -> Mapping[str, float]:
    return current_app.config["MATCH_WEIGHTS"]


def weights_key(weights: Mapping[str, float]) -> str:
    return ",".join(f"{k}={float(weights.get(k, 0)):g}" for k in COMPONENTS) + f";min={min_score()}"


def min_score() -> float:
    return float(current_app.config["MATCH_MIN_SCORE"])


def _score_and_store(funds: list[FundRow], projects: list[ProjectRow], now: datetime) -> int:
    """Score every fund × project pair and insert those at or above the threshold. Returns how many."""
    if not funds or not projects:
        return 0
    weights = current_weights()
    found = pairs_at_least(FundBlock.from_profiles([f.profile for f in funds], weights),
                           ProjectBlock.from_profiles([p.profile for p in projects], weights), min_score())
    rows = [
        {
            "fund_id": funds[i].id, "project_id": projects[j].id, "institution_id": funds[i].institution_id,
            "score": round(float(score), 2), "computed_at": now,
            "reasons": reasons(funds[i].profile, projects[j].profile, weights),
        }
        for i, j, score in zip(*found)
    ]
    if rows:
        db.session.execute(sa.insert(Match), rows)
    return len(rows)


def _mark(entity: ScoredEntity, ids: Collection[int], now: datetime, keep: Collection[int]) -> None:
    """Record that these rows/columns were computed now; ids not in `keep` (no longer scored) lose their mark."""
    if not ids:
        return
    db.session.execute(sa.delete(MatchMark).where(MatchMark.entity == entity, MatchMark.entity_id.in_(list(ids))))
    if keep:
        db.session.execute(sa.insert(MatchMark), [
            {"entity": entity, "entity_id": i, "computed_at": now} for i in keep
        ])


def _record_run(full: bool, projects: int, funds: int, pairs: int, started: float) -> MatchRun:
    run = MatchRun(full=full, weights_key=weights_key(current_weights()), projects=projects, funds=funds,
                   pairs_stored=pairs, millis=round((time.perf_counter() - started) * 1000))
    db.session.add(run)
    db.session.flush()
    return run


def recompute_all() -> MatchRun:
    started, now = time.perf_counter(), utcnow()
    funds, projects = fund_rows(), project_rows()
    db.session.execute(sa.delete(Match))
    db.session.execute(sa.delete(MatchMark))
    pairs = _score_and_store(funds, projects, now)
    _mark(ScoredEntity.FUND, [f.id for f in funds], now, [f.id for f in funds])
    _mark(ScoredEntity.PROJECT, [p.id for p in projects], now, [p.id for p in projects])
    return _record_run(True, len(projects), len(funds), pairs, started)


def recompute_projects(project_ids: Collection[int]) -> int:
    """Replace the stored column of each project (an unpublished project just loses its matches)."""
    if not project_ids:
        return 0
    now = utcnow()
    db.session.execute(sa.delete(Match).where(Match.project_id.in_(list(project_ids))))
    projects = project_rows(project_ids)
    pairs = _score_and_store(fund_rows(), projects, now)
    _mark(ScoredEntity.PROJECT, project_ids, now, [p.id for p in projects])
    return pairs


def recompute_funds(fund_ids: Collection[int]) -> int:
    """Replace the stored row of each fund (a deleted fund's rows went with it; a rejected one's are removed)."""
    if not fund_ids:
        return 0
    now = utcnow()
    db.session.execute(sa.delete(Match).where(Match.fund_id.in_(list(fund_ids))))
    funds = fund_rows(fund_ids)
    pairs = _score_and_store(funds, project_rows(), now)
    _mark(ScoredEntity.FUND, fund_ids, now, [f.id for f in funds])
    return pairs


@dataclass
class Refresh:
    full: bool = False
    projects: set[int] = field(default_factory=set)  # public projects that changed (for the express)
    funds: set[int] = field(default_factory=set)

    @property
    def nothing(self) -> bool:
        return not (self.full or self.projects or self.funds)


def _stale(entity: ScoredEntity, changed_at: dict[int, datetime], marks: dict) -> tuple[set[int], set[int]]:
    """(ids changed since computed or never computed, ids computed but no longer scored)."""
    mine = {i: at for (e, i), at in marks.items() if e == entity}
    changed = {i for i, at in changed_at.items() if i not in mine or mine[i] < at}
    return changed, set(mine) - set(changed_at)


def latest_full_run() -> MatchRun | None:
    return db.session.scalar(sa.select(MatchRun).where(MatchRun.full).order_by(MatchRun.id.desc()).limit(1))


def refresh_stale() -> Refresh:
    """Recompute what changed since it was last scored; everything when the weights changed."""
    project_times, fund_times = project_changed_at(), fund_changed_at()
    last = latest_full_run()
    if last is None or last.weights_key != weights_key(current_weights()):
        recompute_all()
        return Refresh(full=True, projects=set(project_times), funds=set(fund_times))
    marks = {(m.entity, m.entity_id): m.computed_at for m in db.session.scalars(sa.select(MatchMark))}
    projects, gone_projects = _stale(ScoredEntity.PROJECT, project_times, marks)
    funds, gone_funds = _stale(ScoredEntity.FUND, fund_times, marks)
    total = len(project_times) + len(fund_times)
    if total and len(projects) + len(funds) > FULL_RECOMPUTE_SHARE * total:
        recompute_all()
        return Refresh(full=True, projects=projects, funds=funds)
    if projects or funds or gone_projects or gone_funds:
        started = time.perf_counter()
        pairs = recompute_funds(funds | gone_funds) + recompute_projects(projects | gone_projects)
        _record_run(False, len(projects | gone_projects), len(funds | gone_funds), pairs, started)
    return Refresh(projects=projects, funds=funds)
