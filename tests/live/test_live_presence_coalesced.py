"""Presence broadcasts are coalesced per room (LIVE_PRESENCE_INTERVAL): a burst of joins makes one
broadcast at once and one more, with the final count, when the interval is over (bench/scenario_live.py
found a thousand joins drowning the clients in presence events)."""
import time



def presence_counts(client) -> list[int]:
    return [p["count"] for p in client.received("presence")]


def test_a_burst_of_joins_makes_one_broadcast_now_and_one_when_the_interval_is_over(app, live_room, connect):
    app.config["LIVE_PRESENCE_INTERVAL"] = 4  # seconds: longer than two logins (password hashing) take
    alice, bob = live_room.investors
    host = connect(live_room.host, live_room.session)
    assert presence_counts(host) == [1]  # the first change goes out at once
    connect(alice, live_room.session)
    connect(bob, live_room.session)
    assert presence_counts(host) == []  # within the interval: held back
    deadline = time.monotonic() + 8
    counts = []
    while not counts and time.monotonic() < deadline:
        time.sleep(0.05)
        counts = presence_counts(host)
    time.sleep(0.3)
    assert counts + presence_counts(host) == [3]  # one broadcast, with the count as it is then


def test_with_interval_zero_every_change_is_broadcast(app, live_room, connect):
    app.config["LIVE_PRESENCE_INTERVAL"] = 0
    alice, bob = live_room.investors
    host = connect(live_room.host, live_room.session)
    connect(alice, live_room.session)
    connect(bob, live_room.session)
    assert presence_counts(host) == [1, 2, 3]
