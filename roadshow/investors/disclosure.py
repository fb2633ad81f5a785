"""A fund's public disclosure (创业投资基金信息公开): which fields are disclosed, their versioned history,
and whether an official list verified the fund's registration.

Every save of a fund goes through `investors.services.save_fund`, which asks `record_changes` here to
write one FundDisclosureVersion with the fields that changed (before and after) and who changed them;
the history is public on the fund's page, like a disclosure register.
"""
from __future__ import annotations

import re
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..common.errors import FieldRuleViolation
from ..extensions import db
from ..official.models import ListKind, Subject, VerifiedFact
from ..projects.models import Project
from .models import Fund, FundDisclosureVersion

# The disclosed fields, in the order the page and the history show them.
DISCLOSED = {
    "name": _l("基金名称"),
    "registration_code": _l("备案编码"),
    "vintage_year": _l("设立年份"),
    "term_years": _l("存续期（年）"),
    "investment_period_years": _l("投资期（年）"),
    "size": _l("基金规模"),
    "committed_size": _l("认缴规模（元）"),
    "paid_in_size": _l("实缴规模（元）"),
    "guidance_share": _l("政府引导基金出资占比（%）"),
    "state_capital_share": _l("国有资本出资占比（%）"),
    "reinvest_region": _l("返投地域"),
    "reinvest_share": _l("返投比例（%）"),
    "focus_chains": _l("关注产业链"),
    "stages": _l("投资阶段"),
    "regions": _l("投资地域"),
    "ticket_min": _l("单笔投资下限"),
    "ticket_max": _l("单笔投资上限"),
    "portfolio": _l("投资组合"),
    "contact": _l("联系方式"),
}
MAX_PORTFOLIO = 50
_PROJECT_REF = re.compile(r"(?:^#|/projects/)(\d+)\b")


def _plain(value):
    """A value as the history stores it: exact Decimals as text, lists as lists."""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return value


def snapshot(fund: Fund | None) -> dict:
    return {name: (_plain(getattr(fund, name)) if fund is not None else None) for name in DISCLOSED}


def check(fund: Fund) -> None:
    """Rules across fields, each refused on the field the person should change."""
    if fund.committed_size is not None and fund.paid_in_size is not None and fund.paid_in_size > fund.committed_size:
        raise FieldRuleViolation("paid_in_size", _("实缴规模不能大于认缴规模。"))
    if fund.term_years and fund.investment_period_years and fund.investment_period_years > fund.term_years:
        raise FieldRuleViolation("investment_period_years", _("投资期不能长于存续期。"))
    if fund.registration_code:
        taken = db.session.scalar(sa.select(Fund.id).where(Fund.registration_code == fund.registration_code,
                                                           Fund.id != fund.id).limit(1))
        if taken:
            raise FieldRuleViolation("registration_code", _("这个备案编码已被另一支基金使用。"))


def record_changes(fund: Fund, before: dict, by: User) -> FundDisclosureVersion | None:
    """Write the next version when any disclosed field changed; None when nothing did."""
    after = snapshot(fund)
    changes = {name: [before[name], after[name]] for name in DISCLOSED if before[name] != after[name]}
    if not changes:
        return None
    number = (db.session.scalar(sa.select(sa.func.max(FundDisclosureVersion.number))
                                .where(FundDisclosureVersion.fund_id == fund.id)) or 0) + 1
    version = FundDisclosureVersion(fund_id=fund.id, number=number, changed_by_id=by.id, changed_by_name=by.name,
                                    changes=changes)
    db.session.add(version)
    db.session.flush()
    return version


def parse_portfolio(text: str) -> list[dict]:
    """One holding a line: a project on the platform as its link or #id (linked), anything else by name."""
    holdings = []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_PORTFOLIO:
        raise FieldRuleViolation("portfolio", _("投资组合最多 %(n)d 项。", n=MAX_PORTFOLIO))
    for line in lines:
        match = _PROJECT_REF.search(line)
        if match:
            project = db.session.get(Project, int(match.group(1)))
            if project is None or not project.is_public:
                raise FieldRuleViolation("portfolio", _("平台上没有公开的项目 %(ref)s。", ref=line[:40]))
            holdings.append({"project_id": project.id})
        else:
            holdings.append({"name": line[:80]})
    return holdings


def portfolio_text(fund: Fund) -> str:
    return "\n".join(f"#{h['project_id']}" if "project_id" in h else h["name"] for h in fund.portfolio or [])


def portfolio_entries(fund: Fund) -> list[tuple[str, Project | None]]:
    """(name, public project or None) for each holding, for the page."""
    ids = [h["project_id"] for h in fund.portfolio or [] if "project_id" in h]
    projects = {p.id: p for p in db.session.scalars(sa.select(Project).where(Project.id.in_(ids)))} if ids else {}
    entries = []
    for holding in fund.portfolio or []:
        project = projects.get(holding.get("project_id"))
        if project is not None and project.is_public:
            entries.append((project.title, project))
        elif "name" in holding:
            entries.append((holding["name"], None))
    return entries


def registration_entry(fund: Fund) -> VerifiedFact | None:
    """The official fund-registration list's entry for this fund, if one was imported."""
    return db.session.scalar(sa.select(VerifiedFact).where(
        VerifiedFact.subject == Subject.FUND, VerifiedFact.subject_id == fund.id, VerifiedFact.kind == ListKind.FUND))
