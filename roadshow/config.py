"""Configuration read from environment variables, with defaults that work on a fresh machine."""
import os
import secrets
from pathlib import Path

MAX_DECK_BYTES = 20 * 1024 * 1024

# Match score weights (relative; README "Matching"). MATCH_WEIGHTS="chain=40,behaviour=5" in the
# environment overrides some of them.
MATCH_WEIGHTS = {"chain": 30, "stage": 15, "ticket": 20, "region": 5, "innovation": 10, "flags": 5, "behaviour": 15}


def _match_weights() -> dict[str, float]:
    weights = dict(MATCH_WEIGHTS)
    for item in filter(None, os.environ.get("MATCH_WEIGHTS", "").split(",")):
        key, _, value = item.partition("=")
        weights[key.strip()] = float(value)
    return weights


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance / "secret_key"
    if not key_file.exists():
        # Written aside and linked into place: several processes starting at once
        # all end up reading the one key that won, never a half-written file.
        draft = instance / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'roadshow.sqlite3'}")
    # Heroku-style URLs name the old driver; SQLAlchemy 2 wants psycopg 3 spelled out.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def default_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(instance / "uploads")),
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        # A deck may be 20 MB; the form around it adds a little.
        "MAX_CONTENT_LENGTH": MAX_DECK_BYTES + 512 * 1024,
        "MAX_DECK_BYTES": MAX_DECK_BYTES,
        "PDF_PARSE_TIMEOUT": float(os.environ.get("PDF_PARSE_TIMEOUT", "15")),  # seconds per deck
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "DISPLAY_TIMEZONE": "Asia/Shanghai",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Behind HTTPS in production: Secure cookies and HSTS (off by default so http://127.0.0.1 works).
        "SECURE_COOKIES": os.environ.get("SECURE_COOKIES", "0") in ("1", "true", "yes"),
        "WTF_CSRF_TIME_LIMIT": None,
        # Periodic jobs: in the `make run` process unless SCHEDULER_ENABLED=0 (then `flask scheduler` runs them).
        "SCHEDULER_ENABLED": os.environ.get("SCHEDULER_ENABLED", "1") not in ("0", "false", "no"),
        "SCHEDULING_HORIZON_DAYS": int(os.environ.get("SCHEDULING_HORIZON_DAYS", "14")),
        # Rate limits (Flask-Limiter). memory:// counts per process; several processes share redis://.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,  # Retry-After on a 429
        "LOGIN_LIMIT_PER_IP": os.environ.get("LOGIN_LIMIT_PER_IP", "10/minute"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5/minute"),
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "120/minute"),  # per caller, all endpoints together
        # SMTP for the email outbox; without MAIL_SERVER emails are only written to the log.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "0") in ("1", "true", "yes"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "roadshow@localhost"),
        # How many proxies in front set X-Forwarded-For/-Proto (1 behind nginx in `make serve-prod`).
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        # Public pages for anonymous visitors kept this long at most (0: never); a write to what they
        # show replaces them at once. PAGE_CACHE_REDIS_URL shares them between processes.
        "PAGE_CACHE_SECONDS": int(os.environ.get("PAGE_CACHE_SECONDS", "30")),
        "PAGE_CACHE_REDIS_URL": os.environ.get("PAGE_CACHE_REDIS_URL") or None,
        "MATCH_WEIGHTS": _match_weights(),
        "MATCH_MIN_SCORE": 40,  # pairs scoring lower are not stored or shown
    }
