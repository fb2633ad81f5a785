"""Computing and storing the match matrix: all at once, or only the stale rows and columns.

Only pairs scoring at least MATCH_MIN_SCORE are stored, so recomputing one project's column (or one
fund's row) and replacing its stored pairs gives exactly what a full recompute would. What is stale is
what the writes since the last refresh noted in `match_changes` (matching/changes.py), never a guess
from timestamps.
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
from ..investors.models import Fund
from ..projects.models import Project
from .models import ChangedEntity, Match, MatchChange, MatchRun
from .profiles import FundRow, ProjectRow, fund_rows, project_rows, scored_funds_query, scored_projects_query
from .scoring import COMPONENTS, FORMULA_VERSION, FundBlock, ProjectBlock, pairs_at_least

# Above this share of stale rows and columns, one full recompute is cheaper than many partial ones.
FULL_RECOMPUTE_SHARE = 0.5
# Change rows deleted per statement: PostgreSQL takes at most 65,535 parameters in one, SQLite 32,766.
DELETE_BATCH = 10_000


def current_weights() -> Mapping[str, float]:
    return current_app.config["MATCH_WEIGHTS"]


def weights_key(weights: Mapping[str, float]) -> str:
    weighted = ",".join(f"{k}={float(weights.get(k, 0)):g}" for k in COMPONENTS)
    # The discount of self-declared company facts changes scores as much as a weight does.
    declared = float(current_app.config["SELF_DECLARED_WEIGHTS"].get("matching", 0.0))
    return f"{weighted};min={min_score()};formula={FORMULA_VERSION};declared={declared:g}"


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
    pairs = _score_and_store(funds, projects, now)
    return _record_run(True, len(projects), len(funds), pairs, started)


def recompute_projects(project_ids: Collection[int]) -> int:
    """Replace the stored column of each project (an unpublished project just loses its matches)."""
    if not project_ids:
        return 0
    now = utcnow()
    db.session.execute(sa.delete(Match).where(Match.project_id.in_(list(project_ids))))
    projects = project_rows(project_ids)
    return _score_and_store(fund_rows(), projects, now)


def recompute_funds(fund_ids: Collection[int]) -> int:
    """Replace the stored row of each fund (a deleted fund's rows went with it; a rejected one's are removed)."""
    if not fund_ids:
        return 0
    now = utcnow()
    db.session.execute(sa.delete(Match).where(Match.fund_id.in_(list(fund_ids))))
    funds = fund_rows(fund_ids)
    return _score_and_store(funds, project_rows(), now)


def fund_saved(fund: Fund, **_extra) -> None:
    """A new or changed fund is scored in the transaction that saves it, not at the next refresh: its
    institution's 为我匹配 page shows the matches as soon as the form returns."""
    recompute_funds([fund.id])


@dataclass
class Refresh:
    full: bool = False
    projects: set[int] = field(default_factory=set)  # projects recomputed (the express looks at the public ones)
    funds: set[int] = field(default_factory=set)

    @property
    def nothing(self) -> bool:
        return not (self.full or self.projects or self.funds)


def latest_full_run() -> MatchRun | None:
    return db.session.scalar(sa.select(MatchRun).where(MatchRun.full).order_by(MatchRun.id.desc()).limit(1))


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def refresh_stale() -> Refresh:
    """Recompute what the writes since the last refresh made stale; everything when the weights changed.

    The change rows read here are deleted by id once their pairs are recomputed, in this transaction:
    a write committed meanwhile keeps its rows for the next run (and its data, committed with them, is
    what the recompute read when it saw them).
    """
    changes = list(db.session.execute(sa.select(MatchChange.id, MatchChange.entity, MatchChange.entity_id)))
    noted = {entity: {i for _, e, i in changes if e == entity} for entity in ChangedEntity}
    last = latest_full_run()
    full = last is None or last.weights_key != weights_key(current_weights()) or bool(noted[ChangedEntity.EVERYTHING])
    projects = noted[ChangedEntity.PROJECT]
    funds = noted[ChangedEntity.FUND]
    if noted[ChangedEntity.INSTITUTION]:
        funds |= set(db.session.scalars(sa.select(Fund.id).where(Fund.institution_id.in_(noted[ChangedEntity.INSTITUTION]))))
    total = _count(scored_projects_query()) + _count(scored_funds_query())
    if full or (total and len(projects) + len(funds) > FULL_RECOMPUTE_SHARE * total):
        recompute_all()
        refresh = Refresh(full=True, projects=projects if not full else set(_public_project_ids()), funds=funds)
    else:
        if projects or funds:
            started = time.perf_counter()
            pairs = recompute_funds(funds) + recompute_projects(projects)
            _record_run(False, len(projects), len(funds), pairs, started)
        refresh = Refresh(projects=projects, funds=funds)
    seen = [c.id for c in changes]
    for start in range(0, len(seen), DELETE_BATCH):  # a database takes so many parameters per statement
        db.session.execute(sa.delete(MatchChange).where(MatchChange.id.in_(seen[start:start + DELETE_BATCH])))
    return refresh


def _public_project_ids() -> list[int]:
    return list(db.session.scalars(scored_projects_query().with_only_columns(Project.id)))
