"""Optics Valley Sci-Tech Roadshow Center: the application factory."""
from pathlib import Path

from flask import Flask

from .common.db import close_session_safely
from .common.routing import BoundedIntConverter
from .config import default_config, finish_config
from .extensions import babel, csrf, db, limiter, login_manager, migrate, socketio

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(default_config(app.instance_path))
    if config:
        app.config.update(config)
    finish_config(app.config)
    register_extensions(app)
    app.url_map.converters["int"] = BoundedIntConverter
    register_blueprints(app)
    register_signals(app)
    register_page_cache(app)
    register_template_helpers(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_cli(app)
    register_site_url(app)
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (registers every mapper before first use)
    from .common import sqlite  # turns on WAL and foreign keys for SQLite connections
    from .common import postgres  # noqa: F401  (drops NUL characters PostgreSQL text cannot hold)
    from .matching import changes  # noqa: F401  (every write notes the stored matches it makes stale)
    from .accounts.loader import register_login

    sqlite.take_turns_under_gevent()
    db.init_app(app)
    close_session_safely(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    from .i18n import babel_locale

    babel.init_app(app, locale_selector=babel_locale, default_translation_directories=str(ROOT / "translations"))
    limiter.init_app(app)
    register_login(app, login_manager)
    from .live.queue import client_manager

    socketio.init_app(
        app,
        # the Redis queue, resynchronising live rooms after an outage; passed every time (None: in memory),
        # because the shared SocketIO object keeps the options of the previous init_app
        client_manager=client_manager(app),
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        # Same-origin only unless a deployment names its other origins.
        cors_allowed_origins=app.config["SOCKETIO_CORS_ALLOWED_ORIGINS"],
    )


# One blueprint per domain, each in roadshow/<domain>/views.py as `bp`.
DOMAINS = (
    "roadshows", "accounts", "projects", "investors", "admin", "api", "notifications",
    "screening", "scheduling", "jobs", "live", "matching", "meetings", "matchmaking", "deals", "conversations",
    "feedback", "stats", "ops", "audit",
    "i18n", "loans", "financing", "government", "official", "webhooks", "organisers", "checkin", "training", "listing",
)


def register_blueprints(app: Flask) -> None:
    from importlib import import_module

    for domain in DOMAINS:
        views = import_module(f".{domain}.views", __name__)
        if hasattr(views, "register_domain"):  # a domain that needs more than register_blueprint (the API)
            views.register_domain(app)
        else:
            app.register_blueprint(views.bp)


def register_signals(app: Flask) -> None:
    # Who receives each domain's signals: the one table in roadshow/wiring.py.
    from .wiring import connect_signals

    connect_signals()


def register_page_cache(app: Flask) -> None:
    # after the blueprints: a cached answer still gets its request id and log line
    from .common.page_cache import init_page_cache

    init_page_cache(app)


def register_template_helpers(app: Flask) -> None:
    from .common.templating import init_templating

    init_templating(app)
    from .i18n import init_i18n

    init_i18n(app)


def register_error_handlers(app: Flask) -> None:
    from .common.error_pages import init_error_pages

    init_error_pages(app)


def register_security_headers(app: Flask) -> None:
    from .common.security_headers import init_security_headers

    init_security_headers(app)


def register_site_url(app: Flask) -> None:
    # last: its host check wraps every other middleware (Socket.IO, ProxyFix), so it runs first
    from .common.site_url import init_site_url

    init_site_url(app)


def register_cli(app: Flask) -> None:
    from .cli import init_cli

    init_cli(app)
