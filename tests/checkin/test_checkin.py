"""Check-in at the door: a code and QR code per booking, scanned or typed by staff, recorded once."""
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow import create_app
from roadshow.accounts.models import Role
from roadshow.checkin import services
from roadshow.checkin.models import Attendance
from roadshow.common.timeutil import utcnow
from roadshow.matching.models import ChangedEntity, MatchChange
from roadshow.matching.profiles import behaviour_by_institution
from roadshow.matching.scoring import CHAIN_INDEX
from roadshow.matching.services import refresh_stale
from roadshow.notifications.models import Notification, OutboxEmail
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows import services as roadshow_services
from roadshow.roadshows.models import Booking, SessionStatus, Slot

from ..support.concurrency import at_once


@pytest.fixture
def host(make_user):
    return make_user(Role.HOST, email="host@example.com")


@pytest.fixture
def session(make_session, host):
    return make_session(host=host, title="光电子专场")


@pytest.fixture
def booked(db, session, make_user, make_institution):
    """An investor holding a seat in the session."""
    investor = make_user(Role.INVESTOR, name="李投资")
    make_institution(investor)
    booking = roadshow_services.book_seat(session, investor)
    db.session.commit()
    return booking


def attendances(db) -> list[Attendance]:
    return list(db.session.scalars(sa.select(Attendance)))


def test_a_booking_gets_its_own_code_and_qr_ticket_linked_from_the_confirmation(db, client, login, booked, make_user,
                                                                                 session):
    other = make_user(Role.INVESTOR)
    make_booking = roadshow_services.book_seat(session, other)
    db.session.commit()
    codes = {booked.checkin_code, make_booking.checkin_code}
    assert len(codes) == 2 and all(len(code) >= 22 for code in codes)  # 128 random bits each

    note = db.session.scalars(sa.select(Notification).where(Notification.user_id == booked.user_id,
                                                            Notification.kind == "booking_confirmed")).one()
    assert note.link.endswith(f"/checkin/bookings/{booked.id}")
    email = db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.to_address == booked.user.email)).one()
    assert f"/checkin/bookings/{booked.id}" in email.body

    login(booked.user)
    assert booked.checkin_code in client.get(f"/checkin/bookings/{booked.id}").get_data(as_text=True)
    qr = client.get(f"/checkin/bookings/{booked.id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    assert f"/checkin/bookings/{booked.id}" in client.get(f"/sessions/{session.id}").get_data(as_text=True)
    # someone else's ticket does not exist for this investor
    assert client.get(f"/checkin/bookings/{make_booking.id}").status_code == 404
    assert client.get(f"/checkin/bookings/{make_booking.id}/qr.svg").status_code == 404


def test_the_door_records_a_code_once_and_says_when_it_was_first_scanned(db, client, login, booked, host, session):
    login(host)
    page = client.post(f"/checkin/sessions/{session.id}", data={"code": booked.checkin_code}, follow_redirects=True)
    assert "签到成功：李投资" in page.get_data(as_text=True)
    first, = attendances(db)
    assert (first.booking_id, first.checked_in_by_id) == (booked.id, host.id)
    page = client.post(f"/checkin/sessions/{session.id}", data={"code": f"  {booked.checkin_code} "},
                       follow_redirects=True).get_data(as_text=True)
    assert "李投资 已于" in page and "签到过" in page
    assert len(attendances(db)) == 1
    assert "到场 1 / 预约 1" in page  # the session's attendee list shows who came


def test_a_code_of_another_session_a_cancelled_booking_or_a_wrong_code_is_refused(db, client, login, booked, host,
                                                                                  session, make_session, make_user):
    later = make_session(title="集成电路专场", starts_in=timedelta(days=9))
    elsewhere = roadshow_services.book_seat(later, make_user(Role.INVESTOR))
    leaving = roadshow_services.book_seat(session, make_user(Role.INVESTOR, name="王退订"))
    db.session.commit()
    roadshow_services.cancel_booking(leaving, leaving.user)
    db.session.commit()
    login(host)
    for code, message in ((elsewhere.checkin_code, "这个签到码属于另一场路演：集成电路专场"),
                          (leaving.checkin_code, "王退订 的预约已取消"),
                          ("not-a-code", "没有这个签到码")):
        page = client.post(f"/checkin/sessions/{session.id}", data={"code": code}, follow_redirects=True)
        assert message in page.get_data(as_text=True)
    assert attendances(db) == []


def test_two_scanners_at_once_write_one_attendance(app, db, booked, host, session):
    """The second scanner reads before the first commits (so it sees no attendance yet) and writes while the first
    still holds its row: the unique booking lets one through and tells the other when that one was recorded."""
    other = create_app({**app.config})  # a second instance: its own engine and connections, as another process
    first_wrote, results = threading.Event(), {}
    session_type, session_id, user_type, host_id, code = type(session), session.id, type(host), host.id, booked.checkin_code

    def scan(instance):
        with instance.app_context():
            database = instance.extensions["sqlalchemy"]
            here, by = database.session.get(session_type, session_id), database.session.get(user_type, host_id)
            if instance is app:
                results["first"] = services.check_in(here, code, by).first
                first_wrote.set()
                time.sleep(1)  # the other scanner reads and tries to write meanwhile
            else:
                assert first_wrote.wait(timeout=30)
                results["second"] = services.check_in(here, code, by)
                results["second_seen_at"] = results["second"].attendance.checked_in_at
                results["second"] = results["second"].first
            database.session.commit()

    at_once(scan, (app, other), timeout=60)
    with other.app_context():
        other.extensions["sqlalchemy"].engine.dispose()
    assert (results["first"], results["second"]) == (True, False)
    recorded, = attendances(db)
    assert results["second_seen_at"] == recorded.checked_in_at


def test_only_admins_the_host_and_the_series_organiser_open_the_door(db, client, login, switch_to, booked, session,
                                                                     make_user):
    for user in (booked.user, make_user(Role.HOST), make_user(Role.STARTUP)):
        switch_to(user)
        assert client.get(f"/checkin/sessions/{session.id}").status_code == 404
        client.post(f"/checkin/sessions/{session.id}", data={"code": booked.checkin_code})
    assert attendances(db) == []
    switch_to(make_user(Role.ADMIN))
    assert client.get(f"/checkin/sessions/{session.id}").status_code == 200


def test_statistics_show_the_show_up_rate_per_session_and_series(db, client, login, session, booked, make_user, host):
    roadshow_services.book_seat(session, make_user(Role.INVESTOR))
    services.check_in(session, booked.checkin_code, host)
    session.starts_at -= timedelta(days=3)  # it took place
    session.ends_at -= timedelta(days=3)
    db.session.commit()
    db.session.execute(sa.update(type(session)).where(type(session).id == session.id).values(status=SessionStatus.ENDED))
    db.session.commit()
    login(make_user(Role.ADMIN))
    page = client.get("/admin/stats/").get_data(as_text=True)
    assert "光电子专场" in page and "50%" in page
    csv = client.get("/admin/stats/attendance.csv").get_data(as_text=True)
    assert "光电子专场" in csv and ",2,1,50%" in csv
    series = client.get("/admin/stats/series_attendance.csv").get_data(as_text=True)
    assert "不属于系列,1,2,1,50%" in series  # and per series (this one belongs to none)


def test_coming_says_more_than_booking_in_the_investors_match_signal(db, client, login, booked, host, session,
                                                                     make_company, make_project):
    project = make_project(make_company(), ProjectStatus.APPROVED)
    session.slots.append(Slot(project=project, position=1))
    db.session.commit()
    refresh_stale()
    db.session.commit()
    institution_id = booked.user.institution_id
    chain = CHAIN_INDEX[project.industry_chain.value]
    booked_only = behaviour_by_institution({institution_id})[institution_id][chain]

    login(host)
    client.post(f"/checkin/sessions/{session.id}", data={"code": booked.checkin_code})
    came = behaviour_by_institution({institution_id})[institution_id][chain]
    assert came > booked_only > 0
    # the check-in itself marked the institution's matches for the next refresh
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchChange).where(
        MatchChange.entity == ChangedEntity.INSTITUTION, MatchChange.entity_id == institution_id)) >= 1


def test_a_code_queued_offline_counts_from_when_the_phone_scanned_it(db, client, login, booked, host, session,
                                                                   make_user):
    """The door page sends codes kept while offline with the phone's scan time; a time that cannot be right
    (in the future, long before the session, without a zone, not a time) gives way to the arrival time."""
    others = [roadshow_services.book_seat(session, make_user(Role.INVESTOR)) for _ in range(5)]
    session.starts_at, session.ends_at = utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=1)
    db.session.commit()
    scanned = utcnow().replace(microsecond=0) - timedelta(minutes=50)
    login(host)
    sent = [(booked, scanned.isoformat() + "Z"), (others[0], (utcnow() + timedelta(hours=2)).isoformat() + "Z"),
            (others[1], (utcnow() - timedelta(days=1)).isoformat() + "+00:00"), (others[2], scanned.isoformat()),
            (others[3], "yesterday"), (others[4], "0001-01-01T00:00:00+14:00")]
    for booking, when in sent:
        response = client.post(f"/checkin/sessions/{session.id}", data={"code": booking.checkin_code, "scanned_at": when})
        assert response.status_code == 302, when
    recorded = {a.booking_id: a.checked_in_at for a in attendances(db)}
    assert recorded[booked.id] == scanned
    for booking in others:  # each given the time it arrived
        assert abs(recorded[booking.id] - utcnow()) < timedelta(minutes=1)
