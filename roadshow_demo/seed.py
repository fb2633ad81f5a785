"""The demo data set: `flask seed-demo` loads it, and running it again changes nothing.

Every row is looked up by its natural key first (user email, company credit code, project
(company, title), institution name, fund (institution, name), venue name, series slug,
session (venue, start), booking (session, user)); only what is missing is created.
Randomness comes from random.Random seeded with the entity's key, so the data set is the
same on every machine and does not depend on the order things are created in. Dates are
relative to `today` (the Asia/Shanghai date), which tests pin. The caller commits.
"""
from __future__ import annotations

import hashlib
from importlib import import_module
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import Role, User
from roadshow.accounts.passwords import hash_password
from roadshow.common.choices import IndustryChain, SrdiLevel
from roadshow.common.timeutil import DISPLAY_TZ, local_to_utc, utcnow
from roadshow.extensions import db
from roadshow.investors.models import Fund, Institution, VerificationStatus
from roadshow.projects import decks
from roadshow.projects.credit_code import ALPHABET, check_character
from roadshow.projects.models import Company, Project, ProjectStatus
from .scheduling import next_chain_special_day
from roadshow.scheduling.workdays import working_days as official_working_days
from roadshow.roadshows.models import (
    Application,
    Booking,
    BookingStatus,
    RoadshowSession,
    Series,
    SessionStatus,
    Slot,
    Venue,
)
from . import data
from .pdf import DeckPage, build_pdf, wrap

# Domains that add their own demo rows on top of the core set, in this order.
DOMAIN_SEEDS = ("screening", "scheduling", "live", "official_lists", "fund_disclosure", "loans", "matching", "meetings", "matchmaking", "organisers", "training", "listing", "registration")
DEMO_PASSWORD = "roadshow-demo-2026"
SEED = 2026

DAYS_AHEAD = 14  # daily sessions from today through today + 14
DAILY_SESSIONS_WITH_SLOTS = 4  # the nearest daily sessions get projects; later ones stay open
PAST_SESSION_OFFSETS = (1, 4, 7)  # which past working days (0 = most recent) had a session
PAST_SLOT_COUNTS = (2, 2, 1)
DAILY_START, DAILY_END = time(14, 0), time(16, 0)
SPECIAL_START, SPECIAL_END = time(9, 30), time(11, 30)
PITCH_MINUTES = QA_MINUTES = 10


def rng_for(*parts: object) -> random.Random:
    """A random generator that depends only on SEED and the given key (strings seed deterministically)."""
    return random.Random("|".join(str(p) for p in (SEED, *parts)))


def local_today() -> date:
    return datetime.now(DISPLAY_TZ).date()


def at(day: date, clock: time) -> datetime:
    """A Wuhan wall-clock time on a day, as naive UTC for storage."""
    return local_to_utc(datetime.combine(day, clock))


def working_days(first: date, last: date) -> list[date]:
    """China's official working days (holidays off, 调休 Saturdays on), as the daily template counts them."""
    return official_working_days(first, last)


def demo_email(local_part: str) -> str:
    return f"{local_part}@{data.EMAIL_DOMAIN}"


@dataclass
class SeedContext:
    today: date
    _password_hash: str | None = None
    staff: dict[str, User] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    founders: dict[str, User] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    institutions: dict[str, Institution] = field(default_factory=dict)
    investors: list[User] = field(default_factory=list)
    venues: dict[str, Venue] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    sessions: list[RoadshowSession] = field(default_factory=list)
    slotted: set[int] = field(default_factory=set)  # ids of projects already in a slot

    @property
    def password_hash(self) -> str:
        # One hash for every demo account (they share a password); hashing is slow, so do it once.
        if self._password_hash is None:
            self._password_hash = hash_password(DEMO_PASSWORD)
        return self._password_hash


# --------------------------------------------------------------------------- entry points

def database_is_empty() -> bool:
    """True before anyone has an account (`seed-demo --if-empty` seeds only then)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def seed_demo(today: date | None = None) -> dict[str, int]:
    """Create whatever part of the demo data set is missing; returns row counts per entity."""
    ctx = SeedContext(today=today or local_today())
    seed_staff(ctx)
    seed_companies(ctx)
    seed_projects(ctx)
    seed_institutions(ctx)
    seed_venues(ctx)
    seed_series(ctx)
    seed_sessions(ctx)
    seed_bookings(ctx)
    seed_applications(ctx)
    for domain in DOMAIN_SEEDS:
        import_module(f"roadshow_demo.{domain}").seed_demo(ctx.today)
    db.session.flush()
    return summary()


def summary() -> dict[str, int]:
    def count(model) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    return {
        "users": count(User),
        "companies": count(Company),
        "projects": count(Project),
        "institutions": count(Institution),
        "funds": count(Fund),
        "venues": count(Venue),
        "series": count(Series),
        "sessions": count(RoadshowSession),
        "slots": count(Slot),
        "bookings": count(Booking),
        "applications": count(Application),
    }


# --------------------------------------------------------------------------- users

def ensure_user(ctx: SeedContext, local_part: str, name: str, role: Role, phone: str | None = None,
                company: Company | None = None, institution: Institution | None = None) -> User:
    email = demo_email(local_part)
    user = db.session.scalars(sa.select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, name=name, phone=phone, company=company, institution=institution)
        user.password_hash = ctx.password_hash
        user.grant(role)
        db.session.add(user)
    return user


def seed_staff(ctx: SeedContext) -> None:
    for spec in data.STAFF:
        ctx.staff[spec.email_local] = ensure_user(ctx, spec.email_local, spec.name, spec.role, spec.phone)


# --------------------------------------------------------------------------- companies and projects

def credit_code_for(key: str, region: str) -> str:
    """A valid 统一社会信用代码: 9 (工商) 1 (企业), the district, a 9-character body, the check character."""
    digest = hashlib.sha256(f"roadshow-demo-company-{key}".encode()).digest()
    body = "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:9])
    first17 = f"91{region}{body}"
    return first17 + check_character(first17)


def seed_companies(ctx: SeedContext) -> None:
    for number, spec in enumerate(data.COMPANIES, start=1):
        code = credit_code_for(spec.key, spec.region)
        company = db.session.scalars(sa.select(Company).where(Company.credit_code == code)).first()
        if company is None:
            company = Company(
                name=spec.name, credit_code=code, industry_chain=spec.chain, stage=spec.stage, city="武汉",
                founded_year=spec.founded, headcount=spec.headcount, patents_count=spec.patents,
                innovation_score=spec.score, is_high_tech=spec.high_tech, srdi_level=spec.srdi,
                university=spec.university, intro=spec.intro,
            )
            db.session.add(company)
        ctx.companies[spec.key] = company
        ctx.founders[spec.key] = ensure_user(
            ctx, f"startup{number:02d}", data.FOUNDER_NAMES[number - 1], Role.STARTUP, company=company
        )


def project_dates(ctx: SeedContext, spec: data.ProjectSpec) -> dict[str, datetime | None]:
    """Plausible submitted/decided/created times for a project's status, all in the past."""
    rng = rng_for("project-dates", spec.key)
    ago = {
        ProjectStatus.DRAFT: (3, 15),
        ProjectStatus.SUBMITTED: (2, 8),
        ProjectStatus.UNDER_REVIEW: (8, 18),
        ProjectStatus.REJECTED: (20, 40),
        ProjectStatus.APPROVED: (25, 60),
        ProjectStatus.PRESENTED: (40, 70),
    }[spec.status]
    if spec.status == ProjectStatus.DRAFT:
        created = at(ctx.today - timedelta(days=rng.randint(*ago)), time(rng.randint(9, 17), rng.choice((0, 30))))
        return {"created_at": created, "submitted_at": None, "decided_at": None}
    submitted_day = ctx.today - timedelta(days=rng.randint(*ago))
    submitted = at(submitted_day, time(rng.randint(9, 17), rng.choice((0, 15, 30, 45))))
    decided = None
    if spec.status in (ProjectStatus.APPROVED, ProjectStatus.REJECTED, ProjectStatus.PRESENTED):
        decided = at(submitted_day + timedelta(days=rng.randint(4, 12)), time(rng.randint(9, 17), 0))
    return {"created_at": submitted - timedelta(days=rng.randint(2, 20)), "submitted_at": submitted,
            "decided_at": decided}


def seed_projects(ctx: SeedContext) -> None:
    for spec in data.PROJECTS:
        company = ctx.companies[spec.company]
        project = None
        if company.id is not None:
            project = db.session.scalars(
                sa.select(Project).where(Project.company_id == company.id, Project.title == spec.title)
            ).first()
        if project is None:
            project = Project(
                company=company, title=spec.title, pitch=spec.pitch, description=spec.description,
                industry_chain=company.industry_chain, financing_round=spec.round, amount_sought=spec.amount,
                use_of_funds=spec.use_of_funds, status=spec.status, rejection_reason=spec.rejection_reason,
                **project_dates(ctx, spec),
            )
            db.session.add(project)
        if project.status != ProjectStatus.DRAFT and not deck_on_disk(project):
            attach_deck(ctx, project, spec)
        ctx.projects[spec.key] = project
    db.session.flush()
    ctx.slotted = set(db.session.scalars(sa.select(Slot.project_id)))


# --------------------------------------------------------------------------- decks

def deck_on_disk(project: Project) -> bool:
    return project.deck_file is not None and decks.deck_path(project.deck_file).is_file()


def format_amount(amount: int) -> str:
    if amount >= data.YI and amount % (data.YI // 10) == 0:
        return f"{amount / data.YI:g}亿元"
    return f"{amount // data.WAN}万元"


def deck_pages(ctx: SeedContext, project: Project, spec: data.ProjectSpec) -> list[DeckPage]:
    company = project.company
    founder = ctx.founders[spec.company]
    sentences = [s + "。" for s in spec.description.split("。") if s.strip()]
    facts = (f"成立于{company.founded_year}年，员工{company.headcount}人，"
             f"授权专利{company.patents_count}项，创新积分{company.innovation_score}分")
    team = [f"创始人：{founder.name}"]
    if company.university:
        team.append(f"核心团队来自{company.university}，校友资源深度参与技术转化。")
    team.append("管理团队覆盖研发、量产、市场与财务，关键岗位均有十年以上行业经验。")
    sections = {
        "公司概况": wrap(company.intro, 40) + wrap(facts, 40),
        "行业痛点与市场空间": wrap(sentences[0], 40) + ["国产替代与产业链自主可控带来明确的增量市场。"],
        "核心技术与产品": wrap("".join(sentences[1:]) or spec.description, 40),
        "商业模式与客户": wrap(spec.pitch, 40) + ["以产品销售为主，叠加技术服务与长期运维收入。"],
        "团队与股权": team,
        "融资计划": [f"本轮：{spec.round.label}", f"拟融资金额：{format_amount(spec.amount)}"]
        + wrap(f"资金用途：{spec.use_of_funds}", 40),
    }
    rng = rng_for("deck", spec.key)
    count = rng.randint(3, len(data.DECK_SECTIONS))
    # Always end with the financing plan; keep the outline's order.
    chosen = sorted(rng.sample(data.DECK_SECTIONS[:-1], count - 1), key=data.DECK_SECTIONS.index)
    cover = DeckPage(spec.title, [company.name, *wrap(spec.pitch, 30), "光谷科创路演中心 · 路演材料"])
    return [cover] + [DeckPage(name, sections[name]) for name in chosen + ["融资计划"]]


def attach_deck(ctx: SeedContext, project: Project, spec: data.ProjectSpec) -> None:
    """Write a generated PDF the way an upload is stored (random hex name under UPLOAD_DIR/decks)."""
    footer = f"Optics Valley Sci-Tech Roadshow Center | {spec.key.upper()}"
    pages = deck_pages(ctx, project, spec)
    stored = decks.write_deck(build_pdf(pages, footer=footer), len(pages))  # our own PDF: no parsing needed
    project.deck_file = stored.file_name
    project.deck_pages = stored.pages
    project.deck_size = stored.size
    project.deck_original_name = spec.title.replace("/", "-") + "-商业计划书.pdf"
    project.deck_uploaded_at = project.submitted_at or utcnow()


# --------------------------------------------------------------------------- institutions and funds

def seed_institutions(ctx: SeedContext) -> None:
    investor_number = 0
    for spec in data.INSTITUTIONS:
        institution = db.session.scalars(sa.select(Institution).where(Institution.name == spec.name)).first()
        if institution is None:
            institution = Institution(
                name=spec.name, type=spec.type, registration_number=spec.registration_number, city="武汉",
                intro=spec.intro, name_en=data.INSTITUTIONS_EN[spec.key][0], intro_en=data.INSTITUTIONS_EN[spec.key][1],
                verification_status=VerificationStatus.VERIFIED if spec.verified else VerificationStatus.PENDING,
                verified_at=at(ctx.today - timedelta(days=rng_for("verified", spec.key).randint(20, 200)), time(10))
                if spec.verified else None,
            )
            db.session.add(institution)
        ctx.institutions[spec.key] = institution
        seed_funds(institution, spec)
        for _ in range(spec.investors):
            investor_number += 1
            user = ensure_user(ctx, f"investor{investor_number:02d}", data.INVESTOR_NAMES[investor_number - 1],
                               Role.INVESTOR, institution=institution)
            if spec.verified:
                ctx.investors.append(user)


def seed_funds(institution: Institution, spec: data.InstitutionSpec) -> None:
    existing = {fund.name for fund in institution.funds} if institution.id is not None else set()
    for fund in spec.funds:
        if fund.name in existing:
            continue
        institution.funds.append(Fund(
            name=fund.name, size=fund.size, focus_chains=[c.value for c in fund.chains],
            stages=[s.value for s in fund.stages], regions=[r.value for r in fund.regions],
            ticket_min=fund.ticket_min, ticket_max=fund.ticket_max,
        ))


# --------------------------------------------------------------------------- venues and series

def seed_venues(ctx: SeedContext) -> None:
    for spec in data.VENUES:
        venue = db.session.scalars(sa.select(Venue).where(Venue.name == spec.name)).first()
        if venue is None:
            venue = Venue(name=spec.name, address=spec.address, capacity=spec.capacity,
                          is_online=spec.is_online, description=spec.description,
                          name_en=spec.name_en or None, description_en=spec.description_en or None)
            db.session.add(venue)
        ctx.venues[spec.name] = venue


def seed_series(ctx: SeedContext) -> None:
    for spec in data.SERIES:
        series = db.session.scalars(sa.select(Series).where(Series.slug == spec.slug)).first()
        if series is None:
            series = Series(slug=spec.slug, name=spec.name, kind=spec.kind, industry_chain=spec.chain,
                            description=spec.description, name_en=spec.name_en or None,
                            description_en=spec.description_en or None)
            db.session.add(series)
        ctx.series[spec.slug] = series
    db.session.flush()


# --------------------------------------------------------------------------- sessions and slots

@dataclass(frozen=True)
class SessionPlan:
    venue: str
    day: date
    start: time
    end: time
    series: str
    title: str
    description: str
    chain: IndustryChain | None
    fits: tuple  # chains whose projects suit the session (empty: any)
    capacity: int
    past_slots: int | None = None  # set for sessions that already took place: how many presented projects
    title_en: str | None = None
    description_en: str | None = None

    @property
    def past(self) -> bool:
        return self.past_slots is not None


def first_weekday_from(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def session_plans(ctx: SeedContext) -> list[SessionPlan]:
    """Past sessions, then the chain special, the SRDI special and the daily sessions in date order."""
    plans = []
    past_days = sorted(working_days(ctx.today - timedelta(days=14), ctx.today - timedelta(days=1)), reverse=True)
    for offset, slot_count in zip(PAST_SESSION_OFFSETS, PAST_SLOT_COUNTS):
        if offset < len(past_days):
            day = past_days[offset]
            plans.append(SessionPlan(
                data.HALL, day, DAILY_START, DAILY_END, "daily", "每日路演 · 硬科技综合专场",
                "光电子、集成电路、显示、大健康与新材料项目同场路演，会后安排一对一约谈。",
                None, (), rng_for("capacity", day).choice((80, 100, 120)), past_slots=slot_count,
                title_en="Daily Roadshow · Hard Tech Mixed",
                description_en="Optoelectronics, chips, displays, health and new materials in one session, with one-to-one talks afterwards.",
            ))
    # The monthly special's next date by its template (first Thursday), so the template adopts this session.
    chain_day = next_chain_special_day(ctx.today)
    plans.append(SessionPlan(
        data.ONLINE, chain_day, SPECIAL_START, SPECIAL_END, "chain-monthly",
        "一月一链 · 光电子信息产业链投融资专场",
        "本月“一月一链”聚焦光芯屏端网中的光电子信息产业链，邀请产业资本、创投机构与科技支行线上对接。",
        IndustryChain.OPTOELECTRONICS, (IndustryChain.OPTOELECTRONICS,), 120,
        title_en="Chain of the Month · Optoelectronics Investment Special",
        description_en="This month's chain special is on optoelectronics: industrial capital, venture investors and tech banks meet online.",
    ))
    srdi_day = first_weekday_from(ctx.today + timedelta(days=7), 3)  # a Thursday, not the chain special's
    if srdi_day == chain_day:
        srdi_day += timedelta(days=7)
    plans.append(SessionPlan(
        data.ONLINE, srdi_day, SPECIAL_START, SPECIAL_END, "srdi", "专精特新专场 · 创新积分企业投融资路演",
        "面向专精特新企业与创新积分高分企业，股权投资机构与科技金融专营机构共同参与，探索投贷联动。",
        None, (), 100,
        title_en="Specialised SMEs Special · Innovation-Credit Companies",
        description_en="For specialised and innovative SMEs and companies with high innovation credit; equity investors and tech-finance lenders together.",
    ))
    for day in working_days(ctx.today, ctx.today + timedelta(days=DAYS_AHEAD)):
        theme, chain, fits = data.DAILY_THEMES[day.weekday() % 5]  # a 调休 Saturday takes Monday's theme
        plans.append(SessionPlan(
            data.HALL, day, DAILY_START, DAILY_END, "daily", f"每日路演 · {theme}专场",
            f"今日主题：{theme}。每个项目路演10分钟、问答10分钟，会后可在路演厅洽谈区与企业一对一交流。",
            chain, tuple(fits), rng_for("capacity", day).choice((60, 80, 100, 120)),
            title_en=f"Daily Roadshow · {data.DAILY_THEMES_EN[theme]}",
            description_en=f"Today's theme: {data.DAILY_THEMES_EN[theme]}. Each project pitches for 10 minutes with 10 "
                           "minutes of questions; one-to-one talks in the hall's meeting area afterwards.",
        ))
    return plans


# Order in which newly created sessions pick their projects: the specials first (they take only
# projects of their chain or with an SRDI title), then the daily sessions by date (topped up with any).
FILL_ORDER = {"chain-monthly": 0, "srdi": 1, "daily": 2}


def seed_sessions(ctx: SeedContext) -> None:
    created: list[tuple[SessionPlan, RoadshowSession]] = []
    # Past sessions are filled only after the loop, so count down what they can still claim.
    presented_left = len(unslotted(ctx, ProjectStatus.PRESENTED))
    for plan in session_plans(ctx):
        venue = ctx.venues[plan.venue]
        starts_at = at(plan.day, plan.start)
        session = db.session.scalars(
            sa.select(RoadshowSession).where(RoadshowSession.venue_id == venue.id,
                                             RoadshowSession.starts_at == starts_at)
        ).first()
        if session is None:
            if plan.past:
                if presented_left == 0:
                    continue  # a later run (another `today`): no presented project left to have pitched there
                presented_left -= min(plan.past_slots, presented_left)
            session = create_session(ctx, plan, venue, starts_at)
            created.append((plan, session))
        ctx.sessions.append(session)
    schedule_projects(ctx, created)
    db.session.flush()


def schedule_projects(ctx: SeedContext, created: list[tuple[SessionPlan, RoadshowSession]]) -> None:
    """Put projects into the slots of the sessions created in this run (existing ones stay as they are)."""
    upcoming_daily = sorted(p.day for p, _ in created if p.series == "daily" and not p.past)
    with_slots = set(upcoming_daily[:DAILY_SESSIONS_WITH_SLOTS])
    for plan, session in sorted(created, key=lambda item: (FILL_ORDER[item[0].series], item[0].day)):
        if plan.past:
            fill_slots(ctx, session, pick_presented(ctx, plan.past_slots))
            continue
        if plan.series != "daily" or plan.day in with_slots:
            fill_slots(ctx, session, pick_approved(ctx, plan))
        session.status = SessionStatus.SCHEDULED if session.slots else SessionStatus.OPEN


def create_session(ctx: SeedContext, plan: SessionPlan, venue: Venue, starts_at: datetime) -> RoadshowSession:
    hosts = [ctx.staff["host1"], ctx.staff["host2"]]
    session = RoadshowSession(
        title=plan.title, description=plan.description, series=ctx.series[plan.series], venue=venue,
        title_en=plan.title_en, description_en=plan.description_en,
        host=hosts[plan.day.toordinal() % 2] if plan.series == "daily" else hosts[0],
        industry_chain=plan.chain, starts_at=starts_at, ends_at=at(plan.day, plan.end),
        capacity=plan.capacity, seats_taken=0,
        status=SessionStatus.ENDED if plan.past else SessionStatus.OPEN,
    )
    db.session.add(session)
    return session


def unslotted(ctx: SeedContext, status: ProjectStatus) -> list[Project]:
    return [p for p in ctx.projects.values() if p.status == status and p.id not in ctx.slotted]


def pick_presented(ctx: SeedContext, count: int) -> list[Project]:
    return unslotted(ctx, ProjectStatus.PRESENTED)[:count]


def plan_fits(plan: SessionPlan, project: Project) -> bool:
    if plan.series == "srdi":
        return project.company.srdi_level != SrdiLevel.NONE
    return not plan.fits or project.industry_chain in plan.fits


def pick_approved(ctx: SeedContext, plan: SessionPlan) -> list[Project]:
    """3–5 approved projects that fit the session's chains, topped up with others to reach 3."""
    available = unslotted(ctx, ProjectStatus.APPROVED)
    wanted = rng_for("slots", plan.venue, plan.day).randint(3, 4 if plan.series == "daily" else 5)
    fitting = [p for p in available if plan_fits(plan, p)]
    chosen = fitting[:wanted]
    if len(chosen) < 3 and plan.series == "daily":
        chosen += [p for p in available if p not in chosen][: 3 - len(chosen)]
    return chosen


def fill_slots(ctx: SeedContext, session: RoadshowSession, projects: list[Project]) -> None:
    for position, project in enumerate(projects, start=1):
        session.slots.append(Slot(project=project, position=position,
                                  pitch_minutes=PITCH_MINUTES, qa_minutes=QA_MINUTES))
        if project.status == ProjectStatus.APPROVED:
            project.status = ProjectStatus.SCHEDULED
        ctx.slotted.add(project.id)


# --------------------------------------------------------------------------- bookings and applications

def booking_odds(session: RoadshowSession) -> float:
    if session.status == SessionStatus.ENDED:
        return 0.5
    return 0.45 if session.series is not None and session.series.slug != "daily" else 0.3


def seed_bookings(ctx: SeedContext) -> None:
    now = utcnow()
    for session in ctx.sessions:
        if not (session.is_bookable or session.status == SessionStatus.ENDED):
            continue
        key = f"{session.venue.name}|{session.starts_at.isoformat()}"
        existing = {b.user_id: b for b in db.session.scalars(
            sa.select(Booking).where(Booking.session_id == session.id))}
        for investor in ctx.investors:
            rng = rng_for("booking", key, investor.email)
            draw = rng.random()
            if draw >= booking_odds(session) or investor.id in existing:
                continue
            booked_at = min(now, session.starts_at - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8)))
            booking = Booking(session=session, user=investor, created_at=booked_at, updated_at=booked_at)
            if draw < 0.04:  # a few changed their minds
                booking.status = BookingStatus.CANCELLED
                booking.cancelled_at = min(now, booked_at + timedelta(hours=rng.randint(2, 30)))
            db.session.add(booking)
    db.session.flush()
    sync_seats(ctx.sessions)


def sync_seats(sessions: list[RoadshowSession]) -> None:
    """seats_taken is the number of confirmed bookings (the database refuses more than capacity)."""
    for session in sessions:
        confirmed = db.session.scalar(
            sa.select(sa.func.count()).select_from(Booking).where(
                Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED)
        )
        if session.seats_taken != confirmed:
            session.seats_taken = confirmed


def seed_applications(ctx: SeedContext) -> None:
    for project_key, slug, status, note in data.APPLICATIONS:
        project, series = ctx.projects[project_key], ctx.series[slug]
        found = db.session.scalars(sa.select(Application).where(
            Application.project_id == project.id, Application.series_id == series.id,
            Application.session_id.is_(None))).first()
        if found is None:
            db.session.add(Application(project=project, series=series, status=status, note=note))
