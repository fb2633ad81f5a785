"""Seat bookings: one per investor per session, never more than the capacity."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from roadshow.accounts.models import Role, User
from roadshow.common.errors import PermissionDenied, RuleViolation
from roadshow.extensions import db as _db
from roadshow.roadshows.models import Booking, BookingStatus, RoadshowSession, SessionStatus
from roadshow.roadshows.services import SessionFull, book_seat, cancel_booking

from ..support.concurrency import at_once


def confirmed(session_id: int) -> int:
    return _db.session.scalar(
        sa.select(sa.func.count(Booking.id)).where(
            Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED
        )
    )


def test_booking_takes_a_seat_and_cancel_frees_it(db, make_user, make_session):
    investor = make_user(Role.INVESTOR)
    session = make_session(capacity=3)
    booking = book_seat(session, investor)
    db.session.commit()
    assert session.seats_taken == 1 and session.seats_left == 2
    cancel_booking(booking, investor)
    db.session.commit()
    assert session.seats_taken == 0 and booking.status == BookingStatus.CANCELLED
    # booking again re-uses the row (one row per investor and session)
    again = book_seat(session, investor)
    db.session.commit()
    assert again.id == booking.id and session.seats_taken == 1


def test_one_booking_per_investor_per_session(db, make_user, make_session):
    investor = make_user(Role.INVESTOR)
    session = make_session()
    book_seat(session, investor)
    db.session.commit()
    with pytest.raises(RuleViolation, match="已预约"):
        book_seat(session, investor)
    db.session.rollback()
    assert session.seats_taken == 1


def test_the_database_refuses_a_duplicate_booking_row(db, make_user, make_session):
    investor = make_user(Role.INVESTOR)
    session = make_session()
    db.session.add_all([Booking(session_id=session.id, user_id=investor.id) for _ in range(2)])
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_the_database_refuses_more_seats_than_capacity(db, make_session):
    session = make_session(capacity=1)
    session.seats_taken = 2
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_full_session_refuses_with_a_clear_error(db, make_user, make_session):
    session = make_session(capacity=1)
    book_seat(session, make_user(Role.INVESTOR))
    db.session.commit()
    with pytest.raises(SessionFull):
        book_seat(session, make_user(Role.INVESTOR))
    db.session.rollback()
    assert confirmed(session.id) == 1


@pytest.mark.parametrize("status", [SessionStatus.CANCELLED, SessionStatus.ENDED])
def test_cannot_book_cancelled_or_ended_sessions(db, make_user, make_session, status):
    session = make_session(status=status)
    with pytest.raises(RuleViolation):
        book_seat(session, make_user(Role.INVESTOR))


def test_only_investors_book(db, make_user, make_session):
    with pytest.raises(PermissionDenied):
        book_seat(make_session(), make_user(Role.STARTUP))


def test_cannot_cancel_after_start_or_someone_elses(db, make_user, make_session):
    investor, other = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    session = make_session()
    booking = book_seat(session, investor)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        cancel_booking(booking, other)
    session.starts_at -= timedelta(days=3)
    session.ends_at -= timedelta(days=2, hours=23)
    db.session.commit()
    with pytest.raises(RuleViolation, match="已经开始"):
        cancel_booking(booking, investor)


def test_concurrent_bookers_never_exceed_capacity(app, db, make_user, make_session):
    """Twelve investors press "book" at once for two seats: exactly two get one."""
    session = make_session(capacity=2)
    investor_ids = [make_user(Role.INVESTOR).id for _ in range(12)]
    barrier = threading.Barrier(len(investor_ids))
    outcomes: list[str] = []

    def attempt(user_id: int) -> None:
        with app.app_context():
            target = _db.session.get(RoadshowSession, session.id)
            user = _db.session.get(User, user_id)
            barrier.wait()
            try:
                book_seat(target, user)
                _db.session.commit()
                outcomes.append("booked")
            except SessionFull:
                _db.session.rollback()
                outcomes.append("full")
            finally:
                _db.session.remove()

    at_once(attempt, investor_ids)
    db.session.expire_all()
    assert sorted(outcomes) == ["booked"] * 2 + ["full"] * 10
    assert confirmed(session.id) == 2
    assert db.session.get(RoadshowSession, session.id).seats_taken == 2


def test_booking_through_the_page(client, make_user, make_session, login, make_institution):
    investor = make_user(Role.INVESTOR)
    make_institution(member=investor)
    session = make_session(capacity=1)
    login(investor)
    response = client.post(f"/sessions/{session.id}/book", follow_redirects=True)
    assert "预约成功" in response.get_data(as_text=True)
    assert "您已预约本场路演" in response.get_data(as_text=True)
    # the presenting startup sees the institution; another investor sees the session is full
    client.post("/logout")
    login(make_user(Role.INVESTOR))
    page = client.post(f"/sessions/{session.id}/book", follow_redirects=True).get_data(as_text=True)
    assert "席位已满" in page
    assert confirmed(session.id) == 1


def test_startup_cannot_take_an_investor_seat_through_the_page(client, make_user, make_session, login):
    session = make_session()  # investors' seats only
    login(make_user(Role.STARTUP))
    page = client.post(f"/sessions/{session.id}/book", follow_redirects=True).get_data(as_text=True)
    assert "只有投资机构用户可以预约投资人席位" in page
    assert confirmed(session.id) == 0
