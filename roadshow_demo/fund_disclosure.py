"""Public fund disclosure (创业投资基金信息公开) for two demo funds: demo data.

A guidance-backed venture fund and a growth fund disclose registration, vintage, term, committed and
paid-in capital, the guidance fund's and state capital's shares with the re-investment obligation, a
portfolio (one project on the platform, one named) and a contact — saved through the service as their
manager would, so each has a public history; the venture fund's paid-in capital was raised later
(a second version). A fund that already discloses its vintage is left alone, so a second run adds nothing.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from roadshow.accounts.models import User
from roadshow.extensions import db
from roadshow.investors.models import Fund
from roadshow.investors.services import save_fund
from roadshow.projects.models import PUBLIC_STATUSES, Project

YI = Decimal(100_000_000)

DISCLOSURES = {
    "长江启航光芯创业投资基金": dict(
        registration_code="SXY312", vintage_year=2022, term_years=8, investment_period_years=5,
        committed_size=Decimal(15) * YI, paid_in_size=Decimal(6) * YI, guidance_share=Decimal("20.00"),
        state_capital_share=Decimal("35.00"), reinvest_region="武汉市东湖高新区", reinvest_share=Decimal("150.00"),
        contact="ir@cjqh-capital.example.cn",
    ),
    "江城光谷产业升级股权投资基金": dict(
        registration_code="SGK208", vintage_year=2021, term_years=7, investment_period_years=4,
        committed_size=Decimal(50) * YI, paid_in_size=Decimal(50) * YI, guidance_share=Decimal("10.00"),
        state_capital_share=Decimal("25.00"), reinvest_region="湖北省", reinvest_share=Decimal("100.00"),
        contact="fund@jcgg-pe.example.cn",
    ),
}
LATER_PAID_IN = {"长江启航光芯创业投资基金": Decimal(9) * YI}  # a capital call after the first disclosure


def seed_demo(_today: date) -> None:
    for fund in db.session.scalars(sa.select(Fund).where(Fund.name.in_(DISCLOSURES), Fund.vintage_year.is_(None))):
        manager = db.session.scalars(sa.select(User).where(User.institution_id == fund.institution_id)
                                     .order_by(User.id)).first()
        if manager is None:
            continue
        save_fund(manager, fund, **DISCLOSURES[fund.name], portfolio=_portfolio(fund))
        if fund.name in LATER_PAID_IN:
            save_fund(manager, fund, paid_in_size=LATER_PAID_IN[fund.name])


def _portfolio(fund: Fund) -> list[dict]:
    """One public project in the fund's industry chains (linked), one company off the platform (named)."""
    project = db.session.scalars(sa.select(Project).where(Project.industry_chain.in_(fund.focus_chains), Project.status.in_(PUBLIC_STATUSES))
                                 .order_by(Project.id)).first()
    linked = [{"project_id": project.id}] if project is not None else []
    return linked + [{"name": "武汉微纳光芯科技有限公司"}]
