"""Ending a user's sessions (logout, an admin disabling the account) closes their live-room sockets,
and a socket that stays open gets nothing more."""
from roadshow.accounts.models import Role

from ..support.live_room import book


def test_logout_closes_the_users_live_sockets(live_room, connect):
    alice = live_room.investors[0]
    room = connect(alice, live_room.session)
    other = connect(live_room.investors[1], live_room.session)
    assert room.connected
    room._run(lambda: room.http.post("/logout"))
    assert not room.connected
    assert "登录已失效" in room.received("removed")[-1]["message"]
    assert other.connected  # nobody else is affected


def test_disabling_an_account_closes_its_sockets_and_refuses_its_events(live_room, connect, make_user, client,
                                                                         login):
    alice = live_room.investors[0]
    room = connect(alice, live_room.session)
    login(make_user(Role.ADMIN))
    assert client.post(f"/admin/users/{alice.id}/toggle").status_code == 302
    assert not room.connected
    # alice's browser still holds its cookie: it no longer logs anyone in (sockets use the same check)
    assert "/login" in room._run(lambda: room.http.get("/my/bookings")).headers["Location"]
