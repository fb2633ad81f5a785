"""What every audience member receives alike on joining (approved questions, announcements, polls) is kept per
room and change (roadshow/live/room_content.py): a client joining after any change must find it in its `state`,
exactly as if nothing were kept, and the version that says "changed" must be shared by every process."""
import shutil

import pytest
import redis

from roadshow.live.room_content import ContentVersions

from ..support.server import redis_server


def state_of(connect, user, session) -> dict:
    client = connect(user, session)
    state = client.last("state")
    client.disconnect()
    return state


def test_a_client_joining_after_each_change_finds_it_in_its_state(live_room, connect):
    alice, bob = live_room.investors
    session = live_room.session
    host = connect(live_room.host, session)
    a = connect(alice, session)
    assert state_of(connect, bob, session)["questions"] == []  # the room's content is kept from here on

    first = a.emit("ask", {"body": "量产良率多少？"})["id"]
    second = a.emit("ask", {"body": "客户有哪些？"})["id"]
    assert [q["id"] for q in state_of(connect, bob, session)["questions"]] == [first, second]

    b = connect(bob, session)
    b.emit("vote", {"question_id": second})
    assert [(q["id"], q["votes"]) for q in state_of(connect, bob, session)["questions"]] == [(second, 1), (first, 0)]
    host.emit("host:moderate", {"question_id": first, "action": "pin"})
    assert state_of(connect, bob, session)["questions"][0]["pinned"]
    host.emit("host:moderate", {"question_id": second, "action": "hide"})
    assert [q["id"] for q in state_of(connect, bob, session)["questions"]] == [first]

    host.emit("host:announce", {"body": "茶歇后继续"})
    assert [x["body"] for x in state_of(connect, bob, session)["announcements"]] == ["茶歇后继续"]

    poll = host.emit("host:poll_launch", {"question": "最看好哪个方向？", "options": ["激光", "芯片"]})["id"]
    polls = state_of(connect, bob, session)["polls"]
    assert [p["id"] for p in polls] == [poll] and polls[0]["ballots"] == 0 and "counts" not in polls[0]
    option = polls[0]["options"][0]["id"]
    assert a.emit("poll_vote", {"poll_id": poll, "option_ids": [option]})["ok"]
    assert state_of(connect, bob, session)["polls"][0]["ballots"] == 1
    host.emit("host:poll_show", {"poll_id": poll})
    assert state_of(connect, bob, session)["polls"][0]["counts"][str(option)] == 1


def test_own_questions_awaiting_moderation_are_only_their_authors(live_room, connect):
    alice, bob = live_room.investors
    session = live_room.session
    host = connect(live_room.host, session)
    host.emit("host:settings", {"premoderation": True})
    a = connect(alice, session)
    approved = a.emit("ask", {"body": "先批准这个"})["id"]
    host.emit("host:moderate", {"question_id": approved, "action": "approve"})
    waiting = a.emit("ask", {"body": "还在等审核"})["id"]

    assert [q["id"] for q in state_of(connect, bob, session)["questions"]] == [approved]
    mine = state_of(connect, alice, session)
    assert [q["id"] for q in mine["questions"]] == [approved, waiting]
    assert sorted(mine["you"]["mine"]) == [approved, waiting]
    assert [q["id"] for q in state_of(connect, bob, session)["questions"]] == [approved]  # alice's stayed hers
    assert {q["id"] for q in state_of(connect, live_room.host, session)["questions"]} == {approved, waiting}


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_a_change_in_one_process_is_seen_by_every_other(tmp_path):
    with redis_server(tmp_path) as url:
        one, two = ContentVersions(url), ContentVersions(url)  # two server processes
        before = two.current(7)
        one.bump(7)
        assert two.current(7) != before and two.current(7) == one.current(7)
        assert two.current(8) == one.current(8)  # another room: untouched
        kept_under = one.current(7)
        redis.Redis.from_url(url).flushall()  # Redis restarted empty: no version may repeat an old one
        assert one.current(7) not in (kept_under, None) and two.current(7) == one.current(7)
    # Redis gone: the version is unknown, so nothing kept is trusted (the content is read afresh)
    assert one.current(7) is None
