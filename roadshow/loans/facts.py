"""The company facts loan rules are written over, and the one function that reads them.

Every page, the API and matching read a company's facts through `company_facts`, so a better source
for a fact (an official list, a verified badge) is taken up everywhere by changing this one function.
A fact the company has not given is None, and a rule on it fails with "未提供".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..common.choices import District, IndustryChain, LabeledEnum, SrdiLevel
from ..extensions import db
from ..projects.models import Company
from .models import IpAsset, IpKind, IpStatus, PATENT_KINDS


class FactKind(LabeledEnum):
    """How a fact's values compare, which decides the operators a rule on it may use."""
    COUNT = "count", _l("数量")
    MONEY = "money", _l("金额")
    LEVEL = "level", _l("等级")
    FLAG = "flag", _l("是否")
    CHOICE = "choice", _l("类别")


class Fact(LabeledEnum):
    INNOVATION_SCORE = "innovation_score", _l("创新积分")
    SRDI_LEVEL = "srdi_level", _l("专精特新等级")
    HIGH_TECH = "high_tech", _l("高新技术企业")
    PATENTS = "patents", _l("有效专利数")
    INVENTION_PATENTS = "invention_patents", _l("有效发明专利数")
    YEARS_FOUNDED = "years_founded", _l("成立年限")
    ANNUAL_REVENUE = "annual_revenue", _l("上年营业收入")
    INDUSTRY_CHAIN = "industry_chain", _l("所属产业链")
    DISTRICT = "district", _l("注册区域")

    @property
    def kind(self) -> FactKind:
        return FACT_KINDS[self]

    @property
    def choices_enum(self) -> type[LabeledEnum] | None:
        """The enum a LEVEL or CHOICE fact's values come from."""
        return {Fact.SRDI_LEVEL: SrdiLevel, Fact.INDUSTRY_CHAIN: IndustryChain, Fact.DISTRICT: District}.get(self)


FACT_KINDS = {
    Fact.INNOVATION_SCORE: FactKind.COUNT,
    Fact.SRDI_LEVEL: FactKind.LEVEL,
    Fact.HIGH_TECH: FactKind.FLAG,
    Fact.PATENTS: FactKind.COUNT,
    Fact.INVENTION_PATENTS: FactKind.COUNT,
    Fact.YEARS_FOUNDED: FactKind.COUNT,
    Fact.ANNUAL_REVENUE: FactKind.MONEY,
    Fact.INDUSTRY_CHAIN: FactKind.CHOICE,
    Fact.DISTRICT: FactKind.CHOICE,
}


@dataclass(frozen=True)
class CompanyFacts:
    """What loan rules see of a company; `None` is a fact the company has not given."""
    values: dict

    def __getitem__(self, fact: Fact):
        return self.values.get(fact)


def company_facts(company: Company, today: date | None = None) -> CompanyFacts:
    """The facts of `company` as of `today`: the one reader of company data for eligibility.

    Patents: the granted ones in the company's IP list; a company that listed no IP yet is taken at the
    count on its profile, and its invention patents are then not known.
    """
    today = today or date.today()
    granted = dict(db.session.execute(
        sa.select(IpAsset.kind, sa.func.count())
        .where(IpAsset.company_id == company.id, IpAsset.status == IpStatus.GRANTED, IpAsset.kind.in_(PATENT_KINDS))
        .group_by(IpAsset.kind)
    ).all()) if company.id is not None else {}
    listed_any = company.id is not None and db.session.scalar(
        sa.select(sa.func.count()).select_from(IpAsset).where(IpAsset.company_id == company.id)) > 0
    revenue = company.annual_revenue
    return CompanyFacts({
        Fact.INNOVATION_SCORE: company.innovation_score,
        Fact.SRDI_LEVEL: company.srdi_level,
        Fact.HIGH_TECH: company.is_high_tech,
        Fact.PATENTS: sum(granted.values()) if listed_any else company.patents_count,
        Fact.INVENTION_PATENTS: granted.get(IpKind.INVENTION_PATENT, 0) if listed_any else None,
        Fact.YEARS_FOUNDED: today.year - company.founded_year if company.founded_year else None,
        Fact.ANNUAL_REVENUE: Decimal(revenue) if revenue is not None else None,
        Fact.INDUSTRY_CHAIN: company.industry_chain,
        Fact.DISTRICT: company.district,
    })
