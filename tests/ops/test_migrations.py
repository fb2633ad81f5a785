"""The schema comes only from Alembic migrations, and they run both ways."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from roadshow import create_app
from roadshow.extensions import db

from ..conftest import config_for


def test_upgrade_from_empty_matches_the_models_and_downgrade_to_base(tmp_path):
    app = create_app(config_for(tmp_path, tmp_path / "fresh.sqlite3"))
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"users", "companies", "projects", "institutions", "funds", "venues", "series",
                "roadshow_sessions", "slots", "bookings", "applications"} <= tables
        with db.engine.connect() as connection:
            # autogenerate finds nothing to add: the migrations build exactly what the models declare
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == []
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) == {"alembic_version"}
        upgrade()  # and back up again from base
        assert "bookings" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


@pytest.mark.sqlite_only
def test_sqlite_connections_use_wal_and_enforce_foreign_keys(app):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
