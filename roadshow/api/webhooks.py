"""Webhook subscriptions of partner platforms: register, change, pause, delete; the delivery log and replay."""
from flask import abort
from flask_login import current_user

from ..common.lookup import get_visible_or_404
from ..extensions import db
from ..webhooks import services
from ..webhooks.models import WebhookDelivery, WebhookSubscription
from ..webhooks.policies import owns_subscription
from . import schemas as s
from .auth import require
from .blueprint import bp
from .mine import authenticated


def _subscription(webhook_id: int) -> WebhookSubscription:
    return get_visible_or_404(WebhookSubscription, webhook_id, owns_subscription)


@bp.get("/webhooks")
@require("read")
@authenticated
@bp.response(200, s.WebhookSubscriptionSchema(many=True))
def list_webhooks():
    """The caller's webhook subscriptions."""
    return services.subscriptions_of(current_user)


@bp.post("/webhooks")
@require("write")
@authenticated
@bp.arguments(s.WebhookRequest())
@bp.response(201, s.WebhookCreatedSchema)
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_webhook(body):
    """Subscribe a URL to events. The response carries the signing secret, shown this once."""
    subscription = services.subscribe(current_user, body["url"], body["events"])
    db.session.commit()
    return subscription


@bp.get("/webhooks/<int:webhook_id>")
@require("read")
@authenticated
@bp.response(200, s.WebhookSubscriptionSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_webhook(webhook_id):
    """One of the caller's subscriptions."""
    return _subscription(webhook_id)


@bp.patch("/webhooks/<int:webhook_id>")
@require("write")
@authenticated
@bp.arguments(s.WebhookUpdate(), required=False)  # every field optional: nothing sent changes nothing
@bp.response(200, s.WebhookSubscriptionSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def update_webhook(body, webhook_id):
    """Change the URL or events, pause (`active: false`) or resume (`active: true`) a subscription."""
    subscription = services.update(_subscription(webhook_id), **body)
    db.session.commit()
    return subscription


@bp.delete("/webhooks/<int:webhook_id>")
@require("write")
@authenticated
@bp.response(204)
@bp.alt_response(404, response="NOT_FOUND")
def delete_webhook(webhook_id):
    """Delete a subscription and its delivery log."""
    services.unsubscribe(_subscription(webhook_id))
    db.session.commit()


@bp.get("/webhooks/<int:webhook_id>/deliveries")
@require("read")
@authenticated
@bp.response(200, s.WebhookDeliverySchema(many=True))
@bp.alt_response(404, response="NOT_FOUND")
def list_deliveries(webhook_id):
    """The subscription's latest 100 deliveries, newest first: status, attempts, last answer."""
    return services.deliveries_of(_subscription(webhook_id))


@bp.post("/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/replay")
@require("write")
@authenticated
@bp.response(202, s.WebhookDeliverySchema)
@bp.alt_response(404, response="NOT_FOUND")
def replay_delivery(webhook_id, delivery_id):
    """Send a delivery again (a new entry in the log, same event id and body)."""
    subscription = _subscription(webhook_id)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription.id:
        abort(404)
    again = services.replay(delivery)
    db.session.commit()
    return again
