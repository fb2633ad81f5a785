"""The public calendar: month, week and day views with filters; Chinese weekdays; today highlighted."""
from datetime import date, datetime, timedelta

import pytest

from roadshow.accounts.models import Role
from roadshow.common.choices import IndustryChain
from roadshow.common.timeutil import local_to_utc, to_local, utcnow
from roadshow.roadshows.models import SeriesKind, SessionStatus, Venue
from roadshow.roadshows.services import request_seat
from roadshow.scheduling.horizon import fill_horizon
from roadshow.scheduling.workdays import working_days


def at(day: date, hour: int):
    return local_to_utc(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def december(db, make_session, make_series):
    """An optics special on Thursday 3 December, an AI daily session on the 8th (online), a cancelled one on the 9th."""
    special = make_series(name="一月一链·光电子信息", slug="chain-opto", industry_chain=IndustryChain.OPTOELECTRONICS)
    online = Venue(name="线上路演间", capacity=500, is_online=True)
    optics = make_session(series=special, industry_chain=IndustryChain.OPTOELECTRONICS, title="光电子信息专场",
                          starts_at=at(date(2026, 12, 3), 14), ends_at=at(date(2026, 12, 3), 16))
    ai = make_session(industry_chain=IndustryChain.AI, title="人工智能专场", venue=online,
                      starts_at=at(date(2026, 12, 8), 14), ends_at=at(date(2026, 12, 8), 16))
    cancelled = make_session(title="改期的路演", status=SessionStatus.CANCELLED,
                             starts_at=at(date(2026, 12, 9), 9), ends_at=at(date(2026, 12, 9), 11))
    return optics, ai, cancelled, online


def get(client, **args) -> str:
    response = client.get("/calendar", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_month_view_has_chinese_weekdays_and_links_to_sessions(client, december):
    optics, ai, cancelled, _ = december
    page = get(client, view="month", date="2026-12-01")
    assert "2026年12月" in page
    assert page.index("周一") < page.index("周二") < page.index("周日")
    for session in (optics, ai, cancelled):
        assert f'href="/sessions/{session.id}"' in page
    assert "is-cancelled" in page and "3 场路演" in page
    # Navigation goes to the neighbouring months and keeps the view.
    assert "date=2026-11-01" in page and "date=2027-01-01" in page


def test_today_is_highlighted(client):
    today = to_local(utcnow()).date()
    page = get(client)  # no arguments: this month
    assert f"{today.year}年{today.month}月" in page
    assert page.count("is-today") == 1


def test_filters_by_chain_series_and_venue(client, december):
    optics, ai, cancelled, online = december
    by_chain = get(client, date="2026-12-01", chain="ai")
    assert f"/sessions/{ai.id}" in by_chain and f"/sessions/{optics.id}" not in by_chain
    by_series = get(client, date="2026-12-01", series="chain-opto")
    assert f"/sessions/{optics.id}" in by_series and f"/sessions/{ai.id}" not in by_series
    by_venue = get(client, date="2026-12-01", venue=online.id)
    assert f"/sessions/{ai.id}" in by_venue and f"/sessions/{cancelled.id}" not in by_venue
    assert "清除筛选" in by_venue


def test_unknown_filters_and_bad_dates_are_ignored(client, december):
    optics, *_ = december
    page = get(client, view="year", date="2026-13-45", chain="nope", series="nope", venue="x")
    assert "周一" in page  # falls back to this month's grid
    page = get(client, date="2026-12-01", chain="nope", venue="999999")
    assert f"/sessions/{optics.id}" in page


def test_week_view_shows_monday_to_sunday_with_details(client, december):
    optics, ai, *_ = december
    page = get(client, view="week", date="2026-12-09")  # a Wednesday
    assert "2026年12月7日 – 12月13日" in page
    assert f"/sessions/{ai.id}" in page and f"/sessions/{optics.id}" not in page
    assert "线上路演间" in page
    assert "date=2026-11-30" in page and "date=2026-12-14" in page


def test_day_view_lists_sessions_or_says_there_are_none(client, december):
    optics, *_ = december
    page = get(client, view="day", date="2026-12-03")
    assert "2026年12月3日 周四" in page and "光电子信息专场" in page and "项目排期中" in page
    assert "这一天没有路演" in get(client, view="day", date="2026-12-05")


def test_holidays_and_adjusted_working_days_are_marked(client):
    page = get(client, view="day", date="2026-10-01")
    assert "国庆节假期" in page
    assert "调休上班日" in get(client, view="day", date="2026-10-10")
    month = get(client, view="month", date="2026-10-01")
    assert 'title="国庆节"' in month and 'title="调休上班"' in month


def test_calendar_is_in_the_top_navigation(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/calendar"' in page and "路演日历" in page


def chip(page: str, session_id: int) -> str:
    """The calendar entry (a link) of one session."""
    start = page.index(f'href="/sessions/{session_id}"')
    return page[page.rindex("<a ", 0, start):page.index("</a>", start)]


def test_a_full_session_is_marked_full_on_the_month_view_and_the_home_page(client, db, make_session, make_user):
    full = make_session(capacity=1, title="满座的路演")
    roomy = make_session(capacity=5, title="有空位的路演", starts_in=timedelta(days=3))
    request_seat(full, make_user(Role.INVESTOR))
    db.session.commit()
    day = to_local(full.starts_at).date()

    month = get(client, view="month", date=day.isoformat())
    assert "满" in chip(month, full.id) and "席位已满" in chip(month, full.id)
    assert "满" not in chip(month, roomy.id)
    home = client.get("/").get_data(as_text=True)
    card = chip(home, full.id)
    assert "席位已满" in card and "可加入候补" in card
    assert "可加入候补" not in chip(home, roomy.id)


def test_beyond_the_horizon_the_calendar_shows_what_templates_will_create_as_planned(client, db, make_template,
                                                                                    make_series):
    daily = make_series(name="每日路演", slug="daily", kind=SeriesKind.DAILY)
    make_template(series=daily, title_pattern="{series}")
    fill_horizon(days=14)
    db.session.commit()
    today = to_local(utcnow()).date()
    filled = working_days(today + timedelta(days=1), today + timedelta(days=14))[0]
    later = working_days(today + timedelta(days=20), today + timedelta(days=40))[0]

    page = get(client, view="day", date=later.isoformat())
    assert "每日路演" in page and "另有 1 场计划中" in page and "这一天没有路演" not in page
    assert 'href="/sessions/' not in page  # no page to open yet
    assert "场计划中" in get(client, view="week", date=later.isoformat())
    near = get(client, view="day", date=filled.isoformat())
    assert "每日路演" in near and 'href="/sessions/' in near and "场计划中" not in near
    # another series' filter hides them
    make_series(name="专场", slug="special")
    db.session.commit()
    assert "另有 1 场计划中" not in get(client, view="day", date=later.isoformat(), series="special")
