"""Fixtures: an app on a real SQLite file migrated with Alembic, a client, and factories."""
import contextvars
import shutil
from datetime import timedelta
from io import BytesIO
from itertools import count

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from pypdf import PdfWriter

from roadshow import create_app
from roadshow.accounts.models import Role, User
from roadshow.common.choices import IndustryChain, Stage
from roadshow.common.timeutil import utcnow
from roadshow.extensions import db as _db
from roadshow.investors.models import Fund, Institution, InstitutionType, VerificationStatus
from roadshow.projects.credit_code import ALPHABET, check_character
from roadshow.projects.models import Company, Project, ProjectStatus
from roadshow.roadshows.models import RoadshowSession, Series, SeriesKind, SessionStatus, Venue

PASSWORD = "correct-horse-battery"
_seq = count(1)


def config_for(tmp_path, db_file) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """Run every Alembic migration once into a template database file; tests copy it."""
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
def app(tmp_path, migrated_template):
    db_file = tmp_path / "roadshow.sqlite3"
    shutil.copy(migrated_template, db_file)
    app = create_app(config_for(tmp_path, db_file))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


def unique(prefix: str) -> str:
    return f"{prefix}{next(_seq)}"


def make_credit_code(seed: int) -> str:
    body = "914201" + f"{seed:02d}"[-2:] + "".join(ALPHABET[(seed * 7 + i * 3) % 31] for i in range(9))
    return body + check_character(body)


@pytest.fixture
def make_user(db):
    def make(*roles: Role, email: str | None = None, name: str = "测试用户", password: str = PASSWORD) -> User:
        user = User(email=email or f"{unique('user')}@example.com", name=name)
        user.set_password(password)
        for role in roles or (Role.STARTUP,):
            user.grant(role)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_company(db):
    def make(owner: User | None = None, **fields) -> Company:
        n = next(_seq)
        values = dict(
            name=f"武汉光谷测试科技有限公司{n}",
            credit_code=make_credit_code(n),
            industry_chain=IndustryChain.OPTOELECTRONICS,
            stage=Stage.A,
            city="武汉",
            founded_year=2019,
            headcount=45,
            patents_count=12,
            innovation_score=78,
        )
        values.update(fields)
        company = Company(**values)
        db.session.add(company)
        if owner is not None:
            owner.company = company
        db.session.commit()
        return company

    return make


@pytest.fixture
def make_project(db):
    def make(company: Company, status: ProjectStatus = ProjectStatus.DRAFT, **fields) -> Project:
        values = dict(
            title=unique("硅光芯片项目"),
            pitch="面向数据中心的 800G 硅光模块",
            description="项目介绍",
            industry_chain=company.industry_chain,
            financing_round=Stage.A,
            amount_sought=30_000_000,
            use_of_funds="研发与产线",
            status=status,
        )
        values.update(fields)
        project = Project(company=company, **values)
        db.session.add(project)
        db.session.commit()
        return project

    return make


@pytest.fixture
def make_institution(db):
    def make(member: User | None = None, verified: bool = True, **fields) -> Institution:
        values = dict(
            name=unique("长江创投测试机构"),
            type=InstitutionType.VC,
            registration_number="P1001234",
            verification_status=VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
        )
        values.update(fields)
        institution = Institution(**values)
        institution.funds.append(
            Fund(name="光谷科创一期基金", focus_chains=["optoelectronics"], stages=["a"], regions=["wuhan"],
                 ticket_min=5_000_000, ticket_max=20_000_000)
        )
        db.session.add(institution)
        if member is not None:
            member.institution = institution
        db.session.commit()
        return institution

    return make


@pytest.fixture
def make_session(db):
    def make(capacity: int = 30, starts_in: timedelta = timedelta(days=2), **fields) -> RoadshowSession:
        venue = db.session.query(Venue).filter_by(name="长江路演厅").first() or Venue(name="长江路演厅", capacity=120)
        start = utcnow().replace(microsecond=0) + starts_in
        values = dict(
            title=unique("光电子信息专场路演"),
            venue=venue,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=capacity,
            status=SessionStatus.SCHEDULED,
        )
        values.update(fields)
        session = RoadshowSession(**values)
        db.session.add(session)
        db.session.commit()
        return session

    return make


@pytest.fixture
def make_series(db):
    def make(**fields) -> Series:
        n = next(_seq)
        values = dict(name=f"一月一链·测试{n}", slug=f"chain-{n}", kind=SeriesKind.CHAIN_MONTHLY)
        values.update(fields)
        series = Series(**values)
        db.session.add(series)
        db.session.commit()
        return series

    return make


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
