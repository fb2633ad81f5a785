"""Run periodic jobs: one at a time across every process, each run recorded, a crash kept to its own job.

Two guards, both in the database:
- a JobRun row per run with a unique (job_id, run_key): schedulers in two processes fire the same
  cron minute, insert the same key, and only the first one runs;
- a lease on the job (JobLock), taken by a conditional UPDATE: a manual run and a scheduled run,
  or a slow run and the next one, never overlap. The lease is short (JOB_LEASE_SECONDS) and renewed
  by the running process every third of it, however long the job takes.

A process that dies mid-job (kill -9, a lost machine) stops renewing: its lease expires within
JOB_LEASE_SECONDS, and every scheduler looks for such leases (`rerun_abandoned`) and runs the job again,
keyed by the abandoned run, so it runs again exactly once however many schedulers notice. The jobs are
idempotent (each reminder, digest and horizon date has its unique key), so what the dead run had
committed is not done twice.
"""
from __future__ import annotations

import atexit
import json
import logging
import threading
import traceback
from datetime import datetime, timedelta
from secrets import token_hex

import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from ..common.timeutil import DISPLAY_TZ, utcnow
from ..extensions import db
from .models import ABANDONED, JobLock, JobRun, RunStatus
from .registry import PeriodicJob, discover

log = logging.getLogger(__name__)
KEEP_RUNS = timedelta(days=7)


class UnknownJob(LookupError):
    pass


def get_job(job_id: str) -> PeriodicJob:
    try:
        return discover()[job_id]
    except KeyError:
        raise UnknownJob(job_id) from None


def run_job(job_id: str, *, now: datetime | None = None, manual: bool = False,
            run_key: str | None = None) -> JobRun | None:
    """Run one job now if no other run holds it. None when this run key was already taken elsewhere."""
    job = get_job(job_id)
    started = utcnow()
    now = now or started
    if run_key is None:
        # A scheduled run is keyed by its minute: that is what two schedulers firing together share.
        run_key = f"manual:{started.isoformat()}:{token_hex(3)}" if manual else now.strftime("%Y-%m-%dT%H:%M")
    run = JobRun(job_id=job.id, run_key=run_key, manual=manual, started_at=started, summary="")
    try:
        with db.session.begin_nested():
            db.session.add(run)  # the first write: on SQLite it also queues a concurrent runner here
    except IntegrityError:
        db.session.rollback()
        log.info("job %s run %s already taken by another process", job.id, run_key)
        return None
    holder = token_hex(8)
    if not _acquire(job, holder, started):
        run.status, run.finished_at = RunStatus.SKIPPED, utcnow()  # the page says why, in its reader's language
        db.session.commit()
        return run
    db.session.commit()
    run_id = run.id
    try:
        with LeaseRenewal(job.id, holder):
            result = job.func(now)
            db.session.commit()
    except Exception:  # a job's crash is recorded and must not reach the scheduler or other jobs
        db.session.rollback()
        log.exception("job %s failed", job.id)
        run = db.session.get(JobRun, run_id)
        run.status, run.error = RunStatus.ERROR, traceback.format_exc()[-8000:]
    else:
        run = db.session.get(JobRun, run_id)
        run.status, run.summary = RunStatus.OK, _summary_text(result)
    run.finished_at = utcnow()
    _release(job.id, holder)
    _prune(job.id, started)
    db.session.commit()
    return run


def _summary_text(result: object) -> str:
    if result is None:
        return ""
    if isinstance(result, str):
        return result
    return json.dumps(result, ensure_ascii=False, default=str)


def lease_length() -> timedelta:
    return timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])


class LeaseRenewal:
    """While the block runs, a thread pushes the lease forward every third of its length, on a connection of
    its own (the job's transaction may stay open for long). When this process dies, the renewals stop and
    the lease runs out. A renewal that fails (the database away for a moment) is tried again at the next tick."""

    def __init__(self, job_id: str, holder: str):
        self.job_id, self.holder, self.lease = job_id, holder, lease_length()
        self.engine = db.engine
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._renew, name=f"lease:{job_id}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        self.thread.join()

    def _renew(self) -> None:
        while not self.stop.wait(self.lease.total_seconds() / 3):
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        sa.update(JobLock).where(JobLock.job_id == self.job_id, JobLock.holder == self.holder)
                        .values(locked_until=utcnow() + self.lease))
            except sa.exc.SQLAlchemyError as exc:
                log.warning("job %s: lease not renewed this time: %s", self.job_id, exc)


def _acquire(job: PeriodicJob, holder: str, now: datetime) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(JobLock(job_id=job.id))
    except IntegrityError:
        pass  # the row exists; the UPDATE below decides
    free = sa.or_(JobLock.locked_until.is_(None), JobLock.locked_until < now)
    expired = db.session.scalar(sa.select(JobLock.locked_until).where(JobLock.job_id == job.id))
    taken = db.session.execute(
        sa.update(JobLock).where(JobLock.job_id == job.id, free)
        .values(holder=holder, locked_until=now + lease_length())
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if taken and expired is not None:
        _close_abandoned(job.id, now)
    return taken


def _close_abandoned(job_id: str, now: datetime) -> None:
    """Runs left 'running' by a process that died holding the lease."""
    db.session.execute(
        sa.update(JobRun)
        .where(JobRun.job_id == job_id, JobRun.status == RunStatus.RUNNING, JobRun.started_at < now)
        .values(status=RunStatus.ERROR, finished_at=now, error=ABANDONED)
        .execution_options(synchronize_session=False)
    )


def rerun_abandoned(now: datetime | None = None) -> list[JobRun]:
    """Run again each job whose run was abandoned: its lease expired while still held (a process that
    finishes or fails releases it). Keyed by the abandoned run: however many schedulers find it, one reruns it."""
    now = now or utcnow()
    abandoned = db.session.execute(
        sa.select(JobLock.job_id, sa.func.max(JobRun.id))
        .join(JobRun, sa.and_(JobRun.job_id == JobLock.job_id, JobRun.status == RunStatus.RUNNING))
        .where(JobLock.holder.is_not(None), JobLock.locked_until < now)
        .group_by(JobLock.job_id)
    ).all()
    db.session.commit()  # end the read: each rerun is a transaction of its own
    reruns = []
    for job_id, run_id in abandoned:
        if job_id not in discover():
            continue  # a job since removed from the code: nothing to run
        log.warning("job %s: run %s was abandoned (its lease expired), running it again", job_id, run_id)
        rerun = run_job(job_id, run_key=f"rerun:{run_id}")
        if rerun is not None:
            reruns.append(rerun)
    return reruns


def _release(job_id: str, holder: str) -> None:
    db.session.execute(
        sa.update(JobLock).where(JobLock.job_id == job_id, JobLock.holder == holder)
        .values(holder=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )


def _prune(job_id: str, now: datetime) -> None:
    db.session.execute(sa.delete(JobRun).where(JobRun.job_id == job_id, JobRun.started_at < now - KEEP_RUNS))


# --------------------------------------------------------------------------- the scheduler

def scheduled_run(app: Flask, job_id: str, key_prefix: str = "") -> None:
    """What APScheduler calls: one app context per run, and nothing ever raised back to it."""
    with app.app_context():
        try:
            run_key = key_prefix + utcnow().strftime("%Y-%m-%dT%H:%M")
            run_job(job_id, run_key=run_key)
        except Exception:
            log.exception("job %s could not be run", job_id)
        finally:
            db.session.remove()


def scheduled_rerun(app: Flask) -> None:
    with app.app_context():
        try:
            rerun_abandoned()
        except Exception:
            log.exception("abandoned job runs could not be checked")
        finally:
            db.session.remove()


RERUN_CHECK_ID = "rerun_abandoned"


def build_scheduler(app: Flask, scheduler_cls: type[BaseScheduler] = BackgroundScheduler) -> BaseScheduler:
    """A scheduler with every registered job, derived afresh from the code (in-memory store, nothing pickled),
    and the check for abandoned runs twice per lease length (one is run again within 1.5 leases of the death)."""
    scheduler = scheduler_cls(
        timezone=DISPLAY_TZ,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    scheduler.add_job(scheduled_rerun, "interval", seconds=app.config["JOB_LEASE_SECONDS"] / 2, args=(app,),
                      id=RERUN_CHECK_ID, name="rerun abandoned job runs")
    for job in discover().values():
        scheduler.add_job(scheduled_run, job.make_trigger(), args=(app, job.id), id=job.id,
                          name=str(job.description or job.id), replace_existing=True)
        if job.run_at_start:
            scheduler.add_job(scheduled_run, "date", args=(app, job.id, "start:"), id=f"{job.id}@start")
    return scheduler


def start_scheduler(app: Flask) -> BaseScheduler | None:
    """The in-process scheduler of `make run`; off under tests and when SCHEDULER_ENABLED is false."""
    if app.testing or not app.config["SCHEDULER_ENABLED"]:
        return None
    scheduler = build_scheduler(app)
    scheduler.start()
    atexit.register(lambda: scheduler.shutdown(wait=False) if scheduler.running else None)
    log.info("scheduler started with jobs: %s", ", ".join(j.id for j in scheduler.get_jobs()))
    return scheduler
