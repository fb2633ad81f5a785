"""factory_boy factories for the rows most tests start from, committed on the app's session.

Each factory builds a valid row with realistic Chinese defaults; tests override only what they are
about (`ProjectFactory(company=c, status=ProjectStatus.APPROVED)`). The `make_*` fixtures in
conftest.py keep their call signatures and hand over to these.

A sequence number in a name, title or slug is always followed by a non-digit ("测试12号机构"): tests assert that
one row's name is absent from a page, and "机构1" would be found inside "机构12".
"""
from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory

from roadshow.accounts.models import Role, User
from roadshow.common.choices import IndustryChain, Stage
from roadshow.common.timeutil import utcnow
from roadshow.extensions import db
from roadshow.investors.models import Fund, Institution, InstitutionType, VerificationStatus
from roadshow.loans.models import Collateral, LoanKind, LoanProduct
from roadshow.projects.credit_code import ALPHABET, check_character
from roadshow.projects.models import Company, Project, ProjectStatus
from roadshow.roadshows.models import RoadshowSession, Series, SeriesKind, SessionStatus, Venue
from roadshow.scheduling.models import HolidayPolicy, RuleKind, SessionTemplate

PASSWORD = "correct-horse-battery"
HALL = "长江路演厅"


def credit_code(seed: int) -> str:
    """A unified social credit code with a valid check character, different for each seed."""
    body = "914201" + f"{seed:02d}"[-2:] + "".join(ALPHABET[(seed * 7 + i * 3) % 31] for i in range(9))
    return body + check_character(body)


class Factory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 (the session of the app in context)
        sqlalchemy_session_persistence = "commit"


def the_hall() -> Venue:
    """The center's main hall, shared by the sessions and templates of one test."""
    return db.session.query(Venue).filter_by(name=HALL).first() or Venue(name=HALL, capacity=120)


class UserFactory(Factory):
    """A user with the startup role unless `roles` says otherwise, and the test password."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = "测试用户"

    @classmethod
    def _create(cls, model_class, *args, roles=(Role.STARTUP,), password=PASSWORD, **kwargs):
        # the password hash and roles must be in place before the row is written
        user = model_class(*args, **kwargs)
        user.set_password(password)
        for role in roles:
            user.grant(role)
        session = cls._meta.sqlalchemy_session_factory()
        session.add(user)
        session.commit()
        return user


class CompanyFactory(Factory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"武汉光谷测试{n}号科技有限公司")
    credit_code = factory.Sequence(credit_code)
    industry_chain = IndustryChain.OPTOELECTRONICS
    stage = Stage.A
    city = "武汉"
    founded_year = 2019
    headcount = 45
    patents_count = 12
    innovation_score = 78


class ProjectFactory(Factory):
    class Meta:
        model = Project

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"硅光芯片{n}号项目")
    pitch = "面向数据中心的 800G 硅光模块"
    description = "项目介绍"
    industry_chain = factory.SelfAttribute("company.industry_chain")
    financing_round = Stage.A
    amount_sought = 30_000_000
    use_of_funds = "研发与产线"
    status = ProjectStatus.DRAFT


class FundFactory(Factory):
    class Meta:
        model = Fund

    name = "光谷科创一期基金"
    focus_chains = factory.LazyFunction(lambda: ["optoelectronics"])
    stages = factory.LazyFunction(lambda: ["a"])
    regions = factory.LazyFunction(lambda: ["wuhan"])
    ticket_min = 5_000_000
    ticket_max = 20_000_000


class InstitutionFactory(Factory):
    """A verified VC with one fund (optoelectronics, round A, Wuhan, 500–2000 万)."""

    class Meta:
        model = Institution
        exclude = ("verified",)

    name = factory.Sequence(lambda n: f"长江创投测试{n}号机构")
    type = InstitutionType.VC
    registration_number = "P1001234"
    verified = True
    verification_status = factory.LazyAttribute(
        lambda o: VerificationStatus.VERIFIED if o.verified else VerificationStatus.PENDING)
    funds = factory.LazyFunction(lambda: [FundFactory.build()])


class VenueFactory(Factory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"光谷{n}号路演厅")
    capacity = 120


class SessionFactory(Factory):
    """A scheduled two-hour roadshow in the main hall, two days from now."""

    class Meta:
        model = RoadshowSession
        exclude = ("starts_in",)

    starts_in = timedelta(days=2)
    title = factory.Sequence(lambda n: f"光电子信息第{n}场路演")
    venue = factory.LazyFunction(the_hall)
    starts_at = factory.LazyAttribute(lambda o: utcnow().replace(microsecond=0) + o.starts_in)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 30
    status = SessionStatus.SCHEDULED


class SeriesFactory(Factory):
    class Meta:
        model = Series

    name = factory.Sequence(lambda n: f"一月一链·测试{n}号")
    slug = factory.Sequence(lambda n: f"chain-{n}-test")
    kind = SeriesKind.CHAIN_MONTHLY


class TemplateFactory(Factory):
    """Every working day 14:00–16:00 in the main hall, 5 slots."""

    class Meta:
        model = SessionTemplate

    name = factory.Sequence(lambda n: f"每日路演模板{n}号")
    venue = factory.LazyFunction(the_hall)
    title_pattern = "每日路演 · {date}"
    rule = RuleKind.WORKING_DAYS
    weekdays = factory.LazyFunction(list)
    on_holiday = HolidayPolicy.SKIP
    start_time = time(14, 0)
    end_time = time(16, 0)
    capacity = 100
    slots_count = 5
    chain_rotation = factory.LazyFunction(list)
    valid_from = date(2026, 1, 1)


class LoanProductFactory(Factory):
    """A published 研发贷 of 50–1000 万 at 3.2–4.5 %, 6–36 months, for companies with 创新积分 ≥ 70."""

    class Meta:
        model = LoanProduct

    name = factory.Sequence(lambda n: f"光谷研发贷{n}号")
    kind = LoanKind.RND
    collateral = Collateral.NONE
    amount_min = Decimal("500000.00")
    amount_max = Decimal("10000000.00")
    rate_min = Decimal("3.2000")
    rate_max = Decimal("4.5000")
    term_min_months = 6
    term_max_months = 36
    description = "面向研发投入大的科技型中小企业"
    rules = factory.LazyFunction(lambda: [{"fact": "innovation_score", "op": "gte", "value": 70}])
    is_published = True
