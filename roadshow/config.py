"""Every setting the platform reads, declared once here with its type, default and meaning.

A setting comes from the environment variable of the same name, else its default, which works on a
fresh machine with nothing running. Code reads settings only through `current_app.config` (or
`app.config`), never from `os.environ`; tests/ops/test_config.py fails when a key is read that is not
declared here. `create_app(config)` overrides come last (tests use them).

One Redis: REDIS_URL, when set, backs the Socket.IO message queue, the rate limits, the page cache
and the live-room limits; each of those has its own setting only for a deployment where it must
differ (e.g. a separate Redis for the page cache).
"""
from __future__ import annotations

import difflib
import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MAX_DECK_BYTES = 20 * 1024 * 1024

# Match score weights (relative; README "Matching"). MATCH_WEIGHTS="chain=40,behaviour=5" in the
# environment overrides some of them.
MATCH_WEIGHTS = {"chain": 30, "stage": 15, "ticket": 20, "region": 5, "innovation": 10, "flags": 5, "behaviour": 15}

# How much a company fact that no official list verified counts (roadshow/projects/facts.py):
# half in matching, not at all for loan eligibility.
SELF_DECLARED_WEIGHTS = {"matching": 0.5, "loans": 0.0}


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


def _text_or_none(text: str) -> str | None:
    return text or None


def _match_weights(text: str) -> dict[str, float]:
    weights = dict(MATCH_WEIGHTS)
    for item in filter(None, text.split(",")):
        key, _, value = item.partition("=")
        weights[key.strip()] = float(value)
    return weights


def _declared_weights(text: str) -> dict[str, float]:
    """"matching=0.5,loans=0": how much a self-declared company fact counts for each purpose (0 to 1)."""
    weights = dict(SELF_DECLARED_WEIGHTS)
    for item in filter(None, text.split(",")):
        key, _, value = item.partition("=")
        weight = float(value)
        if not 0 <= weight <= 1:
            raise ValueError(f"SELF_DECLARED_WEIGHTS: {key.strip()}={value} is outside 0..1")
        weights[key.strip()] = weight
    return weights


def _origins(text: str) -> list[str] | None:
    return [origin.strip() for origin in text.split(",") if origin.strip()] or None


@dataclass(frozen=True)
class Setting:
    name: str
    parse: Callable[[str], Any]
    # the value when the environment does not set it; a callable is given the instance folder
    default: Any
    help: str


def _secret_key(instance: Path) -> str:
    """A key generated once and kept in instance/ (SECRET_KEY in the environment wins)."""
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


def _database_url(url: str) -> str:
    # Heroku-style URLs name the old driver; SQLAlchemy 2 wants psycopg 3 spelled out.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


SETTINGS: tuple[Setting, ...] = (
    Setting("SECRET_KEY", str, _secret_key, "signs sessions, CSRF tokens and reset links"),
    # Links are built from this, never from the request's Host (checked in roadshow/common/site_url.py).
    Setting("PUBLIC_BASE_URL", str, "http://127.0.0.1:5000",
            "the site's public origin (https://roadshow.example.org, no path): every absolute link in emails, "
            "feeds and pages is built from it"),
    Setting("TRUSTED_HOSTS", _origins, None, "host names answered besides PUBLIC_BASE_URL's, comma-separated "
            "(default: localhost, 127.0.0.1); a request for any other host gets a 400"),
    Setting("DATABASE_URL", _database_url, lambda instance: f"sqlite:///{instance / 'roadshow.sqlite3'}",
            "SQLAlchemy URL; postgres:// and postgresql:// are read as psycopg 3"),
    Setting("DATABASE_POOL_SIZE", int, 0,
            "database connections each process keeps and shares, waiting for a free one beyond that (0: "
            "SQLAlchemy's 5 kept plus 10 opened and closed as needed); serve-prod's gevent processes use 20"),
    Setting("UPLOAD_DIR", str, lambda instance: str(instance / "uploads"), "where decks are stored"),
    Setting("PDF_PARSE_TIMEOUT", float, 15.0, "CPU seconds the page counter may spend on one deck (it may take 4× that on the clock, waiting for a core)"),
    Setting("DECK_PARSERS_PER_MACHINE", int, 2,
            "deck page counters (child processes) running at once on this machine, all server processes together"),
    Setting("DECK_PARSER_WAIT", float, 5.0, "seconds an upload waits for a free page counter before 'try again'"),
    Setting("DECK_PARSER_SLOT_DIR", str, lambda instance: str(instance / "deck-parsers"),
            "folder of the page counters' lock files; the same for every server process on the machine"),
    Setting("SECURE_COOKIES", _flag, False, "behind HTTPS: Secure cookies and HSTS (off so http://127.0.0.1 works)"),
    Setting("PROXY_COUNT", int, 0, "proxies in front that set X-Forwarded-For/-Proto (1 behind nginx)"),
    # Redis: one URL for everything below unless a specific one is set.
    Setting("REDIS_URL", _text_or_none, None, "the Redis shared by all processes (none: one process, in-memory)"),
    Setting("SOCKETIO_MESSAGE_QUEUE", _text_or_none, None, "Socket.IO message queue (default: REDIS_URL)"),
    Setting("RATELIMIT_STORAGE_URI", _text_or_none, None,
            "Flask-Limiter storage (default: REDIS_URL, else memory:// counted per process)"),
    Setting("PAGE_CACHE_REDIS_URL", _text_or_none, None, "page cache shared by all processes (default: REDIS_URL)"),
    Setting("LIVE_REDIS_URL", _text_or_none, None, "live-room limits and presence (default: REDIS_URL, else the Socket.IO queue's)"),
    Setting("SOCKETIO_ASYNC_MODE", str, "threading", "python-socketio async mode of the server processes"),
    Setting("SOCKETIO_CORS_ALLOWED_ORIGINS", _origins, None,
            "other origins allowed to open live-room sockets, comma-separated (default: same origin only)"),
    Setting("LIVE_PRESENCE_INTERVAL", float, 1.0, "seconds between presence broadcasts of one room (0: every change)"),
    Setting("LIVE_QUESTION_RATE", str, "3/minute", "questions one user may ask"),
    Setting("LIVE_VOTE_RATE", str, "30/minute", "votes one user may cast"),
    Setting("LIVE_VIDEO_RTMP_URL", _text_or_none, None,
            "where encoders push (rtmp://host:port/live), shown to hosts; unset: the rooms say video is not configured"),
    Setting("LIVE_VIDEO_MEDIA_DIR", _text_or_none, None,
            "the media server's folder: hls/ (live playlists), records/ (raw recordings), replays/ (ffmpeg output)"),
    Setting("LIVE_VIDEO_FFMPEG", str, "ffmpeg", "the ffmpeg program that turns recordings into replays"),
    Setting("DECK_EVENT_RATE", str, "40/minute", "deck viewer reports (page shown, seconds visible) one reader may send"),
    Setting("LIVE_POLL_RATE", str, "5/minute", "polls one host may launch"),
    Setting("LIVE_POLL_VOTE_RATE", str, "10/minute", "poll ballots one user may cast"),
    Setting("SCHEDULER_ENABLED", lambda text: text.strip().lower() not in ("0", "false", "no", "off"), True,
            "periodic jobs in this process (0: `flask scheduler` runs them)"),
    Setting("JOB_LEASE_SECONDS", float, 60.0,
            "a periodic job's lease, renewed every third of it while the job runs: a job whose process died is "
            "run again this long (at most 1.5 times this) after the death"),
    Setting("SCHEDULING_HORIZON_DAYS", int, 14, "days ahead that templates are turned into sessions"),
    Setting("SCHEDULING_DEFAULT_SLOTS", int, 5, "projects a session takes when no template set a number"),
    Setting("LOGIN_LIMIT_PER_IP", str, "10/minute", "failed logins per client address before a 429"),
    Setting("LOGIN_LIMIT_PER_ACCOUNT", str, "5/minute", "failed logins per account before a 429"),
    Setting("REGISTER_LIMIT_PER_IP", str, "10/hour",
            "registrations sent from one client address before a 429 (forms shown again with a mistake do not count)"),
    Setting("API_RATE_LIMIT", str, "120/minute", "Open API requests per caller (token, else signed-in user, else address), all endpoints together"),
    Setting("MAIL_SERVER", _text_or_none, None, "SMTP host for the outbox (none: emails only logged)"),
    Setting("MAIL_PORT", int, 25, "SMTP port"),
    Setting("MAIL_USE_TLS", _flag, False, "STARTTLS to the SMTP server"),
    Setting("MAIL_USERNAME", _text_or_none, None, "SMTP login"),
    Setting("MAIL_PASSWORD", _text_or_none, None, "SMTP password"),
    Setting("MAIL_DEFAULT_SENDER", str, "roadshow@localhost", "From: of every email"),
    Setting("PAGE_CACHE_SECONDS", int, 30,
            "anonymous public pages kept this long at most (0: never); a write to what they show renews them"),
    Setting("MATCH_WEIGHTS", _match_weights, dict(MATCH_WEIGHTS), 'match score weights, e.g. "chain=40,behaviour=5"'),
    Setting("SELF_DECLARED_WEIGHTS", _declared_weights, dict(SELF_DECLARED_WEIGHTS),
            'how much a self-declared company fact (innovation points, SRDI, high-tech, patents) counts next to '
            'one verified by an official list, per purpose, e.g. "matching=0.5,loans=0"'),
    Setting("OFFICIAL_LIST_MAX_BYTES", int, 16 * 1024 * 1024, "largest official list file an admin may import"),
    Setting("OFFICIAL_LIST_MAX_UNZIPPED_BYTES", int, 200 * 1024 * 1024,
            "an XLSX list whose parts declare more than this uncompressed is refused before it is opened"),
    Setting("OFFICIAL_LIST_MAX_ROWS", int, 100_000, "rows one official list may have"),
    Setting("WEBHOOK_ALLOW_HTTP", _flag, False,
            "webhook URLs may be http:// (development and tests); production accepts only https://"),
    Setting("WEBHOOK_ALLOW_PRIVATE", _flag, False,
            "webhook deliveries may go to loopback and private addresses (a partner inside the same network); "
            "off: every address a host resolves to must be public"),
    Setting("WEBHOOK_TIMEOUT", float, 10.0, "seconds one webhook delivery attempt may take"),
    Setting("WEBHOOK_GIVE_UP_HOURS", float, 24.0, "a webhook delivery still failing this long after its event is given up"),
    Setting("WEBHOOK_PAUSE_AFTER", int, 15, "failed webhook attempts in a row after which a subscription is paused"),
    Setting("CONVERSATION_DIGEST_DELAY", int, 15,
            "minutes an unread conversation message waits before the email digest mentions it"),
    Setting("MEETING_ASKS_PER_DAY", int, 5,
            "meeting requests one startup may send to institutions per day (Beijing time)"),
    Setting("MATCH_MIN_SCORE", float, 40.0, "pairs scoring lower are not stored or shown"),
    Setting("MATCHMAKING_SOLVE_SECONDS", float, 8.0,
            "time the CP-SAT solver may take for a matchmaking day's schedule (then its best, or the greedy one)"),
)
DECLARED = {setting.name: setting for setting in SETTINGS}

# The Redis-backed features, each falling back to REDIS_URL (and the limiter, without any, to memory).
REDIS_BACKED = ("SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI", "PAGE_CACHE_REDIS_URL", "LIVE_REDIS_URL")

# Flask and extension settings this platform fixes (not read from the environment).
FIXED = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_DECK_BYTES": MAX_DECK_BYTES,
    # A deck may be 20 MB; the form around it adds a little.
    "MAX_CONTENT_LENGTH": MAX_DECK_BYTES + 512 * 1024,
    "BABEL_DEFAULT_LOCALE": "zh_CN",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "DISPLAY_TIMEZONE": "Asia/Shanghai",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "RATELIMIT_HEADERS_ENABLED": True,  # Retry-After on a 429
    # Redis unreachable: limits are counted per process in memory until it answers again, and a request is
    # never refused because the count could not be read.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
}


def default_config(instance_path: str, environ: Mapping[str, str] | None = None) -> dict:
    """Every declared setting from the environment or its default, plus the fixed ones."""
    environ = os.environ if environ is None else environ
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    config = dict(FIXED)
    for setting in SETTINGS:
        if environ.get(setting.name):
            config[setting.name] = setting.parse(environ[setting.name])
        else:
            config[setting.name] = setting.default(instance) if callable(setting.default) else setting.default
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    warn_unknown_settings(environ)
    return config


def finish_config(config: dict) -> None:
    """After overrides: REDIS_URL fills the Redis-backed settings that were not given their own."""
    for key in REDIS_BACKED:
        config[key] = config.get(key) or config.get("REDIS_URL")
    config["RATELIMIT_STORAGE_URI"] = config["RATELIMIT_STORAGE_URI"] or "memory://"
    if config.get("DATABASE_POOL_SIZE"):
        # A gevent process serves hundreds of requests at once: beyond a fixed pool they wait their turn, where
        # the default overflow opened and closed a connection (a PostgreSQL login, SQLite's pragmas) per request.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {**config["SQLALCHEMY_ENGINE_OPTIONS"],
                                               "pool_size": config["DATABASE_POOL_SIZE"], "max_overflow": 0}


def redis_urls(config: Mapping[str, Any]) -> list[str]:
    """Every Redis this process depends on, once each."""
    urls = (config.get(key) or "" for key in ("REDIS_URL", *REDIS_BACKED))
    return sorted({url for url in urls if url.startswith(("redis://", "rediss://"))})


def _families() -> set[str]:
    """Name prefixes of our settings (MAIL_, LIVE_, PAGE_CACHE_ …): an unknown name in one is a typo."""
    families = {"ROADSHOW_"}
    for name in DECLARED:
        parts = name.split("_")
        families.update("_".join(parts[:n]) + "_" for n in range(1, len(parts)))
    return families


def warn_unknown_settings(environ: Mapping[str, str]) -> list[str]:
    """Log (and return) environment variables that look like ours but are not declared."""
    families = _families()
    unknown = sorted(
        name for name in environ
        if name not in DECLARED and any(name.startswith(family) for family in families)
        and name not in _NOT_OURS
    )
    for name in unknown:
        close = difflib.get_close_matches(name, DECLARED, n=1)
        log.warning("unknown setting %s in the environment%s", name,
                    f" (did you mean {close[0]}?)" if close else "")
    return unknown


# Variables of the machine or other tools that share a prefix with ours.
_NOT_OURS = frozenset({"MAIL", "MAILPATH", "MAILCHECK", "DATABASE", "PROXY", "SECURE"})
