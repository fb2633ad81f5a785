"""The OpenAPI 3.1 `webhooks` section: what each event's delivery looks like, and how to verify it."""

VERIFY_SAMPLE = '''```python
import hashlib, hmac, time

def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    timestamp = headers["X-Roadshow-Timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False  # too old: a replayed request
    expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Roadshow-Signature"])
```'''

SIGNING = (
    "Every delivery is a POST with a JSON body, signed with the subscription's secret: "
    "`X-Roadshow-Signature: sha256=<hex>` is HMAC-SHA256 over the `X-Roadshow-Timestamp` value (Unix seconds), "
    "a dot, and the raw body. Verify it on the raw bytes before parsing, in constant time, and refuse old "
    "timestamps:\n\n" + VERIFY_SAMPLE + "\n\n"
    "Answer 2xx within 10 seconds. Anything else (including a redirect, which is never followed) is retried "
    "with exponential backoff (30 s, 1, 2, 4 … minutes, at most hourly) for 24 hours; after repeated failures "
    "the subscription is paused until you resume it (`PATCH /api/v1/webhooks/{id}` with `active: true`). "
    "The same event may arrive twice (a retry, a replay): `X-Roadshow-Event-Id` and the body's `id` identify it."
)

HEADERS = [
    {"name": name, "in": "header", "required": True, "schema": {"type": "string"}, "description": text}
    for name, text in (
        ("X-Roadshow-Event", "the event type, e.g. session.created"),
        ("X-Roadshow-Event-Id", "the event's id, the same on a retry or replay"),
        ("X-Roadshow-Delivery", "this delivery's id in the delivery log"),
        ("X-Roadshow-Timestamp", "Unix seconds when this attempt was signed"),
        ("X-Roadshow-Signature", "sha256=<hex HMAC-SHA256 of timestamp + '.' + body>"),
    )
]

SESSION = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"},
        "status": {"type": "string", "enum": ["planned", "open", "scheduled", "live", "ended", "cancelled"]},
        "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
        "venue": {"type": ["string", "null"]}, "capacity": {"type": "integer"}, "seats_left": {"type": "integer"},
        "url": {"type": "string", "format": "uri"},
    },
}
PROJECT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "pitch": {"type": "string"},
        "industry_chain": {"type": "string"}, "financing_round": {"type": "string"},
        "amount_sought": {"type": "integer", "description": "yuan"}, "company": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
    },
}
BOOKING = {"type": "object", "properties": {"session_id": {"type": "integer"}, "seats_left": {"type": "integer"}},
           "description": "a seat was booked; who booked it is never sent"}
MONEY_TEXT = {"type": "string", "description": "CNY, exact decimal"}
FINANCING = {
    "type": "object",
    "description": "money that landed, confirmed by the institution named (or a loan approved on the platform); "
                   "the company is never sent",
    "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["equity", "loan", "grant"]},
        "amount": MONEY_TEXT, "occurred_on": {"type": "string", "format": "date"},
        "institution": {"type": ["string", "null"]}, "round": {"type": ["string", "null"]},
        "through_platform_loan": {"type": "boolean"},
    },
}
LOAN_DECISION = {
    "type": "object",
    "description": "a lender approved or declined a loan application; the company and the reason are never sent",
    "properties": {
        "id": {"type": "integer"}, "decision": {"type": "string", "enum": ["approved", "declined"]},
        "decided_on": {"type": "string", "format": "date"},
        "product": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                                     "kind": {"type": "string"}}},
        "lender": {"type": "string"},
        "approved_amount": {**MONEY_TEXT, "type": ["string", "null"]},
        "approved_rate": {"type": ["string", "null"], "description": "percent per year"},
        "approved_term_months": {"type": ["integer", "null"]},
    },
}

EVENTS = {
    "session.created": ("A roadshow session was scheduled", SESSION),
    "session.changed": ("A session's time, place or status changed", SESSION),
    "session.cancelled": ("A session was cancelled", SESSION),
    "project.published": ("A project passed screening and is in the public library", PROJECT),
    "booking.made": ("An investor got a seat in a session", BOOKING),
    "financing_event.confirmed": ("A financing event was confirmed", FINANCING),
    "loan_application.decided": ("A loan application was decided", LOAN_DECISION),
}


def envelope(event: str, data: dict) -> dict:
    return {
        "type": "object",
        "required": ["id", "type", "created_at", "data"],
        "properties": {
            "id": {"type": "string", "description": "the event's id (UUID)"},
            "type": {"type": "string", "const": event},
            "created_at": {"type": "string", "format": "date-time"},
            "data": data,
        },
    }


WEBHOOKS = {
    event: {
        "post": {
            "summary": summary,
            "description": SIGNING,
            "parameters": HEADERS,
            "requestBody": {"required": True, "content": {"application/json": {"schema": envelope(event, data)}}},
            "responses": {"2XX": {"description": "Received; anything else is retried"}},
        }
    }
    for event, (summary, data) in EVENTS.items()
}
