"""End to end: real server processes (`python wsgi.py`) on random ports, python-socketio clients that
log in over HTTP first, and (when redis-server is installed) two processes sharing rooms through Redis."""
import os
import shutil
import time
from contextlib import contextmanager

import pytest
import socketio

from roadshow.accounts.models import Role

from ..support.live_client import RoomClient, csrf_token, logged_in
from ..support.server import free_port, redis_server, running_server
from ..support.live_room import edit_form


@contextmanager
def server(app, tmp_path, **env):
    """`python wsgi.py` on a random port, on the test's database, until the block ends."""
    port = free_port()
    env = {**os.environ, "SECRET_KEY": "e2e-secret", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "UPLOAD_DIR": str(tmp_path / "uploads"), **env}
    with running_server(env, tmp_path / f"server-{port}.log", port=port) as base:
        yield base


def test_two_clients_on_a_real_server_one_asks_the_other_receives(app, live_room, tmp_path):
    alice, bob = live_room.investors
    session_id = live_room.session.id
    with server(app, tmp_path) as base:
        a = RoomClient(base, logged_in(base, alice.email), session_id)
        b = RoomClient(base, logged_in(base, bob.email), session_id)
        try:
            assert a.wait_for("state")["you"]["can_ask"]
            b.wait_for("state")
            ack = a.sio.call("ask", {"body": "真实服务器上的提问"}, timeout=10)
            assert ack["ok"], ack
            question = b.wait_for("question", lambda q: q["id"] == ack["id"])
            assert question["body"] == "真实服务器上的提问" and question["author"] == alice.name
            assert b.wait_for("presence", lambda p: p["count"] >= 2)["count"] == 2
        finally:
            a.close()
            b.close()

        with pytest.raises(socketio.exceptions.ConnectionError):  # not logged in, room not public
            RoomClient(base, None, session_id)
        with pytest.raises(socketio.exceptions.ConnectionError):  # another site's page
            RoomClient(base, logged_in(base, alice.email), session_id, headers={"Origin": "http://evil.example"})


@pytest.mark.skipif(shutil.which("redis-server") is None,
                    reason="redis-server is not installed (apt-get install redis-server)")
def test_question_asked_on_one_process_reaches_a_client_on_another_through_redis(app, live_room, tmp_path):
    alice, bob = live_room.investors
    session_id = live_room.session.id
    with redis_server(tmp_path) as url, server(app, tmp_path, SOCKETIO_MESSAGE_QUEUE=url) as one, \
            server(app, tmp_path, SOCKETIO_MESSAGE_QUEUE=url) as two:
        a = RoomClient(one, logged_in(one, alice.email), session_id)
        b = RoomClient(two, logged_in(two, bob.email), session_id)
        try:
            a.wait_for("state")
            b.wait_for("state")
            # presence adds up over both processes
            assert b.wait_for("presence", lambda p: p["count"] == 2)["count"] == 2
            ack = a.sio.call("ask", {"body": "跨进程的提问"}, timeout=10)
            assert ack["ok"], ack
            assert b.wait_for("question", lambda q: q["id"] == ack["id"])["body"] == "跨进程的提问"
        finally:
            a.close()
            b.close()


@pytest.mark.skipif(shutil.which("redis-server") is None,
                    reason="redis-server is not installed (apt-get install redis-server)")
def test_access_lost_on_one_process_moves_the_sockets_another_process_holds(app, db, live_room, make_user, tmp_path):
    """An admin on process one gives the session to another host and disables an investor; the old host's
    and the investor's sockets are held by process two."""
    live_room.session.public_viewing = True  # the old host may stay, as a viewer
    db.session.commit()
    admin, new_host = make_user(Role.ADMIN), make_user(Role.HOST)
    alice, bob = live_room.investors
    session_id = live_room.session.id
    with redis_server(tmp_path) as url, server(app, tmp_path, SOCKETIO_MESSAGE_QUEUE=url) as one, \
            server(app, tmp_path, SOCKETIO_MESSAGE_QUEUE=url) as two:
        old = RoomClient(two, logged_in(two, live_room.host.email), session_id)
        b = RoomClient(two, logged_in(two, bob.email), session_id)
        a = RoomClient(one, logged_in(one, alice.email), session_id)
        try:
            for client in (old, b, a):
                client.wait_for("state")
            http = logged_in(one, admin.email)
            edit = f"{one}/admin/sessions/{session_id}/edit"
            response = http.post(edit, data={**edit_form(live_room.session, host_id=new_host.id),
                                             "csrf_token": csrf_token(http, edit)}, allow_redirects=False)
            assert response.status_code == 302, response.text[:300]
            assert old.wait_for("access_changed")["role"] == "viewer"

            ack = a.sio.call("ask", {"body": "跨进程的匿名提问", "anonymous": True}, timeout=10)
            assert ack["ok"], ack
            assert b.wait_for("question", lambda q: q["id"] == ack["id"])["author"] is None
            old.wait_for("question", lambda q: q["id"] == ack["id"])
            time.sleep(1)  # the hosts' form would follow the public one
            assert [q["author"] for e, q in old.seen if e == "question"] == [None]
            assert old.sio.connected

            toggle = f"{one}/admin/users/{bob.id}/toggle"
            response = http.post(toggle, data={"csrf_token": csrf_token(http, f"{one}/admin/users")},
                                 allow_redirects=False)
            assert response.status_code == 302
            assert b.wait_for("removed")["code"] == "signed_out"
            deadline = time.monotonic() + 10
            while b.sio.connected and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not b.sio.connected  # closed by the server, not left to the client
        finally:
            for client in (old, b, a):
                client.close()
