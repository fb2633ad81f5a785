"""Logged-in pages (issue 21, target 3): what an investor sees, against the bare Flask view, same run.

The session page (the next session with a lineup), this month's calendar, "my bookings" and the matches
page, each requested by 200 investors in turn (every request carries the next one's login cookie; the
matches page by the investors whose institution has matches), on gunicorn 2 processes × 8 threads with the
page cache in Redis as in production, against the bare view on the same gunicorn (bench/bare_flask.py, one
indexed query). Most served (closed loop, 16 connections, the better of
two runs) and server CPU per request; target: each page at least 0.4× the bare view's throughput.

Between two writes a reader's page is kept for them (roadshow/common/page_cache.py), and nothing is written
here, so after each investor's first visit the target rows measure the pages as investors coming back get
them. The rows "rendered every time" measure the other case, a page no write has left standing: every
request comes from a session the server has never seen (a fresh sign-in each), so every page is put
together from the database. Whether the personal parts are right after a change (booking state, waitlist
position, unread count, a saved match) is for the tests (tests/ops/test_personal_parts.py): an answer is
only checked here to be the page (200, not a redirect to the login).
"""
from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from .scenario_pages import CLOSED_RUNS, CONCURRENCY, _errors, _gunicorn, most_served, pages
from .support import ratio, redis_server, say
from .world import World, login_cookies, shared_world

SHARE = 0.4
VISITORS = 200
FRESH_SIGN_INS = 12_000  # more requests than the warm-up and two closed-loop runs of a rendered page make


def investors_with_matches(world: World) -> list[int]:
    from roadshow.accounts.models import User
    from roadshow.extensions import db
    from roadshow.matching.models import Match

    with world.app.app_context():
        return list(db.session.scalars(
            sa.select(User.id).where(User.id.in_(world.investor_ids),
                                     User.institution_id.in_(sa.select(Match.institution_id).distinct()))
            .order_by(User.id)))


def logged_in_pages(world: World) -> dict[str, tuple[str, list[int]]]:
    """name -> (path, the investors who ask for it)."""
    everyone = world.investor_ids[:VISITORS]
    matched = investors_with_matches(world)[:VISITORS]
    return {
        "session page": (pages(world)["session page"], everyone),
        "calendar month view": ("/calendar", everyone),
        "my bookings": ("/my/bookings", everyone),
        "matches page": ("/matching/", matched),
    }


def fresh_sign_ins(world: World, users: list[int]) -> Iterator[str]:
    """Login cookies of FRESH_SIGN_INS sessions shared out over `users`, each sent once (more than the runs
    ask for): no page asked with one of them can have been kept."""
    return iter(login_cookies(world, [users[turn % len(users)] for turn in range(FRESH_SIGN_INS)]))


def measure(world: World) -> list[dict]:
    wanted = logged_in_pages(world)
    results, rendered = {}, {}
    # The pages' cache in Redis, as in production (scripts/serve-prod.sh): both processes see every write
    with redis_server(world.folder) as redis_url, \
            _gunicorn(world, "wsgi:app", "pages-logged-in", PAGE_CACHE_REDIS_URL=redis_url) as (base, process):
        for name, (path, users) in wanted.items():
            say(f"pages_logged_in: {name} ({path}), {len(users)} investors in turn")
            results[name] = most_served(base, process.pid, path, cookies=login_cookies(world, users))
            say(f"pages_logged_in: {name}, rendered every time (a fresh sign-in per request)")
            rendered[name] = most_served(base, process.pid, path, cookies=fresh_sign_ins(world, users))
    with _gunicorn(world, "bench.logged_in_floor:app", "pages-logged-in-floor") as (base, process):
        say("pages_logged_in: the floor (a logged-in view that does nothing)")
        floor, floor_cpu = most_served(base, process.pid, "/bench/floor",
                                       cookies=login_cookies(world, world.investor_ids[:VISITORS]))
    with _gunicorn(world, "bench.bare_flask:app", "pages-logged-in-bare") as (base, process):
        say("pages_logged_in: bare Flask view")
        bare, bare_cpu = most_served(base, process.pid, "/sessions")
    rows = []
    for name, (best, cpu_ms) in results.items():
        path, users = wanted[name]
        rows.append({
            "name": f"{name}, logged-in investor: share of bare throughput",
            "value": ratio(best.throughput, bare.throughput), "unit": "×", "target": SHARE, "better": "higher",
            "app": f"{best.throughput:,.0f} req/s", "baseline": f"{bare.throughput:,.0f} req/s",
            "note": f"{path}, {len(users)} investors in turn; server CPU {cpu_ms:.2f} ms/request "
                    f"(bare {bare_cpu:.2f}); p99 {best.stats()['p99']:.1f} ms; {_errors(best)}"})
        made, made_cpu_ms = rendered[name]
        rows.append({
            "name": f"{name}, logged-in investor, rendered every time: share of bare throughput",
            "value": ratio(made.throughput, bare.throughput), "unit": "×",
            "app": f"{made.throughput:,.0f} req/s", "baseline": f"{bare.throughput:,.0f} req/s",
            "note": f"{path}, a fresh sign-in per request, so no page was kept; server CPU {made_cpu_ms:.2f} "
                    f"ms/request (bare {bare_cpu:.2f}); p99 {made.stats()['p99']:.1f} ms; {_errors(made)}"})
    rows.append({"name": "floor: a logged-in view that does nothing, share of bare throughput",
                 "value": ratio(floor.throughput, bare.throughput), "unit": "×",
                 "app": f"{floor.throughput:,.0f} req/s", "baseline": f"{bare.throughput:,.0f} req/s",
                 "note": f"bench/logged_in_floor.py: the application's own cost per signed-in request; server CPU "
                         f"{floor_cpu:.2f} ms/request (bare {bare_cpu:.2f}); {_errors(floor)}"})
    rows.append({"name": "bare Flask view: max throughput", "value": bare.throughput, "unit": "req/s",
                 "note": f"baseline; closed loop, {CONCURRENCY} connections, better of {CLOSED_RUNS}; "
                         f"server CPU {bare_cpu:.2f} ms/request; {_errors(bare)}"})
    return rows


def run() -> list[dict]:
    return measure(shared_world())
