"""A signed-in user's pages are kept for them until the next write (roadshow/common/page_cache.py): whatever
changes a personal part (a notification, a role, a booking, a waitlist place, a seat taken by someone else,
a saved match) shows on the very next page, and nobody ever sees another user's name or form token. Each
test first has the page answered from what was kept, so a change that failed to renew it would show."""
import re

import pytest

from roadshow.accounts.models import Role
from roadshow.notifications import services as notifications
from roadshow.roadshows import services as roadshows

from ..conftest import PASSWORD


def bell(page: str) -> str | None:
    found = re.search(r'class="badge rounded-pill bg-danger nav-badge">([^<]*)<', page)
    return found.group(1) if found else None


def kept(client, path: str) -> str:
    """The page as kept for this reader: asked for until it is answered from the cache (the first page after
    signing in gives the session its form token, so it is rendered twice), then checked to be a hit."""
    for _ in range(2):
        client.get(path)
    answer = client.get(path)
    assert answer.headers.get("X-Page-Cache") == "hit"
    return answer.get_data(as_text=True)


def logout_token(page: str) -> str:
    return re.search(r'action="/logout">\s*<input type="hidden" name="csrf_token" value="([^"]*)"', page).group(1)


@pytest.fixture
def investor(make_user, make_institution):
    user = make_user(Role.INVESTOR, name="张投资")
    make_institution(user)
    return user


def test_the_bell_counts_each_new_notification_on_the_next_page(client, db, login, investor):
    login(investor)
    assert bell(kept(client, "/calendar")) is None
    notifications.notify(investor, "screening", "第一条", email=False)
    db.session.commit()
    assert bell(client.get("/calendar").get_data(as_text=True)) == "1"
    notifications.notify(investor, "screening", "第二条", email=False)
    db.session.commit()
    assert bell(client.get("/calendar").get_data(as_text=True)) == "2"
    assert bell(kept(client, "/calendar")) == "2"
    notifications.mark_read(investor.id)
    db.session.commit()
    assert bell(client.get("/calendar").get_data(as_text=True)) is None


def test_users_with_the_same_roles_each_get_their_own_name_count_and_token(app, db, client, login, investor,
                                                                             make_user, make_institution):
    other = make_user(Role.INVESTOR, name="李投资")
    make_institution(other)
    notifications.notify(other, "screening", "只给李投资", email=False)
    db.session.commit()
    login(investor)
    mine = client.get("/calendar").get_data(as_text=True)
    second = app.test_client()
    second.post("/login", data={"email": other.email, "password": PASSWORD})
    theirs = second.get("/calendar").get_data(as_text=True)
    assert "张投资" in mine and "李投资" not in mine and bell(mine) is None
    assert "李投资" in theirs and "张投资" not in theirs and bell(theirs) == "1"
    assert logout_token(mine) and logout_token(theirs) and logout_token(mine) != logout_token(theirs)


def test_a_name_is_escaped_in_the_bar(client, db, login, make_user):
    user = make_user(Role.INVESTOR, name="<b>王</b>")
    login(user)
    page = client.get("/calendar").get_data(as_text=True)
    assert "&lt;b&gt;王&lt;/b&gt;" in page and "<b>王</b>" not in page


def test_a_role_granted_changes_the_bar_on_the_next_page(client, db, login, investor):
    login(investor)
    assert "管理后台" not in kept(client, "/calendar")
    investor.grant(Role.ADMIN)
    db.session.commit()
    assert "管理后台" in client.get("/calendar").get_data(as_text=True)


def test_the_language_switcher_leads_back_to_each_page(client, login, investor, make_session):
    session = make_session()
    login(investor)
    assert "next=/calendar" in client.get("/calendar").get_data(as_text=True)
    assert f"next=/sessions/{session.id}" in client.get(f"/sessions/{session.id}").get_data(as_text=True)


def seats_left(page: str) -> int:
    return int(re.search(r"余 (\d+) 席", page).group(1))


def test_a_booking_and_a_seat_taken_by_someone_else_show_on_the_next_session_page(app, client, db, login, investor,
                                                                                 make_user, make_session):
    session = make_session(capacity=5)
    path = f"/sessions/{session.id}"
    login(investor)
    page = kept(client, path)
    assert seats_left(page) == 5 and "您已预约本场路演" not in page and "预约席位" in page
    assert client.post(f"{path}/book").status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert seats_left(page) == 4 and "您已预约本场路演" in page and "预约成功" in page
    page = kept(client, path)  # without the message, shown once
    assert seats_left(page) == 4 and "您已预约本场路演" in page and "预约成功" not in page

    roadshows.request_seat(session, make_user(Role.INVESTOR))  # someone else, not through this page
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert seats_left(page) == 3 and "您已预约本场路演" in page
    other = app.test_client()
    other.post("/login", data={"email": make_user(Role.INVESTOR).email, "password": PASSWORD})
    theirs = other.get(path).get_data(as_text=True)
    assert seats_left(theirs) == 3 and "您已预约本场路演" not in theirs and "预约席位" in theirs


def test_a_waitlist_place_moves_up_and_turns_into_a_seat_on_the_next_page(client, db, login, make_user, make_session):
    session = make_session(capacity=1)
    path = f"/sessions/{session.id}"
    holder = make_user(Role.INVESTOR)
    booking = roadshows.request_seat(session, holder)
    queued = [make_user(Role.INVESTOR) for _ in range(3)]
    for user in queued:
        roadshows.request_seat(session, user)
    db.session.commit()
    login(queued[2])
    assert "您在候补名单第 3 位" in kept(client, path)
    roadshows.leave_waitlist(session, queued[0])
    db.session.commit()
    assert "您在候补名单第 2 位" in client.get(path).get_data(as_text=True)
    assert "您在候补名单第 2 位" in kept(client, path)
    roadshows.cancel_booking(booking, holder)  # the seat goes to queued[1]
    db.session.commit()
    assert "您在候补名单第 1 位" in client.get(path).get_data(as_text=True)
    roadshows.cancel_booking(roadshows.active_booking(session, queued[1]), queued[1])
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert "您已预约本场路演" in page and "候补名单第" not in page and seats_left(page) == 0


def test_each_booking_answer_counts_the_seat_it_took(client, db, make_user, make_session):
    from roadshow.api.tokens import create_token

    session = make_session(capacity=2)

    def book() -> dict:
        token = create_token(make_user(Role.INVESTOR), "burst", ["write"])[1]
        db.session.commit()
        answer = client.post("/api/v1/me/bookings", json={"session_id": session.id},
                             headers={"Authorization": f"Bearer {token}"})
        return answer.status_code, answer.json

    assert [(status, body["session"]["seats_left"]) for status, body in (book(), book())] == [(201, 1), (201, 0)]
    status, body = book()
    assert (status, body["position"], body["session"]["seats_left"], body["session"]["venue"]) == \
        (202, 1, 0, session.venue.name)


SAVED = '<i class="bi bi-star-fill me-1"></i>已收藏'  # the card's mark (the filter also names the view)


def test_a_match_card_shows_the_readers_own_mark_and_the_latest_score(app, client, db, login, investor, make_user,
                                                                      make_company, make_project):
    from sqlalchemy import update

    from roadshow.matching.models import Match
    from roadshow.matching.services import recompute_all
    from roadshow.projects.models import ProjectStatus

    project = make_project(make_company(make_user(Role.STARTUP)), ProjectStatus.APPROVED, title="硅光芯片量产项目",
                           amount_sought=10_000_000)
    colleague = make_user(Role.INVESTOR)
    colleague.institution = investor.institution  # the same institution: the same matches
    recompute_all()
    db.session.commit()
    login(investor)
    page = kept(client, "/matching/")
    assert project.title in page and SAVED not in page
    client.post(f"/matching/projects/{project.id}/flag", data={"flag": "saved"})
    assert SAVED in client.get("/matching/").get_data(as_text=True)
    other = app.test_client()
    other.post("/login", data={"email": colleague.email, "password": PASSWORD})
    assert SAVED not in other.get("/matching/").get_data(as_text=True)  # the colleague has not saved it

    kept(client, "/matching/")
    db.session.execute(update(Match).where(Match.project_id == project.id).values(score=42.0, reasons=["新的理由"]))
    db.session.commit()  # a refresh of the matches, by a statement
    page = client.get("/matching/").get_data(as_text=True)
    assert "42<small>" in page and "新的理由" in page
