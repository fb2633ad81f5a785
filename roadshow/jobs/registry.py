"""The job registry: domains declare periodic jobs in roadshow/<domain>/jobs.py with @periodic_job.

    @periodic_job(id="reminders", trigger="cron", minute="*/5", description=_l("路演提醒"))
    def send_reminders(now):   # naive UTC; returns a summary (dict or str) shown on the admin page
        ...

A job must be idempotent: the runner keeps two runs from overlapping, and runs a job again when the process
running it died (roadshow/jobs/runner.py), so a job may be cut off anywhere and started over.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module, util

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from ..common.timeutil import DISPLAY_TZ

TRIGGERS = {"cron": CronTrigger, "interval": IntervalTrigger}


@dataclass(frozen=True)
class PeriodicJob:
    id: str
    func: Callable[[datetime], object]
    trigger: str
    trigger_args: dict = field(default_factory=dict)
    description: str = ""
    run_at_start: bool = False  # also run when the scheduler starts (catches up a missed night)
    schedule_label: str = ""  # the schedule in words for the admin page, e.g. "每天 02:00"
    labels: dict = field(default_factory=dict)  # words for the keys of the summary dict the job returns

    def make_trigger(self) -> BaseTrigger:
        # Cron fields are Wuhan wall-clock times; aligned fire times let two schedulers dedupe by minute.
        return TRIGGERS[self.trigger](timezone=DISPLAY_TZ, **self.trigger_args)

    @property
    def schedule_text(self) -> str:
        return str(self.schedule_label) if self.schedule_label else str(self.make_trigger())


JOBS: dict[str, PeriodicJob] = {}


def periodic_job(id: str, trigger: str, *, description: str = "", schedule_label: str = "",
                 labels: dict | None = None, run_at_start: bool = False,
                 **trigger_args):
    """Register the decorated function as a periodic job; the trigger is checked right away."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}; use one of {sorted(TRIGGERS)}")

    def decorator(func):
        job = PeriodicJob(id, func, trigger, trigger_args, description, run_at_start, schedule_label, labels or {})
        job.make_trigger()  # a bad cron field fails at import, not at 2 a.m.
        existing = JOBS.get(id)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"job id {id!r} is declared twice")
        JOBS[id] = job
        return func

    return decorator


def discover() -> dict[str, PeriodicJob]:
    """Import roadshow.<domain>.jobs for every domain that has one; returns the registry."""
    from .. import DOMAINS

    for domain in DOMAINS:
        name = f"roadshow.{domain}.jobs"
        if util.find_spec(name) is not None:
            import_module(name)
    return JOBS
