"""Read funds and projects from the database as scorer profiles, with investors' behaviour signals."""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from ..accounts.models import User
from ..checkin.models import Attendance
from ..common.choices import Region
from ..extensions import db
from ..feedback.models import Feedback, InterestLevel
from ..investors.models import Fund, Institution, VerificationStatus
from ..live.models import Interest, Question, QuestionStatus
from ..meetings.models import MeetingRequest, MeetingSide
from ..projects.facts import CompanyFacts, facts_by_company
from ..projects.models import PUBLIC_STATUSES, Project
from ..roadshows.models import Booking, BookingStatus, Slot
from .scoring import CHAIN_INDEX, CHAINS, FundProfile, ProjectProfile

# Cities outside Wuhan, by the region a fund may name. Anything else counts as "elsewhere in China".
_REGION_CITIES = {
    Region.HUBEI: "宜昌 襄阳 荆州 黄石 十堰 孝感 荆门 鄂州 黄冈 咸宁 随州 恩施 仙桃 潜江 天门 神农架",
    Region.CENTRAL: "长沙 株洲 湘潭 衡阳 岳阳 常德 郑州 洛阳 开封 新乡 南阳 南昌 九江 赣州 景德镇 上饶",
    Region.YANGTZE_DELTA: "上海 南京 苏州 无锡 常州 南通 杭州 宁波 嘉兴 绍兴 合肥 芜湖",
    Region.GREATER_BAY: "深圳 广州 珠海 佛山 东莞 惠州 中山 江门 肇庆 香港 澳门",
    Region.BEIJING_TIANJIN: "北京 天津 石家庄 保定 唐山 廊坊 雄安",
}
CITY_REGION = {city: region.value for region, names in _REGION_CITIES.items() for city in names.split()}

# Behaviour: how much one act says about an institution's interest in a chain.
# Coming to a booked roadshow (checked in at the door) counts on top of the booking: attended says more than booked.
SIGNAL_WEIGHTS = {"booking": 1.0, "attended": 1.0, "question": 1.0, "meeting": 2.0, "interest": 2.0, "feedback": 1.0}
# A roadshow feedback answer counts by the interest it states ("none" counts nothing).
FEEDBACK_INTEREST = {InterestLevel.FOLLOW: 1.0, InterestLevel.MEET: 2.0, InterestLevel.DUE_DILIGENCE: 3.0}
SIGNAL_SCALE = 3.0  # 1 − e^(−n/3): three bookings ≈ 0.63
# A question its author withdrew or the host hid says nothing (any more) about the author's interest.
COUNTED_QUESTIONS = (QuestionStatus.PENDING, QuestionStatus.APPROVED)


def city_region(city: str | None) -> str:
    city = (city or "").strip().removesuffix("市")
    if city.startswith("武汉") or not city:
        return Region.WUHAN.value
    return CITY_REGION.get(city, Region.NATIONWIDE.value)


@dataclass(frozen=True)
class FundRow:
    """A fund as scored, with what the explanations and stored rows need besides the profile."""
    id: int
    institution_id: int
    profile: FundProfile


@dataclass(frozen=True)
class ProjectRow:
    id: int
    profile: ProjectProfile


def scored_funds_query():
    """Funds whose institution is not rejected (pending institutions already see their own matches)."""
    return (
        sa.select(Fund).join(Fund.institution)
        .where(Institution.verification_status != VerificationStatus.REJECTED)
    )


def scored_projects_query():
    return sa.select(Project).join(Project.company).where(Project.status.in_(PUBLIC_STATUSES))


def fund_rows(fund_ids: Iterable[int] | None = None) -> list[FundRow]:
    query = scored_funds_query().order_by(Fund.id)
    if fund_ids is not None:
        query = query.where(Fund.id.in_(list(fund_ids)))
    funds = list(db.session.scalars(query))
    behaviour = behaviour_by_institution({f.institution_id for f in funds})
    zero = (0.0,) * len(CHAINS)
    return [
        FundRow(f.id, f.institution_id, FundProfile(
            chains=frozenset(f.focus_chains or ()), stages=frozenset(f.stages or ()),
            regions=frozenset(f.regions or ()), ticket_min=f.ticket_min, ticket_max=f.ticket_max,
            behaviour=behaviour.get(f.institution_id, zero),
        ))
        for f in funds
    ]


def project_rows(project_ids: Iterable[int] | None = None) -> list[ProjectRow]:
    query = scored_projects_query().options(sa.orm.contains_eager(Project.company)).order_by(Project.id)
    if project_ids is not None:
        query = query.where(Project.id.in_(list(project_ids)))
    projects = list(db.session.scalars(query))
    # Verified values count fully, self-declared ones with the configured discount.
    facts = facts_by_company({p.company for p in projects})
    return [_project_row(p, facts[p.company_id]) for p in projects]


def _project_row(p: Project, facts: CompanyFacts) -> ProjectRow:
    return ProjectRow(p.id, ProjectProfile(
        chain=p.industry_chain.value, stage=p.financing_round.value, region=city_region(p.company.city),
        amount=p.amount_sought,
        innovation=facts.innovation_score.value, innovation_weight=facts.innovation_score.weight("matching"),
        srdi=facts.srdi_level.value.value, srdi_weight=facts.srdi_level.weight("matching"),
        high_tech=facts.high_tech.value, high_tech_weight=facts.high_tech.weight("matching"),
    ))


# ----------------------------------------------------------------------------- behaviour signals

def _signal_queries(institution_ids: list[int]):
    """(kind, select of (institution_id, chain, count)) for every behaviour signal."""
    stated = sa.case(*((Feedback.interest == level, weight) for level, weight in FEEDBACK_INTEREST.items()), else_=0.0)
    member = User.institution_id.in_(institution_ids)
    booking = (
        sa.select(User.institution_id, Project.industry_chain, sa.func.count())
        .select_from(Booking).join(User, Booking.user_id == User.id)
        .join(Slot, Slot.session_id == Booking.session_id).join(Project, Slot.project_id == Project.id)
        .where(member, Booking.status == BookingStatus.CONFIRMED)
    )
    attended = (
        sa.select(User.institution_id, Project.industry_chain, sa.func.count())
        .select_from(Attendance).join(Booking, Attendance.booking_id == Booking.id)
        .join(User, Booking.user_id == User.id)
        .join(Slot, Slot.session_id == Attendance.session_id).join(Project, Slot.project_id == Project.id)
        .where(member)
    )
    meeting = (
        sa.select(MeetingRequest.institution_id, Project.industry_chain, sa.func.count())
        .select_from(MeetingRequest).join(Project, MeetingRequest.project_id == Project.id)
        # only the investors' own requests show their interest; a startup asking them does not
        .where(MeetingRequest.institution_id.in_(institution_ids), MeetingRequest.initiator == MeetingSide.INVESTOR)
    )
    question = (
        sa.select(User.institution_id, Project.industry_chain, sa.func.count())
        .select_from(Question).join(User, Question.author_id == User.id)
        .join(Project, Question.project_id == Project.id)
        .where(member, Question.status.in_(COUNTED_QUESTIONS))
    )
    interest = (
        sa.select(User.institution_id, Project.industry_chain, sa.func.count())
        .select_from(Interest).join(User, Interest.investor_id == User.id)
        .join(Project, Interest.project_id == Project.id).where(member)
    )
    feedback = (
        sa.select(User.institution_id, Project.industry_chain, sa.func.sum(stated))
        .select_from(Feedback).join(User, Feedback.investor_id == User.id)
        .join(Project, Feedback.project_id == Project.id).where(member)
    )
    return {"booking": booking, "attended": attended, "meeting": meeting, "question": question, "interest": interest, "feedback": feedback}


def behaviour_by_institution(institution_ids: set[int]) -> dict[int, tuple[float, ...]]:
    """Per institution, per chain: 1 − e^(−n/3) of its people's weighted bookings, questions, interest, feedback."""
    if not institution_ids:
        return {}
    counts: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(CHAINS))
    for kind, query in _signal_queries(sorted(institution_ids)).items():
        grouped = query.group_by(*list(query.selected_columns)[:2])
        for institution_id, chain, n in db.session.execute(grouped):
            counts[institution_id][CHAIN_INDEX[chain.value]] += SIGNAL_WEIGHTS[kind] * float(n or 0)
    return {
        i: tuple(1 - math.exp(-n / SIGNAL_SCALE) for n in row) for i, row in counts.items()
    }
