"""API rate limit: per token (or per client address without one), shared across processes via the
limiter's storage. A 429 carries Retry-After (RATELIMIT_HEADERS_ENABLED)."""
import hashlib

from flask import current_app, request
from flask_limiter.util import get_remote_address

from ..extensions import limiter


def api_client_key() -> str:
    """The caller's bucket, decided before authentication runs: a digest of the presented token, or the IP."""
    header = request.headers.get("Authorization")
    if header:
        return "token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return "ip:" + (get_remote_address() or "unknown")


def limit_api(bp) -> None:
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=api_client_key, scope="api")(bp)
