"""Admin pages: verification, screening, venues, series, sessions, users."""
from datetime import datetime, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow.common.timeutil import local_to_utc, to_local, utcnow
from roadshow.investors.models import VerificationStatus
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import RoadshowSession, Series, SeriesKind, SessionStatus, Venue


def local_input(dt: datetime) -> str:
    """A naive Asia/Shanghai datetime as a datetime-local input sends it."""
    return dt.strftime("%Y-%m-%dT%H:%M")


def next_week_at(hour: int) -> datetime:
    day = to_local(utcnow()).date() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, hour, 0)


def as_admin(make_user, login):
    admin = make_user(Role.ADMIN, name="平台管理员")
    login(admin)
    return admin


# --- dashboard -----------------------------------------------------------------------------

def test_dashboard_shows_counts_and_pending_work(client, make_user, login, make_institution, make_company, make_project, make_session):
    make_institution(name="待审的汉江资本", verified=False)
    company = make_company()
    make_project(company, ProjectStatus.SUBMITTED, title="待筛选的硅光项目")
    make_session(title="下周的光电专场")
    as_admin(make_user, login)
    html = client.get("/admin/").get_data(as_text=True)
    assert "工作台" in html
    assert "待审的汉江资本" in html and "待筛选的硅光项目" in html and "下周的光电专场" in html
    assert "/admin/institutions?status=pending" in html and "/admin/reviews" in html


def test_each_dashboard_review_link_opens_its_own_object(client, make_user, login, make_institution, make_company,
                                                          make_project):
    first, second = make_institution(verified=False), make_institution(verified=False)
    projects = [make_project(make_company(), ProjectStatus.SUBMITTED) for _ in range(2)]
    as_admin(make_user, login)
    html = client.get("/admin/").get_data(as_text=True)
    for institution in (first, second):
        assert f'href="/admin/institutions?status=pending#institution-{institution.id}"' in html
        assert f'id="institution-{institution.id}"' in client.get("/admin/institutions?status=pending").get_data(as_text=True)
    for project in projects:
        assert f'href="/admin/reviews#project-{project.id}"' in html
        assert f'id="project-{project.id}"' in client.get("/admin/reviews").get_data(as_text=True)


def test_dashboard_counts_applications_waiting_for_reviewers(client, db, make_user, login, make_company, make_project,
                                                             make_series):
    from roadshow.screening import reviews, services

    admin = as_admin(make_user, login)
    series = make_series()
    applications = []
    for _ in range(3):
        founder = make_user(Role.STARTUP)
        project = make_project(make_company(founder), ProjectStatus.APPROVED)
        applications.append(services.apply(founder, project, series=series))
    db.session.commit()
    reviews.assign(applications[0], make_user(Role.REVIEWER), admin)
    db.session.commit()
    html = client.get("/admin/").get_data(as_text=True)
    assert "待定路演申请" in html and "其中 2 份尚未分配评审专家" in html


def test_session_page_offers_admins_the_edit_link(client, make_user, login, make_session):
    session = make_session()
    edit = f'href="/admin/sessions/{session.id}/edit"'
    assert edit not in client.get(f"/sessions/{session.id}").get_data(as_text=True)
    as_admin(make_user, login)
    assert edit in client.get(f"/sessions/{session.id}").get_data(as_text=True)


# --- institutions --------------------------------------------------------------------------

def test_verify_institution(client, db, make_user, login, make_institution):
    institution = make_institution(name="申请认证的资本", verified=False)
    as_admin(make_user, login)
    assert "申请认证的资本" in client.get("/admin/institutions?status=pending").get_data(as_text=True)
    response = client.post(f"/admin/institutions/{institution.id}/verify", follow_redirects=True)
    assert "已认证机构：申请认证的资本" in response.get_data(as_text=True)
    db.session.refresh(institution)
    assert institution.verification_status == VerificationStatus.VERIFIED and institution.verified_at
    assert "申请认证的资本" in client.get("/institutions").get_data(as_text=True)


def test_verification_card_shows_website_and_intro_and_asks_before_verifying(client, make_user, login, make_institution):
    make_institution(name="申请认证的资本", verified=False, website="https://hanjiang.example.com",
                     intro="专注光电子早期投资")
    as_admin(make_user, login)
    html = client.get("/admin/institutions?status=pending").get_data(as_text=True)
    assert "https://hanjiang.example.com" in html and "专注光电子早期投资" in html
    assert 'data-confirm="确认认证“申请认证的资本”' in html


def test_reject_institution_needs_a_note(client, db, make_user, login, make_institution):
    institution = make_institution(name="资料不全的资本", verified=False)
    as_admin(make_user, login)
    response = client.post(f"/admin/institutions/{institution.id}/reject", data={"reason": "  "}, follow_redirects=True)
    assert "请填写未通过认证的原因" in response.get_data(as_text=True)
    db.session.refresh(institution)
    assert institution.verification_status == VerificationStatus.PENDING

    client.post(f"/admin/institutions/{institution.id}/reject", data={"reason": "登记编号无法在协会官网查到"})
    db.session.refresh(institution)
    assert institution.verification_status == VerificationStatus.REJECTED
    assert institution.verification_note == "登记编号无法在协会官网查到"
    html = client.get("/admin/institutions?status=rejected").get_data(as_text=True)
    assert "资料不全的资本" in html and "登记编号无法在协会官网查到" in html


# --- screening -----------------------------------------------------------------------------

def test_review_queue_start_approve_and_reject(client, db, make_user, login, make_company, make_project):
    company = make_company(name="武汉光迅测试公司")
    first = make_project(company, ProjectStatus.SUBMITTED, title="800G 光模块",
                         deck_file="deck-abc.pdf", deck_original_name="路演材料.pdf", deck_pages=12, deck_size=1000)
    second = make_project(company, ProjectStatus.SUBMITTED, title="激光雷达芯片")
    make_project(company, ProjectStatus.DRAFT, title="还在草稿的项目")
    as_admin(make_user, login)

    html = client.get("/admin/reviews").get_data(as_text=True)
    assert "800G 光模块" in html and "激光雷达芯片" in html and "武汉光迅测试公司" in html
    assert "还在草稿的项目" not in html
    assert f'href="/projects/{first.id}/deck"' in html and "12 页" in html
    assert "未上传路演材料" in html  # the second project has no deck

    for project in (first, second):
        client.post(f"/admin/reviews/{project.id}/start")
        db.session.refresh(project)
        assert project.status == ProjectStatus.UNDER_REVIEW

    response = client.post(f"/admin/reviews/{first.id}/approve", follow_redirects=True)
    assert "项目已通过筛选" in response.get_data(as_text=True)
    db.session.refresh(first)
    assert first.status == ProjectStatus.APPROVED and first.decided_at

    response = client.post(f"/admin/reviews/{second.id}/reject", data={"reason": ""}, follow_redirects=True)
    assert "请填写未通过的原因" in response.get_data(as_text=True)
    db.session.refresh(second)
    assert second.status == ProjectStatus.UNDER_REVIEW

    client.post(f"/admin/reviews/{second.id}/reject", data={"reason": "商业模式尚需验证，建议补充客户订单"})
    db.session.refresh(second)
    assert second.status == ProjectStatus.REJECTED
    assert second.rejection_reason == "商业模式尚需验证，建议补充客户订单"
    queue = client.get("/admin/reviews").get_data(as_text=True).split("筛选队列")[1].split("最近的筛选结论")[0]
    assert "激光雷达芯片" not in queue and "800G 光模块" not in queue


def test_review_refuses_a_step_the_workflow_does_not_allow(client, db, make_user, login, make_company, make_project):
    project = make_project(make_company(), ProjectStatus.SUBMITTED)
    as_admin(make_user, login)
    response = client.post(f"/admin/reviews/{project.id}/approve", follow_redirects=True)
    assert "项目不能从" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.status == ProjectStatus.SUBMITTED


# --- venues and series ---------------------------------------------------------------------

def test_venue_create_edit_and_unique_name(client, db, make_user, login):
    as_admin(make_user, login)
    data = {"name": "长江路演厅", "address": "武汉市东湖高新区关山大道 1 号", "capacity": "120", "description": ""}
    response = client.post("/admin/venues", data=data, follow_redirects=True)
    assert "已添加场地：长江路演厅" in response.get_data(as_text=True)
    venue = db.session.scalars(sa.select(Venue)).one()
    assert venue.capacity == 120 and not venue.is_online

    response = client.post("/admin/venues", data=data)
    assert response.status_code == 200 and "已有同名场地" in response.get_data(as_text=True)
    response = client.post("/admin/venues", data={**data, "name": "小会议室", "capacity": "0"})
    assert "容纳人数须在 1–10000 之间" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Venue.id))) == 1

    response = client.post(f"/admin/venues/{venue.id}/edit", data={**data, "name": "线上直播间", "is_online": "y", "capacity": "500"})
    assert response.status_code == 302
    db.session.refresh(venue)
    assert venue.name == "线上直播间" and venue.is_online and venue.capacity == 500


def test_series_create_and_slug_rules(client, db, make_user, login, make_series):
    make_series(name="每日路演", slug="daily", kind=SeriesKind.DAILY)
    as_admin(make_user, login)
    data = {"name": "一月一链·人工智能", "slug": "chain-ai", "kind": "chain_monthly", "industry_chain": "ai", "description": ""}
    response = client.post("/admin/series", data={**data, "slug": "Chain AI"})
    assert "只能使用小写字母、数字和连字符" in response.get_data(as_text=True)
    response = client.post("/admin/series", data={**data, "slug": "daily"})
    assert "这个标识已被其他系列使用" in response.get_data(as_text=True)
    response = client.post("/admin/series", data=data, follow_redirects=True)
    assert "已添加系列：一月一链·人工智能" in response.get_data(as_text=True)
    series = db.session.scalars(sa.select(Series).where(Series.slug == "chain-ai")).one()
    assert series.kind == SeriesKind.CHAIN_MONTHLY and series.industry_chain == "ai"

    response = client.post(f"/admin/series/{series.id}/edit", data={**data, "industry_chain": ""})
    assert response.status_code == 302
    db.session.refresh(series)
    assert series.industry_chain is None


# --- sessions ------------------------------------------------------------------------------

def session_data(venue: Venue, start: datetime, end: datetime, **overrides) -> dict:
    data = {
        "title": "光电子信息专场路演",
        "description": "一月一链·光电子信息",
        "series_id": "",
        "venue_id": str(venue.id),
        "host_id": "",
        "industry_chain": "optoelectronics",
        "starts_at": local_input(start),
        "ends_at": local_input(end),
        "capacity": "40",
        "status": "open",
    }
    data.update(overrides)
    return data


def make_venue(db, name="长江路演厅") -> Venue:
    venue = Venue(name=name, capacity=120)
    db.session.add(venue)
    db.session.commit()
    return venue


def test_session_create_stores_utc_and_shows_in_list(client, db, make_user, login, make_series):
    venue = make_venue(db)
    series = make_series()
    host = make_user(Role.HOST, name="王主持")
    as_admin(make_user, login)
    assert "王主持" in client.get("/admin/sessions/new").get_data(as_text=True)
    start = next_week_at(14)
    response = client.post(
        "/admin/sessions/new",
        data=session_data(venue, start, start + timedelta(hours=2), series_id=str(series.id), host_id=str(host.id)),
        follow_redirects=True,
    )
    assert "路演已保存：光电子信息专场路演" in response.get_data(as_text=True)
    session = db.session.scalars(sa.select(RoadshowSession)).one()
    assert session.starts_at == local_to_utc(start)  # 14:00 Shanghai is 06:00 UTC
    assert session.starts_at.hour == 6
    assert (session.series_id, session.host_id, session.capacity) == (series.id, host.id, 40)
    assert session.status == SessionStatus.OPEN
    html = client.get("/admin/sessions").get_data(as_text=True)
    assert "光电子信息专场路演" in html and "14:00–16:00" in html and "0</span> / 40" in html

    edit_page = client.get(f"/admin/sessions/{session.id}/edit").get_data(as_text=True)
    assert local_input(start) in edit_page  # shown back in local time
    for link in (f"/sessions/{session.id}/registrations", f"/sessions/{session.id}/questions"):
        assert link in edit_page


def test_overlapping_session_in_same_venue_is_refused(client, db, make_user, login):
    venue = make_venue(db)
    other_venue = make_venue(db, "光谷会客厅")
    as_admin(make_user, login)
    start = next_week_at(14)
    client.post("/admin/sessions/new", data=session_data(venue, start, start + timedelta(hours=2), title="先排的路演"))

    clash = session_data(venue, start + timedelta(hours=1), start + timedelta(hours=3), title="冲突的路演")
    response = client.post("/admin/sessions/new", data=clash)
    assert response.status_code == 200
    assert "该场地在这段时间已有路演：先排的路演" in response.get_data(as_text=True)
    titles = db.session.scalars(sa.select(RoadshowSession.title)).all()
    assert titles == ["先排的路演"]

    # The same time in another venue is fine, and so is right after in the same venue.
    client.post("/admin/sessions/new", data={**clash, "venue_id": str(other_venue.id)})
    client.post("/admin/sessions/new", data=session_data(venue, start + timedelta(hours=2), start + timedelta(hours=3), title="紧接着的路演"))
    assert db.session.scalar(sa.select(sa.func.count(RoadshowSession.id))) == 3


def test_editing_a_session_into_a_clash_is_refused(client, db, make_user, login):
    venue = make_venue(db)
    as_admin(make_user, login)
    start = next_week_at(9)
    client.post("/admin/sessions/new", data=session_data(venue, start, start + timedelta(hours=2), title="上午场"))
    client.post("/admin/sessions/new", data=session_data(venue, start + timedelta(hours=5), start + timedelta(hours=7), title="下午场"))
    afternoon = db.session.scalars(sa.select(RoadshowSession).where(RoadshowSession.title == "下午场")).one()
    original = afternoon.starts_at
    response = client.post(
        f"/admin/sessions/{afternoon.id}/edit",
        data=session_data(venue, start + timedelta(hours=1), start + timedelta(hours=3), title="下午场"),
    )
    assert "该场地在这段时间已有路演：上午场" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(RoadshowSession, afternoon.id).starts_at == original


def test_session_ending_before_it_starts_is_refused(client, db, make_user, login):
    venue = make_venue(db)
    as_admin(make_user, login)
    start = next_week_at(14)
    response = client.post("/admin/sessions/new", data=session_data(venue, start, start - timedelta(hours=1)))
    assert response.status_code == 200
    assert "结束时间必须晚于开始时间" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(RoadshowSession.id))) == 0


def test_sessions_tabs_split_upcoming_and_past(client, make_user, login, make_session):
    make_session(title="明天的路演", starts_in=timedelta(days=1))
    make_session(title="上周的路演", starts_in=timedelta(days=-7), status=SessionStatus.ENDED)
    as_admin(make_user, login)
    upcoming = client.get("/admin/sessions").get_data(as_text=True)
    past = client.get("/admin/sessions?tab=past").get_data(as_text=True)
    assert "明天的路演" in upcoming and "上周的路演" not in upcoming
    assert "上周的路演" in past and "明天的路演" not in past


# --- users ---------------------------------------------------------------------------------

def test_users_search_and_role_filter(client, make_user, login):
    make_user(Role.HOST, email="host.zhang@example.com", name="张主持")
    make_user(Role.INVESTOR, email="li@vc.example.com", name="李投资")
    as_admin(make_user, login)
    html = client.get("/admin/users?q=zhang").get_data(as_text=True)
    assert "host.zhang@example.com" in html and "li@vc.example.com" not in html
    html = client.get("/admin/users?q=李").get_data(as_text=True)
    assert "li@vc.example.com" in html and "host.zhang@example.com" not in html
    html = client.get("/admin/users?role=host").get_data(as_text=True)
    assert "host.zhang@example.com" in html and "li@vc.example.com" not in html


def test_set_roles_and_self_demotion_refused(client, db, make_user, login):
    user = make_user(Role.STARTUP)
    admin = as_admin(make_user, login)
    response = client.post(f"/admin/users/{user.id}/roles", data={f"u{user.id}-roles": ["startup", "reviewer"]}, follow_redirects=True)
    assert "已更新" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.roles == {Role.STARTUP, Role.REVIEWER}

    response = client.post(f"/admin/users/{admin.id}/roles", data={f"u{admin.id}-roles": ["host"]}, follow_redirects=True)
    assert "不能撤销自己的管理员角色" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert Role.ADMIN in admin.roles

    response = client.post(f"/admin/users/{user.id}/roles", data={}, follow_redirects=True)
    assert "每个用户至少要有一个角色" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.roles == {Role.STARTUP, Role.REVIEWER}


def test_disabled_user_cannot_log_in_and_admin_cannot_disable_self(client, db, make_user, login):
    user = make_user(Role.INVESTOR, email="soon.disabled@example.com")
    admin = as_admin(make_user, login)
    response = client.post(f"/admin/users/{user.id}/toggle", follow_redirects=True)
    assert "已停用账户 soon.disabled@example.com" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).is_disabled

    response = client.post(f"/admin/users/{admin.id}/toggle", follow_redirects=True)
    assert "不能停用自己的账户" in response.get_data(as_text=True)
    assert not db.session.get(User, admin.id).is_disabled

    client.post("/logout")
    from tests.conftest import PASSWORD

    response = client.post("/login", data={"email": "soon.disabled@example.com", "password": PASSWORD})
    assert response.status_code == 200 and "邮箱或密码不正确" in response.get_data(as_text=True)

    login(admin)
    client.post(f"/admin/users/{user.id}/toggle")
    client.post("/logout")
    assert client.post("/login", data={"email": "soon.disabled@example.com", "password": PASSWORD}).status_code == 302


def test_disabling_ends_an_open_session(app, db, make_user, login, client):
    user = make_user(Role.INVESTOR)
    login(user)
    assert client.get("/my/institution").status_code == 200
    admin = make_user(Role.ADMIN)
    admin_client = app.test_client()
    admin_client.post("/login", data={"email": admin.email, "password": "correct-horse-battery"})
    admin_client.post(f"/admin/users/{user.id}/toggle")
    db.session.expire_all()
    assert db.session.get(User, user.id).is_disabled
    response = client.get("/my/institution")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
