"""Drain the outbox: send due emails by SMTP (MAIL_SERVER) or to the log, retrying failures with backoff.

An email leaves the outbox only when the server has accepted it (SENT), or when the server has refused it
for good (a 5xx answer, MAX_ATTEMPTS times: FAILED). While the server is unreachable or answers "try later"
(4xx) every email waits, however long that lasts, for up to GIVE_UP_AFTER: an SMTP outage of an hour or a
day loses nothing, and each email is delivered once the server is back (the next run after its backoff).
"""
from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from ..common.timeutil import utcnow
from ..extensions import db
from .models import EmailStatus, OutboxEmail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6  # refusals (5xx) before an email is given up
GIVE_UP_AFTER = timedelta(days=3)  # an email that could not be delivered for this long is given up too


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 minutes after each failed attempt, then every 15 minutes: an email waits at most that long
    once the server is back."""
    return timedelta(minutes=min(2 ** (attempts - 1), 15))


def refused_for_good(exc: Exception) -> bool:
    """The server answered and refused this email with a 5xx (or building it failed: that will not change).
    An unreachable server, a dropped connection and 4xx answers are worth trying again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return not isinstance(exc, OSError)  # smtplib's other errors are OSErrors: connection problems


def server_unreachable(exc: Exception) -> bool:
    """Not this email's fault: the ones after it would fail the same way (and each could wait out a timeout)."""
    return isinstance(exc, OSError) and not isinstance(
        exc, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused))


def deliver(email: OutboxEmail) -> None:
    config = current_app.config
    server = config["MAIL_SERVER"]
    if not server:
        log.info("mail (MAIL_SERVER unset, logged only) to=%s subject=%s", email.to_address, email.subject)
        return
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = email.to_address
    message["Subject"] = email.subject
    # The same id on every attempt: a copy sent again (the process died between the server's "accepted" and
    # our record of it) is recognisably the same message.
    message["Message-ID"] = f"<outbox-{email.id}@{config['MAIL_DEFAULT_SENDER'].rpartition('@')[2] or 'localhost'}>"
    message.set_content(email.body)
    with smtplib.SMTP(server, config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def drain_outbox(now: datetime | None = None, batch: int = 100, send=deliver) -> dict:
    """Send what is due. Each email is claimed by a conditional UPDATE, so two senders never send one twice.
    The run stops at the first email the server could not be reached for: the rest wait for the next run."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(OutboxEmail.id).where(OutboxEmail.status == EmailStatus.PENDING, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id).limit(batch)  # the longest waiting first
    ).all()
    result = {"sent": 0, "failed": 0}
    for email_id in due:
        attempt_no = db.session.execute(
            sa.select(OutboxEmail.attempts).where(OutboxEmail.id == email_id)
        ).scalar_one()
        # Claim: push next_attempt_at forward; only the sender whose UPDATE matched goes on.
        claimed = db.session.execute(
            sa.update(OutboxEmail)
            .where(OutboxEmail.id == email_id, OutboxEmail.status == EmailStatus.PENDING,
                   OutboxEmail.attempts == attempt_no)
            .values(attempts=attempt_no + 1, next_attempt_at=now + backoff(attempt_no + 1))
        ).rowcount
        db.session.commit()
        if not claimed:
            continue
        email = db.session.get(OutboxEmail, email_id)
        try:
            send(email)
        except Exception as exc:  # any transport failure: keep it and retry later
            log.warning("mail to %s failed (attempt %d): %s", email.to_address, email.attempts, exc)
            email.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            given_up = email.attempts >= MAX_ATTEMPTS if refused_for_good(exc) else email.created_at < now - GIVE_UP_AFTER
            if given_up:
                email.status = EmailStatus.FAILED
            result["failed"] += 1
            if server_unreachable(exc):
                db.session.commit()
                break
        else:
            email.status, email.sent_at, email.last_error = EmailStatus.SENT, utcnow(), None
            result["sent"] += 1
        db.session.commit()
    return result
