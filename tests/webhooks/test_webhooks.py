"""Webhooks: partners subscribe with a token; events are signed, retried, paused, replayed; SSRF is refused."""
import hashlib
import hmac
import json
import threading
from datetime import date, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.api import tokens
from roadshow.common.timeutil import utcnow
from roadshow.financing import services as financing
from roadshow.financing.models import FinancingKind
from roadshow.loans import services as loans
from roadshow.projects.models import ProjectStatus
from roadshow.projects.services import change_status
from roadshow.roadshows import curation
from roadshow.roadshows.services import request_seat, save_session
from roadshow.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from roadshow.webhooks.services import deliver_due
from tests.support.factories import the_hall


class Receiver:
    """A real HTTP server on 127.0.0.1: answers each request with the next status in `answers` (then 200)."""

    def __init__(self, answers=(), location=None):
        self.answers, self.received, self.location = list(answers), [], location
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/roadshow"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(*answers, location=None):
        made.append(Receiver(answers, location))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def app_overrides():
    # The local receiver is http on loopback: allowed here on purpose, refused by default.
    return {"WEBHOOK_ALLOW_HTTP": True, "WEBHOOK_ALLOW_PRIVATE": True, "WEBHOOK_PAUSE_AFTER": 3}


@pytest.fixture
def partner(db, make_user):
    user = make_user(Role.INVESTOR, name="鄂融通平台")
    _token, plaintext = tokens.create_token(user, "鄂融通", ["read", "write"])
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def subscribe(client, partner, url, events=("session.created",)):
    response = client.post("/api/v1/webhooks", json={"url": url, "events": list(events)}, headers=partner)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def new_session(db, title="光电子信息专场", days=3):
    starts = utcnow().replace(microsecond=0) + timedelta(days=days)
    session = save_session(None, title=title, venue=the_hall(), starts_at=starts, ends_at=starts + timedelta(hours=2),
                           capacity=30)
    db.session.commit()
    return session


def receiver_verifies(secret: str, headers: dict, body: bytes) -> bool:
    """What a partner writes, independently of the platform's code: HMAC-SHA256 over timestamp + '.' + body."""
    expected = hmac.new(secret.encode(), headers["X-Roadshow-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    return hmac.compare_digest("sha256=" + expected, headers["X-Roadshow-Signature"])


def test_a_failed_delivery_is_retried_with_backoff_and_its_signature_verifies(client, db, partner, receiver):
    hook = receiver(500)
    created = subscribe(client, partner, hook.url)
    session = new_session(db)
    now = utcnow()

    assert deliver_due(now) == {"delivered": 0, "failed": 1, "gave_up": 0}
    assert deliver_due(now + timedelta(seconds=10))["failed"] == 0  # not due yet: backoff
    assert deliver_due(now + timedelta(seconds=31)) == {"delivered": 1, "failed": 0, "gave_up": 0}

    assert len(hook.received) == 2
    headers, body = hook.received[-1]
    assert receiver_verifies(created["secret"], headers, body)
    assert not receiver_verifies(created["secret"], headers, body.replace(b"\xe5\x85\x89", b"X"))  # tampered
    event = json.loads(body)
    assert event["type"] == "session.created" and headers["X-Roadshow-Event"] == "session.created"
    assert event["data"]["id"] == session.id and event["data"]["title"] == "光电子信息专场"
    log = client.get(f"/api/v1/webhooks/{created['id']}/deliveries", headers=partner).get_json()
    assert [(d["status"], d["attempts"], d["last_status_code"]) for d in log] == [("delivered", 2, 200)]


def test_a_delivery_failing_for_a_day_is_given_up(app, client, db, partner, receiver):
    app.config["WEBHOOK_PAUSE_AFTER"] = 1000
    hook = receiver(*[503] * 50)
    subscribe(client, partner, hook.url)
    new_session(db)
    now = utcnow()
    deliver_due(now)
    assert deliver_due(now + timedelta(hours=23))["gave_up"] == 0
    assert deliver_due(now + timedelta(hours=24, minutes=1))["gave_up"] == 1
    assert db.session.scalar(sa.select(WebhookDelivery.status)) is DeliveryStatus.GAVE_UP
    assert deliver_due(now + timedelta(hours=30)) == {"delivered": 0, "failed": 0, "gave_up": 0}


def test_repeated_failures_pause_the_subscription_until_its_owner_resumes_it(client, db, partner, receiver):
    hook = receiver(500, 500, 500)
    created = subscribe(client, partner, hook.url)
    for n in range(3):
        new_session(db, title=f"专场{n}", days=3 + n)
    now = utcnow()
    deliver_due(now)
    state = client.get(f"/api/v1/webhooks/{created['id']}", headers=partner).get_json()
    assert state["active"] is False and "3" in state["paused_reason"]
    assert deliver_due(now + timedelta(hours=1))["delivered"] == 0 and len(hook.received) == 3  # paused: nothing sent

    resumed = client.patch(f"/api/v1/webhooks/{created['id']}", json={"active": True}, headers=partner)
    assert resumed.status_code == 200 and resumed.get_json()["active"] is True
    assert deliver_due(utcnow() + timedelta(seconds=1))["delivered"] == 3


def test_a_delivery_can_be_replayed_from_the_log(client, db, partner, receiver):
    hook = receiver()
    created = subscribe(client, partner, hook.url)
    new_session(db)
    deliver_due(utcnow())
    first = client.get(f"/api/v1/webhooks/{created['id']}/deliveries", headers=partner).get_json()[0]
    replay = client.post(f"/api/v1/webhooks/{created['id']}/deliveries/{first['id']}/replay", headers=partner)
    assert replay.status_code == 202 and replay.get_json()["replay_of_id"] == first["id"]
    deliver_due(utcnow() + timedelta(seconds=1))
    assert len(hook.received) == 2 and hook.received[0][1] == hook.received[1][1]
    assert hook.received[0][0]["X-Roadshow-Event-Id"] == hook.received[1][0]["X-Roadshow-Event-Id"]


def test_events_reach_only_the_subscriptions_that_asked_for_them(client, db, partner, make_user, make_company, make_project):
    everything = subscribe(client, partner, "https://partner.example.org/all", [
        "session.created", "session.changed", "session.cancelled", "project.published", "booking.made"])
    only_projects = subscribe(client, partner, "https://partner.example.org/projects", ["project.published"])
    session = new_session(db)
    request_seat(session, make_user(Role.INVESTOR))
    db.session.commit()
    curation.cancel_session(session, "场地检修")
    db.session.commit()
    project = make_project(make_company(), ProjectStatus.UNDER_REVIEW)
    change_status(project, ProjectStatus.APPROVED)
    db.session.commit()

    def events(sub):
        return [e.value for e in db.session.scalars(
            sa.select(WebhookDelivery.event).where(WebhookDelivery.subscription_id == sub["id"]).order_by(WebhookDelivery.id))]

    assert events(everything) == ["session.created", "booking.made", "session.cancelled", "project.published"]
    assert events(only_projects) == ["project.published"]
    booking = json.loads(db.session.scalars(sa.select(WebhookDelivery.body).where(WebhookDelivery.event == "booking.made")).first())
    assert set(booking["data"]) == {"session_id", "seats_left"}  # never who booked


def test_money_that_landed_and_loan_decisions_reach_partners_without_the_company(
        client, db, partner, loan_world, make_user, make_institution):
    sub = subscribe(client, partner, "https://partner.example.org/money",
                    ["financing_event.confirmed", "loan_application.decided"])
    approved = loans.apply_for_loan(loan_world.startup, loan_world.product, amount=Decimal("2000000"),
                                    term_months=12, purpose="中试线")
    loans.approve(loan_world.lender, approved, amount=Decimal("1500000"), rate=Decimal("3.45"), term_months=12)
    db.session.commit()
    declined = loans.apply_for_loan(loan_world.startup, loan_world.product, amount=Decimal("1000000"),
                                    term_months=6, purpose="流动资金")
    loans.decline(loan_world.lender, declined, "现金流不足以覆盖还款")
    investor = make_user(Role.INVESTOR)
    vc = make_institution(investor, name="光谷创投")
    equity = financing.record_event(loan_world.startup, kind=FinancingKind.EQUITY, amount=Decimal("30000000"),
                                    occurred_on=date(2026, 9, 1), institution=vc, today=date(2026, 12, 1))
    db.session.commit()
    bodies = lambda: [json.loads(body) for body in db.session.scalars(  # noqa: E731
        sa.select(WebhookDelivery.body).where(WebhookDelivery.subscription_id == sub["id"]).order_by(WebhookDelivery.id))]
    assert [b["type"] for b in bodies()] == [  # the equity round is not confirmed yet: nothing about it
        "loan_application.decided", "financing_event.confirmed", "loan_application.decided"]
    financing.answer_event(investor, equity, confirm=True)
    db.session.commit()
    sent = bodies()
    assert [(b["type"], b["data"].get("decision"), b["data"].get("amount") or b["data"].get("approved_amount"))
            for b in sent] == [
        ("loan_application.decided", "approved", "1500000.00"), ("financing_event.confirmed", None, "1500000.00"),
        ("loan_application.decided", "declined", None), ("financing_event.confirmed", None, "30000000.00")]
    assert sent[3]["data"]["institution"] == "光谷创投" and sent[1]["data"]["through_platform_loan"] is True
    text = json.dumps(sent, ensure_ascii=False)
    assert loan_world.company.name not in text and "现金流" not in text  # never who, never why declined


def test_other_partners_subscriptions_are_not_found(client, db, partner, make_user):
    created = subscribe(client, partner, "https://partner.example.org/hook")
    other = make_user(Role.INVESTOR)
    _token, plaintext = tokens.create_token(other, "别家", ["read", "write"])
    db.session.commit()
    theirs = {"Authorization": f"Bearer {plaintext}"}
    assert client.get(f"/api/v1/webhooks/{created['id']}", headers=theirs).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{created['id']}", headers=theirs).status_code == 404
    assert client.get("/api/v1/webhooks", headers=theirs).get_json() == []


@pytest.mark.parametrize("url", [
    "http://partner.example.org/hook", "https://127.0.0.1/hook", "https://localhost/hook", "https://[::1]/hook",
    "https://10.1.2.3/hook", "https://192.168.1.10/hook", "https://169.254.169.254/latest/meta-data",
    "https://[::ffff:127.0.0.1]/hook", "https://user:pw@partner.example.org/hook", "ftp://partner.example.org/",
])
def test_registration_refuses_plain_http_and_internal_addresses(app, client, partner, url):
    app.config.update(WEBHOOK_ALLOW_HTTP=False, WEBHOOK_ALLOW_PRIVATE=False)
    response = client.post("/api/v1/webhooks", json={"url": url, "events": ["session.created"]}, headers=partner)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json" and "url" in response.get_json()["errors"]


def test_delivery_resolves_the_host_and_refuses_a_loopback_answer(app, client, db, partner, receiver):
    hook = receiver()
    port = hook.server.server_port
    created = subscribe(client, partner, f"http://localhost:{port}/hook")  # allowed while registering here
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False  # as in production
    new_session(db)
    assert deliver_due(utcnow())["failed"] == 1
    assert hook.received == []
    log = client.get(f"/api/v1/webhooks/{created['id']}/deliveries", headers=partner).get_json()
    assert "127.0.0.1" in log[0]["last_error"] or "::1" in log[0]["last_error"]


def test_redirects_are_not_followed(client, db, partner, receiver):
    target = receiver()
    hook = receiver(302, location=target.url)
    created = subscribe(client, partner, hook.url)
    new_session(db)
    assert deliver_due(utcnow())["failed"] == 1
    assert len(hook.received) == 1 and target.received == []
    log = client.get(f"/api/v1/webhooks/{created['id']}/deliveries", headers=partner).get_json()
    assert log[0]["last_status_code"] == 302 and log[0]["status"] == "pending"


def test_the_openapi_document_describes_every_webhook(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert set(spec["webhooks"]) == {"session.created", "session.changed", "session.cancelled", "project.published",
                                     "booking.made", "financing_event.confirmed", "loan_application.decided"}
    post = spec["webhooks"]["session.created"]["post"]
    assert "X-Roadshow-Signature" in {p["name"] for p in post["parameters"]} and "hmac.new" in post["description"]
