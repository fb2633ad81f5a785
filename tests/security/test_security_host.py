"""Absolute links come from PUBLIC_BASE_URL only, and requests for other hosts are refused.

The attack this guards against: `POST /password/forgot` sent with `Host: evil.example` mailed a reset link to
evil.example, whose owner then used the token on the real site. Here the app believes it lives at BASE and is
reached, as behind a proxy, under other trusted names (localhost, 127.0.0.1:5000) with forwarded headers that
name the attacker's host: every email, feed and page must still link to BASE.
"""
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from roadshow.accounts.models import Role
from roadshow.common.timeutil import utcnow
from roadshow.meetings.services import accept, add_slot, request_meeting
from roadshow.notifications.models import OutboxEmail
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import Booking, Slot
from roadshow.scheduling import ical
from roadshow.scheduling.reminders import send_reminders

from ..conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://roadshow.example.org"
FOREIGN = "evil.example"
# Trusted names the site is reached under, each with the forwarded headers an attacker can add.
SPOOFED = {
    "localhost": {"Host": "localhost", "X-Forwarded-Host": FOREIGN, "X-Forwarded-Proto": "http"},
    "loopback-with-port": {"Host": "127.0.0.1:5000", "X-Forwarded-Host": FOREIGN, "Forwarded": f"host={FOREIGN}"},
}
URL = re.compile(r"(?:https?|webcal)://[^\s\"'<>\\]+")


@pytest.fixture
def app_overrides():
    # PROXY_COUNT=1: X-Forwarded-For/-Proto are honoured, as behind nginx in `make serve-prod`
    return {"PUBLIC_BASE_URL": BASE, "PROXY_COUNT": 1}


def urls_in(text: str) -> list[str]:
    return URL.findall(text.replace("\r\n ", ""))  # iCalendar folds long lines


def assert_all_on_base(text: str, expected_paths: list[str]) -> None:
    found = urls_in(text)
    assert found, "no absolute link at all"
    assert [u for u in found if not u.startswith((BASE + "/", "webcal://roadshow.example.org/"))] == []
    assert FOREIGN not in text and "localhost" not in text and "127.0.0.1" not in text
    for path in expected_paths:
        assert BASE + path in found


def log_in(client, user, headers) -> None:
    """Through the login form under the same host name (the test client keeps cookies per host)."""
    response = client.post("/login", data={"email": user.email, "password": PASSWORD}, headers=headers)
    assert response.status_code == 302


def mails_to(db, user) -> list[str]:
    return db.session.scalars(sa.select(OutboxEmail.body).where(OutboxEmail.to_address == user.email)
                              .order_by(OutboxEmail.id)).all()


# ---------------------------------------------------------------- foreign hosts are refused

def test_a_password_reset_asked_for_a_foreign_host_is_refused_and_mails_nothing(client, db, make_user):
    user = make_user(Role.INVESTOR)
    response = client.post("/password/forgot", data={"email": user.email}, headers={"Host": FOREIGN})
    assert response.status_code == 400
    assert mails_to(db, user) == []


@pytest.mark.parametrize("host", [FOREIGN, f"{FOREIGN}:5000", "roadshow.example.org.evil.example",
                                  "localhost.evil.example", "127.0.0.1.evil.example"])
@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("GET", "/login"), ("POST", "/login"), ("GET", "/api/v1/sessions"),
    ("GET", "/static/css/app.css"), ("GET", "/socket.io/?EIO=4&transport=polling"), ("GET", "/healthz"),
])
def test_every_kind_of_request_for_a_foreign_host_gets_a_plain_400(app, client, host, method, path, caplog):
    response = client.open(path, method=method, headers={"Host": host})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "本站不接受这个主机名的请求" in body
    if path.startswith("/api/"):
        assert response.mimetype == "application/problem+json" and response.json["code"] == "unknown_host"
    else:
        assert response.mimetype == "text/plain"
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


@pytest.mark.parametrize("host", ["roadshow.example.org", "ROADSHOW.example.org:443", "localhost", "127.0.0.1:5000"])
def test_the_public_host_and_loopback_names_are_served(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


# ---------------------------------------------------------------- every absolute link is on PUBLIC_BASE_URL

@pytest.mark.parametrize("headers", SPOOFED.values(), ids=SPOOFED.keys())
def test_the_password_reset_mail_links_to_the_public_site_and_the_link_works(client, db, make_user, headers):
    user = make_user(Role.INVESTOR)
    assert client.post("/password/forgot", data={"email": user.email}, headers=headers).status_code == 302
    [body] = mails_to(db, user)
    [link] = urls_in(body)
    assert link.startswith(f"{BASE}/password/reset/")
    assert_all_on_base(body, [])
    assert client.get(link.removeprefix(BASE), headers=headers).status_code == 200


@pytest.fixture
def investor_with_plans(db, make_user, make_company, make_project, make_institution, make_session, make_series):
    """An investor with a booked session of a series and an accepted meeting with a startup."""
    investor = make_user(Role.INVESTOR)
    make_institution(investor)
    founder = make_user(Role.STARTUP)
    project = make_project(make_company(founder), ProjectStatus.APPROVED)
    series = make_series(slug="host-check")
    session = make_session(series=series, description="详情见官网")
    db.session.add_all([Booking(session=session, user=investor), Slot(session=session, project=project, position=1)])
    meeting = request_meeting(investor, project, "想看产线")
    slot = add_slot(founder, utcnow().replace(microsecond=0) + timedelta(hours=48), 45, "线上会议")
    db.session.commit()
    accept(founder, meeting, slot.id)
    db.session.commit()
    return investor, founder, session, meeting, series


@pytest.mark.parametrize("headers", SPOOFED.values(), ids=SPOOFED.keys())
def test_ical_feeds_link_events_to_the_public_site(client, db, investor_with_plans, headers):
    investor, _, session, meeting, series = investor_with_plans
    personal = f"/calendar/feed/{ical.ensure_feed(investor).token}.ics"
    db.session.commit()
    for feed, paths in ((personal, [f"/sessions/{session.id}", f"/meetings/{meeting.id}"]),
                        (f"/calendar/series/{series.slug}.ics", [f"/sessions/{session.id}"])):
        response = client.get(feed, headers=headers)
        assert response.status_code == 200
        events = Calendar.from_ical(response.data).walk("VEVENT")
        assert sorted(str(e["url"]) for e in events) == sorted(BASE + p for p in paths)
        assert_all_on_base(response.get_data(as_text=True), paths)  # the URL and the link in the description


@pytest.mark.parametrize("headers", SPOOFED.values(), ids=SPOOFED.keys())
def test_the_subscribe_page_gives_feed_addresses_on_the_public_site(client, db, investor_with_plans, headers):
    investor, *_, series = investor_with_plans
    token = ical.ensure_feed(investor).token
    db.session.commit()
    log_in(client, investor, headers)
    page = client.get("/calendar/subscribe", headers=headers).get_data(as_text=True)
    feeds = [u for u in urls_in(page) if "/calendar/" in u]
    assert f"{BASE}/calendar/feed/{token}.ics" in feeds and f"webcal://roadshow.example.org/calendar/feed/{token}.ics" in feeds
    assert f"{BASE}/calendar/series/{series.slug}.ics" in feeds
    assert [u for u in feeds if not u.startswith((BASE, "webcal://roadshow.example.org/"))] == []


@pytest.mark.parametrize("headers", SPOOFED.values(), ids=SPOOFED.keys())
def test_notification_mails_sent_during_a_request_link_to_the_public_site(client, db, meeting_parties, headers):
    founder, project, investor = meeting_parties
    log_in(client, investor, headers)
    response = client.post(f"/meetings/request/{project.id}", data={"message": "想了解量产计划"}, headers=headers)
    assert response.status_code == 302
    meeting_path = response.headers["Location"]
    assert meeting_path.startswith("/meetings/")  # a redirect on this site stays relative
    [body] = mails_to(db, founder)
    assert_all_on_base(body, [meeting_path])


def test_notification_mails_sent_by_a_job_link_to_the_public_site(db, make_user, make_session):
    """Reminders are sent by the scheduler, outside any request: the links are the same."""
    investor = make_user(Role.INVESTOR)
    session = make_session(starts_in=timedelta(days=1))
    db.session.add(Booking(session=session, user=investor))
    db.session.commit()
    send_reminders(session.starts_at - timedelta(hours=23))
    db.session.commit()
    [body] = mails_to(db, investor)
    assert_all_on_base(body, [f"/sessions/{session.id}"])


# ---------------------------------------------------------------- the page cache

def test_the_page_cache_keeps_no_page_asked_for_another_host(client, make_session):
    session = make_session()
    path = f"/sessions/{session.id}"
    assert client.get(path, headers={"Host": FOREIGN}).status_code == 400
    first = client.get(path, headers={"Host": "roadshow.example.org"})
    assert first.status_code == 200 and first.headers["X-Page-Cache"] == "miss"
    assert client.get(path, headers={"Host": "roadshow.example.org"}).headers["X-Page-Cache"] == "hit"
    # another trusted name of the site renders its own copy rather than getting one built for a different host
    assert client.get(path, headers=SPOOFED["localhost"]).headers["X-Page-Cache"] == "miss"
    assert client.get(path, headers=SPOOFED["localhost"]).headers["X-Page-Cache"] == "hit"


# ---------------------------------------------------------------- no second way to build a link

# Ways to build a URL from the request's own host, or an absolute URL outside the one helper.
HOST_DERIVED = re.compile(
    r"_external\b|\bhost_url\b|\burl_root\b|\brequest\.(?:host|base_url|url|root_url|host_url)\b|HTTP_HOST"
    r"|X-Forwarded-Host|\bx_host\b|url_map\.bind\("
)
THE_HELPER = ROOT / "roadshow" / "common" / "site_url.py"


def test_no_code_but_the_site_url_helper_builds_links_from_the_request_host():
    sources = [*(ROOT / "roadshow").rglob("*.py"), *(ROOT / "templates").rglob("*.html"), ROOT / "wsgi.py"]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources if path != THE_HELPER
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HOST_DERIVED.search(line)
    ]
    assert found == [], "build links with roadshow.common.site_url (external_url / site_path / absolute)"
    assert HOST_DERIVED.search(THE_HELPER.read_text())  # the pattern still matches what the helper does
