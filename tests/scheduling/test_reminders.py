"""Reminders a day and an hour before, to booked investors and presenting startups; never twice; the outbox drains."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow import create_app
from roadshow.accounts.models import Role
from roadshow.common.timeutil import utcnow
from roadshow.jobs.runner import run_job
from roadshow.notifications.models import EmailStatus, Notification, OutboxEmail
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import Booking, BookingStatus, SessionStatus, Slot
from roadshow.scheduling.reminders import send_reminders


@pytest.fixture
def roadshow(db, make_session, make_user, make_company, make_project):
    """A session tomorrow with a presenting startup, a booked investor and one who cancelled."""
    session = make_session(starts_in=timedelta(days=1))
    founder = make_user(Role.STARTUP, name="创始人")
    project = make_project(make_company(founder), ProjectStatus.SCHEDULED)
    investor, cancelled = make_user(Role.INVESTOR, name="投资人"), make_user(Role.INVESTOR)
    db.session.add_all([
        Slot(session=session, project=project, position=1),
        Booking(session=session, user=investor),
        Booking(session=session, user=cancelled, status=BookingStatus.CANCELLED),
    ])
    db.session.commit()
    return session, founder, investor, cancelled


def reminders_of(db, user):
    return db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id, Notification.kind == "reminder")
        .order_by(Notification.id)
    ).all()


def test_day_before_and_hour_before_reminders(db, roadshow):
    session, founder, investor, cancelled = roadshow
    day_before = session.starts_at - timedelta(hours=23)

    assert send_reminders(day_before) == {"D-1": 2, "H-1": 0}
    db.session.commit()
    assert [n.dedupe_key for n in reminders_of(db, investor)] == [f"reminder:{session.id}:{investor.id}:D-1"]
    assert "明日路演提醒" in reminders_of(db, investor)[0].title
    assert "您的项目" in reminders_of(db, founder)[0].body
    assert reminders_of(db, cancelled) == []

    assert send_reminders(session.starts_at - timedelta(minutes=50)) == {"D-1": 0, "H-1": 2}
    db.session.commit()
    assert [n.dedupe_key.rsplit(":", 1)[1] for n in reminders_of(db, investor)] == ["D-1", "H-1"]
    emails = db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.to_address == investor.email)).all()
    assert len(emails) == 2 and session.title in emails[1].subject


def test_no_reminder_is_sent_twice_even_after_a_restart(app, db, roadshow):
    session, founder, investor, _ = roadshow
    moment = session.starts_at - timedelta(hours=20)
    send_reminders(moment)
    send_reminders(moment + timedelta(minutes=5))  # the next run of the job
    db.session.commit()

    restarted = create_app({**app.config})  # a new server process on the same database
    with restarted.app_context():
        assert send_reminders(moment + timedelta(minutes=10)) == {"D-1": 0, "H-1": 0}
        restarted.extensions["sqlalchemy"].session.commit()
        restarted.extensions["sqlalchemy"].session.remove()
        restarted.extensions["sqlalchemy"].engine.dispose()

    db.session.expire_all()
    assert len(reminders_of(db, investor)) == len(reminders_of(db, founder)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 2


def test_sessions_too_far_ahead_or_cancelled_get_no_reminder(db, roadshow, make_session):
    session, *_ = roadshow
    assert send_reminders(session.starts_at - timedelta(hours=30)) == {"D-1": 0, "H-1": 0}
    session.status = SessionStatus.CANCELLED
    db.session.commit()
    assert send_reminders(session.starts_at - timedelta(hours=2)) == {"D-1": 0, "H-1": 0}


def test_a_late_job_sends_only_the_hour_reminder(db, roadshow):
    session, _, investor, _ = roadshow
    send_reminders(session.starts_at - timedelta(minutes=30))
    db.session.commit()
    assert [n.dedupe_key.rsplit(":", 1)[1] for n in reminders_of(db, investor)] == ["H-1"]


def test_reminder_job_then_outbox_job_sends_the_emails(db, roadshow):
    session, *_ = roadshow
    run = run_job("reminders", now=session.starts_at - timedelta(hours=12))
    assert dict(run.summary_items) == {"D-1": 2, "H-1": 0}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 2

    drained = run_job("outbox_drain", now=utcnow())
    assert dict(drained.summary_items) == {"sent": 2, "failed": 0}
    db.session.expire_all()
    assert {e.status for e in db.session.scalars(sa.select(OutboxEmail))} == {EmailStatus.SENT}
    assert dict(run_job("outbox_drain", now=utcnow() + timedelta(minutes=1)).summary_items) == {"sent": 0, "failed": 0}
