"""Column helpers shared by the domain models, and the end of each request's database session."""
import logging
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Mapped, mapped_column

from .timeutil import utcnow

log = logging.getLogger(__name__)


def close_session_safely(app: Flask) -> None:
    """Register (after db.init_app, so it runs before Flask-SQLAlchemy's own teardown) an end of request that
    survives a database gone away: closing the session rolls back, and a rollback on a connection the server
    dropped (a restart) raised out of the teardown, turning an answer already made, e.g. a cancellation that
    was committed, into a bare 500. The dead connection is discarded instead; the pool opens a new one."""
    from ..extensions import db

    @app.teardown_appcontext
    def remove_session(_exc=None):
        try:
            db.session.remove()
        except sa.exc.SQLAlchemyError as exc:
            log.warning("database session closed on a dead connection: %s", type(exc).__name__)
            discard_session()


def commit_as_written() -> None:
    """Commit, keeping the loaded objects as this transaction left them instead of expiring them: for an answer
    made of what the request just wrote (and read under its own locks), which re-reading after the commit
    would only repeat, a query per object (a booking's answer: the booking, its session, venue and series)."""
    from ..extensions import db

    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def insert_once(model, unique: list[str], **values):
    """The new row, or None when a row with the same `unique` columns exists (even one a concurrent transaction
    just wrote): one INSERT … ON CONFLICT DO NOTHING RETURNING, which SQLite and PostgreSQL both have (reading
    first costs a statement and still races; a savepoint around the insert costs three round trips). A NULL
    in the unique columns conflicts with nothing: the row is inserted, with its id, like any other."""
    from sqlalchemy.dialects import postgresql, sqlite

    from ..extensions import db

    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[db.session.get_bind().dialect.name]
    return db.session.scalars(
        insert(model).values(**values).on_conflict_do_nothing(index_elements=unique).returning(model)
    ).first()


def discard_session() -> None:
    """Drop the request's session and its connections without a rollback (the server has gone: a rollback
    fails too). The pool opens new connections for the next request, pool_pre_ping checking them first."""
    from ..extensions import db

    try:
        db.session.registry().invalidate()
    except sa.exc.SQLAlchemyError:
        pass  # nothing more can be done with a connection that is gone
    finally:
        db.session.registry.clear()


def enum_type(enum_cls: type) -> sa.Enum:
    """Store an enum by its value as a plain string (no native DB enum to migrate)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Hundredths(sa.types.TypeDecorator):
    """An exact Decimal with two places (money in yuan, a percentage), stored as a whole number of
    hundredths: exact on SQLite too, which has no decimal type. More places than two are refused."""
    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        scaled = Decimal(value) * 100
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than two decimal places")
        return int(scaled)

    def process_result_value(self, value, dialect):
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))
