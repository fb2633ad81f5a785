"""iCalendar feeds: public per series, private per user by token; RFC 5545 as parsed by the icalendar library."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from roadshow.accounts.models import Role
from roadshow.common.timeutil import local_to_utc
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import Booking, SessionStatus, Slot
from roadshow.roadshows.services import save_session
from roadshow.scheduling import ical
from roadshow.scheduling.models import CalendarFeed
from roadshow.scheduling.signals import personal_feed_events

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year, month, day, hour, minute=0):
    return local_to_utc(datetime(year, month, day, hour, minute))


@pytest.fixture
def series_with_sessions(db, make_series, make_session):
    series = make_series(name="一月一链·光电子信息", slug="chain-opto")
    start = local(2026, 12, 3, 14)
    held = make_session(series=series, starts_at=start, ends_at=start + timedelta(hours=2), title="光电子信息专场")
    start = local(2026, 12, 10, 9, 30)
    cancelled = make_session(series=series, starts_at=start, ends_at=start + timedelta(hours=2), title="取消的专场",
                             status=SessionStatus.CANCELLED, sequence=1)
    other = make_session(title="不属于该系列")
    return series, held, cancelled, other


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def events(cal: Calendar) -> dict:
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_series_feed_is_valid_icalendar_with_local_times_and_vtimezone(client, series_with_sessions):
    series, held, cancelled, other = series_with_sessions
    cal = parse(client.get("/calendar/series/chain-opto.ics"))

    assert str(cal["version"]) == "2.0" and "光谷" in str(cal["x-wr-calname"])
    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Shanghai"]
    found = events(cal)
    assert set(found) == {f"session-{held.id}@roadshow.optics-valley", f"session-{cancelled.id}@roadshow.optics-valley"}
    event = found[f"session-{held.id}@roadshow.optics-valley"]
    start = event.decoded("dtstart")
    assert start == datetime(2026, 12, 3, 14, 0, tzinfo=SHANGHAI) and start.tzinfo.key == "Asia/Shanghai"
    assert event.decoded("dtend") == datetime(2026, 12, 3, 16, 0, tzinfo=SHANGHAI)
    assert b"DTSTART;TZID=Asia/Shanghai:20261203T140000" in client.get("/calendar/series/chain-opto.ics").data
    assert str(event["summary"]) == "光电子信息专场" and "长江路演厅" in str(event["location"])
    assert str(event["url"]).endswith(f"/sessions/{held.id}")
    assert (int(event["sequence"]), str(event["status"])) == (0, "CONFIRMED")
    gone = found[f"session-{cancelled.id}@roadshow.optics-valley"]
    assert (str(gone["status"]), int(gone["sequence"])) == ("CANCELLED", 1)


def test_sequence_bumps_after_a_change_so_calendars_update(client, db, series_with_sessions):
    _, held, *_ = series_with_sessions
    uid = f"session-{held.id}@roadshow.optics-valley"
    assert int(events(parse(client.get("/calendar/series/chain-opto.ics")))[uid]["sequence"]) == 0

    later = local(2026, 12, 3, 15)
    save_session(held, starts_at=later, ends_at=later + timedelta(hours=2))
    db.session.commit()

    event = events(parse(client.get("/calendar/series/chain-opto.ics")))[uid]
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart") == datetime(2026, 12, 3, 15, 0, tzinfo=SHANGHAI)


def test_unknown_series_is_404(client):
    assert client.get("/calendar/series/nope.ics").status_code == 404


@pytest.fixture
def investor_and_founder(db, make_user, make_company, make_project, make_session, make_institution):
    investor = make_user(Role.INVESTOR)
    make_institution(investor)
    founder = make_user(Role.STARTUP)
    project = make_project(make_company(founder), ProjectStatus.SCHEDULED)
    booked = make_session(title="我预约的路演")
    pitching = make_session(title="我们企业路演", starts_in=timedelta(days=3))
    unrelated = make_session(title="别人的路演", starts_in=timedelta(days=4))
    db.session.add_all([Booking(session=booked, user=investor), Slot(session=pitching, project=project, position=1)])
    db.session.commit()
    return investor, founder, booked, pitching, unrelated


def feed_url(client, login, user) -> str:
    login(user)
    page = client.post("/calendar/subscribe/regenerate", follow_redirects=True).get_data(as_text=True)
    token = ical.feed_of(user).token
    assert f"/calendar/feed/{token}.ics" in page
    return f"/calendar/feed/{token}.ics"


def test_personal_feed_has_my_bookings_and_my_companys_pitches(client, login, db, investor_and_founder):
    investor, founder, booked, pitching, unrelated = investor_and_founder
    url = feed_url(client, login, investor)
    client.post("/logout")
    cal = parse(client.get(url))  # calendar apps fetch without a login: the token is the credential
    assert set(events(cal)) == {f"session-{booked.id}@roadshow.optics-valley"}
    booking = db.session.scalars(sa.select(Booking).where(Booking.user_id == investor.id)).one()
    ticket = f"/checkin/bookings/{booking.id}"
    assert ticket in str(events(cal)[f"session-{booked.id}@roadshow.optics-valley"]["description"])
    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Shanghai"]

    url = feed_url(client, login, founder)
    assert set(events(parse(client.get(url)))) == {f"session-{pitching.id}@roadshow.optics-valley"}


def test_a_cancelled_booked_session_stays_in_the_feed_as_cancelled(client, login, db, investor_and_founder):
    investor, _, booked, *_ = investor_and_founder
    url = feed_url(client, login, investor)
    booked.status = SessionStatus.CANCELLED
    booked.sequence += 1
    db.session.commit()
    event = events(parse(client.get(url)))[f"session-{booked.id}@roadshow.optics-valley"]
    assert (str(event["status"]), int(event["sequence"])) == ("CANCELLED", 1)


def test_wrong_token_is_a_plain_404(client, login, investor_and_founder):
    investor, *_ = investor_and_founder
    feed_url(client, login, investor)
    for token in ("wrong-token", "x" * 200, ""):
        response = client.get(f"/calendar/feed/{token}.ics")
        assert response.status_code == 404
        assert b"Traceback" not in response.data and b"BEGIN:VCALENDAR" not in response.data


def test_regenerating_the_token_retires_the_old_address(client, login, db, investor_and_founder):
    investor, *_ = investor_and_founder
    old = feed_url(client, login, investor)
    new = feed_url(client, login, investor)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarFeed)) == 1


def test_a_disabled_users_feed_is_404(client, login, db, investor_and_founder):
    investor, *_ = investor_and_founder
    url = feed_url(client, login, investor)
    investor.is_disabled = True
    db.session.commit()
    assert client.get(url).status_code == 404


def test_subscribe_page_shows_series_feeds_and_asks_anonymous_users_to_log_in(client, series_with_sessions):
    page = client.get("/calendar/subscribe").get_data(as_text=True)
    assert "/calendar/series/chain-opto.ics" in page and "webcal://" in page
    assert "登录后可获取专属订阅地址" in page


def test_other_domains_can_add_events_to_personal_feeds(client, login, investor_and_founder):
    investor, *_ = investor_and_founder
    meeting = ical.make_event("meeting-7@roadshow.optics-valley", local(2026, 12, 4, 10), local(2026, 12, 4, 11),
                              "约谈：光谷测试科技")
    url = feed_url(client, login, investor)
    with personal_feed_events.connected_to(lambda user: [meeting]):
        feed = client.get(url)
    assert "meeting-7@roadshow.optics-valley" in events(parse(feed))


def test_each_booking_offers_its_own_calendar_file(client, login, switch_to, db, make_user, make_institution,
                                                   investor_and_founder):
    investor, _, booked, *_ = investor_and_founder
    booking = db.session.scalars(sa.select(Booking).where(Booking.user_id == investor.id)).one()
    login(investor)
    listed = client.get("/my/bookings").get_data(as_text=True)
    url = f"/calendar/bookings/{booking.id}.ics"
    assert f'href="{url}"' in listed
    assert f'href="{url}"' in client.get(f"/sessions/{booked.id}").get_data(as_text=True)

    response = client.get(url)
    assert "attachment" in response.headers["Content-Disposition"]
    event = events(parse(response))[f"session-{booked.id}@roadshow.optics-valley"]  # as in the feeds
    assert str(event["summary"]) == "我预约的路演"
    assert re.search(rf"入场二维码：https?://\S+/checkin/bookings/{booking.id}\n", str(event["description"]))
    assert event.decoded("dtstart") == booked.starts_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(SHANGHAI)

    other = make_user(Role.INVESTOR)
    make_institution(other)
    db.session.commit()
    switch_to(other)
    assert client.get(url).status_code == 404  # somebody else's booking does not exist for them
