"""Why a fund and a project match: the strongest components as short Chinese reasons.

Reasons are stored in Chinese (the center's language); `localized()` shows a stored reason in the page's
language by recognising which message it is and translating it again with its labels and amounts.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from flask_babel import force_locale, gettext as _

from ..common.choices import IndustryChain, Region, SrdiLevel, Stage
from ..i18n.formatting import format_money
from ..i18n import DEFAULT_LOCALE, is_english, stored_language
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
        return _("产业链：%(chain)s", chain=chain) if project.chain in fund.chains else _("基金不限产业链")
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
    with stored_language():  # stored, read by everyone: in Chinese even when an English page recomputes
        chosen = [
            _reason(k, values[k], fund, project) for k in ranked
            if w[k] > 0 and values[k] >= _MIN_VALUE.get(k, 0.5)
        ]
    return [text for text in chosen if text][:MAX_REASONS]


# --- a stored reason in the page's language ------------------------------------------------------
# The messages of _reason(), in the order they are tried (the longer of two alike first).
_STORED = (
    "产业链：%(chain)s", "基金不限产业链", "阶段 %(stage)s 与基金偏好相近", "阶段 %(stage)s",
    "单笔 %(tickets)s覆盖 %(ask)s需求", "单笔 %(tickets)s可参与 %(ask)s融资的一部分", "地域：%(region)s",
    "创新积分 %(score)d", "高新技术企业", "机构近期关注%(chain)s项目",
)
_HIGH_TECH = "、高新技术企业"
_AMOUNT = re.compile(r"([\d.]+)(?:–([\d.]+))? (万|亿)")  # "1000 万", "500–2000 万", "2000 万–5 亿"
_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


@cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    def pattern(msgid: str) -> re.Pattern:
        out, last = [], 0
        for m in _PLACEHOLDER.finditer(msgid):
            out += [re.escape(msgid[last:m.start()]), rf"(?P<{m[1]}>\d+)" if m[2] == "d" else rf"(?P<{m[1]}>.+?)"]
            last = m.end()
        return re.compile("".join(out) + re.escape(msgid[last:]))
    return [(msgid, pattern(msgid)) for msgid in _STORED]


@cache
def _members() -> dict[str, object]:
    """Chinese label → enum member, for the labels a reason names."""
    with force_locale(DEFAULT_LOCALE):
        return {str(m.label): m for enum in (IndustryChain, Stage, Region, SrdiLevel) for m in enum}


def _label(text: str) -> str:
    member = _members().get(text)
    return str(member.label) if member is not None else text


def _amounts(text: str) -> str:
    """"500–2000 万" → "CNY 5M–20M", "1000 万" → "CNY 10M"."""
    found = []
    for low, high, unit in _AMOUNT.findall(text):
        scale = YI if unit == "亿" else WAN
        found += [float(low) * scale] + ([float(high) * scale] if high else [])
    if not found:
        return text
    written = [format_money(round(v)) for v in found]
    return "–".join([written[0]] + [w.removeprefix("CNY ") for w in written[1:]])


def localized(reason: str) -> str:
    """A stored (Chinese) reason in the page's language; as stored in Chinese, or when not recognised."""
    if not is_english():
        return reason
    if reason in _members():  # an SRDI level
        return _label(reason)
    if reason.endswith(_HIGH_TECH) and reason.removesuffix(_HIGH_TECH) in _members():
        return _label(reason.removesuffix(_HIGH_TECH)) + _("、高新技术企业")
    for msgid, pattern in _patterns():
        match = pattern.fullmatch(reason)
        if match:
            values = {k: _amounts(v) if k in ("tickets", "ask") else int(v) if k == "score" else _label(v)
                      for k, v in match.groupdict().items()}
            return _(msgid, **values)
    return reason


def explanation(reasons: list[str]) -> str:
    """Stored reasons in one line, in the page's language."""
    return _("；").join(localized(r) for r in reasons)
