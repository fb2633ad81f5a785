"""Session templates: the rules, and the admin pages that create, refuse, edit and delete them."""
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.common.timeutil import local_to_utc, to_local, utcnow
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import Slot, Venue
from roadshow.scheduling import rules, services
from roadshow.scheduling.models import HolidayPolicy, RuleKind, SessionTemplate


def test_nth_weekday():
    assert rules.nth_weekday(2026, 12, 1, 3) == date(2026, 12, 3)  # first Thursday
    assert rules.nth_weekday(2026, 12, -1, 4) == date(2026, 12, 25)  # last Friday
    assert rules.nth_weekday(2026, 2, 4, 0) == date(2026, 2, 23)


def test_occurrences_follow_the_rule_and_holiday_policy():
    weekly = SessionTemplate(rule=RuleKind.WEEKLY, weekdays=[3], on_holiday=HolidayPolicy.SKIP,
                             valid_from=date(2026, 9, 1), valid_until=None)
    assert rules.occurrences(weekly, date(2026, 9, 28), date(2026, 10, 16)) == [date(2026, 10, 8), date(2026, 10, 15)]
    weekly.on_holiday = HolidayPolicy.KEEP
    assert date(2026, 10, 1) in rules.occurrences(weekly, date(2026, 9, 28), date(2026, 10, 16))
    saturdays = SessionTemplate(rule=RuleKind.WEEKLY, weekdays=[5], on_holiday=HolidayPolicy.SKIP,
                                valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 19))
    assert rules.occurrences(saturdays, date(2026, 12, 1), date(2026, 12, 31)) == [
        date(2026, 12, 5), date(2026, 12, 12), date(2026, 12, 19)]  # ordinary Saturdays are not holidays


def test_years_without_official_data_fall_back_to_monday_to_friday():
    template = SessionTemplate(rule=RuleKind.WORKING_DAYS, valid_from=date(2026, 1, 1), valid_until=None,
                               on_holiday=HolidayPolicy.SKIP)
    days = rules.occurrences(template, date(2031, 3, 3), date(2031, 3, 9))
    assert [d.weekday() for d in days] == [0, 1, 2, 3, 4]


# --------------------------------------------------------------------------- admin pages

@pytest.fixture
def admin_client(client, login, make_user, db):
    db.session.add(Venue(name="长江路演厅", capacity=120))
    db.session.commit()
    login(make_user(Role.ADMIN))
    return client


def form(db, **changes) -> dict:
    venue = db.session.scalars(sa.select(Venue)).first()
    data = {
        "name": "每日路演（长江路演厅）", "title_pattern": "每日路演 · {weekday}", "series_id": "", "venue_id": venue.id,
        "host_id": "", "rule": "working_days", "month_week": "1", "month_weekday": "3", "on_holiday": "skip",
        "start_time": "14:00", "end_time": "16:00", "capacity": "100", "slots_count": "5", "pitch_minutes": "10",
        "qa_minutes": "10", "valid_from": to_local(utcnow()).date().isoformat(), "valid_until": "",
        "description": "", "is_active": "y",
    }
    data.update(changes)
    return data


def templates(db):
    return db.session.scalars(sa.select(SessionTemplate)).all()


def test_admin_creates_the_daily_template_and_sees_its_next_dates(admin_client, db):
    response = admin_client.post("/admin/templates/new", data=form(db), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "模板已保存" in page and "每个工作日" in page and "14:00–16:00" in page
    (template,) = templates(db)
    assert (template.rule, template.start_time, template.slots_count) == (RuleKind.WORKING_DAYS, time(14), 5)


def test_admin_creates_the_monthly_chain_special_with_rotation(admin_client, db):
    data = form(db, name="一月一链", title_pattern="一月一链 · {chain}产业链专场", rule="monthly_nth",
                on_holiday="next_working_day", chain_rotation=["optoelectronics", "ai"])
    page = admin_client.post("/admin/templates/new", data=data, follow_redirects=True).get_data(as_text=True)
    assert "每月第1个周四" in page
    (template,) = templates(db)
    assert (template.month_week, template.month_weekday, template.chain_rotation) == (1, 3, ["optoelectronics", "ai"])
    edit = admin_client.get(f"/admin/templates/{template.id}/edit").get_data(as_text=True)
    assert "接下来的场次" in edit and "产业链专场" in edit


def test_a_template_that_yields_no_date_in_the_next_year_is_refused(admin_client, db):
    today = to_local(utcnow()).date()
    first_thursday = rules.nth_weekday(today.year, today.month, 1, 3)
    start = first_thursday + timedelta(days=1)  # a window of a few days with no first Thursday in it
    data = form(db, rule="monthly_nth", valid_from=start.isoformat(), valid_until=(start + timedelta(days=5)).isoformat())
    response = admin_client.post("/admin/templates/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "不会产生任何路演日期" in page
    assert templates(db) == []


@pytest.mark.parametrize("changes, message", [
    ({"title_pattern": "每日路演 · {city}"}, "标题中的占位符只能是"),
    ({"title_pattern": "每日路演 · {chain}"}, "标题使用了 {chain}"),
    ({"end_time": "13:00"}, "结束时间必须晚于开始时间"),
    ({"slots_count": "8"}, "超过了场次时长 120 分钟"),
    ({"rule": "weekly"}, "请至少选择一天"),
    ({"capacity": "500"}, "席位数不能超过场地容纳人数 120"),
    ({"valid_until": "2020-01-01"}, "截止日期不能早于开始日期"),
    ({"venue_id": ""}, "请选择场地"),
])
def test_inconsistent_templates_are_refused_with_a_message(admin_client, db, changes, message):
    page = admin_client.post("/admin/templates/new", data=form(db, **changes)).get_data(as_text=True)
    assert message in page
    assert templates(db) == []


def test_admin_edits_and_deletes_a_template_keeping_its_sessions(admin_client, db, make_template):
    template = make_template(name="旧名称")
    from roadshow.scheduling.horizon import fill_horizon

    fill_horizon(local_to_utc(datetime(2026, 12, 7, 9)), days=3)
    db.session.commit()
    response = admin_client.post(f"/admin/templates/{template.id}/edit", data=form(db, name="新名称"))
    assert response.status_code == 302
    db.session.expire_all()
    assert template.name == "新名称"
    page = admin_client.get("/admin/templates").get_data(as_text=True)
    assert "新名称" in page and "路演模板" in page

    admin_client.post(f"/admin/templates/{template.id}/delete")
    db.session.expire_all()
    assert templates(db) == []
    from roadshow.roadshows.models import RoadshowSession

    assert db.session.scalar(sa.select(sa.func.count()).select_from(RoadshowSession)) == 4


def test_duplicate_names_are_refused(admin_client, db, make_template):
    make_template(name="每日路演（长江路演厅）")
    page = admin_client.post("/admin/templates/new", data=form(db)).get_data(as_text=True)
    assert "已有同名模板" in page


def test_template_pages_are_for_admins_only(client, login, make_user):
    login(make_user(Role.INVESTOR))
    assert client.get("/admin/templates").status_code == 403
    assert client.get("/admin/templates/new").status_code == 403


def test_dashboard_alerts_about_working_days_without_projects_by_d_minus_3(
        admin_client, db, make_session, make_user, make_company, make_project):
    today = to_local(utcnow()).date()
    days = services.days_without_projects(today)
    page = admin_client.get("/admin/").get_data(as_text=True)
    if days:  # most days; a long holiday ahead may leave no working day within three days
        assert "以下工作日还没有排入路演项目" in page
        assert days[0].strftime("%m-%d") in page
    company = make_company(make_user(Role.STARTUP))
    for day in days:
        start = local_to_utc(datetime.combine(day, time(14)))
        session = make_session(starts_at=start, ends_at=start + timedelta(hours=2))
        db.session.add(Slot(session=session, project=make_project(company, ProjectStatus.SCHEDULED), position=1))
    db.session.commit()
    assert services.days_without_projects(today) == []
    assert "以下工作日还没有排入路演项目" not in admin_client.get("/admin/").get_data(as_text=True)
