"""Why a fund and a project match: the strongest components as short Chinese reasons."""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _

from ..common.choices import IndustryChain, Region, SrdiLevel, Stage
from .scoring import COMPONENTS, FundProfile, ProjectProfile, component_values, normalized_weights

MAX_REASONS = 3
WAN, YI = 10_000, 100_000_000


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 100 or value == int(value) else f"{value:.1f}".rstrip("0").rstrip(".")


def money_range(low: int, high: int) -> str:
    """500–2000 万, 1–5 亿, or 2000 万–5 亿 when the ends need different units."""
    if (low >= YI) == (high >= YI):
        unit, name = (YI, "亿") if high >= YI else (WAN, "万")
        return f"{_number(low / unit)}–{_number(high / unit)} {name}"
    return f"{money(low)}–{money(high)}"


def money(amount: int) -> str:
    unit, name = (YI, "亿") if amount >= YI else (WAN, "万")
    return f"{_number(amount / unit)} {name}"


def _reason(kind: str, value: float, fund: FundProfile, project: ProjectProfile) -> str | None:
    chain = IndustryChain.label_of(project.chain)
    if kind == "chain":
        return _("产业链：%(chain)s", chain=chain) if value == 1 else _("基金不限产业链")
    if kind == "stage":
        stage = Stage.label_of(project.stage)
        return _("阶段 %(stage)s", stage=stage) if value == 1 and fund.stages else _("阶段 %(stage)s 与基金偏好相近", stage=stage)
    if kind == "ticket":
        tickets, ask = money_range(fund.ticket_min, fund.ticket_max), money(project.amount)
        if value == 1:
            return _("单笔 %(tickets)s覆盖 %(ask)s需求", tickets=tickets, ask=ask)
        return _("单笔 %(tickets)s可参与 %(ask)s融资的一部分", tickets=tickets, ask=ask)
    if kind == "region":
        return _("地域：%(region)s", region=Region.label_of(project.region))
    if kind == "innovation":
        return _("创新积分 %(score)d", score=project.innovation)
    if kind == "flags":
        if project.srdi != SrdiLevel.NONE.value:
            return str(SrdiLevel.label_of(project.srdi)) + (_("、高新技术企业") if project.high_tech else "")
        return _("高新技术企业")
    if kind == "behaviour":
        return _("机构近期关注%(chain)s项目", chain=chain)
    return None


# Below these values a component is not a reason to meet (a half-fitting stage still is).
_MIN_VALUE = {"ticket": 0.2, "behaviour": 0.25, "innovation": 0.6, "flags": 0.3}


def reasons(fund: FundProfile, project: ProjectProfile, weights: Mapping[str, float]) -> list[str]:
    """Up to MAX_REASONS reasons, strongest weighted contribution first."""
    w = normalized_weights(weights)
    values = component_values(fund, project)
    ranked = sorted(COMPONENTS, key=lambda k: (-w[k] * values[k], COMPONENTS.index(k)))
    chosen = [
        _reason(k, values[k], fund, project) for k in ranked
        if w[k] > 0 and values[k] >= _MIN_VALUE.get(k, 0.5)
    ]
    return [text for text in chosen if text][:MAX_REASONS]

