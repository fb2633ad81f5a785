"""Public pages answered from a cache for visitors who are not logged in.

The calendar, session pages and the public JSON calendar cost 3–10 ms of queries and templates each,
and most of their readers are anonymous and see the same thing. A view marked `@cached_for_visitors`
is stored per host, URL and language under a *generation*; every commit that writes a table those pages
show starts a new generation, so a change is visible at the next request. PAGE_CACHE_SECONDS bounds
what only time changes (today's highlight, booking closing at the start).

What is never served from or stored in the cache: logged-in users and API token holders (their pages
name them), a visitor with messages waiting to be flashed, and any answer whose rendering put
something in the session (a CSRF token) or set a cookie. Storage is Flask-Caching: in the process by
default, in Redis (PAGE_CACHE_REDIS_URL, which REDIS_URL fills) when several processes must see the same generation.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from itertools import chain

from flask import Flask, Response, current_app, g, has_app_context, request, session
from flask_caching import Cache
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..i18n import current_locale
from .site_url import request_host

# Tables whose rows the cached pages show: a committed write to one of them starts a new generation.
PUBLIC_TABLES = frozenset({
    "roadshow_sessions", "slots", "bookings", "waitlist_entries", "venues", "series", "live_rooms",
    "projects", "companies", "institutions", "funds", "session_templates", "template_occurrences",
})
GENERATION_KEY = "page-generation"
WROTE_PUBLIC = "wrote_public_tables"  # flag in Session.info between flush and commit

cache = Cache()
log = logging.getLogger(__name__)


def cached_for_visitors(view):
    """Mark a GET view whose answer is the same for every anonymous visitor (per URL and language)."""
    view.cached_for_visitors = True
    return view


def init_page_cache(app: Flask) -> None:
    redis_url = app.config["PAGE_CACHE_REDIS_URL"]
    cache.init_app(app, config={
        "CACHE_TYPE": "RedisCache" if redis_url else "SimpleCache",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "roadshow:page:",
        "CACHE_DEFAULT_TIMEOUT": app.config["PAGE_CACHE_SECONDS"],
        "CACHE_THRESHOLD": 2_000,  # SimpleCache: entries kept per process
    })
    app.jinja_env.globals["shared"] = shared
    if app.config["PAGE_CACHE_SECONDS"] > 0:
        app.before_request(_answer_from_cache)
        app.after_request(_store_answer)


def _cacheable_request() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    return (
        request.method == "GET"
        and getattr(view, "cached_for_visitors", False)
        and "Authorization" not in request.headers
        and "_flashes" not in session
        and not current_user.is_authenticated
    )


def _answer_from_cache() -> Response | None:
    if not _cacheable_request():
        return None
    found = _lookup("page")
    if found is None:  # the cache cannot be reached: render
        return None
    key, stored = found
    if stored is not None:
        content_type, body = stored
        response = Response(body, content_type=content_type)
        response.headers["X-Page-Cache"] = "hit"
        return response
    # Only an answer rendered from an empty session can hold nothing of this visitor's ("" = don't keep).
    g.page_cache_key = "" if session else key
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
    found = _lookup(f"fragment:{name}") if current_app.config["PAGE_CACHE_SECONDS"] > 0 else None
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


def _lookup(kind: str) -> tuple[str, object] | None:
    """(key, what is stored under it or None) for this request's host, URL and language; None when the cache
    is unreachable: it is an optimisation, so with Redis away pages are rendered as usual."""
    try:
        # The host too: a page rendered for one name of the site is never served for another (only trusted
        # hosts get this far, and links come from PUBLIC_BASE_URL, but nothing then rests on that).
        key = f"{_generation()}:{request_host()}:{current_locale()}:{kind}:{request.full_path}"
        return key, cache.get(key)
    except Exception:
        log.warning("page cache unavailable", exc_info=True)
        return None


def _keep(key: str, value) -> None:
    try:
        cache.set(key, value)
    except Exception:
        log.warning("page cache unavailable", exc_info=True)


def _generation() -> str:
    """The current generation, read once per request (a page with many kept parts asks for each); a commit in
    this process forgets it (new_generation), so a page rendered after its own request's write never uses the old one."""
    if "page_generation" in g:
        return g.page_generation
    generation = cache.get(GENERATION_KEY)
    if generation is None:  # first request, or the entry was evicted: a fresh value, never an old one
        cache.add(GENERATION_KEY, secrets.token_hex(4), timeout=0)
        generation = cache.get(GENERATION_KEY)
    g.page_generation = generation
    return generation


def new_generation() -> None:
    """Every cached page is out of date (called after a commit that wrote a public table)."""
    if not has_app_context() or current_app.config["PAGE_CACHE_SECONDS"] <= 0:
        return
    g.pop("page_generation", None)
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(4), timeout=0)
    except Exception:  # the commit stands; pages cached elsewhere expire within PAGE_CACHE_SECONDS
        log.warning("page cache: could not start a new generation", exc_info=True)


# ---------------------------------------------------------------- noticing writes to public tables

def _is_public(obj) -> bool:
    table = getattr(obj, "__table__", None)
    return table is not None and table.name in PUBLIC_TABLES


@event.listens_for(Session, "after_flush")
def _note_flushed_writes(db_session, _flush_context) -> None:
    # after_flush still sees the pre-flush new/dirty/deleted sets
    if any(_is_public(obj) for obj in chain(db_session.new, db_session.dirty, db_session.deleted)):
        db_session.info[WROTE_PUBLIC] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement_writes(state) -> None:
    # bulk INSERT/UPDATE/DELETE statements (seat counters, conditional updates) skip the flush
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and getattr(table, "name", None) in PUBLIC_TABLES:
            state.session.info[WROTE_PUBLIC] = True


@event.listens_for(Session, "after_commit")
def _after_commit(db_session) -> None:
    if db_session.info.pop(WROTE_PUBLIC, False):
        new_generation()


@event.listens_for(Session, "after_rollback")
def _after_rollback(db_session) -> None:
    db_session.info.pop(WROTE_PUBLIC, None)
