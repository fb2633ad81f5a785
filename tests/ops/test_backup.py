"""`flask --app wsgi backup`: a consistent copy of the SQLite database, refused on PostgreSQL."""
import sqlite3
import threading
from itertools import count

import pytest

from roadshow import create_app
from roadshow.accounts.models import Role, User
from roadshow.extensions import db as _db

from ..conftest import config_for


def users_in(path) -> int:
    with sqlite3.connect(path) as copy:
        return copy.execute("SELECT count(*) FROM users").fetchone()[0]


@pytest.mark.sqlite_only
def test_backup_writes_a_complete_self_contained_copy(app, make_user, tmp_path):
    make_user(Role.STARTUP), make_user(Role.INVESTOR)
    target = tmp_path / "copies" / "nightly.sqlite3"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"backup written: {target}" in result.output
    assert users_in(target) == 2
    assert [p.name for p in target.parent.iterdir()] == ["nightly.sqlite3"]  # no -wal, no leftover draft
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


@pytest.mark.sqlite_only
def test_backup_defaults_to_the_instance_folder_and_never_overwrites(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup"]).exit_code == 0
    [written] = (tmp_path / "instance" / "backups").glob("roadshow-*.sqlite3")
    again = runner.invoke(args=["backup", str(written)])
    assert again.exit_code == 1 and "already exists" in again.output


@pytest.mark.sqlite_only
def test_backup_is_consistent_while_another_connection_writes(app, make_user, tmp_path):
    """Users committed five per transaction: each copy holds whole transactions only."""
    make_user(Role.STARTUP)
    stop, numbers = threading.Event(), count()

    def writer():
        with app.app_context():
            while not stop.is_set():
                for _ in range(5):
                    user = User(email=f"writer{next(numbers)}@example.com", name="写入者")
                    user.password_hash = "x"
                    _db.session.add(user)
                _db.session.commit()
            _db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [tmp_path / f"copy{i}.sqlite3" for i in range(3)]
        for copy in copies:
            assert app.test_cli_runner().invoke(args=["backup", str(copy)]).exit_code == 0
    finally:
        stop.set()
        thread.join()
    assert [(users_in(copy) - 1) % 5 for copy in copies] == [0, 0, 0]
    assert users_in(copies[-1]) > 1  # the writer really was writing


def test_backup_refuses_postgresql_and_points_at_pg_dump(tmp_path):
    config = config_for(tmp_path, tmp_path / "db.sqlite3")
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://roadshow@127.0.0.1:1/roadshow"})
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
    assert result.exit_code == 1
    assert "this site uses postgresql" in result.output and "pg_dump" in result.output
    assert not (tmp_path / "copy.sqlite3").exists()
