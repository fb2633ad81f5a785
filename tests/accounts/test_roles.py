"""Role boundaries: who may open which page, checked on the server for every request."""
import pytest

from roadshow.accounts.models import Role

# Every admin page reachable with GET; {venue}, {series} and {session} are filled in per test.
ADMIN_PAGES = [
    "/admin/",
    "/admin/institutions",
    "/admin/institutions?status=verified",
    "/admin/reviews",
    "/admin/venues",
    "/admin/venues/{venue}/edit",
    "/admin/series",
    "/admin/series/{series}/edit",
    "/admin/sessions",
    "/admin/sessions?tab=past",
    "/admin/sessions/new",
    "/admin/sessions/{session}/edit",
    "/admin/users",
]

# (role of the visitor, expected status); None means an anonymous visitor.
ADMIN_EXPECTATIONS = [
    (None, 302),
    (Role.STARTUP, 403),
    (Role.INVESTOR, 403),
    (Role.HOST, 403),
    (Role.REVIEWER, 403),
    (Role.ADMIN, 200),
]


@pytest.fixture
def page_ids(make_session, make_series):
    session = make_session()
    series = make_series()
    return {"venue": session.venue_id, "series": series.id, "session": session.id}


@pytest.mark.parametrize("role,expected", ADMIN_EXPECTATIONS, ids=lambda v: getattr(v, "value", str(v)))
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_by_role(client, make_user, login, page_ids, path, role, expected):
    url = path.format(**page_ids)
    if role is not None:
        login(make_user(role))
    response = client.get(url)
    assert response.status_code == expected, url
    if role is None:
        assert response.headers["Location"].startswith("/login")
    if expected == 403:
        assert "您没有权限访问这个页面" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/institutions/1/verify",
        "/admin/institutions/1/reject",
        "/admin/reviews/1/start",
        "/admin/reviews/1/approve",
        "/admin/reviews/1/reject",
        "/admin/users/1/roles",
        "/admin/users/1/toggle",
    ],
)
def test_admin_actions_refused_to_non_admins(client, make_user, login, path):
    assert client.post(path).status_code == 302  # anonymous: to the login page
    login(make_user(Role.INVESTOR, Role.HOST, Role.REVIEWER))
    assert client.post(path).status_code == 403


def test_startup_cannot_reach_my_institution(client, make_user, login):
    login(make_user(Role.STARTUP))
    assert client.get("/my/institution").status_code == 403
    assert client.get("/my/institution/funds/new").status_code == 403


def test_anonymous_is_sent_to_login_for_my_institution(client):
    response = client.get("/my/institution")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_investor_cannot_reach_my_company(app, client, make_user, login):
    if not any(rule.rule == "/my/company" for rule in app.url_map.iter_rules()):
        pytest.skip("/my/company is not built yet")
    login(make_user(Role.INVESTOR))
    assert client.get("/my/company").status_code == 403


def test_investor_sees_no_admin_link_but_admin_does(client, make_user, login):
    login(make_user(Role.INVESTOR))
    assert "管理后台" not in client.get("/institutions").get_data(as_text=True)
    client.post("/logout")
    login(make_user(Role.ADMIN))
    assert "管理后台" in client.get("/institutions").get_data(as_text=True)
