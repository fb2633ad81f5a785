"""The deck viewer and its analytics: a reader's time on each page reaches the founder (and admins), nobody
else; events a viewer could not honestly send change nothing; the company can switch downloads off."""
import re
from datetime import timedelta

import pytest

from roadshow.accounts.models import Role
from roadshow.projects import decks
from roadshow.projects.models import DeckPageView, DeckView, ProjectStatus

from ..conftest import pdf_bytes
from ..support.factories import PASSWORD


@pytest.fixture
def deck_world(app, db, make_user, make_company, make_project, make_institution):
    founder = make_user(Role.STARTUP, name="李创始")
    project = make_project(make_company(founder), ProjectStatus.APPROVED)
    stored = decks.write_deck(pdf_bytes(5), 5)
    project.deck_file, project.deck_pages, project.deck_size = stored.file_name, stored.pages, stored.size
    investor = make_user(Role.INVESTOR, name="张投资")
    make_institution(investor)
    db.session.commit()
    return project, founder, investor


@pytest.fixture
def browser_of(app):
    """browser_of(user): a separate test client logged in as the user (None: a visitor)."""
    def make(user):
        client = app.test_client()
        if user is not None:
            assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        return client

    return make


def open_viewer(client, project) -> int:
    page = client.get(f"/projects/{project.id}/deck/read")
    assert page.status_code == 200
    return int(re.search(r'data-view-id="(\d+)"', page.get_data(as_text=True)).group(1))


def event(client, project, **body):
    return client.post(f"/projects/{project.id}/deck/events", json=body)


def time_passes(db, view_id: int, seconds: int) -> None:
    """As if the reader had kept the viewer open this long since its last report."""
    view = db.session.get(DeckView, view_id)
    view.last_event_at -= timedelta(seconds=seconds)
    db.session.commit()


def test_a_page_read_for_n_seconds_shows_up_for_the_founder_and_not_for_others(
        app, db, deck_world, browser_of, make_user, make_company, make_institution):
    project, founder, investor = deck_world
    reader = browser_of(investor)
    view = open_viewer(reader, project)
    assert event(reader, project, view=view, page=2, seconds=0).status_code == 204  # page 2 shown
    time_passes(db, view, 40)
    assert event(reader, project, view=view, page=2, seconds=37).status_code == 204

    analytics = browser_of(founder).get(f"/projects/{project.id}/deck/analytics")
    assert analytics.status_code == 200
    html = analytics.get_data(as_text=True)
    assert "张投资" in html and investor.institution.name in html
    assert "第 2 页 · 37 秒" in html and "未下载" in html

    other_founder = make_user(Role.STARTUP)
    make_company(other_founder)
    other_investor = make_user(Role.INVESTOR)
    make_institution(other_investor)
    for outsider in (other_founder, other_investor, make_user(Role.HOST), None):
        assert browser_of(outsider).get(f"/projects/{project.id}/deck/analytics").status_code == 404
    assert browser_of(make_user(Role.ADMIN)).get(f"/projects/{project.id}/deck/analytics").status_code == 200


def test_the_founders_own_reading_is_not_counted(db, deck_world, browser_of):
    project, founder, _investor = deck_world
    page = browser_of(founder).get(f"/projects/{project.id}/deck/read").get_data(as_text=True)
    assert "data-view-id" not in page and "data-watermark=" in page
    assert db.session.query(DeckView).count() == 0


@pytest.mark.parametrize("body, status", [
    ({"page": 9, "seconds": 5}, 422),  # the deck has 5 pages
    ({"page": 0, "seconds": 5}, 422),
    ({"page": 1, "seconds": 61}, 422),  # more than one report may carry
    ({"page": 1, "seconds": -3}, 422),
    ({"page": "1", "seconds": 5}, 400),
    ({"page": True, "seconds": 5}, 400),
    ({"page": 1}, 400),
    ({"page": 1, "seconds": 5, "extra": 1}, 400),
])
def test_bad_events_change_nothing(db, deck_world, browser_of, body, status):
    project, _founder, investor = deck_world
    reader = browser_of(investor)
    view = open_viewer(reader, project)
    time_passes(db, view, 120)
    response = event(reader, project, view=view, **body)
    assert response.status_code == status and response.mimetype == "application/problem+json"
    assert db.session.query(DeckPageView).count() == 0


def test_reported_time_is_bounded_by_the_time_that_passed(db, deck_world, browser_of, make_user, make_institution):
    project, _founder, investor = deck_world
    reader = browser_of(investor)
    view = open_viewer(reader, project)
    assert event(reader, project, view=view, page=1, seconds=60).status_code == 204  # right after opening
    assert db.session.get(DeckPageView, (view, 1)).seconds <= 6
    someone = make_user(Role.INVESTOR)
    make_institution(someone)
    assert event(browser_of(someone), project, view=view, page=1, seconds=5).status_code == 422  # not their view
    assert db.session.get(DeckPageView, (view, 1)).seconds <= 6


def test_events_are_rate_limited(app, db, deck_world, browser_of):
    app.config["DECK_EVENT_RATE"] = "3/minute"
    project, _founder, investor = deck_world
    reader = browser_of(investor)
    view = open_viewer(reader, project)
    codes = [event(reader, project, view=view, page=1, seconds=0).status_code for _ in range(4)]
    assert codes == [204, 204, 204, 429]


def test_the_company_switches_downloads_off_and_readers_can_still_read(app, db, deck_world, browser_of):
    project, founder, investor = deck_world
    reader = browser_of(investor)
    assert reader.get(f"/projects/{project.id}/deck").status_code == 200  # downloads are on by default
    owner = browser_of(founder)
    assert owner.post(f"/projects/{project.id}/deck/analytics", data={}).status_code == 302  # switch unticked
    assert reader.get(f"/projects/{project.id}/deck").status_code == 403
    detail = reader.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f"/projects/{project.id}/deck/read" in detail and f'href="/projects/{project.id}/deck"' not in detail
    viewer_file = reader.get(f"/projects/{project.id}/deck/file")
    assert viewer_file.status_code == 200 and viewer_file.headers["Content-Disposition"].startswith("inline")
    analytics = owner.get(f"/projects/{project.id}/deck/analytics").get_data(as_text=True)
    assert "张投资" in analytics and "未下载" not in analytics  # the download before the switch is listed
    assert owner.post(f"/projects/{project.id}/deck/analytics", data={"downloadable": "y"}).status_code == 302
    assert reader.get(f"/projects/{project.id}/deck").status_code == 200
