"""Drain the outbox: send due emails by SMTP (MAIL_SERVER) or to the log, retrying failures with backoff."""
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
MAX_ATTEMPTS = 6


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, capped at 2 hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 120))


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
    message.set_content(email.body)
    with smtplib.SMTP(server, config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def drain_outbox(now: datetime | None = None, batch: int = 100, send=deliver) -> dict:
    """Send what is due. Each email is claimed by a conditional UPDATE, so two senders never send one twice."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(OutboxEmail.id).where(OutboxEmail.status == EmailStatus.PENDING, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.id).limit(batch)
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
            email.last_error = str(exc)[:1000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED
            result["failed"] += 1
        else:
            email.status, email.sent_at, email.last_error = EmailStatus.SENT, utcnow(), None
            result["sent"] += 1
        db.session.commit()
    return result
