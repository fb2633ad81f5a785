"""Notifications: stored once per dedupe key, shown to their owner only; the outbox retries failed mail."""
import smtplib
import threading
from datetime import timedelta

import sqlalchemy as sa

from roadshow.accounts.models import User
from roadshow.common.timeutil import utcnow
from roadshow.extensions import db as _db
from roadshow.notifications import mailer, services
from roadshow.notifications.models import EmailStatus, Notification, OutboxEmail

from ..support.concurrency import at_once


def test_notify_stores_message_and_queues_email_once_per_key(db, make_user):
    user = make_user()
    first = services.notify(user, "reminder", "明天 14:00 路演提醒", "长江路演厅", "/sessions/1", dedupe_key="r:1:D-1")
    again = services.notify(user, "reminder", "明天 14:00 路演提醒", dedupe_key="r:1:D-1")
    db.session.commit()
    assert first is not None and again is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1
    emails = db.session.scalars(sa.select(OutboxEmail)).all()
    assert [(e.to_address, e.subject) for e in emails] == [(user.email, "明天 14:00 路演提醒")]
    assert "/sessions/1" in emails[0].body


def test_concurrent_notify_with_one_key_stores_one_row(app, make_user):
    user_id = make_user().id
    barrier = threading.Barrier(8)

    def worker():
        with app.app_context():
            user = _db.session.get(User, user_id)
            barrier.wait()
            services.notify(user, "express", "新项目推送", dedupe_key="express:1:1")
            _db.session.commit()
            _db.session.remove()

    at_once(lambda _caller: worker(), range(8))
    _db.session.expire_all()
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(OutboxEmail)) == 1


def test_bell_count_list_and_mark_read_are_per_user(client, db, make_user, login):
    alice, bob = make_user(), make_user()
    note = services.notify(alice, "screening", "您的项目已入选路演", email=False)
    services.notify(alice, "screening", "第二条消息", email=False)
    db.session.commit()
    login(alice)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "您的项目已入选路演" in page and "nav-badge" in page
    client.post("/logout")
    login(bob)
    assert "您的项目已入选路演" not in client.get("/notifications/").get_data(as_text=True)
    client.post(f"/notifications/{note.id}/read")  # bob cannot mark alice's message
    assert db.session.get(Notification, note.id).read_at is None
    client.post("/logout")
    login(alice)
    client.post("/notifications/read")
    assert services.unread_count(alice.id) == 0


def test_failed_mail_stays_in_outbox_and_is_retried_with_backoff(db, make_user):
    user = make_user()
    services.queue_email(user.email, "路演提醒", "正文")
    db.session.commit()
    now = utcnow()

    def broken(_email):
        raise ConnectionRefusedError("smtp down")

    assert mailer.drain_outbox(now, send=broken) == {"sent": 0, "failed": 1}
    email = db.session.scalars(sa.select(OutboxEmail)).one()
    assert email.status == EmailStatus.PENDING and email.attempts == 1 and "smtp down" in email.last_error
    # not due again until the backoff has passed
    assert mailer.drain_outbox(now + timedelta(seconds=30), send=broken) == {"sent": 0, "failed": 0}
    sent = []
    assert mailer.drain_outbox(now + timedelta(minutes=2), send=sent.append) == {"sent": 1, "failed": 0}
    db.session.refresh(email)
    assert email.status == EmailStatus.SENT and [e.id for e in sent] == [email.id]
    assert mailer.drain_outbox(now + timedelta(days=1), send=sent.append) == {"sent": 0, "failed": 0}


def test_mail_the_server_refuses_for_good_is_given_up_after_max_attempts(db, make_user):
    services.queue_email(make_user().email, "x", "y")
    db.session.commit()

    def refused(email):
        raise smtplib.SMTPRecipientsRefused({email.to_address: (550, b"no such mailbox")})

    when = utcnow()
    for _ in range(mailer.MAX_ATTEMPTS):
        mailer.drain_outbox(when, send=refused)
        when += timedelta(hours=3)
    assert db.session.scalars(sa.select(OutboxEmail)).one().status == EmailStatus.FAILED


def test_an_unreachable_server_makes_mail_wait_not_fail_and_stops_the_run(db, make_user):
    """An SMTP outage of a day loses nothing (it used to give up after six attempts, about an hour); the run
    stops at the first unreachable attempt instead of waiting out a timeout per email."""
    for n in range(3):
        services.queue_email(make_user().email, f"邮件{n}", "正文")
    db.session.commit()
    tried = []

    def unreachable(email):
        tried.append(email.id)
        raise TimeoutError("timed out")

    when = utcnow()
    for _ in range(4 * mailer.MAX_ATTEMPTS):
        assert mailer.drain_outbox(when, send=unreachable) == {"sent": 0, "failed": 1}
        when += timedelta(hours=1)
    emails = db.session.scalars(sa.select(OutboxEmail)).all()
    assert {e.status for e in emails} == {EmailStatus.PENDING} and len(tried) == 4 * mailer.MAX_ATTEMPTS
    assert all("TimeoutError" in e.last_error for e in emails)  # each was tried in turn, one per run
    sent = []
    assert mailer.drain_outbox(when, send=sent.append) == {"sent": 3, "failed": 0}
    assert sorted(e.id for e in sent) == sorted(e.id for e in emails)
