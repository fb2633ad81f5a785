"""SQLite connection settings: WAL for concurrent readers, foreign keys enforced; under gevent, one writer at a
time per process.

Why the writer lock: SQLite waits for another connection's write lock inside C (busy_timeout), which under
gevent stops the whole process, every greenlet with it. When the holder is a greenlet of the same process,
paused on I/O between its first write and its commit (a Redis call, a socket), it can never resume to release
the lock: the process froze for the whole busy timeout and the waiting write failed ("database is locked"; a
replay was lost that way). Waiting for the process's own writers on a gevent lock instead lets the holder
finish; writers in other processes still meet SQLite's own wait, and they finish on their own.
"""
import re
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

BUSY_TIMEOUT_SECONDS = 15
# pysqlite opens a transaction at the first of these; it holds the database's write lock until it ends.
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_HOLDS_WRITER = "roadshow_holds_process_writer"
_writer = None  # the process's writer lock (take_turns_under_gevent)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()


def take_turns_under_gevent() -> None:
    """Under gevent (threading patched: the server processes of serve-prod), make the process's SQLite writers
    take turns on a gevent lock. Nothing to do with OS threads: a waiting thread blocks only itself, and the
    holder goes on. Called by the app factory, after gunicorn's gevent worker has patched the process."""
    global _writer
    if _writer is not None:
        return
    try:
        from gevent import monkey
    except ImportError:
        return
    if not monkey.is_module_patched("threading"):
        return
    from gevent.lock import Semaphore

    _writer = Semaphore(1)
    event.listen(Engine, "before_cursor_execute", _wait_for_the_process_writer)
    # The transaction ends. These fire just before the DBAPI commit or rollback, which follows without any
    # chance for gevent to switch, so no other writer starts before it.
    event.listen(Engine, "commit", lambda conn: _release(conn.info))
    event.listen(Engine, "rollback", lambda conn: _release(conn.info))
    # A connection given back, reset, closed or invalidated without a commit or rollback of its own.
    event.listen(Pool, "reset", lambda _dbapi, record, _state: _release(record.info))
    event.listen(Pool, "invalidate", lambda _dbapi, record, _exc: _release(record.info))
    event.listen(Pool, "close", lambda _dbapi, record: _release(record.info))


def _wait_for_the_process_writer(conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    if conn.dialect.name != "sqlite" or conn.info.get(_HOLDS_WRITER) or not _WRITE.match(statement):
        return
    # Bounded like SQLite's own wait: a writer that never commits must not stop the others for good.
    if not _writer.acquire(timeout=BUSY_TIMEOUT_SECONDS):
        raise sqlite3.OperationalError("database is locked")  # what SQLite says when its wait runs out
    conn.info[_HOLDS_WRITER] = True


def _release(info: dict) -> None:
    if info.pop(_HOLDS_WRITER, False):
        _writer.release()
