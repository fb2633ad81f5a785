"""serve-prod's server processes run under gevent, where SQLite's wait for another writer stops the whole process.
A greenlet paused on I/O between its first write and its commit (a Redis call) left another greenlet's write
waiting inside SQLite: the process froze for the 15 s busy timeout and that write failed (the video leg lost a
replay this way). Real SQLite, real gevent, in a process of their own (gevent patches the process first)."""
import json
import subprocess
import sys
import textwrap

from ..support.server import ROOT

SCRIPT = textwrap.dedent("""
    from gevent import monkey; monkey.patch_all()
    import json, sys, time, gevent
    import sqlalchemy as sa
    from roadshow.common import sqlite
    sqlite.take_turns_under_gevent()  # as the app factory does

    engine = sa.create_engine("sqlite:///" + sys.argv[1])
    with engine.begin() as c:
        c.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    ticks, results = [], {}

    def ticker():  # every other greenlet of the process: live rooms, requests
        while len(results) < 2:
            ticks.append(time.monotonic()); gevent.sleep(0.01)

    def holder():  # writes, then waits on I/O before its commit
        with engine.connect() as c:
            c.execute(sa.text("INSERT INTO notes (body) VALUES ('first')"))
            gevent.sleep(0.5)
            c.commit()
        results["holder"] = time.monotonic()

    def second():
        gevent.sleep(0.1)
        try:
            with engine.connect() as c:
                c.execute(sa.text("INSERT INTO notes (body) VALUES ('second')"))
                c.commit()
            results["second"] = time.monotonic()
        except Exception as exc:
            results["second"] = repr(exc)

    start = time.monotonic()
    gevent.joinall([gevent.spawn(ticker), gevent.spawn(holder), gevent.spawn(second)])
    with engine.connect() as c:
        bodies = [row[0] for row in c.execute(sa.text("SELECT body FROM notes ORDER BY id"))]
    print(json.dumps({"second": "ok" if isinstance(results["second"], float) else results["second"],
                      "bodies": bodies, "seconds": time.monotonic() - start,
                      "longest_pause": max(b - a for a, b in zip(ticks, ticks[1:]))}))
""")


def test_a_write_waiting_for_another_greenlets_write_neither_freezes_the_process_nor_fails(tmp_path):
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "gevent.sqlite3")], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    assert result["second"] == "ok" and result["bodies"] == ["first", "second"], result  # in turn, both kept
    assert result["seconds"] < 2 and result["longest_pause"] < 0.3, result  # the others went on meanwhile
