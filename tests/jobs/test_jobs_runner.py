"""The job runner: every run recorded, a crash kept to its own job, one run at a time across processes."""
import threading
import time as clock
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from roadshow import create_app
from roadshow.accounts.models import Role
from roadshow.common.timeutil import local_to_utc, utcnow
from roadshow.jobs import registry
from roadshow.jobs.models import ABANDONED, JobLock, JobRun, RunStatus
from roadshow.jobs.registry import periodic_job
from roadshow.jobs.runner import RERUN_CHECK_ID, build_scheduler, rerun_abandoned, run_job, start_scheduler
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import RoadshowSession, SessionStatus, Slot
from roadshow.scheduling.lifecycle import LIVE_OVERRUN

from ..support.concurrency import at_once

NOW = local_to_utc(datetime(2026, 12, 7, 9, 0))


@pytest.fixture
def test_jobs(monkeypatch):
    """Only a crashing job and a working one are registered while the test runs."""
    monkeypatch.setattr(registry, "JOBS", {})
    calls = []

    @periodic_job(id="boom", trigger="interval", minutes=30, description="总是出错")
    def boom(now):
        raise RuntimeError("数据源不可用")

    @periodic_job(id="tick", trigger="interval", minutes=30, description="计数")
    def tick(now):
        calls.append(now)
        return {"ticks": len(calls)}

    return calls


def runs(db, job_id):
    db.session.expire_all()
    return db.session.scalars(sa.select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.id)).all()


def test_every_domain_job_is_registered():
    jobs = registry.discover()
    assert {"horizon_fill", "reminders", "session_lifecycle", "outbox_drain"} <= set(jobs)
    assert jobs["horizon_fill"].run_at_start
    assert str(jobs["horizon_fill"].make_trigger()) == "cron[hour='2', minute='0']"


def test_a_crash_is_recorded_and_other_jobs_still_run(db, test_jobs):
    crashed = run_job("boom", now=NOW)
    assert crashed.status == RunStatus.ERROR
    assert "RuntimeError: 数据源不可用" in crashed.error and crashed.finished_at is not None

    worked = run_job("tick", now=NOW)
    assert worked.status == RunStatus.OK and worked.summary_items == [("ticks", 1)]
    # The crashed job released its lease: the next run is not skipped.
    assert run_job("boom", manual=True).status == RunStatus.ERROR
    assert db.session.get(JobLock, "boom").locked_until is None


def test_the_scheduler_runs_jobs_in_the_background_and_survives_a_crash(app, db, test_jobs):
    scheduler = build_scheduler(app)
    assert {job.id for job in scheduler.get_jobs()} == {"boom", "tick", RERUN_CHECK_ID}
    scheduler.start()
    try:
        for job in scheduler.get_jobs():
            job.modify(next_run_time=datetime.now(scheduler.timezone))
        deadline = clock.monotonic() + 15
        while clock.monotonic() < deadline and not (runs(db, "boom") and runs(db, "tick")):
            clock.sleep(0.1)
    finally:
        scheduler.shutdown(wait=True)
    assert [r.status for r in runs(db, "boom")] == [RunStatus.ERROR]
    assert [r.status for r in runs(db, "tick")] == [RunStatus.OK]
    assert scheduler.state == 0  # stopped cleanly, nothing left running


def test_the_same_scheduled_minute_runs_once_across_processes(app, db, test_jobs):
    assert run_job("tick", run_key="2026-12-07T01:00").status == RunStatus.OK
    other = create_app({**app.config})
    with other.app_context():
        assert run_job("tick", run_key="2026-12-07T01:00") is None
        other.extensions["sqlalchemy"].session.remove()
        other.extensions["sqlalchemy"].engine.dispose()
    assert len(test_jobs) == 1


def test_a_run_while_another_holds_the_lease_is_skipped(db, test_jobs):
    db.session.add(JobLock(job_id="tick", holder="elsewhere", locked_until=utcnow() + timedelta(minutes=5)))
    db.session.commit()
    skipped = run_job("tick")
    assert skipped.status == RunStatus.SKIPPED and test_jobs == []


def test_an_expired_lease_of_a_crashed_process_is_taken_over(db, test_jobs):
    started = utcnow() - timedelta(hours=1)
    db.session.add(JobRun(job_id="tick", run_key="old", started_at=started, status=RunStatus.RUNNING))
    db.session.add(JobLock(job_id="tick", holder="dead", locked_until=started + timedelta(minutes=15)))
    db.session.commit()
    assert run_job("tick").status == RunStatus.OK
    assert [r.status for r in runs(db, "tick")] == [RunStatus.ERROR, RunStatus.OK]


@contextmanager
def slow_job_running(app, monkeypatch):
    """A job "slow", registered alone, running in a thread (one process) until the block ends. Yields the list
    of its bodies' starts, the results dict ("first": that run's status) and a second app (another process)."""
    monkeypatch.setattr(registry, "JOBS", {})
    inside, release, bodies, results = threading.Event(), threading.Event(), [], {}

    @periodic_job(id="slow", trigger="interval", minutes=30, description="慢任务")
    def slow(now):
        bodies.append(now)
        inside.set()
        assert release.wait(30)
        return {}

    def first():
        with app.app_context():
            results["first"] = run_job("slow", manual=True).status
            app.extensions["sqlalchemy"].session.remove()

    holder = threading.Thread(target=first)
    holder.start()
    other = create_app({**app.config})
    try:
        assert inside.wait(30), "the first run never started"
        with other.app_context():
            yield bodies, results
            other.extensions["sqlalchemy"].session.remove()
            other.extensions["sqlalchemy"].engine.dispose()
    finally:
        release.set()
        holder.join(30)


def test_a_job_is_locked_out_while_another_process_runs_it(app, db, monkeypatch):
    """Not only idempotent: while one run is in its body, a second run from another process is skipped."""
    with slow_job_running(app, monkeypatch) as (bodies, results):
        results["second"] = run_job("slow", manual=True).status
    assert results == {"first": RunStatus.OK, "second": RunStatus.SKIPPED}
    assert len(bodies) == 1


def test_two_threads_running_the_horizon_job_at_once_make_one_set(app, db, make_template):
    make_template()
    other = create_app({**app.config})
    barrier = threading.Barrier(2)
    results = []

    def run(instance):
        with instance.app_context():
            barrier.wait()
            run = run_job("horizon_fill", now=NOW, manual=True)
            results.append(run.status)
            instance.extensions["sqlalchemy"].session.remove()

    at_once(run, (app, other), timeout=60)
    with other.app_context():
        other.extensions["sqlalchemy"].engine.dispose()
    assert sorted(results) in ([RunStatus.OK, RunStatus.OK], [RunStatus.OK, RunStatus.SKIPPED])
    db.session.expire_all()
    starts = db.session.scalars(sa.select(RoadshowSession.starts_at)).all()
    assert len(starts) == len(set(starts)) == 11


def test_the_scheduler_is_not_started_under_tests(app):
    assert start_scheduler(app) is None


def test_lifecycle_job_marks_sessions_live_then_ended(db, make_session, make_user, make_company, make_project):
    now = utcnow().replace(microsecond=0)
    live = make_session(starts_in=timedelta(minutes=-5))
    ended = make_session(starts_in=timedelta(hours=-3))
    later = make_session(starts_in=timedelta(hours=2))
    cancelled = make_session(starts_in=timedelta(hours=-3), status=SessionStatus.CANCELLED)
    project = make_project(make_company(make_user(Role.STARTUP)), ProjectStatus.SCHEDULED)
    db.session.add(Slot(session=ended, project=project, position=1))
    db.session.commit()

    run = run_job("session_lifecycle", now=now)

    assert run.status == RunStatus.OK
    assert dict(run.summary_items) == {"live": 1, "ended": 1, "presented": 1}
    db.session.expire_all()
    assert (live.status, ended.status, later.status, cancelled.status) == (
        SessionStatus.LIVE, SessionStatus.ENDED, SessionStatus.SCHEDULED, SessionStatus.CANCELLED)
    assert live.sequence == ended.sequence == 1
    assert project.status == ProjectStatus.PRESENTED
    # A live room may overrun its end time a little (its host ends it); then the job ends it.
    run_job("session_lifecycle", now=live.ends_at + timedelta(minutes=10))
    db.session.expire_all()
    assert live.status == SessionStatus.LIVE
    run_job("session_lifecycle", now=live.ends_at + LIVE_OVERRUN)
    db.session.expire_all()
    assert live.status == SessionStatus.ENDED


# --------------------------------------------------------------------------- admin page and CLI

def test_admin_jobs_page_lists_jobs_with_next_run_and_runs_one_now(db, client, login, make_user):
    login(make_user(Role.ADMIN))
    page = client.get("/admin/jobs/").get_data(as_text=True)
    for text in ("生成未来场次并排入项目", "horizon_fill", "每天 02:00", "发送待发邮件", "立即运行", "尚未运行"):
        assert text in page

    response = client.post("/admin/jobs/session_lifecycle/run", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "已运行完成" in page and "开始直播" in page
    assert [r.manual for r in runs(db, "session_lifecycle")] == [True]
    assert client.post("/admin/jobs/nonexistent/run").status_code == 404


def test_a_failed_manual_run_shows_its_error(db, client, login, make_user, test_jobs):
    login(make_user(Role.ADMIN))
    page = client.post("/admin/jobs/boom/run", follow_redirects=True).get_data(as_text=True)
    assert "运行出错" in page and "RuntimeError: 数据源不可用" in page


def test_only_admins_see_jobs(client, login, make_user):
    assert client.get("/admin/jobs/").status_code == 302  # to the login page
    login(make_user(Role.INVESTOR))
    assert client.get("/admin/jobs/").status_code == 403
    assert client.post("/admin/jobs/reminders/run").status_code == 403


def test_scheduler_command_lists_and_runs_one_job(app, db):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["scheduler", "--list"])
    assert listed.exit_code == 0 and "horizon_fill" in listed.output and "outbox_drain" in listed.output
    ran = runner.invoke(args=["scheduler", "--run", "session_lifecycle"])
    assert ran.exit_code == 0, ran.output
    assert "session_lifecycle: ok" in ran.output
    assert runner.invoke(args=["scheduler", "--run", "nope"]).exit_code != 0


# --------------------------------------------------------------------------- a run abandoned by a dead process

def abandoned_run(db, job_id: str, lease_left: timedelta) -> JobRun:
    """What a process that died mid-run leaves behind: its run 'running', the lease still in its name."""
    run = JobRun(job_id=job_id, run_key="2026-12-07T01:00", started_at=utcnow() - timedelta(minutes=1),
                 status=RunStatus.RUNNING)
    db.session.add(run)
    db.session.add(JobLock(job_id=job_id, holder="dead", locked_until=utcnow() + lease_left))
    db.session.commit()
    return run


def test_a_run_abandoned_by_a_dead_process_is_run_again_once_when_its_lease_expires(app, db, test_jobs):
    dead = abandoned_run(db, "tick", lease_left=timedelta(seconds=-1))
    dead_id, dead_key = dead.id, dead.run_key
    other = create_app({**app.config})  # a second scheduler process noticing the same expiry
    with other.app_context():
        first = [run.status for run in rerun_abandoned()]
        other.extensions["sqlalchemy"].session.remove()
        other.extensions["sqlalchemy"].engine.dispose()
    again = rerun_abandoned()

    assert first == [RunStatus.OK] and again == []
    assert len(test_jobs) == 1  # run again exactly once
    statuses = [(r.run_key, r.status) for r in runs(db, "tick")]
    assert statuses == [(dead_key, RunStatus.ERROR), (f"rerun:{dead_id}", RunStatus.OK)]
    assert runs(db, "tick")[0].error == ABANDONED
    assert db.session.get(JobLock, "tick").holder is None


def test_a_run_whose_lease_has_not_expired_is_left_alone(db, test_jobs):
    abandoned_run(db, "tick", lease_left=timedelta(seconds=30))
    assert rerun_abandoned() == [] and test_jobs == []


def test_a_job_running_longer_than_its_lease_keeps_it(app, db, monkeypatch):
    """The lease is renewed while the job runs: a slow job is neither taken over nor run a second time."""
    app.config["JOB_LEASE_SECONDS"] = 0.6
    with slow_job_running(app, monkeypatch) as (bodies, results):
        clock.sleep(2)  # more than three lease lengths
        results["rerun"] = rerun_abandoned()
        results["second"] = run_job("slow", manual=True).status
    assert results == {"first": RunStatus.OK, "rerun": [], "second": RunStatus.SKIPPED}
    assert len(bodies) == 1


def test_the_runners_own_notes_are_shown_in_the_readers_language(db, client, login, make_user, test_jobs):
    """A skipped run and an abandoned one are stored without words; each admin reads them in their language."""
    abandoned_run(db, "tick", lease_left=timedelta(seconds=-1))
    rerun_abandoned()
    db.session.add(JobLock(job_id="boom", holder="another process", locked_until=utcnow() + timedelta(minutes=5)))
    db.session.commit()
    assert run_job("boom", manual=True).status == RunStatus.SKIPPED
    login(make_user(Role.ADMIN))
    chinese = client.get("/admin/jobs/").get_data(as_text=True)
    assert "上一次运行尚未结束，本次跳过。" in chinese and "运行进程中断，租约已过期。" in chinese
    client.get("/lang/en")
    english = client.get("/admin/jobs/").get_data(as_text=True)
    assert "this run was skipped" in english and "its lease expired" in english
    assert "跳过" not in english and "租约" not in english
