"""Readiness checks: each returns None when its dependency answers, else a short reason."""
import redis
import sqlalchemy as sa
from flask import current_app

from ..extensions import db


def check_database() -> str | None:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        return type(getattr(exc, "orig", None) or exc).__name__  # the driver's error when there is one
    return None


def redis_urls() -> list[str]:
    """Every Redis this process depends on (Socket.IO queue, rate-limit storage), once each."""
    urls = (current_app.config.get(key) or "" for key in ("SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI"))
    return sorted({url for url in urls if url.startswith(("redis://", "rediss://"))})


def check_redis() -> str | None:
    for url in redis_urls():
        try:
            with redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2) as client:
                client.ping()
        except redis.RedisError as exc:
            return type(exc).__name__
    return None


def readiness() -> dict[str, str | None]:
    """Check name -> failure reason (None = ok); Redis only when one is configured."""
    checks = {"database": check_database()}
    if redis_urls():
        checks["redis"] = check_redis()
    return checks
