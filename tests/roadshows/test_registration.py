"""Registration for every attendee type: investors, startups and the public each have their own seats and their
own waitlist in a session, taken by the one seat rule, with the same ticket, calendar event and check-in."""
import re
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from roadshow.accounts.models import Role, User
from roadshow.checkin.services import check_in
from roadshow.common.errors import PermissionDenied, RuleViolation
from roadshow.extensions import db as _db
from roadshow.notifications.models import Notification, OutboxEmail
from roadshow.roadshows import services
from roadshow.roadshows.models import (
    AttendeeType, Booking, BookingStatus, RoadshowSession, SeriesKind, WaitlistEntry,
)
from roadshow.roadshows.services import SessionFull, book_seat, cancel_booking, request_seat

from ..support.concurrency import at_once

INVESTOR, STARTUP, PUBLIC = AttendeeType.INVESTOR, AttendeeType.STARTUP, AttendeeType.PUBLIC


def holders(session_id: int, attendee_type: AttendeeType) -> list[int]:
    return list(_db.session.scalars(sa.select(Booking.user_id).where(
        Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED,
        Booking.attendee_type == attendee_type).order_by(Booking.id)))


def queue(session_id: int, attendee_type: AttendeeType) -> list[int]:
    return list(_db.session.scalars(sa.select(WaitlistEntry.user_id).where(
        WaitlistEntry.session_id == session_id, WaitlistEntry.attendee_type == attendee_type)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)))


def test_each_type_takes_its_own_seats(db, make_user, make_session):
    session = make_session(capacity=1, startup_capacity=2, public_capacity=1)
    investor, startup, citizen = make_user(Role.INVESTOR), make_user(Role.STARTUP), make_user(Role.REVIEWER)
    book_seat(session, investor)
    book_seat(session, startup, STARTUP)
    book_seat(session, citizen, PUBLIC)
    db.session.commit()
    assert (session.seats_taken, session.startup_seats_taken, session.public_seats_taken) == (1, 1, 1)
    assert [session.seats_left_for(t) for t in AttendeeType] == [0, 1, 0]
    # the investors' seats are gone, the startups' are not
    with pytest.raises(SessionFull, match="投资人席位已满"):
        book_seat(session, make_user(Role.INVESTOR))
    db.session.rollback()
    book_seat(session, make_user(Role.STARTUP), STARTUP)
    db.session.commit()
    assert session.startup_seats_taken == 2 and session.seats_taken == 1


def test_only_the_types_a_session_admits_and_only_people_who_qualify(db, make_user, make_session):
    investors_only = make_session(capacity=5)
    with pytest.raises(RuleViolation, match="不接受创业企业报名"):
        book_seat(investors_only, make_user(Role.STARTUP), STARTUP)
    db.session.rollback()
    training = make_session(capacity=0, startup_capacity=5)
    with pytest.raises(PermissionDenied):
        book_seat(training, make_user(Role.INVESTOR), STARTUP)  # an investor is not a startup's staff
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        book_seat(training, make_user(Role.STARTUP), INVESTOR)
    db.session.rollback()
    assert training.startup_seats_taken == 0 and training.seats_taken == 0


def test_one_registration_per_person_whatever_the_type(db, make_user, make_session):
    session = make_session(capacity=5, public_capacity=5)
    investor = make_user(Role.INVESTOR)
    book_seat(session, investor)
    db.session.commit()
    with pytest.raises(RuleViolation, match="已预约"):
        book_seat(session, investor, PUBLIC)  # anyone signed in may take a public seat, but not a second one
    db.session.rollback()
    assert session.public_seats_taken == 0
    # and the database refuses a second row for the same person and session, of any type
    db.session.add(Booking(session_id=session.id, user_id=investor.id, attendee_type=PUBLIC))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_the_database_refuses_more_seats_of_a_type_than_its_capacity(db, make_session):
    session = make_session(startup_capacity=1, public_capacity=1)
    session.startup_seats_taken = 2
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    session = make_session(startup_capacity=1, public_capacity=1)
    session.public_seats_taken = 2
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_each_type_waits_in_its_own_line_and_is_promoted_from_it(db, make_user, make_session):
    session = make_session(capacity=1, startup_capacity=1, public_capacity=1)
    startups = [make_user(Role.STARTUP) for _ in range(3)]
    investor, second_investor, citizen = make_user(Role.INVESTOR), make_user(Role.INVESTOR), make_user(Role.HOST)
    first = request_seat(session, startups[0], attendee_type=STARTUP)
    assert isinstance(request_seat(session, startups[1], attendee_type=STARTUP), WaitlistEntry)
    assert isinstance(request_seat(session, startups[2], attendee_type=STARTUP), WaitlistEntry)
    request_seat(session, investor)
    behind_investor = request_seat(session, second_investor)
    # a full startup line does not keep the public out
    assert isinstance(request_seat(session, citizen, attendee_type=PUBLIC), Booking)
    db.session.commit()
    assert services.waitlist_position(behind_investor) == 1  # first of the investors' line, not third overall
    assert services.waitlist_counts(session) == {INVESTOR: 1, STARTUP: 2, PUBLIC: 0}

    cancel_booking(first, startups[0])  # a startup seat frees: the first waiting startup gets it
    db.session.commit()
    assert holders(session.id, STARTUP) == [startups[1].id]
    assert queue(session.id, STARTUP) == [startups[2].id]
    assert queue(session.id, INVESTOR) == [second_investor.id]  # the investors' line did not move
    promoted = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == startups[1].id, Notification.kind == "waitlist_promoted")).one()
    booking = db.session.scalars(sa.select(Booking).where(Booking.user_id == startups[1].id)).one()
    assert booking.attendee_type is STARTUP and promoted.link.endswith(f"/checkin/bookings/{booking.id}")


def test_raising_one_types_capacity_promotes_that_types_line(db, make_user, make_session, make_series):
    session = make_session(capacity=1, startup_capacity=1)
    startups = [make_user(Role.STARTUP) for _ in range(3)]
    for startup in startups:
        request_seat(session, startup, attendee_type=STARTUP)
    db.session.commit()
    services.save_session(session, startup_capacity=2)
    db.session.commit()
    assert holders(session.id, STARTUP) == [startups[0].id, startups[1].id]
    with pytest.raises(RuleViolation, match="创业企业席位不能少于已预约的 2 个席位"):
        services.save_session(session, startup_capacity=1)
    db.session.rollback()


def test_a_new_session_takes_the_seats_its_series_admits(db, make_series, make_session):
    training = make_series(kind=SeriesKind.TRAINING, startup_capacity=40, public_capacity=0)
    base = make_session()
    fields = dict(title="科创板上市规则培训", venue_id=base.venue_id, capacity=0,
                  starts_at=base.starts_at.replace(year=base.starts_at.year + 1),
                  ends_at=base.ends_at.replace(year=base.ends_at.year + 1), series_id=training.id)
    session = services.save_session(None, **fields)
    db.session.commit()
    assert (session.capacity, session.startup_capacity, session.public_capacity) == (0, 40, 0)
    assert session.attendee_types == [STARTUP]
    # a form may set its own, and an empty field falls back to the series again
    services.save_session(session, startup_capacity=10, public_capacity=100)
    services.save_session(session, startup_capacity=None)
    db.session.commit()
    assert (session.startup_capacity, session.public_capacity) == (40, 100)


def test_concurrent_startups_never_exceed_their_seats(app, db, make_user, make_session):
    """Twelve startups press "register" at once for two startup seats: two get one, ten wait in order, and
    the investors' seats are untouched."""
    session = make_session(capacity=5, startup_capacity=2)
    startup_ids = [make_user(Role.STARTUP).id for _ in range(12)]
    barrier = threading.Barrier(len(startup_ids))
    outcomes: list[str] = []

    def attempt(user_id: int) -> None:
        with app.app_context():
            target = _db.session.get(RoadshowSession, session.id)
            user = _db.session.get(User, user_id)
            barrier.wait()
            try:
                outcome = request_seat(target, user, attendee_type=STARTUP)
                _db.session.commit()
                outcomes.append("waiting" if isinstance(outcome, WaitlistEntry) else "booked")
            finally:
                _db.session.remove()

    at_once(attempt, startup_ids)
    db.session.expire_all()
    assert sorted(outcomes) == ["booked"] * 2 + ["waiting"] * 10
    assert len(holders(session.id, STARTUP)) == 2 and len(queue(session.id, STARTUP)) == 10
    fresh = db.session.get(RoadshowSession, session.id)
    assert (fresh.startup_seats_taken, fresh.seats_taken) == (2, 0)
    positions = sorted(services.waitlist_position(e) for e in db.session.scalars(
        sa.select(WaitlistEntry).where(WaitlistEntry.session_id == session.id)))
    assert positions == list(range(1, 11))


def test_a_startup_registers_for_a_training_session_and_is_checked_in(
        client, db, make_user, make_session, make_series, make_company, login):
    series = make_series(kind=SeriesKind.TRAINING, name="资本市场培训·北交所", startup_capacity=30)
    session = make_session(capacity=0, startup_capacity=30, series=series, title="北交所上市规则培训")
    founder = make_user(Role.STARTUP)
    make_company(owner=founder)
    login(founder)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "以创业企业身份报名" in page and "预约席位</button>" not in page
    page = client.post(f"/sessions/{session.id}/register/startup", follow_redirects=True).get_data(as_text=True)
    assert "预约成功" in page and "您已预约本场路演" in page
    booking = db.session.scalars(sa.select(Booking).where(Booking.user_id == founder.id)).one()
    assert booking.attendee_type is STARTUP and session.startup_seats_taken == 1
    # the same ticket, QR code and calendar event as an investor's
    assert client.get(f"/checkin/bookings/{booking.id}").status_code == 200
    assert client.get(f"/checkin/bookings/{booking.id}/qr.svg").mimetype == "image/svg+xml"
    assert "BEGIN:VEVENT" in client.get(f"/calendar/bookings/{booking.id}.ics").get_data(as_text=True)
    assert client.get("/my/bookings").status_code == 200
    # and the door takes its code; the list says what kind of attendee came
    admin = make_user(Role.ADMIN)
    assert check_in(session, booking.checkin_code, admin).first
    db.session.commit()
    client.post("/logout")
    login(admin)
    door = client.get(f"/checkin/sessions/{session.id}").get_data(as_text=True)
    assert "创业企业" in door and "到场 1 / 预约 1" in door


def test_a_member_of_the_public_registers_for_an_open_day(client, db, make_user, make_session, login):
    open_day = make_session(capacity=0, public_capacity=1, title="光谷科创开放日")
    visitor = make_user(Role.REVIEWER)  # any signed-in account may take a seat for the public
    assert "登录后报名" in client.get(f"/sessions/{open_day.id}").get_data(as_text=True)
    login(visitor)
    page = client.post(f"/sessions/{open_day.id}/register/public", follow_redirects=True).get_data(as_text=True)
    assert "预约成功" in page
    assert open_day.public_seats_taken == 1
    client.post("/logout")
    login(make_user(Role.INVESTOR))
    page = client.get(f"/sessions/{open_day.id}").get_data(as_text=True)
    assert "加入公众候补名单" in page and "预约席位</button>" not in page  # no investor seats here
    client.post(f"/sessions/{open_day.id}/register/public")
    assert services.waitlist_count(open_day, PUBLIC) == 1


def test_a_new_person_signs_up_as_the_public_and_registers_for_an_open_day(client, db, make_session):
    """Sign-up for someone who is neither a startup nor an investor: name, email, password, the emailed link."""
    open_day = make_session(capacity=0, public_capacity=50, title="光谷科创开放日")
    assert "个人（报名公众活动）" in client.get("/register").get_data(as_text=True)
    password = "Guanggu-Open-Day-2031"
    response = client.post("/register", data={"role": "public", "name": "陈市民", "email": "chen@example.com",
                                              "password": password, "confirm": password})
    assert response.status_code == 302
    body = db.session.scalars(sa.select(OutboxEmail.body).where(OutboxEmail.to_address == "chen@example.com")).one()
    link = re.search(r"https?://[^/\s]+(/register/confirm/\S+)", body).group(1)
    assert client.post(link).status_code == 302  # confirmed and signed in
    person = db.session.scalars(sa.select(User).where(User.email == "chen@example.com")).one()
    assert person.roles == set()
    page = client.get(f"/sessions/{open_day.id}").get_data(as_text=True)
    assert "报名参加" in page
    client.post(f"/sessions/{open_day.id}/register/public")
    assert holders(open_day.id, PUBLIC) == [person.id]
