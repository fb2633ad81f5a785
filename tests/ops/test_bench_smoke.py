"""The benchmark helpers (`make bench`, bench/) work, on tiny sizes: percentiles and targets, the scaled
database and its login cookies, the fan-out clients against the bare Socket.IO server, the load
generators, and the booking burst against the real server with its database check."""
import asyncio
import math
import sys

import pytest
import sqlalchemy as sa

from bench import fanout, load, scenario_booking_burst, support
from bench.run import meets
from bench.world import Scale, World, login_cookies, scale_up
from roadshow.projects.models import Project
from roadshow.roadshows.models import RoadshowSession, Slot


def test_percentiles_and_targets():
    stats = support.summary([float(n) for n in range(1, 101)])
    assert (stats["p50"], stats["p95"], stats["p99"], stats["max"], stats["count"]) == (50, 95, 99, 100, 100)
    assert math.isnan(support.summary([])["p99"])
    row = {"target": 2.0, "better": "lower"}
    assert meets({**row, "value": 2.0}) and not meets({**row, "value": 2.1}) and not meets({**row, "value": math.nan})
    assert meets({"target": 0.5, "better": "higher", "value": 0.6}) and not meets({"target": 0.5, "better": "higher", "value": 0.4})
    assert meets({"target": None, "better": "lower", "value": None})


@pytest.fixture
def tiny_world(app, db, tmp_path):
    ids = scale_up(Scale(days=10, projects=30, institutions=5, investors=8, bookings_per_session=2))
    return World(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], app, ids)


def test_scaled_database_and_login_cookies(tiny_world, db, client):
    assert len(tiny_world.investor_ids) == 8
    assert db.session.scalar(sa.select(sa.func.count(Project.id))) == 30
    assert db.session.scalar(sa.select(sa.func.count(RoadshowSession.id))) == 10
    assert db.session.scalar(sa.select(sa.func.count(Slot.id))) == 30  # 4 per session while projects last
    assert client.get("/my/bookings").status_code == 302  # not signed in: to the login page
    name, _, value = login_cookies(tiny_world, tiny_world.investor_ids[:1])[0].partition("=")
    client.set_cookie(name, value)  # the test client sends its own cookie jar, not a Cookie header
    assert client.get("/my/bookings").status_code == 200  # signed in as the investor


@pytest.fixture
def bare_server(tmp_path):
    with support.server([sys.executable, "-m", "bench.bare_socketio"], support.server_env("sqlite://", tmp_path),
                        tmp_path / "bare.log") as base:
        yield base


def test_fanout_reaches_every_client_and_measures_each_receipt(bare_server):
    clients = [fanout.Client({}, None) for _ in range(3)]
    result = asyncio.run(fanout.fanout(bare_server, clients, fanout.Client({}, None), fanout.bare_payload,
                                       questions=3, rate=20, warmup=1, settle_quiet=0.1))
    assert (result.connected, result.sent, result.refused, result.lost, result.dropped) == (3, 4, 0, 0, 0)
    assert len(result.latencies_ms) == 9 and all(0 <= ms < 5000 for ms in result.latencies_ms)
    assert result.payload_bytes > 200 and not result.errors


def test_load_generators_count_answers_and_errors(bare_server):
    steady = load.run_open_loop(bare_server + "/readyz", rate=40, seconds=0.5)
    assert (steady.ok, steady.failed) == (20, 0) and steady.throughput > 0
    assert load.run_closed_loop(bare_server + "/readyz", concurrency=2, seconds=0.3).ok > 0
    failing = load.run_open_loop(bare_server + "/readyz", rate=20, seconds=0.25, expect=201)
    assert failing.failed == 5 and failing.stats()["p99"] == math.inf  # an error never flatters the percentiles


def test_booking_burst_on_the_real_server_books_exactly_the_seats(tiny_world, tmp_path):
    tokens = scenario_booking_burst.api_tokens(tiny_world, tiny_world.investor_ids[:5])
    with support.server([sys.executable, "wsgi.py"], tiny_world.env(), tmp_path / "app.log") as base:
        result = scenario_booking_burst.contend(tiny_world, base, tokens, seats=2, hours_ahead=0)
    assert result.statuses == {"201": 2, "202": 3}
    assert result.check == "" and len(result.latencies_ms) == 5


def test_lean_clients_in_two_processes_join_receive_every_question_and_notice_a_refusal(bare_server):
    """bench/swarm.py (the 5,000-client generator) against the bare server: everyone in, every question timed."""
    from bench import swarm

    with swarm.Swarm(2) as crowd:
        specs = [swarm.Spec(i / 10, {}, None, swarm.source_address(i)) for i in range(5)]
        joined = crowd.join(bare_server, specs, support.time.time(), joined_on="connect")
        assert all(j.in_room is not None and j.error is None for j in joined)
        asking = asyncio.run(swarm.ask(bare_server, swarm.Spec(0, {}, None), fanout.bare_payload, 3, 20,
                                       joined_on="connect"))
        assert all(ack == {"ok": True} for ack in asking.acks.values()) and len(asking.acks) == 3
        receipts = crowd.collect(3, limit=10)
        assert [sorted(arrivals) for arrivals, _, _ in receipts] == [[0, 1, 2]] * 5
        assert all(arrivals[seq] >= asking.sends[seq] for arrivals, _, _ in receipts for seq in arrivals)
        assert crowd.cpu_seconds() > 0
    with swarm.Swarm(1) as crowd:  # nobody listening: an error, not a hang
        refused = crowd.join(f"http://127.0.0.1:{support.free_port()}", specs[:1], support.time.time(),
                             timeout=2, joined_on="connect")
        assert refused[0].in_room is None and refused[0].error


def test_postgresql_rows_get_the_sqlite_figure_beside_them(tmp_path, monkeypatch, capsys):
    from bench import run

    monkeypatch.setattr(run, "RESULTS", tmp_path / "latest.json")
    (tmp_path / "latest.json").write_text('{"results": [{"scenario": "booking_burst", "name": "p99", "value": 900.0}]}')
    rows = [{"scenario": "pages_logged_in", "name": "calendar", "value": 0.3},
            {"scenario": "pages_logged_in_postgresql", "name": "calendar", "value": 0.25},
            {"scenario": "booking_burst_postgresql", "name": "p99", "value": 1200.0}]
    run.beside_sqlite(rows)
    assert [r.get("sqlite") for r in rows] == [None, 0.3, 900.0]  # this run's, else the last run's
    run.print_table([{**r, "target": 1000.0, "better": "lower", "note": "", "unit": "ms", "ok": run.meets(
        {"target": 1000.0, "better": "lower", "value": r["value"]}), "app": "a", "baseline": "b"} for r in rows])
    table = capsys.readouterr().out
    assert "✓" in table and "✗" in table and "SQLite" in table and "900.000" in table
