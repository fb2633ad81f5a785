"""Per-user limits on asking and voting, shared by every server process.

With Redis configured (LIVE_REDIS_URL, which REDIS_URL fills; else the Socket.IO queue's) the `limits`
library keeps a moving window there; otherwise, and while that Redis is unreachable, the rows the actions
leave in the database (questions, votes, polls, ballots) are the window, so restarts and several processes on one
database agree.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ..common.timeutil import utcnow
from .errors import LiveError

log = logging.getLogger(__name__)
# action -> setting holding its limit in the `limits` notation, e.g. "3/minute" (roadshow/config.py).
RULES = {"ask": "LIVE_QUESTION_RATE", "vote": "LIVE_VOTE_RATE", "poll": "LIVE_POLL_RATE", "poll_vote": "LIVE_POLL_VOTE_RATE"}


def redis_url() -> str | None:
    """The Redis shared by the live rooms (limits, presence), if the deployment has one. Processes that share
    rooms through a Redis message queue share this state there too, or presence would count one process."""
    config = current_app.config
    for key in ("LIVE_REDIS_URL", "SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI"):
        value = config[key]
        if isinstance(value, str) and value.startswith(("redis://", "rediss://")):
            return value
    return None


def _redis_limiter(url: str) -> MovingWindowRateLimiter:
    cache = current_app.extensions.setdefault("live_rate_limiters", {})
    if url not in cache:
        cache[url] = MovingWindowRateLimiter(storage_from_string(url))
    return cache[url]


def enforce(action: str, user_id: int, recent_count: Callable[[datetime], int]) -> None:
    """Count one `action` for the user or refuse it; `recent_count(since)` counts their stored ones."""
    rule = parse(current_app.config[RULES[action]])
    url = redis_url()
    allowed = None
    if url is not None:
        try:
            allowed = _redis_limiter(url).hit(rule, "live", action, str(user_id))
        except Exception as exc:  # noqa: BLE001 - Redis away: count the stored rows instead (same limit)
            log.warning("live rate limit: redis unreachable (%s); counting stored rows", exc)
    if allowed is None:
        allowed = recent_count(utcnow() - timedelta(seconds=rule.get_expiry())) < rule.amount
    if not allowed:
        raise LiveError("rate_limited", _("操作太频繁，请稍后再试（%(rule)s）。", rule=_describe(rule)))


def _describe(rule) -> str:
    seconds = rule.get_expiry()
    if seconds == 60:
        return _("每分钟最多 %(n)d 次", n=rule.amount)
    return _("每 %(s)d 秒最多 %(n)d 次", s=seconds, n=rule.amount)
