"""What the admin jobs page shows: every registered job, its next run and its last result."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from ..extensions import db
from .models import JobRun, RunStatus
from .registry import PeriodicJob, discover


@dataclass
class JobRow:
    job: PeriodicJob
    next_run: datetime | None  # naive UTC, like every stored time
    last_run: JobRun | None
    last_error: JobRun | None


def next_run(job: PeriodicJob, now: datetime) -> datetime | None:
    fire = job.make_trigger().get_next_fire_time(None, now.replace(tzinfo=timezone.utc))
    return fire.astimezone(timezone.utc).replace(tzinfo=None) if fire else None


def _latest(job_id: str, *where) -> JobRun | None:
    return db.session.scalars(
        sa.select(JobRun).where(JobRun.job_id == job_id, *where).order_by(JobRun.started_at.desc(), JobRun.id.desc())
        .limit(1)
    ).first()


def job_overview(now: datetime) -> list[JobRow]:
    return [
        JobRow(job, next_run(job, now), _latest(job.id), _latest(job.id, JobRun.status == RunStatus.ERROR))
        for job in sorted(discover().values(), key=lambda j: j.id)
    ]


def recent_runs(job_id: str | None = None, limit: int = 30) -> list[JobRun]:
    query = sa.select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
    if job_id:
        query = query.where(JobRun.job_id == job_id)
    return list(db.session.scalars(query))
