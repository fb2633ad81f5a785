"""API rate limit: one budget per caller for the whole API (API_RATE_LIMIT), shared across processes via
the limiter's storage. A 429 carries Retry-After (RATELIMIT_HEADERS_ENABLED)."""
import sqlalchemy as sa
from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..extensions import db, limiter
from .auth import presented_token


def api_caller_key() -> str:
    """Who is calling, as resolved (never the raw header): the token's id, else the user signed in with the
    site's cookie, else the client address (which also covers invalid tokens, so guessing them is limited)."""
    try:
        token = presented_token()
    except sa.exc.SQLAlchemyError:
        # The limiter lets a request whose key it cannot compute through (RATELIMIT_SWALLOW_ERRORS); roll the
        # broken transaction back first, so that authentication looks the token up again on a fresh connection
        # instead of meeting PendingRollbackError.
        db.session.rollback()
        raise
    if token is not None:
        return f"token:{token.id}"
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return "ip:" + (get_remote_address() or "unknown")


def limit_api(bp) -> None:
    # shared_limit: one count for every endpoint (a plain limit on a blueprint counts each endpoint apart).
    limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api", key_func=api_caller_key)(bp)
