"""Whoever loses the right to be in a live room loses its broadcasts at once, not at their next connect.

The rooms a socket joined used to be decided at connect: after an admin gave the session to another
host, the old host's socket still received the real author of anonymous questions; an investor who gave
back their seat still received the announcements. Each change of access goes through the admin pages or
the investor's own pages, as a user would make it, and is watched by real Socket.IO test clients.
"""
import pytest

from roadshow.accounts.models import Role
from roadshow.extensions import db as _db
from roadshow.roadshows import curation
from roadshow.roadshows.models import Booking

from ..support.live_room import edit_form


@pytest.fixture
def admin(make_user, client, login):
    """The test's HTTP client, logged in as an admin."""
    login(make_user(Role.ADMIN))
    return client


def ask_anonymously(asker) -> int:
    ack = asker.emit("ask", {"body": "请问核心团队的股权结构？", "anonymous": True})
    assert ack["ok"], ack
    return ack["id"]


def announce(host, body: str = "十分钟后进入问答环节") -> None:
    assert host.emit("host:announce", {"body": body})["ok"]


def test_old_host_stops_receiving_question_authors_and_the_new_host_starts_at_once(live_room, connect, db,
                                                                                      make_user, admin):
    live_room.session.public_viewing = True  # both hosts may watch, so the old one stays as a viewer
    db.session.commit()
    new_host = make_user(Role.HOST, name="赵主持")
    old, new = connect(live_room.host, live_room.session), connect(new_host, live_room.session)
    alice = connect(live_room.investors[0], live_room.session)
    assert new.last("state")["you"]["role"] == "viewer"

    response = admin.post(f"/admin/sessions/{live_room.session.id}/edit",
                          data=edit_form(live_room.session, host_id=new_host.id))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert old.received("access_changed")[-1]["role"] == "viewer"
    assert new.received("access_changed")[-1]["role"] == "host"

    qid = ask_anonymously(alice)
    assert [(q["id"], q["author"]) for q in old.received("question")] == [(qid, None)]  # the public form only
    assert [(q["id"], q["author"]) for q in new.received("question")] == [(qid, "张投资")]
    assert old.connected and alice.connected


def test_old_host_without_another_way_in_is_told_and_disconnected(live_room, connect, make_user, admin):
    old = connect(live_room.host, live_room.session)
    alice = connect(live_room.investors[0], live_room.session)
    admin.post(f"/admin/sessions/{live_room.session.id}/edit",
               data=edit_form(live_room.session, host_id=make_user(Role.HOST).id))
    assert not old.connected
    assert old.received("removed")[-1]["code"] == "forbidden"
    ask_anonymously(alice)
    assert old.received("question") == []


def test_investor_who_cancels_the_seat_gets_no_more_announcements(live_room, connect):
    alice, bob = live_room.investors
    a, b = connect(alice, live_room.session), connect(bob, live_room.session)
    host = connect(live_room.host, live_room.session)
    booking = _db.session.query(Booking).filter_by(user_id=alice.id, session_id=live_room.session.id).one()
    assert a._run(lambda: a.http.post(f"/bookings/{booking.id}/cancel")).status_code == 302
    assert not a.connected
    assert a.received("removed")[-1]["code"] == "forbidden"
    announce(host)
    assert a.received("announcement") == []
    assert [x["body"] for x in b.received("announcement")] == ["十分钟后进入问答环节"]  # the others keep theirs


def test_with_public_viewing_a_cancelled_seat_moves_the_investor_to_the_viewers(live_room, connect, db):
    live_room.session.public_viewing = True
    db.session.commit()
    alice = live_room.investors[0]
    a = connect(alice, live_room.session)
    host = connect(live_room.host, live_room.session)
    booking = _db.session.query(Booking).filter_by(user_id=alice.id, session_id=live_room.session.id).one()
    a._run(lambda: a.http.post(f"/bookings/{booking.id}/cancel"))
    assert a.connected
    assert a.received("access_changed")[-1]["role"] == "viewer"
    announce(host)
    assert len(a.received("announcement")) == 1  # viewers may still watch


def test_admin_whose_admin_role_is_removed_leaves_the_hosts_audience(live_room, connect, make_user, admin):
    colleague = make_user(Role.ADMIN, Role.INVESTOR)
    c = connect(colleague, live_room.session)
    assert c.last("state")["you"]["role"] == "host"
    alice = connect(live_room.investors[0], live_room.session)
    response = admin.post(f"/admin/users/{colleague.id}/roles", data={f"u{colleague.id}-roles": ["investor"]})
    assert response.status_code == 302
    assert not c.connected
    assert c.received("removed")[-1]["code"] == "forbidden"
    ask_anonymously(alice)
    assert c.received("question") == []


def test_startup_taken_out_of_the_lineup_leaves_the_room(live_room, connect, admin):
    founder = connect(live_room.founder, live_room.session)
    assert founder.last("state")["you"]["role"] == "presenter"
    host = connect(live_room.host, live_room.session)
    admin.post(f"/admin/slots/{live_room.slots[0].id}/remove")
    assert not founder.connected
    assert founder.received("removed")[-1]["code"] == "forbidden"
    announce(host)
    assert founder.received("announcement") == []


def test_cancelled_session_sends_everyone_out_with_the_reason(live_room, connect, db, admin):
    live_room.session.public_viewing = True
    db.session.commit()
    clients = [connect(user, live_room.session) for user in (live_room.host, live_room.investors[0], None)]
    assert all(c.connected for c in clients)
    admin.post(f"/admin/sessions/{live_room.session.id}/cancel", data={"reason": "台风预警"})
    for c in clients:
        assert not c.connected
        removed = c.received("removed")[-1]
        assert removed["code"] == "cancelled" and "台风预警" in removed["message"]


def test_a_change_that_is_rolled_back_moves_nobody(live_room, connect, db):
    a = connect(live_room.investors[0], live_room.session)
    host = connect(live_room.host, live_room.session)
    curation.cancel_session(live_room.session, "误操作")
    db.session.rollback()
    assert a.connected
    announce(host)
    assert len(a.received("announcement")) == 1
