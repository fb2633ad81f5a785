"""Waitlist: a full session queues investors; a freed seat goes to the first of them, once, even under load."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from roadshow.accounts.models import Role, User
from roadshow.common.errors import RuleViolation
from roadshow.extensions import db as _db
from roadshow.notifications.models import Notification
from roadshow.roadshows import services
from roadshow.roadshows.models import Booking, BookingStatus, RoadshowSession, SessionStatus, WaitlistEntry

from ..support.concurrency import at_once
from ..support.factories import VenueFactory


def confirmed(session_id: int) -> list[int]:
    return list(_db.session.scalars(
        sa.select(Booking.user_id).where(Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED)
    ))


def waiting(session_id: int) -> list[int]:
    return list(_db.session.scalars(
        sa.select(WaitlistEntry.user_id).where(WaitlistEntry.session_id == session_id)
        .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
    ))


def notified(user: User, kind: str) -> list[Notification]:
    return list(_db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)))


@pytest.fixture
def full_session(db, make_user, make_session):
    """A one-seat session already booked, and three investors queued behind it in order."""
    session = make_session(capacity=1)
    holder = make_user(Role.INVESTOR)
    booking = services.request_seat(session, holder)
    db.session.commit()
    queued = []
    for _ in range(3):
        investor = make_user(Role.INVESTOR)
        assert isinstance(services.request_seat(session, investor), WaitlistEntry)
        db.session.commit()
        queued.append(investor)
    return session, holder, booking, queued


def test_fifty_concurrent_requests_for_one_seat_book_one_and_queue_forty_nine(app, db, make_user, make_session):
    session = make_session(capacity=1)
    investor_ids = [make_user(Role.INVESTOR).id for _ in range(50)]
    barrier = threading.Barrier(len(investor_ids))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def attempt(user_id: int) -> None:
        barrier.wait()  # all at once; the pool hands out connections as they free, like a busy server
        with app.app_context():  # each attempt is its own request: own context, own connection
            try:
                target = _db.session.get(RoadshowSession, session.id)
                user = _db.session.get(User, user_id)
                outcome = services.request_seat(target, user)
                _db.session.commit()
                outcomes.append("booked" if isinstance(outcome, Booking) else "waiting")
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                _db.session.rollback()
                errors.append(exc)
            finally:
                _db.session.remove()

    at_once(attempt, investor_ids)
    db.session.expire_all()
    assert errors == []
    assert sorted(outcomes) == ["booked"] + ["waiting"] * 49
    assert len(confirmed(session.id)) == 1
    queue = waiting(session.id)
    assert len(queue) == 49 and len(set(queue)) == 49
    assert confirmed(session.id)[0] not in queue
    assert db.session.get(RoadshowSession, session.id).seats_taken == 1
    # positions are 1..49 with no gaps or duplicates
    entries = db.session.scalars(sa.select(WaitlistEntry).where(WaitlistEntry.session_id == session.id)).all()
    assert sorted(services.waitlist_position(e) for e in entries) == list(range(1, 50))


def test_a_session_moved_while_a_booking_waited_for_its_lock_is_confirmed_with_its_new_venue(db, make_user,
                                                                                              make_session):
    """The booking reads the session again under its lock by its own columns; its venue, loaded before, must not
    be the one named in the confirmation when an admin moved the session in between (another connection)."""
    session = make_session(capacity=5)
    investor = make_user(Role.INVESTOR)
    old_venue = session.venue.display_name
    new_venue = VenueFactory(name="光谷科创大走廊路演厅")
    db.session.commit()
    session = db.session.scalars(sa.select(RoadshowSession).where(RoadshowSession.id == session.id)
                                 .options(sa.orm.joinedload(RoadshowSession.venue))).one()  # as the API loads it
    assert session.venue.display_name == old_venue
    with db.engine.begin() as other:  # the admin's move, committed while this request waits
        other.execute(sa.update(RoadshowSession).where(RoadshowSession.id == session.id)
                      .values(venue_id=new_venue.id))
    services.request_seat(session, investor)
    db.session.commit()
    note, = notified(investor, "booking_confirmed")
    assert "光谷科创大走廊路演厅" in note.body and old_venue not in note.body
    assert session.venue.id == new_venue.id


def test_a_seat_freed_while_a_booking_waited_for_its_lock_is_taken_not_waitlisted(db, make_user, make_session):
    """A full type is decided from the row read under the lock, without trying the seat: the row loaded before
    the lock (full) must not be what decides when a seat came free in between (another connection)."""
    session = make_session(capacity=1)
    holder, investor = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    services.request_seat(session, holder)
    db.session.commit()
    session = db.session.scalars(sa.select(RoadshowSession).where(RoadshowSession.id == session.id)
                                 .options(sa.orm.joinedload(RoadshowSession.venue))).one()  # as the API loads it
    assert session.seats_left == 0
    with db.engine.begin() as other:  # the holder's seat given back, committed while this request waits
        other.execute(sa.update(Booking).where(Booking.session_id == session.id)
                      .values(status=BookingStatus.CANCELLED))
        other.execute(sa.update(RoadshowSession).where(RoadshowSession.id == session.id).values(seats_taken=0))
    result = services.request_seat(session, investor)
    db.session.commit()
    assert isinstance(result, Booking) and confirmed(session.id) == [investor.id]
    assert waiting(session.id) == [] and session.seats_taken == 1


def test_cancelling_a_booking_promotes_the_first_waitlisted_only(db, full_session):
    session, holder, booking, (first, second, third) = full_session
    services.cancel_booking(booking, holder)
    db.session.commit()
    assert confirmed(session.id) == [first.id]
    assert waiting(session.id) == [second.id, third.id]
    assert session.seats_taken == 1
    note, = notified(first, "waitlist_promoted")
    promoted = services.active_booking(session, first)  # the notice opens its check-in QR code for the door
    assert session.title in note.title and note.link == f"/checkin/bookings/{promoted.id}"
    assert notified(second, "waitlist_promoted") == []
    # the second in line is now first
    assert services.waitlist_position(services.waitlist_entry(session, second)) == 1


def test_a_double_cancel_frees_one_seat_not_two(db, full_session):
    session, holder, booking, (first, second, _third) = full_session
    services.cancel_booking(booking, holder)
    db.session.commit()
    with pytest.raises(RuleViolation, match="已经取消"):
        services.cancel_booking(booking, holder)
    db.session.rollback()
    assert confirmed(session.id) == [first.id] and waiting(session.id)[0] == second.id


def test_raising_the_capacity_promotes_as_many_as_there_are_new_seats(db, full_session):
    session, holder, _booking, (first, second, third) = full_session
    services.save_session(session, capacity=3)
    db.session.commit()
    assert sorted(confirmed(session.id)) == sorted([holder.id, first.id, second.id])
    assert waiting(session.id) == [third.id]
    assert session.seats_taken == 3


def test_leaving_the_waitlist_moves_the_others_up(db, full_session):
    session, _holder, _booking, (first, second, third) = full_session
    services.leave_waitlist(session, first)
    db.session.commit()
    assert waiting(session.id) == [second.id, third.id]
    with pytest.raises(RuleViolation, match="不在"):
        services.leave_waitlist(session, first)


def test_disabled_waitlisted_investor_is_skipped(db, full_session):
    session, holder, booking, (first, second, _third) = full_session
    first.is_disabled = True
    db.session.commit()
    services.cancel_booking(booking, holder)
    db.session.commit()
    assert confirmed(session.id) == [second.id]


def test_joining_twice_is_refused_with_the_position(db, full_session):
    session, _holder, _booking, (_first, second, _third) = full_session
    with pytest.raises(RuleViolation, match="第 2 位"):
        services.request_seat(session, second)


def test_the_database_refuses_a_second_entry_for_the_same_investor(db, full_session):
    session, _holder, _booking, (first, _second, _third) = full_session
    db.session.add(WaitlistEntry(session_id=session.id, user_id=first.id))
    with pytest.raises(IntegrityError):
        db.session.commit()


@pytest.mark.parametrize("status, message", [(SessionStatus.CANCELLED, "已取消"), (SessionStatus.ENDED, "已结束")])
def test_booking_a_cancelled_or_ended_session_says_so(db, make_user, make_session, status, message):
    session = make_session(status=status)
    with pytest.raises(RuleViolation, match=f"这场路演{message}，不能预约"):
        services.request_seat(session, make_user(Role.INVESTOR))


def test_booking_a_session_that_is_over_says_it_ended(db, make_user, make_session):
    session = make_session(starts_in=timedelta(hours=-3))
    with pytest.raises(RuleViolation, match="已结束"):
        services.request_seat(session, make_user(Role.INVESTOR))


# --- pages ---------------------------------------------------------------------------------

def test_full_session_page_offers_the_waitlist_and_shows_the_position(client, db, login, make_user, full_session):
    session, _holder, _booking, (first, second, _third) = full_session
    newcomer = make_user(Role.INVESTOR)
    login(newcomer)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "加入候补名单" in page and "已有 3 人候补" in page
    page = client.post(f"/sessions/{session.id}/book", follow_redirects=True).get_data(as_text=True)
    assert "已为您加入候补名单，当前排第 4 位" in page
    assert "您在候补名单第 4 位" in page
    mine = client.get("/my/bookings").get_data(as_text=True)
    assert "候补中" in mine and session.title in mine and "第 4 位" in mine
    client.post(f"/sessions/{session.id}/waitlist/leave", follow_redirects=True)
    assert newcomer.id not in waiting(session.id)


def test_cancel_through_the_page_promotes_and_the_promoted_investor_sees_the_booking(
        client, db, login, full_session):
    session, holder, booking, (first, _second, _third) = full_session
    login(holder)
    client.post(f"/bookings/{booking.id}/cancel")
    client.post("/logout")
    login(first)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "您已预约本场路演" in page
    assert "候补成功" in client.get("/notifications/", follow_redirects=True).get_data(as_text=True)


def test_cancelled_session_page_explains_and_offers_no_booking(client, db, login, make_user, make_session):
    session = make_session(status=SessionStatus.CANCELLED, cancellation_reason="主讲嘉宾行程冲突")
    login(make_user(Role.INVESTOR))
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "本场路演已取消" in page and "主讲嘉宾行程冲突" in page
    assert "预约席位</button>" not in page
    page = client.post(f"/sessions/{session.id}/book", follow_redirects=True).get_data(as_text=True)
    assert "这场路演已取消，不能预约" in page
