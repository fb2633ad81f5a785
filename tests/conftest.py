"""Fixtures: an app on a real database migrated with Alembic, a client, and factories.

Each test gets its own database: a SQLite file by default, or, when DATABASE_URL names a
PostgreSQL server (the PostgreSQL leg: scripts/with-postgres.sh), a database on that server.
"""
import contextvars
import hashlib
import os
import shutil
from datetime import timedelta
from io import BytesIO
from typing import NamedTuple

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from pypdf import PdfWriter
from sqlalchemy import create_engine, make_url, select
from sqlalchemy.pool import NullPool

from roadshow import create_app
from roadshow.accounts.models import Role, User
from roadshow.extensions import db as _db
from roadshow.investors.models import Institution
from roadshow.organisers.models import Organiser, OrganiserMember
from roadshow.projects.models import Company, Project, ProjectStatus
from roadshow.roadshows.models import RoadshowSession
from roadshow_demo.seed import seed_demo

from .support.factories import (  # noqa: F401  (tests import PASSWORD from here)
    PASSWORD, CompanyFactory, InstitutionFactory, ProjectFactory, SeriesFactory, SessionFactory, TemplateFactory,
    UserFactory,
)
from .support.live_room import connect, live_room  # noqa: F401  (live-room fixtures, for every test folder)
from .support.loan_world import loan_world  # noqa: F401  (a bank, its product and a qualifying startup)


class SqliteDatabases:
    """A test database is the SQLite file itself; a copy of the template is a file copy."""

    def uri(self, db_file, template=None) -> str:
        if template is not None:
            shutil.copy(template, db_file)
        return f"sqlite:///{db_file}"

    def drop(self, db_file) -> None:
        pass  # the file goes with tmp_path

    def drop_all(self) -> None:
        pass


class PostgresDatabases:
    """A test database is a database on the server, named after the file path a SQLite test would use.

    The same path always means the same database (two apps in one test share it, as on SQLite);
    `CREATE DATABASE ... TEMPLATE` copies the migrated template in a few milliseconds.
    """

    def __init__(self, server_url: str):
        self.server = make_url(server_url).set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.created: set[str] = set()

    @staticmethod
    def name(db_file) -> str:
        return f"test_{os.getpid()}_{hashlib.sha1(str(db_file).encode()).hexdigest()[:16]}"

    def uri(self, db_file, template=None) -> str:
        name = self.name(db_file)
        if name not in self.created:
            copy = f' TEMPLATE "{self.name(template)}"' if template is not None else ""
            self._run(f'CREATE DATABASE "{name}"{copy}')
            self.created.add(name)
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop(self, db_file) -> None:
        name = self.name(db_file)
        if name in self.created:
            self.created.discard(name)
            # FORCE: a connection a test left open cannot block the drop
            self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all(self) -> None:
        while self.created:
            self._run(f'DROP DATABASE IF EXISTS "{self.created.pop()}" WITH (FORCE)')

    def _run(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.exec_driver_sql(statement)


SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql"))
databases = PostgresDatabases(SERVER_URL) if ON_POSTGRES else SqliteDatabases()


def config_for(tmp_path, db_file, template=None) -> dict:
    """Test configuration on the database for `db_file` (created empty, or as a copy of `template`)."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": databases.uri(db_file, template),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "DECK_PARSER_SLOT_DIR": str(tmp_path / "deck-parsers"),  # not shared with other test runs on this machine
        "WTF_CSRF_ENABLED": False,
    }


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: checks SQLite itself; skipped on the PostgreSQL leg")


def pytest_report_header(config):
    return f"database backend: {'postgresql ' + databases.server.render_as_string() if ON_POSTGRES else 'sqlite'}"


def pytest_runtest_setup(item):
    if ON_POSTGRES and item.get_closest_marker("sqlite_only"):
        pytest.skip("SQLite-specific check (this run is on PostgreSQL)")


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases():
    yield
    databases.drop_all()  # what tests made with config_for and did not drop, and the template


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """Run every Alembic migration once into a template database; each test gets a copy."""
    folder = tmp_path_factory.mktemp("template")
    db_file = folder / "template.sqlite3"
    app = create_app(config_for(folder, db_file))
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return db_file


class IsolatedClient(FlaskClient):
    """Runs each request in a fresh context, as a real server does.

    The test body keeps an app context open (for services and factories); without
    this, requests would reuse it and share `g` (the logged-in user) and the
    database session with the test and with each other.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():  # redirects are followed inside the isolated context, where there is none
            _db.session.expire_all()  # the test then reads what the request committed
        return response


@pytest.fixture
def app_overrides() -> dict:
    """Configuration a test module needs on top of the defaults: override this fixture in the module."""
    return {}


@pytest.fixture
def app(tmp_path, migrated_template, app_overrides):
    db_file = tmp_path / "roadshow.sqlite3"
    app = create_app({**config_for(tmp_path, db_file, template=migrated_template), **app_overrides})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()
    databases.drop(db_file)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


# The make_* fixtures: the rows most tests start from, built by tests/support/factories.py.

@pytest.fixture
def make_user(db):
    def make(*roles: Role, email: str | None = None, **fields) -> User:
        return UserFactory(roles=roles or (Role.STARTUP,), **({"email": email} if email else {}), **fields)

    return make


@pytest.fixture
def make_company(db):
    def make(owner: User | None = None, **fields) -> Company:
        company = CompanyFactory(**fields)
        if owner is not None:
            owner.company = company
            db.session.commit()
        return company

    return make


@pytest.fixture
def make_project(db):
    def make(company: Company, status: ProjectStatus = ProjectStatus.DRAFT, **fields) -> Project:
        return ProjectFactory(company=company, status=status, **fields)

    return make


@pytest.fixture
def make_institution(db):
    def make(member: User | None = None, verified: bool = True, **fields) -> Institution:
        institution = InstitutionFactory(verified=verified, **fields)
        if member is not None:
            member.institution = institution
            db.session.commit()
        return institution

    return make


@pytest.fixture
def make_session(db):
    def make(capacity: int = 30, starts_in: timedelta = timedelta(days=2), **fields) -> RoadshowSession:
        return SessionFactory(capacity=capacity, starts_in=starts_in, **fields)

    return make


@pytest.fixture
def make_series(db):
    return lambda **fields: SeriesFactory(**fields)


def pdf_bytes(pages: int = 3) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=842, height=595)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def login(client):
    """Log the test client in as a user (through the real login form)."""

    def do_login(user: User, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do_login


@pytest.fixture
def switch_to(client, login):
    """Log out whoever is logged in, then log in as this user."""
    def switch(user):
        client.post("/logout")
        return login(user)
    return switch


class MeetingParties(NamedTuple):
    founder: User
    project: Project
    investor: User


@pytest.fixture
def meeting_parties(make_user, make_company, make_project, make_institution) -> MeetingParties:
    """A startup founder with an approved project, and an investor whose institution can meet them."""
    founder = make_user(Role.STARTUP)
    project = make_project(make_company(founder), ProjectStatus.APPROVED)
    investor = make_user(Role.INVESTOR)
    make_institution(investor)
    return MeetingParties(founder, project, investor)


@pytest.fixture
def make_template(db):
    """A saved session template (scheduling); by default every working day 14:00–16:00 in 长江路演厅, 5 slots."""
    return lambda **fields: TemplateFactory(**fields)


@pytest.fixture
def superuser(app, db, client):
    """The demo data, and the client logged in as a user holding every role, a company, an institution and an organiser:
    the widest view of the app, for tests that walk every route."""
    seed_demo()
    user = db.session.scalars(select(User).order_by(User.id)).first()
    for role in Role:
        user.grant(role)
    user.set_password(PASSWORD)
    user.company = db.session.scalars(select(Company)).first()
    user.institution = db.session.scalars(select(Institution)).first()
    # acting for a partner organiser too, so its pages (and their forms) are walked as well
    db.session.add(OrganiserMember(organiser_id=db.session.scalars(select(Organiser.id)).first(), user_id=user.id))
    db.session.commit()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return user
