"""The signature on every delivery: HMAC-SHA256 with the subscription's secret over "<timestamp>.<body>".

Headers: `X-Roadshow-Timestamp: 1733299200` (Unix seconds) and
`X-Roadshow-Signature: sha256=<hex>`. A receiver recomputes the HMAC over the timestamp, a dot and
the raw body, compares in constant time, and refuses timestamps older than a few minutes (replays).
"""
from __future__ import annotations

import hashlib
import hmac


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, timestamp: int, body: bytes, event: str, delivery_id: int, event_id: str) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Roadshow-Webhooks/1",
        "X-Roadshow-Event": event,
        "X-Roadshow-Delivery": str(delivery_id),
        "X-Roadshow-Event-Id": event_id,
        "X-Roadshow-Timestamp": str(timestamp),
        "X-Roadshow-Signature": signature(secret, timestamp, body),
    }
