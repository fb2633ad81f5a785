"""The demo data set: counts, consistency, valid files, idempotence and the seed-demo command."""
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import sqlalchemy as sa
from pypdf import PdfReader

from roadshow.accounts.models import Role, User
from roadshow.common.timeutil import to_local
from roadshow_demo import data
from roadshow_demo import fund_disclosure as fund_disclosure_demo
from roadshow_demo import loans as loans_demo
from roadshow_demo import organisers as organisers_demo
from roadshow_demo import registration as registration_demo
from roadshow.roadshows.policies import may_register_as
from roadshow.roadshows.registration import questions_for, registrants
from roadshow_demo.seed import DEMO_PASSWORD, database_is_empty, seed_demo, working_days
from roadshow.investors.models import Fund, Institution, InstitutionType, VerificationStatus
from roadshow.projects import credit_code
from roadshow.projects.models import Company, Project, ProjectStatus
from roadshow.roadshows.models import (
    AttendeeType,
    QuestionKind,
    SeriesKind,
    Application,
    Booking,
    BookingStatus,
    RoadshowSession,
    Series,
    SessionStatus,
    Slot,
    Venue,
)

TODAY = date(2026, 3, 11)  # a Wednesday: the 14 days ahead cross two weekends


@pytest.fixture
def seeded(app, db):
    summary = seed_demo(today=TODAY)
    db.session.commit()
    return summary


def all_rows(db, model):
    return db.session.scalars(sa.select(model)).all()


def roadshows(sessions: list[RoadshowSession]) -> list[RoadshowSession]:
    """The sessions where projects pitch and investors book seats: not the training courses' lessons
    (tests/demo/test_training_demo.py) or the open day, which have no investors' seats."""
    return [s for s in sessions if s.admits(AttendeeType.INVESTOR)]


def table_counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for name, table in db.metadata.tables.items()
        }


def deck_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_DIR"]) / "decks"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_empty_database_is_reported_empty(app, db):
    assert database_is_empty()
    seed_demo(today=TODAY)
    assert not database_is_empty()


def test_counts(seeded, db):
    investors = sum(spec.investors for spec in data.INSTITUTIONS)
    # staff, hosts, reviewers, founders, investors; the loan demo's lenders' officers, a government official
    # and the partner organisers' accounts
    assert seeded["users"] == 1 + 2 + 3 + 30 + investors + len(loans_demo.LENDERS) + 1 + len(organisers_demo.ORGANISERS)
    assert seeded["companies"] == 30
    assert seeded["projects"] == 40
    assert seeded["institutions"] == 15 + len(loans_demo.NEW_LENDERS)
    assert seeded["venues"] == 2 + 1  # the center's hall and online room; the university's own hall
    assert seeded["series"] == 3 + len(organisers_demo.ORGANISERS) + 2  # the district's training course, the center's capital-markets training
    assert seeded["funds"] >= 15
    assert seeded["bookings"] > 0
    assert all(value > 0 for value in seeded.values())


def test_roles(seeded, db):
    by_role = Counter(role for user in all_rows(db, User) for role in user.roles)
    assert by_role[Role.ADMIN] == 1
    assert by_role[Role.HOST] == 2
    assert by_role[Role.REVIEWER] == 3
    assert by_role[Role.STARTUP] == 30
    assert all(len(company.members) == 1 for company in all_rows(db, Company))
    assert all(u.institution is not None for u in all_rows(db, User) if u.has_role(Role.INVESTOR))


def test_companies_cover_every_chain_with_valid_credit_codes(seeded, db):
    companies = all_rows(db, Company)
    assert {c.industry_chain for c in companies} == set(data.C)
    for company in companies:
        assert credit_code.is_valid(company.credit_code), company.credit_code
        assert company.credit_code[2:6] == "4201"
        assert 40 <= company.innovation_score <= 98
        assert 2012 <= company.founded_year <= 2024


def test_project_status_mix(seeded, db):
    statuses = Counter(p.status for p in all_rows(db, Project))
    assert statuses[ProjectStatus.APPROVED] + statuses[ProjectStatus.SCHEDULED] == 24
    assert statuses[ProjectStatus.SCHEDULED] >= 10
    assert statuses[ProjectStatus.PRESENTED] == 5
    assert statuses[ProjectStatus.SUBMITTED] == 4
    assert statuses[ProjectStatus.UNDER_REVIEW] == 3
    assert statuses[ProjectStatus.REJECTED] == 2
    assert statuses[ProjectStatus.DRAFT] == 2
    for project in all_rows(db, Project):
        assert project.amount_sought >= 5_000_000
        if project.status == ProjectStatus.REJECTED:
            assert project.rejection_reason


def test_institutions_and_funds(seeded, db):
    institutions = all_rows(db, Institution)
    assert Counter(i.verification_status for i in institutions) == {
        VerificationStatus.VERIFIED: 13 + len(loans_demo.NEW_LENDERS), VerificationStatus.PENDING: 2}
    assert {i.type for i in institutions} == set(InstitutionType)
    for institution in institutions:
        if institution.name in loans_demo.NEW_LENDERS:  # lenders publish loan products, not funds
            continue
        assert 1 <= len(institution.funds) <= 3
        if institution.type in (InstitutionType.BANK, InstitutionType.ADVISOR):
            assert institution.registration_number is None
        else:
            assert institution.registration_number.startswith("P10")
    for fund in all_rows(db, Fund):
        assert 0 < fund.ticket_min <= fund.ticket_max
        assert fund.focus_chains and fund.stages and fund.regions
    disclosing = {f.name: f for f in all_rows(db, Fund) if f.vintage_year is not None}
    assert set(disclosing) == set(fund_disclosure_demo.DISCLOSURES)
    venture = disclosing["长江启航光芯创业投资基金"]  # disclosed, then a capital call: two public versions
    assert [v.number for v in venture.versions] == [2, 1]
    assert [Decimal(v) for v in venture.versions[0].changes["paid_in_size"]] == [600_000_000, 900_000_000]
    assert venture.paid_in_size <= venture.committed_size and venture.portfolio[0]["project_id"]


def test_every_working_day_ahead_has_a_session(seeded, db):
    sessions = [s for s in all_rows(db, RoadshowSession) if s.status != SessionStatus.CANCELLED]
    days = {to_local(s.starts_at).date() for s in sessions}
    for day in working_days(TODAY + timedelta(days=1), TODAY + timedelta(days=14)):
        assert day in days, day
    # the center's own roadshow afternoons (a partner organiser's morning session may use the hall too, and the
    # center's training and open day, which have no investors' seats, are on Saturday mornings)
    daily = [s for s in sessions if s.venue.name == "长江路演厅" and to_local(s.starts_at).date() > TODAY
             and s.admits(AttendeeType.INVESTOR) and s.series.organiser_id is None]
    assert all(to_local(s.starts_at).hour == 14 and to_local(s.ends_at).hour == 16 for s in daily)


def test_sessions_slots_and_statuses(seeded, db):
    sessions = roadshows(all_rows(db, RoadshowSession))
    kinds = Counter(s.series.slug for s in sessions)
    assert kinds["chain-monthly"] == 1 and kinds["srdi"] == 1
    past = [s for s in sessions if to_local(s.starts_at).date() < TODAY]
    assert 3 <= len(past) <= 4
    assert all(to_local(s.starts_at).date() >= TODAY - timedelta(days=14) for s in past)
    for session in sessions:
        assert 60 <= session.capacity <= 120
        assert session.host is not None and session.host.has_role(Role.HOST)
        assert [slot.position for slot in session.slots] == list(range(1, len(session.slots) + 1))
        if session in past:
            assert session.status == SessionStatus.ENDED
            assert session.slots
            assert all(slot.project.status == ProjectStatus.PRESENTED for slot in session.slots)
        else:
            assert session.status == (SessionStatus.SCHEDULED if session.slots else SessionStatus.OPEN)
            assert len(session.slots) in (0, 3, 4, 5)
            assert all(slot.project.status == ProjectStatus.SCHEDULED for slot in session.slots)
    slotted = Counter(slot.project_id for slot in all_rows(db, Slot))
    assert max(slotted.values()) == 1
    for project in all_rows(db, Project):
        in_slot = project.id in slotted
        assert in_slot == (project.status in (ProjectStatus.SCHEDULED, ProjectStatus.PRESENTED)), project


def test_non_draft_projects_have_readable_decks(seeded, app, db):
    for project in all_rows(db, Project):
        if project.status == ProjectStatus.DRAFT:
            continue
        path = Path(app.config["UPLOAD_DIR"]) / "decks" / project.deck_file
        assert path.is_file(), project
        assert path.stat().st_size == project.deck_size
        assert project.deck_original_name.endswith(".pdf")
        assert project.deck_uploaded_at is not None
        reader = PdfReader(path)
        assert len(reader.pages) == project.deck_pages >= 3
        assert project.title in reader.pages[0].extract_text()


def test_seats_taken_equals_confirmed_bookings(seeded, db):
    sessions = all_rows(db, RoadshowSession)
    confirmed = Counter((b.session_id, b.attendee_type) for b in all_rows(db, Booking)
                        if b.status == BookingStatus.CONFIRMED)
    for session in sessions:
        for kind in AttendeeType:
            assert session.seats_taken_for(kind) == confirmed[session.id, kind] <= session.capacity_for(kind)
    upcoming = [s for s in sessions if to_local(s.starts_at).date() > TODAY]
    assert sum(1 for s in upcoming if s.seats_taken) >= 5
    for booking in all_rows(db, Booking):
        assert may_register_as(booking.user, booking.attendee_type)


def test_a_training_session_for_startups_with_questions_and_an_open_day(seeded, db):
    training = db.session.scalars(sa.select(RoadshowSession).where(
        RoadshowSession.title == registration_demo.TRAINING_TITLE)).one()
    assert training.series.kind is SeriesKind.TRAINING and training.attendee_types == [AttendeeType.STARTUP]
    questions = questions_for(training)
    assert [q.kind for q in questions] == [QuestionKind.CHOICE, QuestionKind.TEXT] and questions[0].required
    answers = registrants(training)
    assert len(answers) == training.startup_seats_taken == 2
    assert all(r.answers[questions[0].id] in questions[0].option_list for r in answers)
    open_day = db.session.scalars(sa.select(RoadshowSession).where(
        RoadshowSession.title == registration_demo.OPEN_DAY_TITLE)).one()
    assert AttendeeType.PUBLIC in open_day.attendee_types and open_day.public_seats_taken == 1


def test_applications(seeded, db):
    applications = all_rows(db, Application)
    assert len(applications) == len(data.APPLICATIONS)
    assert any(a.project.status == ProjectStatus.SUBMITTED for a in applications)


def test_seeding_twice_changes_nothing(seeded, app, db):
    counts, files = table_counts(db), deck_files(app)
    decks_before = {p.id: p.deck_file for p in all_rows(db, Project)}
    seats_before = {s.id: s.seats_taken for s in all_rows(db, RoadshowSession)}

    again = seed_demo(today=TODAY)
    db.session.commit()

    assert again == seeded
    assert table_counts(db) == counts
    assert deck_files(app) == files
    assert {p.id: p.deck_file for p in all_rows(db, Project)} == decks_before
    assert {s.id: s.seats_taken for s in all_rows(db, RoadshowSession)} == seats_before


def test_seed_replaces_a_missing_deck_file(seeded, app, db):
    project = db.session.scalars(sa.select(Project).where(Project.status == ProjectStatus.SUBMITTED)).first()
    (Path(app.config["UPLOAD_DIR"]) / "decks" / project.deck_file).unlink()
    seed_demo(today=TODAY)
    db.session.commit()
    assert (Path(app.config["UPLOAD_DIR"]) / "decks" / project.deck_file).is_file()


def test_cli_seed_demo_then_if_empty_skips(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "demo data ready" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == 30

    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output


def test_cli_if_empty_seeds_an_empty_database(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "demo data ready" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Venue)) == 2 + 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Series)) == 3 + len(organisers_demo.ORGANISERS) + 2


@pytest.mark.parametrize("email", ["admin@roadshow.demo", "startup01@roadshow.demo", "investor01@roadshow.demo"])
def test_demo_accounts_can_log_in(seeded, client, email):
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_a_later_run_adds_future_days_but_no_empty_past_sessions(seeded, db):
    seed_demo(today=TODAY + timedelta(days=7))
    db.session.commit()
    ended = roadshows(all_rows(db, RoadshowSession))
    ended = [s for s in ended if s.status == SessionStatus.ENDED]
    assert ended and all(s.slots for s in ended)
    last_day = TODAY + timedelta(days=21)
    days = {to_local(s.starts_at).date() for s in all_rows(db, RoadshowSession)}
    assert set(working_days(TODAY + timedelta(days=7), last_day)) <= days
