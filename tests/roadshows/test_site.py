"""Home page, agenda, error pages and the JSON API's first endpoint."""
from datetime import timedelta

from roadshow.accounts.models import Role
from roadshow.roadshows.models import SessionStatus


def test_home_lists_next_roadshows(client, make_session):
    make_session(title="光电子信息专场·硅光芯片", starts_in=timedelta(days=1))
    make_session(title="已取消的场次", starts_in=timedelta(days=1, hours=3), status=SessionStatus.CANCELLED)
    page = client.get("/").get_data(as_text=True)
    assert "光电子信息专场·硅光芯片" in page
    assert "已取消的场次" not in page
    assert "天天有路演" in page


def test_agenda_groups_sessions_by_local_day(client, make_session):
    session = make_session(title="每日路演·集成电路", starts_in=timedelta(days=3))
    page = client.get("/sessions").get_data(as_text=True)
    assert "每日路演·集成电路" in page
    assert f"/sessions/{session.id}" in page


def test_session_page_shows_lineup_and_seats(client, make_session, make_company, make_project, db):
    from roadshow.roadshows.models import Slot

    session = make_session(capacity=40)
    project = make_project(make_company(), pitch="车规级激光雷达芯片")
    db.session.add(Slot(session=session, project=project, position=1))
    db.session.commit()
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert project.title in page and "车规级激光雷达芯片" in page
    assert "余 40 席" in page


def test_attendee_institutions_shown_to_presenting_startup_only(client, db, make_session, make_user, make_company,
                                                                make_project, make_institution, login):
    from roadshow.roadshows.models import Slot
    from roadshow.roadshows.services import book_seat

    session = make_session()
    founder = make_user(Role.STARTUP)
    project = make_project(make_company(owner=founder))
    db.session.add(Slot(session=session, project=project, position=1))
    investor = make_user(Role.INVESTOR)
    institution = make_institution(member=investor, name="江城科创基金测试")
    book_seat(session, investor)
    db.session.commit()
    login(make_user(Role.STARTUP))
    assert institution.name not in client.get(f"/sessions/{session.id}").get_data(as_text=True)
    client.post("/logout")
    login(founder)
    assert institution.name in client.get(f"/sessions/{session.id}").get_data(as_text=True)


def test_not_found_page_has_no_traceback(client):
    response = client.get("/sessions/999999")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "页面不存在" in page and "Traceback" not in page


def test_api_errors_are_json_problem_details(client):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_unexpected_error_renders_500_page_and_rolls_back(app, client, db, make_user):
    from roadshow.accounts.models import User

    @app.get("/_boom")
    def boom():
        db.session.add(User(email="half@example.com", name="x", password_hash="x"))
        db.session.flush()
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/_boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "服务器出错了" in page and "Traceback" not in page and "boom" not in page
    assert db.session.scalar(db.select(User).where(User.email == "half@example.com")) is None


def test_api_lists_upcoming_sessions_with_seats(client, make_session):
    session = make_session(capacity=10, title="API 场次")
    items = client.get("/api/v1/sessions").get_json()["items"]
    assert [i["title"] for i in items] == ["API 场次"]
    assert items[0]["seats_left"] == 10 and items[0]["starts_at"].endswith("+08:00")
    assert items[0]["id"] == session.id


def test_forms_refuse_posts_without_csrf_token(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    make_user(Role.STARTUP, email="a@example.com")
    response = client.post("/login", data={"email": "a@example.com", "password": "correct-horse-battery"})
    assert response.status_code == 400
    assert "安全校验" in response.get_data(as_text=True)
    # the login page itself carries a token, and posting with it works
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    ok = client.post("/login", data={"email": "a@example.com", "password": "correct-horse-battery", "csrf_token": token})
    assert ok.status_code == 302


def test_project_page_links_the_roadshows_it_pitches_in(client, db, make_session, make_company, make_project):
    from roadshow.projects.models import ProjectStatus
    from roadshow.roadshows.models import Slot

    project = make_project(make_company(), status=ProjectStatus.SCHEDULED)
    pitching = make_session(title="每日路演·光电子信息专场")
    cancelled = make_session(title="已取消的专场", starts_in=timedelta(days=5), status=SessionStatus.CANCELLED)
    db.session.add_all([Slot(session=pitching, project=project, position=1),
                        Slot(session=cancelled, project=project, position=1)])
    db.session.commit()
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "路演安排" in page and f"/sessions/{pitching.id}" in page
    assert "已取消的专场" not in page


def test_list_pages_survive_absurd_page_numbers(client, make_user, login):
    for url in ("/projects", "/institutions"):
        for page in ("99999999999999999999999", "-5", "abc"):
            assert client.get(f"{url}?page={page}").status_code == 200
    login(make_user(Role.ADMIN))
    for url in ("/admin/users", "/admin/sessions", "/admin/institutions"):
        assert client.get(f"{url}?page=99999999999999999999999").status_code == 200
