"""Readiness checks: each returns None when its backing service answers, else a short reason.

Every service the configuration names is checked: the database always, each distinct Redis
(REDIS_URL and the Redis-backed settings it fills), and the SMTP server when MAIL_SERVER is set.
"""
import smtplib
import socket

import redis
import sqlalchemy as sa
from flask import current_app

from ..config import redis_urls
from ..extensions import db

TIMEOUT = 2  # seconds: a readiness probe must answer before the load balancer gives up on it


def check_database() -> str | None:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        return type(getattr(exc, "orig", None) or exc).__name__  # the driver's error when there is one
    return None


def check_redis() -> str | None:
    for url in redis_urls(current_app.config):
        try:
            with redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT) as client:
                client.ping()
        except redis.RedisError as exc:
            return type(exc).__name__
    return None


def check_smtp() -> str | None:
    config = current_app.config
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=TIMEOUT) as smtp:
            smtp.noop()
    except (OSError, smtplib.SMTPException, socket.timeout) as exc:
        return type(exc).__name__
    return None


def readiness() -> dict[str, str | None]:
    """Check name -> failure reason (None = ok), for each backing service that is configured."""
    checks = {"database": check_database()}
    if redis_urls(current_app.config):
        checks["redis"] = check_redis()
    if current_app.config["MAIL_SERVER"]:
        checks["smtp"] = check_smtp()
    return checks
