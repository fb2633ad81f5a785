"""The benchmark database: the demo data set scaled up with bulk inserts through the domain models.

`flask db upgrade` and `flask seed-demo` first (the same commands a deployment runs), then, in this
process, one year of daily sessions in the roadshow hall with their lineups and bookings, 5,000
projects, 500 institutions and the investor accounts the live room and booking scenarios use.
Login cookies are signed here with the servers' SECRET_KEY, exactly as /login would set them, so
1,000 clients need no 1,000 password checks.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from .support import QUICK, ROOT, SECRET, say, server_env

EMAIL_DOMAIN = "roadshow.bench"
PASSWORD = "roadshow-bench-2026"


@dataclass(frozen=True)
class Scale:
    days: int = 365  # daily sessions in the hall, every day of one year (the last month still ahead)
    projects: int = 5_000
    institutions: int = 500
    investors: int = 1_250  # live room (1,000 + the asker) and 200 bookers
    slots_per_session: int = 4
    bookings_per_session: int = 30


FULL = Scale()
QUICK_SCALE = Scale(days=60, projects=400, institutions=50, investors=450, bookings_per_session=10)


@dataclass
class World:
    folder: Path
    url: str
    app: object  # Flask app bound to the bench database, for the scenarios' own rows
    investor_ids: list[int]

    def env(self, **extra: str) -> dict[str, str]:
        return server_env(self.url, self.folder, **extra)


def build(folder: Path, scale: Scale = FULL, url: str | None = None) -> World:
    """Migrate and seed a database (`url`, else a SQLite file in `folder`), then scale it up."""
    from roadshow import create_app

    url = url or f"sqlite:///{folder / 'bench.sqlite3'}"
    env = server_env(url, folder)
    for command in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *command], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(command)} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "SCHEDULER_ENABLED": False,
                      "UPLOAD_DIR": str(folder / "uploads")})
    with app.app_context():
        investor_ids = scale_up(scale)
    return World(folder, url, app, investor_ids)


@cache
def shared_world() -> World:
    """One world per `make bench` run, shared by the scenarios; removed at exit unless BENCH_KEEP=1."""
    folder = Path(tempfile.mkdtemp(prefix="roadshow-bench-"))
    if os.environ.get("BENCH_KEEP", "0") in ("0", ""):
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    say(f"building the bench database in {folder} ({'quick' if QUICK else 'full'} scale)")
    world = build(folder, QUICK_SCALE if QUICK else FULL)
    say("bench database ready")
    return world


# --------------------------------------------------------------------------- scaling up

def scale_up(scale: Scale) -> list[int]:
    """Add the rows (the caller's app context); returns the bench investors' user ids, commits."""
    from roadshow.extensions import db

    rng = random.Random(2026)
    password_hash = generate_password_hash(PASSWORD)
    institution_ids = _institutions(scale.institutions, rng)
    project_ids = _projects(scale.projects, rng)
    investor_ids = _investors(scale.investors, institution_ids, password_hash)
    _daily_sessions(scale, project_ids, investor_ids, rng)
    db.session.commit()
    return investor_ids


def _insert(model, rows: list[dict]) -> None:
    from roadshow.extensions import db

    for start in range(0, len(rows), 2_000):
        db.session.execute(sa.insert(model), rows[start:start + 2_000])


def _institutions(total: int, rng: random.Random) -> list[int]:
    from roadshow.extensions import db
    from roadshow.investors.models import Institution, InstitutionType, VerificationStatus

    have = db.session.scalar(sa.select(sa.func.count(Institution.id)))
    types = list(InstitutionType)
    _insert(Institution, [
        {"name": f"光谷压测投资机构{n:04d}", "type": types[n % len(types)], "city": "武汉",
         "intro": "压测数据：专注硬科技早期投资。", "verification_status": VerificationStatus.VERIFIED,
         "verified_at": datetime(2026, 1, 1) + timedelta(hours=n)}
        for n in range(max(total - have, 0))
    ])
    return list(db.session.scalars(sa.select(Institution.id).order_by(Institution.id)))


def _credit_code(n: int) -> str:
    from roadshow.projects.credit_code import ALPHABET, check_character

    digest = hashlib.sha256(f"roadshow-bench-company-{n}".encode()).digest()
    first17 = "91420100" + "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:9])
    return first17 + check_character(first17)


def _projects(total: int, rng: random.Random) -> list[int]:
    """Companies with two projects each; returns the new projects' ids (approved, open for a slot)."""
    from roadshow.common.choices import IndustryChain, SrdiLevel, Stage
    from roadshow.extensions import db
    from roadshow.projects.models import Company, Project, ProjectStatus

    have = db.session.scalar(sa.select(sa.func.count(Project.id)))
    wanted = max(total - have, 0)
    chains, stages, levels = list(IndustryChain), list(Stage), list(SrdiLevel)
    first_company = (db.session.scalar(sa.select(sa.func.max(Company.id))) or 0) + 1
    companies = (wanted + 1) // 2
    _insert(Company, [
        {"name": f"武汉光谷压测科技有限公司{n:05d}", "credit_code": _credit_code(n), "industry_chain": chains[n % len(chains)],
         "stage": stages[n % len(stages)], "city": "武汉", "founded_year": 2010 + n % 15, "headcount": 10 + n % 300,
         "patents_count": n % 40, "innovation_score": 40 + n % 60, "is_high_tech": n % 2 == 0,
         "srdi_level": levels[n % len(levels)], "intro": "压测数据：光电子与硬科技企业。"}
        for n in range(companies)
    ])
    company_ids = list(db.session.scalars(sa.select(Company.id).where(Company.id >= first_company).order_by(Company.id)))
    first_project = (db.session.scalar(sa.select(sa.func.max(Project.id))) or 0) + 1
    decided = datetime(2026, 1, 1)
    _insert(Project, [
        {"company_id": company_ids[n // 2], "title": f"压测项目{n:05d}：高速光模块与硅光芯片",
         "pitch": "面向数据中心的 800G 光模块，良率与成本领先。", "description": "压测数据。" * 20,
         "industry_chain": chains[n % len(chains)], "financing_round": stages[n % len(stages)],
         "amount_sought": rng.randint(100, 50_000) * 10_000, "use_of_funds": "研发与产线扩建。",
         "status": ProjectStatus.APPROVED, "submitted_at": decided, "decided_at": decided + timedelta(minutes=n)}
        for n in range(wanted)
    ])
    return list(db.session.scalars(sa.select(Project.id).where(Project.id >= first_project).order_by(Project.id)))


def _investors(total: int, institution_ids: list[int], password_hash: str, start: int = 0) -> list[int]:
    from roadshow.accounts.models import Role, User, UserRole
    from roadshow.extensions import db

    first = (db.session.scalar(sa.select(sa.func.max(User.id))) or 0) + 1
    _insert(User, [
        {"email": f"bench-investor-{n:04d}@{EMAIL_DOMAIN}", "name": f"压测投资人{n:04d}",
         "password_hash": password_hash, "session_token": secrets.token_hex(16),
         "institution_id": institution_ids[n % len(institution_ids)]}
        for n in range(start, start + total)
    ])
    ids = list(db.session.scalars(sa.select(User.id).where(User.id >= first).order_by(User.id)))
    _insert(UserRole, [{"user_id": user_id, "role": Role.INVESTOR} for user_id in ids])
    return ids


def investors(world: World, wanted: int) -> list[int]:
    """At least `wanted` bench investors' user ids (more are added, and kept in the world, when it has fewer)."""
    if len(world.investor_ids) < wanted:
        from roadshow.extensions import db
        from roadshow.investors.models import Institution

        with world.app.app_context():
            institution_ids = list(db.session.scalars(sa.select(Institution.id).order_by(Institution.id)))
            world.investor_ids += _investors(wanted - len(world.investor_ids), institution_ids,
                                             generate_password_hash(PASSWORD), start=len(world.investor_ids))
            db.session.commit()
    return world.investor_ids[:wanted]


def _daily_sessions(scale: Scale, project_ids: list[int], investor_ids: list[int], rng: random.Random) -> None:
    """A 14:00–16:00 session in the hall on every day of the year that has none yet, with its lineup."""
    from roadshow.accounts.models import Role, UserRole
    from roadshow.common.timeutil import local_to_utc, to_local, utcnow
    from roadshow_demo import data
    from roadshow.extensions import db
    from roadshow.projects.models import Project, ProjectStatus
    from roadshow.roadshows.models import Booking, RoadshowSession, Series, SeriesKind, SessionStatus, Slot

    hall = venue(data.HALL)
    daily = db.session.scalars(sa.select(Series).where(Series.slug == "daily")).first()
    if daily is None:  # a database without the demo data (the smoke test)
        daily = Series(name="每日路演", slug="daily", kind=SeriesKind.DAILY)
        db.session.add(daily)
        db.session.flush()
    host_id = db.session.scalar(sa.select(UserRole.user_id).where(UserRole.role == Role.HOST).limit(1))
    taken = {to_local(at).date() for at in db.session.scalars(
        sa.select(RoadshowSession.starts_at).where(RoadshowSession.venue_id == hall.id))}
    now = utcnow()
    today = to_local(now).date()
    first_day = today - timedelta(days=scale.days - 31)
    days = [first_day + timedelta(days=n) for n in range(scale.days)]
    days = [d for d in days if d not in taken]
    first_session = (db.session.scalar(sa.select(sa.func.max(RoadshowSession.id))) or 0) + 1
    sessions = []
    for n, day in enumerate(days):
        starts = local_to_utc(datetime.combine(day, time(14, 0)))
        theme, chain, _fits = data.DAILY_THEMES[day.weekday() % 5]
        past = starts + timedelta(hours=2) < now
        booked = min(scale.bookings_per_session, len(investor_ids)) if past else rng.randint(0, scale.bookings_per_session)
        sessions.append({
            "title": f"每日路演 · {theme}", "description": "压测数据：每日路演。", "series_id": daily.id,
            "venue_id": hall.id, "host_id": host_id, "industry_chain": chain, "starts_at": starts,
            "ends_at": starts + timedelta(hours=2), "capacity": hall.capacity, "seats_taken": booked,
            "status": SessionStatus.ENDED if past else SessionStatus.SCHEDULED,
        })
    _insert(RoadshowSession, sessions)
    rows = db.session.execute(sa.select(RoadshowSession.id, RoadshowSession.seats_taken, RoadshowSession.starts_at)
                              .where(RoadshowSession.id >= first_session).order_by(RoadshowSession.id)).all()
    slots, bookings, pitched = [], [], {}
    projects = iter(project_ids)
    for session_id, seats, starts in rows:
        for position in range(1, scale.slots_per_session + 1):
            project_id = next(projects, None)
            if project_id is None:
                break
            slots.append({"session_id": session_id, "project_id": project_id, "position": position})
            pitched[project_id] = starts < now
        for user_id in rng.sample(investor_ids, seats):
            bookings.append({"session_id": session_id, "user_id": user_id, "created_at": starts - timedelta(days=3),
                             "updated_at": starts - timedelta(days=3)})
    _insert(Slot, slots)
    _insert(Booking, bookings)
    for status, ids in ((ProjectStatus.PRESENTED, [p for p, past in pitched.items() if past]),
                        (ProjectStatus.SCHEDULED, [p for p, past in pitched.items() if not past])):
        for start in range(0, len(ids), 500):
            db.session.execute(sa.update(Project).where(Project.id.in_(ids[start:start + 500])).values(status=status))


def venue(name: str):
    """The demo venue of that name (data.HALL, data.ONLINE), created when the database has no demo data."""
    from roadshow_demo import data
    from roadshow.extensions import db
    from roadshow.roadshows.models import Venue

    found = db.session.scalars(sa.select(Venue).where(Venue.name == name)).first()
    if found is None:
        found = Venue(name=name, capacity=500 if name == data.ONLINE else 120, is_online=name == data.ONLINE)
        db.session.add(found)
        db.session.flush()
    return found


# --------------------------------------------------------------------------- what the clients need

def login_cookies(world: World, user_ids: list[int]) -> list[str]:
    from roadshow.accounts.models import User
    from roadshow.extensions import db

    app = world.app
    with app.app_context():
        tokens = dict(db.session.execute(sa.select(User.id, User.session_token).where(User.id.in_(user_ids))).all())
    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    # What a browser holds after signing in: the login form left its CSRF token in the session, so pages
    # with forms do not write a new session cookie on every request.
    sessions = ({"_user_id": f"{uid}.{tokens[uid]}", "_fresh": False, "csrf_token": secrets.token_hex(20)}
                for uid in user_ids)
    return [f"{name}={serializer.dumps(session)}" for session in sessions]
