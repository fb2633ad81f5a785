"""Background jobs: one row per run (what happened) and one lease row per job (who is running it now)."""
from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from ..common.choices import LabeledEnum
from ..common.db import enum_type
from ..extensions import db


class RunStatus(LabeledEnum):
    RUNNING = "running", _l("运行中"), "info"
    OK = "ok", _l("成功"), "success"
    ERROR = "error", _l("出错"), "danger"
    SKIPPED = "skipped", _l("已跳过"), "secondary"


# Stored as a run's error when the process running it died and its lease ran out; the page translates it.
ABANDONED = "abandoned: the process running this job stopped and its lease ran out"


class JobRun(db.Model):
    """A run of a periodic job. (job_id, run_key) is unique: two scheduler processes firing
    the same scheduled minute insert the same key, and only the first one runs."""
    __tablename__ = "job_runs"
    __table_args__ = (
        sa.UniqueConstraint("job_id", "run_key"),
        sa.Index("ix_job_runs_job_started", "job_id", "started_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(sa.String(60))
    run_key: Mapped[str] = mapped_column(sa.String(80))
    manual: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RunStatus] = mapped_column(enum_type(RunStatus), default=RunStatus.RUNNING)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    error: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def error_text(self) -> str | None:
        """The error as the admin page shows it: a traceback as written, the runner's own note translated."""
        return _l("运行进程中断，租约已过期。") if self.error == ABANDONED else self.error

    @property
    def summary_items(self) -> list[tuple[str, object]]:
        """A dict summary as (key, value) pairs; any other summary as one pair with an empty key."""
        if self.status == RunStatus.SKIPPED:
            return [("", str(_l("上一次运行尚未结束，本次跳过。")))]  # read at render: the reader's language
        try:
            data = json.loads(self.summary) if self.summary else {}
        except ValueError:
            data = None
        if isinstance(data, dict):
            return list(data.items())
        return [("", self.summary)] if self.summary else []

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class JobLock(db.Model):
    """A lease on a job: taken by a conditional UPDATE, so two runs of one job never overlap.

    A crashed holder's lease simply expires.
    """
    __tablename__ = "job_locks"
    job_id: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    holder: Mapped[str | None] = mapped_column(sa.String(80))
    locked_until: Mapped[datetime | None]
