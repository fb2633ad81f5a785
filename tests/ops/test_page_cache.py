"""Public pages answered from the cache for anonymous visitors: fresh after every change, never personal."""
import re
import shutil
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import session as flask_session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event

from roadshow import create_app
from roadshow.accounts.models import Role
from roadshow.api.tokens import create_token
from roadshow.common.page_cache import cached_for_visitors
from roadshow.common.timeutil import to_local
from roadshow.extensions import db as _db
from roadshow.roadshows.models import RoadshowSession

from ..conftest import PASSWORD
from ..support.server import redis_server


def cache_state(response) -> str | None:
    return response.headers.get("X-Page-Cache")


def test_a_visitor_gets_the_stored_page_until_the_session_changes(db, client, make_session):
    session = make_session(title="光电子信息专场路演")
    first = client.get(f"/sessions/{session.id}")
    second = client.get(f"/sessions/{session.id}")
    assert (cache_state(first), cache_state(second)) == ("miss", "hit")
    assert second.data == first.data and "光电子信息专场路演" in second.get_data(as_text=True)

    session.title = "集成电路专场路演"
    db.session.commit()
    after = client.get(f"/sessions/{session.id}")
    assert cache_state(after) == "miss"
    assert "集成电路专场路演" in after.get_data(as_text=True)
    assert "光电子信息专场路演" not in after.get_data(as_text=True)


def test_a_seat_booked_on_the_site_shows_on_the_cached_pages_at_once(app, client, make_user, make_session):
    session = make_session(capacity=30)
    for path in (f"/sessions/{session.id}", f"/api/v1/sessions/{session.id}"):
        client.get(path)
        assert cache_state(client.get(path)) == "hit"
    assert "余 30 席" in client.get(f"/sessions/{session.id}").get_data(as_text=True)

    investor = make_user(Role.INVESTOR)
    other = app.test_client()
    other.post("/login", data={"email": investor.email, "password": PASSWORD})
    assert other.post(f"/sessions/{session.id}/book").status_code == 302

    assert "余 29 席" in client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert client.get(f"/api/v1/sessions/{session.id}").json["seats_left"] == 29


def test_a_logged_in_user_never_gets_the_visitors_page_but_keeps_their_own(client, login, make_user, make_session):
    make_session()
    client.get("/calendar")
    assert cache_state(client.get("/calendar")) == "hit"
    user = make_user(Role.INVESTOR, name="缓存测试投资人")
    login(user)
    first = client.get("/calendar")  # the first page gives the session its form token: not kept
    assert cache_state(first) == "miss" and "缓存测试投资人" in first.get_data(as_text=True)
    page = client.get("/calendar")
    assert cache_state(page) == "miss" and "缓存测试投资人" in page.get_data(as_text=True)
    again = client.get("/calendar")
    assert cache_state(again) == "hit" and again.data == page.data


def test_a_message_waiting_to_be_shown_is_not_lost(client, login, make_user):
    client.get("/")
    assert cache_state(client.get("/")) == "hit"
    login(make_user(Role.INVESTOR))
    home = client.post("/logout", follow_redirects=True)
    assert "您已退出登录" in home.get_data(as_text=True)
    assert cache_state(client.get("/")) == "hit"  # anonymous again, with the message shown


def test_each_language_is_stored_apart(client, make_session):
    make_session()
    assert "路演日历" in client.get("/calendar").get_data(as_text=True)
    client.set_cookie("lang", "en")
    english = client.get("/calendar")
    assert cache_state(english) == "miss"
    assert "<title>Calendar" in english.get_data(as_text=True)
    assert "路演日历" not in english.get_data(as_text=True)


def test_an_api_token_holder_is_answered_afresh(db, client, make_user, make_session):
    make_session()
    client.get("/api/v1/sessions")
    assert cache_state(client.get("/api/v1/sessions")) == "hit"
    _token, secret = create_token(make_user(Role.INVESTOR), "cache test", ["read"])
    db.session.commit()
    answer = client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200 and cache_state(answer) is None


def test_an_answer_that_wrote_to_the_session_is_not_stored(app, client):
    @cached_for_visitors
    def remembers_the_visitor():
        flask_session["seen"] = True
        return "hello"

    app.add_url_rule("/remembers", view_func=remembers_the_visitor)
    assert cache_state(client.get("/remembers")) == "miss"
    fresh = app.test_client()
    assert cache_state(fresh.get("/remembers")) == "miss"


def test_a_page_showing_a_visitors_form_token_is_not_stored(app, client):
    @cached_for_visitors
    def form_page():
        return generate_csrf()

    app.add_url_rule("/form", view_func=form_page)
    app.add_url_rule("/token", view_func=generate_csrf)
    mine = client.get("/token").get_data(as_text=True)  # this visitor's session now holds a token
    assert client.get("/form").get_data(as_text=True) == mine
    assert app.test_client().get("/form").get_data(as_text=True) != mine


def test_zero_seconds_turns_the_cache_off(tmp_path, migrated_template, make_session):
    from ..conftest import config_for

    app = create_app({**config_for(tmp_path, tmp_path / "off.sqlite3", migrated_template), "PAGE_CACHE_SECONDS": 0})
    client = app.test_client()
    assert cache_state(client.get("/calendar")) is None
    assert cache_state(client.get("/calendar")) is None


@pytest.mark.skipif(shutil.which("redis-server") is None,
                    reason="redis-server is not installed (apt-get install redis-server)")
def test_processes_sharing_redis_see_each_others_changes(app, db, tmp_path, make_session):
    """Two app processes on one database: a change made through one is not hidden by the other's cache."""
    session = make_session(title="生物医药专场路演")
    with redis_server(tmp_path) as url:
        shared = {**app.config, "PAGE_CACHE_REDIS_URL": url}
        one, two = create_app(shared), create_app(shared)
        reader = one.test_client()
        reader.get(f"/sessions/{session.id}")
        assert cache_state(reader.get(f"/sessions/{session.id}")) == "hit"
        with two.app_context():
            _db.session.get(RoadshowSession, session.id).title = "新能源与智能网联汽车专场路演"
            _db.session.commit()
        page = reader.get(f"/sessions/{session.id}").get_data(as_text=True)
        assert "新能源与智能网联汽车专场路演" in page


def test_pages_and_writes_work_while_the_cache_server_is_away(app, tmp_path, make_session):
    from ..support.server import free_port

    session = make_session(title="人工智能专场路演")
    away = create_app({**app.config, "PAGE_CACHE_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    client = away.test_client()
    page = client.get(f"/sessions/{session.id}")
    assert page.status_code == 200 and cache_state(page) is None
    with away.app_context():
        _db.session.get(RoadshowSession, session.id).title = "数字经济专场路演"
        _db.session.commit()  # the generation cannot be bumped: the change is saved all the same
    assert "数字经济专场路演" in client.get(f"/sessions/{session.id}").get_data(as_text=True)


@contextmanager
def counted_queries(engine):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (before_cursor_execute's statement)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def test_a_logged_in_users_calendar_reuses_its_content_until_a_session_changes(db, client, login, make_user,
                                                                              make_session):
    session = make_session(title="集成电路专场路演")
    url = f"/calendar?view=day&date={to_local(session.starts_at).date()}"
    login(make_user(Role.INVESTOR, name="日历投资人"))
    with counted_queries(db.engine) as first:
        client.get(url)
    with counted_queries(db.engine) as second:
        page = client.get(url).get_data(as_text=True)
    assert "集成电路专场路演" in page and "日历投资人" in page  # the content kept, the navigation their own
    assert not any("roadshow_sessions" in statement for statement in second)
    assert any("roadshow_sessions" in statement for statement in first)

    session.title = "生物医药专场路演"
    db.session.commit()
    assert "生物医药专场路演" in client.get(url).get_data(as_text=True)


def test_a_bulk_update_statement_renews_the_pages_too(db, client, make_session):
    """Jobs change sessions with UPDATE statements (the clock taking a session live), not only through objects."""
    session = make_session(capacity=30)
    client.get(f"/api/v1/sessions/{session.id}")
    assert cache_state(client.get(f"/api/v1/sessions/{session.id}")) == "hit"
    db.session.execute(sa.update(RoadshowSession).where(RoadshowSession.id == session.id).values(capacity=40)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    assert client.get(f"/api/v1/sessions/{session.id}").json["seats_left"] == 40


def test_the_tables_watched_for_changes_exist(app):
    """A misspelt name would silently stop pages from being renewed."""
    from roadshow.common.page_cache import PUBLIC_TABLES

    assert PUBLIC_TABLES <= set(_db.metadata.tables)


def test_the_pages_kept_for_readers_read_none_of_the_tables_whose_writes_keep_them(app, db, client, login,
                                                                                    make_user, make_institution,
                                                                                    make_session):
    """A write to a table in NOT_ON_READERS_PAGES leaves readers' pages as they are: so none of those pages may
    show one. Every view marked @cached_for_readers is rendered here and the tables it read are recorded."""
    from roadshow.common.page_cache import NOT_ON_READERS_PAGES

    session = make_session()
    investor = make_user(Role.INVESTOR)
    make_institution(investor)
    readers = [investor, make_user(Role.STARTUP), make_user(Role.ADMIN), make_user(Role.HOST)]
    urls = {"roadshows.home": "/", "roadshows.sessions": "/sessions",
            "roadshows.session_detail": f"/sessions/{session.id}", "roadshows.my_bookings": "/my/bookings",
            "scheduling.calendar_page": "/calendar", "matching.index": "/matching/"}
    marked = {endpoint for endpoint, view in app.view_functions.items() if getattr(view, "cached_for_readers", False)}
    assert marked == set(urls)  # a newly marked page is added here
    assert NOT_ON_READERS_PAGES <= set(_db.metadata.tables)
    for reader in readers:  # what a page shows may depend on the reader's roles
        client.post("/logout")
        login(reader)
        for url in urls.values():
            with counted_queries(db.engine) as statements:
                status = client.get(url).status_code
            assert status == 200 or (status == 403 and url == "/matching/"), (url, reader.roles)
            read = " ".join(statements)
            assert statements and not [table for table in NOT_ON_READERS_PAGES if re.search(rf"\b{table}\b", read)], \
                (url, reader.roles)


def test_a_reader_in_one_process_sees_a_write_made_through_another(app, db, tmp_path, make_user, make_session):
    from roadshow.notifications import services as notifications

    investor = make_user(Role.INVESTOR, name="跨进程投资人")
    session = make_session()
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with redis_server(tmp_path) as url:
        shared = {**app.config, "PAGE_CACHE_REDIS_URL": url}
        one, two = create_app(shared), create_app(shared)
        reader = one.test_client()
        reader.post("/login", data={"email": investor.email, "password": PASSWORD})
        for _ in range(2):
            reader.get(f"/sessions/{session.id}")
        assert cache_state(reader.get(f"/sessions/{session.id}")) == "hit"
        with two.app_context():
            notifications.notify(_db.session.get(type(investor), investor.id), "screening", "另一进程的通知",
                                 email=False)
            _db.session.commit()
        page = reader.get(f"/sessions/{session.id}")
        assert cache_state(page) == "miss" and 'nav-badge">1<' in page.get_data(as_text=True)


def test_a_page_whose_request_wrote_is_not_kept(app, client, login, make_user):
    from roadshow.common.page_cache import cached_for_readers

    user = make_user(Role.INVESTOR, name="写入者")

    @cached_for_readers
    def renames_the_reader():
        _db.session.get(type(user), user.id).name += "!"
        _db.session.commit()
        return _db.session.get(type(user), user.id).name

    app.add_url_rule("/renames", view_func=renames_the_reader)
    login(user)
    names = [client.get("/renames") for _ in range(3)]
    assert [answer.get_data(as_text=True) for answer in names] == ["写入者!", "写入者!!", "写入者!!!"]
    assert [cache_state(answer) for answer in names] == [None, None, None]


def test_a_full_store_drops_the_pages_stored_longest_ago_and_keeps_the_generations():
    from roadshow.common.page_cache import DATA, PUBLIC, PageStore

    store = PageStore(threshold=3, default_timeout=30)
    store.set(PUBLIC, "p1", timeout=0)
    store.set(DATA, "d1", timeout=0)
    for n in range(6):
        store.set(f"page{n}", n)
    assert (store.get(PUBLIC), store.get(DATA)) == ("p1", "d1")
    assert [store.get(f"page{n}") for n in range(6)] == [None, None, None, None, 4, 5]
