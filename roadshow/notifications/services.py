"""notify(): store an in-app notification and queue its email, at most once per dedupe key."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..accounts.models import User
from ..common.db import insert_once
from ..common.site_url import absolute
from ..common.timeutil import utcnow
from ..extensions import db
from .models import EmailStatus, Notification, OutboxEmail


def queue_email(to_address: str, subject: str, body: str, dedupe_key: str | None = None) -> OutboxEmail | None:
    return insert_once(OutboxEmail, ["dedupe_key"], to_address=to_address, subject=subject, body=body,
                       dedupe_key=dedupe_key)


def notify(
    user: User,
    kind: str,
    title: str,
    body: str = "",
    link: str | None = None,
    dedupe_key: str | None = None,
    email: bool = True,
) -> Notification | None:
    """Tell a user something. Returns None when this dedupe key was already used (nothing is sent)."""
    note = insert_once(Notification, ["dedupe_key"], user_id=user.id, kind=kind, title=title, body=body, link=link,
                       dedupe_key=dedupe_key)
    if note is None:
        return None
    if email and not user.is_disabled:
        text = body + (f"\n\n{absolute(link)}" if link else "")  # a mail reader needs the whole address
        queue_email(user.email, title, text, dedupe_key=f"mail:{dedupe_key}" if dedupe_key else None)
    return note


# Built once: the navigation bar asks on every signed-in page, and building it cost twice what running it does.
_UNREAD = sa.select(sa.func.count()).select_from(Notification).where(
    Notification.user_id == sa.bindparam("user_id"), Notification.read_at.is_(None))


def unread_count(user_id: int) -> int:
    return db.session.scalar(_UNREAD, {"user_id": user_id}) or 0


def recent_for(user_id: int, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ))


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) notification of this user read; another user's id changes nothing."""
    query = sa.update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return db.session.execute(query.values(read_at=utcnow())).rowcount


@dataclass(frozen=True)
class OutboxBacklog:
    """What the admin jobs page says about the outbox: mail waiting, mail failing, mail given up."""
    waiting: int  # pending, whether tried or not
    retrying: int  # pending after at least one failed attempt
    given_up: int
    oldest_waiting_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None  # of the most recently tried email still waiting


def outbox_backlog() -> OutboxBacklog:
    pending = sa.select(OutboxEmail).where(OutboxEmail.status == EmailStatus.PENDING)
    counts = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(OutboxEmail.last_error), sa.func.min(OutboxEmail.created_at),
                  sa.func.min(OutboxEmail.next_attempt_at))
        .where(OutboxEmail.status == EmailStatus.PENDING)
    ).one()
    last_error = db.session.scalar(
        pending.with_only_columns(OutboxEmail.last_error).where(OutboxEmail.last_error.is_not(None))
        .order_by(OutboxEmail.next_attempt_at.desc()).limit(1))
    given_up = db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxEmail).where(OutboxEmail.status == EmailStatus.FAILED))
    return OutboxBacklog(counts[0], counts[1], given_up or 0, counts[2], counts[3], last_error)
