"""Polls in the live room: the host launches, members vote once, results reach real Socket.IO clients live,
the host closes and shows them; bad or excessive events change nothing; polls stay in the session's record."""
import pytest

from roadshow.live.models import Poll, PollBallot, PollChoice


def launch(host, **fields):
    body = {"question": "您最看好哪个方向？", "options": ["激光", "芯片", "显示"], **fields}
    ack = host.emit("host:poll_launch", body)
    assert ack["ok"], ack
    return ack["id"]


def options_of(client, poll_id):
    """The poll's option ids, as the client learnt them (on connect, or when the poll was launched)."""
    client.received()
    seen = client.last("state")["polls"] + [e["args"][0] for e in client._kept if e["name"] == "poll"]
    poll = next(p for p in seen if p["id"] == poll_id)
    return [o["id"] for o in poll["options"]]


def snapshot(db) -> tuple:
    return db.session.query(Poll).count(), db.session.query(PollBallot).count(), db.session.query(PollChoice).count()


def test_members_vote_once_and_the_host_sees_counts_live(live_room, connect, db):
    host = connect(live_room.host, live_room.session)
    alice, bob = (connect(i, live_room.session) for i in live_room.investors)
    founder = connect(live_room.founder, live_room.session)
    poll_id = launch(host)
    launched = alice.received("poll")[-1]
    assert launched["question"] == "您最看好哪个方向？" and "counts" not in launched  # not shown to the room yet
    laser, chips, _display = (o["id"] for o in launched["options"])

    assert alice.emit("poll_vote", {"poll_id": poll_id, "option_ids": [laser]})["ok"]
    live = host.received("poll")[-1]
    assert live["counts"] == {str(laser): 1, str(chips): 0, str(_display): 0} and live["ballots"] == 1
    assert live["voters"][str(laser)] == ["张投资"]
    assert "counts" not in bob.received("poll")[-1]

    again = alice.emit("poll_vote", {"poll_id": poll_id, "option_ids": [chips]})
    assert again["ok"] is False and again["code"] == "already_voted"
    assert db.session.query(PollBallot).filter_by(poll_id=poll_id).count() == 1

    assert founder.emit("poll_vote", {"poll_id": poll_id, "option_ids": [chips]})["ok"]  # everyone in the room votes
    assert bob.emit("poll_vote", {"poll_id": poll_id, "option_ids": [laser]})["ok"]
    assert host.received("poll")[-1]["counts"][str(laser)] == 2

    assert host.emit("host:poll_close", {"poll_id": poll_id})["ok"]
    final = bob.received("poll")[-1]
    assert final["open"] is False and final["counts"] == {str(laser): 2, str(chips): 1, str(_display): 0}
    assert "voters" not in final  # names are for the host
    late = connect(live_room.investors[1], live_room.session)
    assert late.emit("poll_vote", {"poll_id": poll_id, "option_ids": [chips]})["code"] in ("poll_closed", "already_voted")
    assert late.last("state")["you"]["ballots"] == {str(poll_id): [laser]}


def test_anonymous_multiple_choice_poll_names_nobody_and_shown_results_update_live(live_room, connect):
    host = connect(live_room.host, live_room.session)
    alice, bob = (connect(i, live_room.session) for i in live_room.investors)
    poll_id = launch(host, kind="multiple", anonymous=True)
    first, second, third = (o["id"] for o in alice.received("poll")[-1]["options"])
    assert host.emit("host:poll_show", {"poll_id": poll_id})["ok"]
    assert alice.emit("poll_vote", {"poll_id": poll_id, "option_ids": [first, third]})["ok"]
    seen = bob.received("poll")[-1]
    assert seen["counts"] == {str(first): 1, str(second): 0, str(third): 1}
    assert host.received("poll")[-1]["voters"] == {}
    assert bob.emit("poll_vote", {"poll_id": poll_id, "option_ids": [first, first]})["code"] == "invalid_options"


def test_single_choice_takes_one_option_of_this_poll(live_room, connect, db, make_session):
    host = connect(live_room.host, live_room.session)
    alice = connect(live_room.investors[0], live_room.session)
    poll_id = launch(host)
    other_id = launch(host, question="另一个投票")
    ids = options_of(alice, poll_id)
    foreign = options_of(alice, other_id)[0]
    before = snapshot(db)
    for option_ids in ([ids[0], ids[1]], [], [foreign], [999999]):
        ack = alice.emit("poll_vote", {"poll_id": poll_id, "option_ids": option_ids})
        assert ack["ok"] is False and ack["code"] == "invalid_options", option_ids
    assert snapshot(db) == before


@pytest.mark.parametrize("event, data", [
    ("host:poll_launch", {"question": "问题", "options": ["一", "二"], "kind": "ranked"}),
    ("host:poll_launch", {"question": "问题", "options": "一,二"}),
    ("host:poll_launch", {"question": "问题", "options": ["一"] * 8}),
    ("host:poll_launch", {"question": "问题", "options": ["一", "二"], "secret": 1}),
    ("poll_vote", {"poll_id": "1", "option_ids": [1]}),
    ("poll_vote", {"poll_id": 1, "option_ids": [1] * 7}),
    ("host:poll_close", {"id": 1}),
])
def test_malformed_poll_events_change_nothing(live_room, connect, db, event, data):
    host = connect(live_room.host, live_room.session)
    before = snapshot(db)
    ack = host.emit(event, data)
    assert ack["ok"] is False and ack["code"] == "invalid_payload"
    assert snapshot(db) == before


def test_poll_rules_options_length_and_who_launches(live_room, connect, db):
    host = connect(live_room.host, live_room.session)
    alice = connect(live_room.investors[0], live_room.session)
    before = snapshot(db)
    assert host.emit("host:poll_launch", {"question": "问题", "options": ["一"]})["code"] == "invalid_options"
    assert host.emit("host:poll_launch", {"question": "问题", "options": list("一二三四五六七")})["code"] == "invalid_options"
    assert host.emit("host:poll_launch", {"question": "问题", "options": ["一", "一"]})["code"] == "invalid_options"
    assert host.emit("host:poll_launch", {"question": "问" * 201, "options": ["一", "二"]})["code"] == "too_long"
    assert host.emit("host:poll_launch", {"question": "问题", "options": ["一", " "]})["code"] == "empty"
    assert alice.emit("host:poll_launch", {"question": "问题", "options": ["一", "二"]})["code"] == "forbidden"
    assert snapshot(db) == before
    poll_id = launch(host, options=list("一二三四五六"))
    assert alice.emit("host:poll_close", {"poll_id": poll_id})["code"] == "forbidden"


def test_poll_ballots_are_rate_limited(app, live_room, connect):
    app.config.update(LIVE_POLL_VOTE_RATE="2/minute", LIVE_POLL_RATE="3/minute")
    host = connect(live_room.host, live_room.session)
    alice = connect(live_room.investors[0], live_room.session)
    polls = [launch(host, question=f"第{n}个投票") for n in range(3)]
    assert host.emit("host:poll_launch", {"question": "第四个", "options": ["一", "二"]})["code"] == "rate_limited"
    acks = [alice.emit("poll_vote", {"poll_id": p, "option_ids": options_of(alice, p)[:1]}) for p in polls]
    assert [a["ok"] for a in acks] == [True, True, False] and acks[2]["code"] == "rate_limited"


def test_polls_are_kept_in_the_record(app, live_room, connect, db):
    host = connect(live_room.host, live_room.session)
    alice = connect(live_room.investors[0], live_room.session)
    poll_id = launch(host, question="会后还看得到这个投票吗？")
    alice.emit("poll_vote", {"poll_id": poll_id, "option_ids": options_of(alice, poll_id)[1:2]})
    assert host.emit("host:end")["ok"]
    assert db.session.get(Poll, poll_id).closed_at is not None  # ending the session ends its polls
    page = alice.http.get(f"/live/{live_room.session.id}/record").get_data(as_text=True)
    assert "会后还看得到这个投票吗？" in page and "芯片" in page
    assert "100%" in page  # the one ballot chose 芯片
