"""Pages answered from a cache: for anonymous visitors, and for each signed-in reader on their own.

The calendar, session pages and the public JSON calendar cost 3–10 ms of queries and templates each.
A view marked `@cached_for_visitors` is the same for every anonymous visitor: it is stored per host, URL
and language under the *public generation*, which every commit writing a table those pages show renews.

A view marked `@cached_for_readers` is stored for one signed-in reader (their login session and its form
token: the page names them, counts their notifications and carries their CSRF token) under the *data
generation*, which every commit writing anything a page can show renews, from any process: a booking, a
notification, a role, another investor's seat or a waitlist place moving shows on the reader's next page.
Between writes a reader who comes back (reloads, returns from a booking's confirmation, pages through the
calendar) is answered without their user row, queries or templates. On a platform with writes every second
those pages are simply rendered. A write shows on the next page of every process sharing the generations
(below); the writer's own next page always shows it (the commit renews them before its answer is sent).

PAGE_CACHE_SECONDS bounds what only time changes (today's highlight, booking closing at the start), for
both. Never served from or stored in the cache: API token holders, a visitor with messages waiting to be
flashed, an answer whose request wrote to the database, put something in the session (a first CSRF
token) or set a cookie. Storage is Flask-Caching: in the process by default, in Redis (PAGE_CACHE_REDIS_URL,
which REDIS_URL fills) when several processes must see the same generations.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from itertools import chain

from flask import Flask, Response, current_app, g, has_app_context, request, session
from flask_caching import Cache
from flask_caching.backends.simplecache import SimpleCache
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..i18n import current_locale
from .site_url import request_host

# Tables whose rows the anonymous pages show: a committed write to one of them starts a new public generation.
PUBLIC_TABLES = frozenset({
    "roadshow_sessions", "slots", "bookings", "waitlist_entries", "venues", "series", "live_rooms",
    "projects", "companies", "institutions", "funds", "session_templates", "template_occurrences",
})
# Tables no page marked @cached_for_readers shows: the scheduler's bookkeeping, the mail and webhook
# queues, the audit trail, deck analytics, the matching engine's own change log. Writing them (which
# happens without anyone acting on a page) keeps readers' pages; tests/ops/test_page_cache.py records the
# tables those pages read and checks none is here.
NOT_ON_READERS_PAGES = frozenset({
    "job_runs", "job_locks", "outbox_emails", "webhook_deliveries", "audit_entries", "deck_views",
    "deck_page_views", "deck_downloads", "match_changes", "match_runs",
})
PUBLIC = "page-generation"  # generation of the anonymous pages (and of the parts kept for everyone)
DATA = "data-generation"  # generation of the readers' pages
WROTE = "page_cache_wrote"  # Session.info between flush and commit: the generations the commit renews

cache = Cache()
log = logging.getLogger(__name__)


class PageStore(SimpleCache):
    """Flask-Caching's in-process store, pruned in the order entries were stored. SimpleCache, once full, sorts
    every entry by expiry on each store (milliseconds with thousands of pages) and drops the entries that never
    expire first: the generations, so one store too many renewed them and lost every page kept."""

    def _prune(self) -> None:
        while self._over_threshold():
            # the oldest stored entry that expires; never-expiring ones (the generations) are a few at the front
            oldest = next((key for key, (expires, _value) in self._cache.items() if expires != 0), None)
            if oldest is None:
                return
            self._cache.pop(oldest)


def cached_for_visitors(view):
    """Mark a GET view whose answer is the same for every anonymous visitor (per URL and language)."""
    view.cached_for_visitors = True
    return view


def cached_for_readers(view):
    """Mark a GET view whose answer to a signed-in reader depends on nothing but the database, that reader's
    login session, the URL and the language (and the time, within PAGE_CACHE_SECONDS)."""
    view.cached_for_readers = True
    return view


def init_page_cache(app: Flask) -> None:
    redis_url = app.config["PAGE_CACHE_REDIS_URL"]
    cache.init_app(app, config={
        "CACHE_TYPE": "RedisCache" if redis_url else f"{__name__}.PageStore",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "roadshow:page:",
        "CACHE_DEFAULT_TIMEOUT": app.config["PAGE_CACHE_SECONDS"],
        "CACHE_THRESHOLD": 2_000,  # SimpleCache: entries kept per process
    })
    app.jinja_env.globals["shared"] = shared
    if app.config["PAGE_CACHE_SECONDS"] > 0:
        app.before_request(_answer_from_cache)
        app.after_request(_store_answer)


def _cache_kind() -> str | None:
    """'page' (an anonymous visitor's), 'reader:<digest>' (one signed-in reader's) or None: render."""
    if request.method != "GET" or "Authorization" in request.headers or "_flashes" in session:
        return None
    view = current_app.view_functions.get(request.endpoint)
    if "_user_id" in session:
        return f"reader:{_reader()}" if getattr(view, "cached_for_readers", False) else None
    if getattr(view, "cached_for_visitors", False) and not current_user.is_authenticated:  # a remember-me cookie
        return "page"
    return None


def _reader() -> str:
    """The signed-in session, its login token (renewed at every login, logout and password change) and the
    form token its pages carry, hashed: two readers, or one reader's two browsers, never share a page."""
    return hashlib.sha256(f"{session['_user_id']}|{session.get('csrf_token')}".encode()).hexdigest()[:32]


def _answer_from_cache() -> Response | None:
    kind = _cache_kind()
    if kind is None:
        return None
    found = _lookup(kind, PUBLIC if kind == "page" else DATA)
    if found is None:  # the cache cannot be reached: render
        return None
    key, stored = found
    if stored is not None:
        content_type, body = stored
        response = Response(body, content_type=content_type)
        response.headers["X-Page-Cache"] = "hit"
        return response
    # Only an answer rendered from an empty session can hold nothing of the visitor's ("" = don't keep);
    # a reader's is theirs by its key.
    g.page_cache_key = "" if kind == "page" and session else key
    return None


def _store_answer(response: Response) -> Response:
    if "page_cache_key" not in g:  # not a cacheable request, or answered from the cache
        return response
    key = g.pop("page_cache_key")
    response.headers["X-Page-Cache"] = "miss"
    if key and response.status_code == 200 and not response.direct_passthrough \
            and not session.modified and "Set-Cookie" not in response.headers:
        _keep(key, (response.content_type, response.get_data()))
    return response


def cached_fragment(name: str, render: Callable[[], str]) -> Markup:
    """Part of a page that is the same for everyone, logged in or not, on this URL in this language (no
    names, no CSRF token): kept under the same generation as whole pages. `name` says what else it varies on."""
    found = _lookup(f"fragment:{name}", PUBLIC) if current_app.config["PAGE_CACHE_SECONDS"] > 0 else None
    html = found[1] if found is not None else None
    if html is None:
        html = render()
        if found is not None:
            _keep(found[0], html)
    # HTML that our autoescaping templates rendered (now or before, kept in our own cache): already safe
    return Markup(html)  # nosec B704


def shared(name: str, caller: Callable[[], str]) -> Markup:
    """`{% call shared('name') %}…{% endcall %}` in a template: cached_fragment() for that part of the page, which
    must hold nothing personal (everything about the visitor goes outside the call block)."""
    return cached_fragment(name, caller)


def _lookup(kind: str, generation: str) -> tuple[str, object] | None:
    """(key, what is stored under it or None) for this request's host, URL and language in the current
    `generation` (PUBLIC or DATA); None when the cache is unreachable: it is an optimisation, so with Redis
    away pages are rendered as usual."""
    try:
        # The host too: a page rendered for one name of the site is never served for another (only trusted
        # hosts get this far, and links come from PUBLIC_BASE_URL, but nothing then rests on that).
        key = f"{_generation(generation)}:{request_host()}:{current_locale()}:{kind}:{request.full_path}"
        return key, cache.get(key)
    except Exception:
        log.warning("page cache unavailable", exc_info=True)
        return None


def _keep(key: str, value) -> None:
    try:
        cache.set(key, value)
    except Exception:
        log.warning("page cache unavailable", exc_info=True)


def _generation(name: str) -> str:
    """The current generation `name`, read once per request (a page with many kept parts asks for each); a
    commit in this process forgets it (new_generations), so a page rendered after its own request's write
    never uses the old one."""
    known = g.setdefault("page_generations", {})
    if name in known:
        return known[name]
    generation = cache.get(name)
    if generation is None:  # first request, or the entry was evicted: a fresh value, never an old one
        cache.add(name, secrets.token_hex(4), timeout=0)
        generation = cache.get(name)
    known[name] = generation
    return generation


def new_generations(names: set[str]) -> None:
    """Every page cached under these generations is out of date (called after a commit that wrote)."""
    if not has_app_context() or current_app.config["PAGE_CACHE_SECONDS"] <= 0:
        return
    known = g.get("page_generations", {})
    for name in names:
        known.pop(name, None)
    g.pop("page_cache_key", None)  # a request that wrote: its answer is not kept
    try:
        cache.set_many({name: secrets.token_hex(4) for name in names}, timeout=0)
    except Exception:  # the commit stands; pages cached elsewhere expire within PAGE_CACHE_SECONDS
        log.warning("page cache: could not start new generations", exc_info=True)


# ---------------------------------------------------------------- noticing writes to public tables

def _renewed_by(table) -> set[str]:
    """The generations a write to `table` renews."""
    name = getattr(table, "name", None)
    if name is None or name in NOT_ON_READERS_PAGES:
        return set()
    return {PUBLIC, DATA} if name in PUBLIC_TABLES else {DATA}


def _note(db_session, tables) -> None:
    renewed = set().union(*(_renewed_by(table) for table in tables))
    if renewed:
        db_session.info.setdefault(WROTE, set()).update(renewed)


@event.listens_for(Session, "after_flush")
def _note_flushed_writes(db_session, _flush_context) -> None:
    # after_flush still sees the pre-flush new/dirty/deleted sets
    _note(db_session, {getattr(obj, "__table__", None)
                       for obj in chain(db_session.new, db_session.dirty, db_session.deleted)})


@event.listens_for(Session, "do_orm_execute")
def _note_statement_writes(state) -> None:
    # bulk INSERT/UPDATE/DELETE statements (seat counters, conditional updates) skip the flush
    if state.is_insert or state.is_update or state.is_delete:
        _note(state.session, {getattr(state.statement, "table", None)})


@event.listens_for(Session, "after_commit")
def _after_commit(db_session) -> None:
    renewed = db_session.info.pop(WROTE, None)
    if renewed:
        new_generations(renewed)


@event.listens_for(Session, "after_rollback")
def _after_rollback(db_session) -> None:
    db_session.info.pop(WROTE, None)
