"""The figures the center is judged by, for the government dashboard (科技局, 金融局) and its exports.

Every figure is an aggregate over a window of dates (the last twelve months by default); the one list
of companies names those financed after a roadshow, with dates and kinds of money but never amounts,
valuations, rates or revenue (SECURITY.md, "Government dashboard"). Financing an institution disputes
is not counted; a platform-approved loan is one event (financing.services).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from statistics import median

import sqlalchemy as sa

from ..common.choices import District, IndustryChain
from ..deals.models import Deal, DealStage
from ..extensions import db
from ..financing.models import COUNTED, FinancingEvent, FinancingKind
from ..financing.services import presentations
from ..loans.models import DECIDED_LOAN_STATUSES, LoanApplication, LoanApplicationStatus
from ..meetings.models import MeetingRequest, MeetingStatus
from ..projects.models import Company, Project

# A meeting that took place or is agreed; a deal that reached a term sheet.
MET = (MeetingStatus.ACCEPTED, MeetingStatus.HELD)
TERM_SHEET_OR_LATER = (DealStage.TERM_SHEET, DealStage.SIGNED)


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # inclusive

    @classmethod
    def last_months(cls, today: date, months: int = 12) -> Window:
        return cls(today - timedelta(days=round(months * 365 / 12)), today)

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time.max)


@dataclass
class FinancedCompany:
    name: str
    chain: IndustryChain
    district: District | None
    presented_on: date
    financed_on: date
    kinds: list[FinancingKind] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.financed_on - self.presented_on).days


@dataclass
class Dashboard:
    window: Window
    by_source: dict[FinancingKind, tuple[int, Decimal]]  # kind -> (events, amount)
    by_chain: dict[IndustryChain, dict[FinancingKind, Decimal]]
    by_month: dict[str, dict[FinancingKind, Decimal]]  # "2026-11" -> kind -> amount
    by_district: dict[District | None, dict[FinancingKind, Decimal]]
    loans_decided: int
    loans_approved: int
    loan_volume: Decimal  # approved amounts of loans decided in the window
    funnel: dict[str, int]  # presented, met, term_sheet_or_loan, financed
    median_days_to_money: float | None
    financed: list[FinancedCompany]

    @property
    def loan_rate(self) -> Decimal | None:
        """获贷率: approved ÷ decided applications."""
        if not self.loans_decided:
            return None
        return (Decimal(self.loans_approved) / Decimal(self.loans_decided) * 100).quantize(Decimal("0.1"))

    @property
    def total(self) -> Decimal:
        return sum((amount for _count, amount in self.by_source.values()), Decimal(0))


def _counted_events(window: Window):
    return (FinancingEvent.confirmation.in_(COUNTED), FinancingEvent.occurred_on.between(window.start, window.end))


def build(window: Window) -> Dashboard:
    where = _counted_events(window)
    by_source = {kind: (0, Decimal(0)) for kind in FinancingKind}
    for kind, count, total in db.session.execute(
            sa.select(FinancingEvent.kind, sa.func.count(), sa.func.sum(FinancingEvent.amount))
            .where(*where).group_by(FinancingEvent.kind)):
        by_source[kind] = (count, Decimal(total))

    def grouped(column, join_company: bool):
        query = sa.select(column, FinancingEvent.kind, sa.func.sum(FinancingEvent.amount)).where(*where)
        if join_company:
            query = query.join(Company, Company.id == FinancingEvent.company_id)
        result: dict = defaultdict(dict)
        for key, kind, total in db.session.execute(query.group_by(column, FinancingEvent.kind)):
            result[key][kind] = Decimal(total)
        return dict(result)

    year, month = sa.extract("year", FinancingEvent.occurred_on), sa.extract("month", FinancingEvent.occurred_on)
    by_month: dict = defaultdict(dict)
    for y, m, kind, total in db.session.execute(
            sa.select(year, month, FinancingEvent.kind, sa.func.sum(FinancingEvent.amount)).where(*where)
            .group_by(year, month, FinancingEvent.kind)):
        by_month[f"{int(y):04d}-{int(m):02d}"][kind] = Decimal(total)

    decided = sa.and_(LoanApplication.status.in_(DECIDED_LOAN_STATUSES),
                      LoanApplication.decided_at.between(window.start_at, window.end_at))
    loans_decided = db.session.scalar(sa.select(sa.func.count()).select_from(LoanApplication).where(decided))
    approved = sa.and_(decided, LoanApplication.status == LoanApplicationStatus.APPROVED)
    loans_approved = db.session.scalar(sa.select(sa.func.count()).select_from(LoanApplication).where(approved))
    loan_volume = db.session.scalar(sa.select(sa.func.sum(LoanApplication.approved_amount)).where(approved))

    funnel, financed = _funnel(window)
    days = [company.days for company in financed]
    return Dashboard(
        window=window, by_source=by_source, by_chain=grouped(Company.industry_chain, True),
        by_month=dict(sorted(by_month.items())), by_district=grouped(Company.district, True),
        loans_decided=loans_decided, loans_approved=loans_approved, loan_volume=Decimal(loan_volume or 0),
        funnel=funnel, median_days_to_money=median(days) if days else None, financed=financed)


def _funnel(window: Window) -> tuple[dict[str, int], list[FinancedCompany]]:
    """Companies that presented in a roadshow ended in the window, and how far each got after it.

    met: a meeting with an investor accepted or held; term sheet or loan: a deal at term sheet or signed,
    or a loan approved; financed: counted financing dated on or after its first roadshow in the window.
    """
    shown = presentations().subquery()
    first = dict(db.session.execute(
        sa.select(shown.c.company_id, sa.func.min(shown.c.ended_at))
        .where(shown.c.ended_at.between(window.start_at, window.end_at)).group_by(shown.c.company_id)).all())
    ids = list(first)
    met = set(db.session.scalars(
        sa.select(Project.company_id).join(MeetingRequest, MeetingRequest.project_id == Project.id)
        .where(Project.company_id.in_(ids), MeetingRequest.status.in_(MET))))
    term_or_loan = set(db.session.scalars(
        sa.select(Project.company_id).join(Deal, Deal.project_id == Project.id)
        .where(Project.company_id.in_(ids), Deal.stage.in_(TERM_SHEET_OR_LATER)))) | set(db.session.scalars(
            sa.select(LoanApplication.company_id).where(LoanApplication.company_id.in_(ids),
                                                       LoanApplication.status == LoanApplicationStatus.APPROVED)))
    financed: dict[int, FinancedCompany] = {}
    rows = db.session.execute(
        sa.select(FinancingEvent.company_id, FinancingEvent.occurred_on, FinancingEvent.kind, Company)
        .join(Company, Company.id == FinancingEvent.company_id)
        .where(FinancingEvent.company_id.in_(ids), FinancingEvent.confirmation.in_(COUNTED))
        .order_by(FinancingEvent.occurred_on, FinancingEvent.id))
    for company_id, occurred_on, kind, company in rows:
        presented_on = first[company_id].date()
        if occurred_on < presented_on:
            continue
        entry = financed.setdefault(company_id, FinancedCompany(
            company.name, company.industry_chain, company.district, presented_on, occurred_on))
        if kind not in entry.kinds:
            entry.kinds.append(kind)
    funnel = {"presented": len(ids), "met": len(met), "term_sheet_or_loan": len(term_or_loan),
              "financed": len(financed)}
    return funnel, sorted(financed.values(), key=lambda c: (c.financed_on, c.name))


# --- exports -------------------------------------------------------------------------------------

def tables(dashboard: Dashboard) -> dict[str, tuple[list[str], list[list]]]:
    """Each figure as a table (header, rows) for CSV and XLSX: codes and numbers, amounts in CNY."""
    kinds = list(FinancingKind)

    def by(dimension: dict, label) -> list[list]:
        return [[label(key), *[format(dimension[key].get(k, Decimal(0)), "f") for k in kinds]] for key in dimension]

    amounts = [f"{k.value}_cny" for k in kinds]
    d = dashboard
    return {
        "by_source": (["kind", "events", "amount_cny"],
                      [[k.value, d.by_source[k][0], format(d.by_source[k][1], "f")] for k in kinds]),
        "by_chain": (["industry_chain", *amounts], by(d.by_chain, lambda c: c.value)),
        "by_month": (["month", *amounts], by(d.by_month, str)),
        "by_district": (["district", *amounts], by(d.by_district, lambda c: c.value if c else "")),
        "loans": (["decided", "approved", "loan_rate_percent", "approved_volume_cny"],
                  [[d.loans_decided, d.loans_approved, format(d.loan_rate, "f") if d.loan_rate is not None else "",
                    format(d.loan_volume, "f")]]),
        "funnel": (["presented", "met", "term_sheet_or_loan", "financed", "median_days_to_money"],
                   [[*d.funnel.values(), d.median_days_to_money if d.median_days_to_money is not None else ""]]),
        "financed_after_roadshow": (["company", "industry_chain", "district", "presented_on", "financed_on", "days",
                                     "kinds"],
                                    [[c.name, c.chain.value, c.district.value if c.district else "",
                                      c.presented_on.isoformat(), c.financed_on.isoformat(), c.days,
                                      " ".join(k.value for k in c.kinds)] for c in d.financed]),
    }
