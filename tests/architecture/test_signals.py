"""Signals between domains: declared by the sender, connected only in roadshow/wiring.py, delivered once.

What each receiver does is tested with its domain (a session ended by the clock stops its live room:
test_live_room; logout closes live sockets: test_live_signout; meetings in the iCal feed:
test_meetings_pages). Here: the wiring itself.
"""
import ast
import json
import subprocess
import sys
from datetime import timedelta
from roadshow import create_app
from roadshow.extensions import db as _db
from roadshow.scheduling import ical, lifecycle
from roadshow.scheduling.lifecycle import LIVE_OVERRUN, advance_sessions
from roadshow.wiring import RECEIVERS

from ..support.signals import PACKAGE, declared_signals
from ..support.live_room import LiveClient, book


def wired(signal) -> list:
    return [receiver for sent, receiver in RECEIVERS if sent is signal]


def test_every_signal_has_exactly_the_receivers_the_wiring_names_however_many_apps_exist(app):
    # the test suite, and a process serving more than one app, call the factory again and again
    create_app(dict(app.config))
    create_app(dict(app.config))
    signals = declared_signals()
    assert {"roadshows.session_status_changed", "scheduling.personal_feed_events",
            "accounts.sessions_ended"} <= set(signals)
    for name, signal in signals.items():
        assert list(signal.receivers.values()) == wired(signal), name


def test_a_session_ended_by_the_clock_reaches_its_live_room_once_with_three_apps_in_the_process(app, live_room):
    ends_at = live_room.session.ends_at
    newest = [create_app(dict(app.config)) for _ in range(2)][-1]  # a new process on the same database
    with newest.app_context():
        watcher = LiveClient(newest, live_room.investors[0], live_room.session.id)
        watcher.received()
        advance_sessions(now=ends_at + LIVE_OVERRUN + timedelta(minutes=1))
        _db.session.commit()
        rooms = watcher.received("room")
        _db.session.remove()
    assert [(room["status"], room["phase"]) for room in rooms] == [("ended", "ended")]


def test_importing_every_module_connects_nothing_until_the_app_is_created():
    """A receiver connected at import would depend on who imported what first; only create_app connects."""
    script = """
import json, pkgutil, importlib, roadshow
for module in pkgutil.walk_packages(roadshow.__path__, "roadshow."):
    importlib.import_module(module.name)
from tests.support.signals import declared_signals
def receivers():
    return {name: len(signal.receivers) for name, signal in declared_signals().items()}
before = receivers()
roadshow.create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
print(json.dumps({"before": before, "after": receivers()}))
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         cwd=PACKAGE.parent)
    assert run.returncode == 0, run.stderr
    counts = json.loads(run.stdout.strip().splitlines()[-1])
    assert counts["before"] == {name: 0 for name in counts["before"]}
    assert counts["after"] == {name: len(wired(signal)) for name, signal in declared_signals().items()}
    assert all(counts["after"].values())  # every declared signal has someone listening


MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault", "connect"}


def _import_time_statements(body):
    """Statements run when the module is imported: not inside a function or class body."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            yield from _import_time_statements(getattr(node, field, []))


def _imported_names(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def test_no_module_fills_another_modules_hook_list_or_connects_a_signal_when_imported():
    """Hook lists filled as a side effect of importing (the old LIFECYCLE_LISTENERS and FEED_SOURCES)
    are gone; a domain that reacts to another is connected in roadshow/wiring.py."""
    offences = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imported_names(tree)
        for statement in _import_time_statements(tree.body):
            for node in ast.walk(statement):
                target = None
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                    target = node.func.value
                elif isinstance(node, (ast.Assign, ast.AugAssign)):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    target = next((t for t in targets if isinstance(t, (ast.Subscript, ast.Attribute))), None)
                if target is not None and _root(target) in imported:
                    offences.add(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert sorted(offences) == []
    assert not hasattr(lifecycle, "LIFECYCLE_LISTENERS") and not hasattr(ical, "FEED_SOURCES")


def _live_imports(path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = [("." * node.level) + (node.module or "") for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    modules += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    return [module for module in modules if module.startswith(("..live", "roadshow.live"))]


def test_the_domains_below_the_live_rooms_tell_them_by_signal_instead_of_calling_them():
    """Accounts, roadshows and scheduling change who may be in a room; the live rooms, which build on them,
    hear it through room_audience_changed and roles_changed (an import the other way made a circle)."""
    below = [PACKAGE / domain for domain in ("accounts", "roadshows", "scheduling")]
    offences = {str(path.relative_to(PACKAGE.parent)): found for folder in below for path in sorted(folder.rglob("*.py"))
                if (found := _live_imports(path))}
    assert offences == {}
