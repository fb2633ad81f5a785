"""`flask --app wsgi scheduler`: the jobs in a process of their own (for multi-process deployments)."""
import signal

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import current_app
from flask.cli import with_appcontext

from .models import RunStatus
from .registry import discover
from .runner import UnknownJob, build_scheduler, run_job


@click.command("scheduler")
@click.option("--run", "job_id", metavar="JOB_ID", help="Run this one job once, now, and exit.")
@click.option("--list", "list_jobs", is_flag=True, help="List the registered jobs and their schedules.")
@with_appcontext
def scheduler_command(job_id: str | None, list_jobs: bool) -> None:
    """Run the periodic jobs until stopped (Ctrl-C or SIGTERM). Safe to start on several machines."""
    if list_jobs:
        for job in sorted(discover().values(), key=lambda j: j.id):
            click.echo(f"{job.id:20} {job.schedule_text:24} {job.description}")
        return
    if job_id:
        try:
            run = run_job(job_id, manual=True)
        except UnknownJob:
            raise click.BadParameter(f"no job {job_id!r}; see --list", param_hint="--run") from None
        click.echo(f"{job_id}: {run.status.value} {run.summary or ''}{run.error or ''}")
        raise SystemExit(1 if run.status is RunStatus.ERROR else 0)
    scheduler = build_scheduler(current_app._get_current_object(), BlockingScheduler)
    click.echo("scheduler running: " + ", ".join(job.id for job in scheduler.get_jobs()))
    # SIGTERM (systemd, docker stop): let running jobs finish and release their leases, then exit.
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=True))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
