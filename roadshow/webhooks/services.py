"""Subscriptions, the outbox of deliveries, and the sender that drains it.

`emit(event, data)` writes one delivery per subscription that wants the event, in the transaction
of the change it reports (the outbox): rolled back with it, never sent for something that did not
happen. The periodic job `webhook_deliveries` sends what is due, each delivery claimed by a
conditional UPDATE so two senders never send one twice. A failure is retried with exponential
backoff until WEBHOOK_GIVE_UP_HOURS after the event; a subscription whose deliveries fail
WEBHOOK_PAUSE_AFTER times in a row is paused until its owner resumes it.
"""
from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..accounts.models import User
from ..common.errors import FieldRuleViolation, RuleViolation
from ..common.timeutil import utcnow
from ..extensions import db
from . import transport
from .models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from .signing import signed_headers

MAX_SUBSCRIPTIONS_PER_OWNER = 20


def backoff(attempts: int) -> timedelta:
    """30 s, 1, 2, 4 ... minutes after each failed attempt, capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


# ----------------------------------------------------------------------------- subscriptions

def _events(values: list[str]) -> list[str]:
    try:
        events = sorted({WebhookEvent(v).value for v in values})
    except ValueError:
        raise FieldRuleViolation("events", _("未知的事件类型。")) from None
    if not events:
        raise FieldRuleViolation("events", _("请至少选择一个事件。"))
    return events


def subscribe(owner: User, url: str, events: list[str]) -> WebhookSubscription:
    transport.check_literal_host(url)
    count = db.session.scalar(sa.select(sa.func.count()).where(WebhookSubscription.owner_id == owner.id))
    if count >= MAX_SUBSCRIPTIONS_PER_OWNER:
        raise RuleViolation(_("每个账号最多 %(n)d 个订阅。", n=MAX_SUBSCRIPTIONS_PER_OWNER))
    subscription = WebhookSubscription(owner_id=owner.id, url=url, events=_events(events),
                                       secret="whsec_" + secrets.token_urlsafe(32))
    db.session.add(subscription)
    db.session.flush()
    return subscription


def update(subscription: WebhookSubscription, *, url: str | None = None, events: list[str] | None = None,
           active: bool | None = None) -> WebhookSubscription:
    if url is not None:
        transport.check_literal_host(url)
        subscription.url = url
    if events is not None:
        subscription.events = _events(events)
    if active is not None:
        subscription.active = active
        if active:  # resumed by its owner: a fresh count, and what waited is sent now
            subscription.paused_reason, subscription.consecutive_failures = None, 0
            db.session.execute(
                sa.update(WebhookDelivery)
                .where(WebhookDelivery.subscription_id == subscription.id,
                       WebhookDelivery.status == DeliveryStatus.PENDING)
                .values(next_attempt_at=utcnow())
            )
    db.session.flush()
    return subscription


def unsubscribe(subscription: WebhookSubscription) -> None:
    db.session.delete(subscription)
    db.session.flush()


def subscriptions_of(owner: User) -> list[WebhookSubscription]:
    return list(db.session.scalars(
        sa.select(WebhookSubscription).where(WebhookSubscription.owner_id == owner.id).order_by(WebhookSubscription.id)))


def deliveries_of(subscription: WebhookSubscription, limit: int = 100) -> list[WebhookDelivery]:
    return list(db.session.scalars(
        sa.select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription.id)
        .order_by(WebhookDelivery.id.desc()).limit(limit)))


# ----------------------------------------------------------------------------- the outbox

def emit(event: WebhookEvent, data: dict) -> int:
    """Queue the event for every active subscription to it; the caller's transaction commits it."""
    subscriptions = [
        s for s in db.session.scalars(sa.select(WebhookSubscription).where(WebhookSubscription.active))
        if event.value in s.events  # a JSON list: filtered here, the same on SQLite and PostgreSQL
    ]
    if not subscriptions:
        return 0
    now = utcnow()
    event_id = str(uuid.uuid4())
    body = json.dumps({"id": event_id, "type": event.value, "created_at": now.replace(microsecond=0).isoformat() + "Z",
                       "data": data}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    db.session.add_all(WebhookDelivery(subscription_id=s.id, event=event, event_id=event_id, body=body,
                                       next_attempt_at=now, created_at=now) for s in subscriptions)
    db.session.flush()
    return len(subscriptions)


def replay(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, as a new entry in the log with the same event and body."""
    now = utcnow()
    again = WebhookDelivery(subscription_id=delivery.subscription_id, event=delivery.event,
                            event_id=delivery.event_id, body=delivery.body, replay_of_id=delivery.id,
                            next_attempt_at=now, created_at=now)
    db.session.add(again)
    db.session.flush()
    return again


# ----------------------------------------------------------------------------- the sender

def _claim(delivery_id: int, now: datetime) -> bool:
    attempts = db.session.scalar(sa.select(WebhookDelivery.attempts).where(WebhookDelivery.id == delivery_id))
    claimed = db.session.execute(
        sa.update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == DeliveryStatus.PENDING,
               WebhookDelivery.attempts == attempts)
        .values(attempts=attempts + 1, last_attempt_at=now, next_attempt_at=now + backoff(attempts + 1))
    ).rowcount
    db.session.commit()
    return bool(claimed)


def _record_failure(delivery: WebhookDelivery, outcome: transport.Outcome, now: datetime) -> None:
    config = current_app.config
    subscription = delivery.subscription
    delivery.last_status_code, delivery.last_error = outcome.status, (outcome.error or "")[:500]
    if now - delivery.created_at >= timedelta(hours=config["WEBHOOK_GIVE_UP_HOURS"]):
        delivery.status = DeliveryStatus.GAVE_UP
    subscription.consecutive_failures += 1
    if subscription.active and subscription.consecutive_failures >= config["WEBHOOK_PAUSE_AFTER"]:
        subscription.active = False
        subscription.paused_reason = _("连续 %(n)d 次投递失败，已自动暂停；最近一次：%(error)s",
                                       n=subscription.consecutive_failures, error=delivery.last_error)[:300]


def deliver_due(now: datetime | None = None, batch: int = 100,
                send: Callable[[str, bytes, dict], transport.Outcome] = transport.post) -> dict:
    """Send what is due (active subscriptions only); returns counts for the job's summary."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(WebhookDelivery.id).join(WebhookDelivery.subscription)
        .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= now,
               WebhookSubscription.active)
        .order_by(WebhookDelivery.id).limit(batch)
    ).all()
    result = {"delivered": 0, "failed": 0, "gave_up": 0}
    for delivery_id in due:
        if not _claim(delivery_id, now):
            continue
        delivery = db.session.get(WebhookDelivery, delivery_id)
        subscription = delivery.subscription
        body = delivery.body.encode()
        headers = signed_headers(subscription.secret, int(time.time()), body, delivery.event.value, delivery.id,
                                 delivery.event_id)
        outcome = send(subscription.url, body, headers)
        if outcome.ok:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, utcnow()
            delivery.last_status_code, delivery.last_error = outcome.status, None
            subscription.consecutive_failures = 0
            result["delivered"] += 1
        else:
            _record_failure(delivery, outcome, now)
            result["gave_up" if delivery.status == DeliveryStatus.GAVE_UP else "failed"] += 1
        db.session.commit()
    return result
