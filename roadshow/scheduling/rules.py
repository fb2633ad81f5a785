"""Which dates a template yields, which industry chain each date gets, and the session title."""
from __future__ import annotations

import string
from calendar import monthrange
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale, gettext as _

from ..common.choices import IndustryChain
from ..i18n.formatting import format_date, weekday_name
from ..common.timeutil import local_to_utc
from ..i18n import DEFAULT_LOCALE
from .models import HolidayPolicy, RuleKind, SessionTemplate
from .workdays import holiday_name, is_working_day, next_working_day

TITLE_FIELDS = ("chain", "series", "month", "date", "weekday")


def utc_range(first: date, last: date) -> tuple[datetime, datetime]:
    """Naive-UTC bounds [start, end) of the Asia/Shanghai days first..last, for queries on starts_at."""
    return local_to_utc(datetime.combine(first, time.min)), local_to_utc(datetime.combine(last + timedelta(days=1), time.min))


def nth_weekday(year: int, month: int, week: int, weekday: int) -> date | None:
    """The `week`-th given weekday of a month (week -1: the last); None if the month has no 5th one."""
    if week == -1:
        last = date(year, month, monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    return day if day.month == month else None


def _months(first: date, last: date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _nominal_dates(template: SessionTemplate, first: date, last: date) -> list[date]:
    """Dates the rule names before holidays are considered."""
    if template.rule == RuleKind.MONTHLY_NTH:
        if template.month_week is None or template.month_weekday is None:
            return []
        days = (nth_weekday(y, m, template.month_week, template.month_weekday) for y, m in _months(first, last))
        return [d for d in days if d is not None]
    span = ((first + timedelta(days=n)) for n in range((last - first).days + 1))
    if template.rule == RuleKind.WORKING_DAYS:
        return [d for d in span if is_working_day(d)]
    weekdays = set(template.weekdays or ())
    return [d for d in span if d.weekday() in weekdays]


def _apply_holiday_policy(template: SessionTemplate, day: date) -> date | None:
    """Official holidays only: a Saturday rule keeps its ordinary Saturdays."""
    if template.rule == RuleKind.WORKING_DAYS or template.on_holiday == HolidayPolicy.KEEP or not holiday_name(day):
        return day
    if template.on_holiday == HolidayPolicy.NEXT_WORKING_DAY:
        return next_working_day(day)
    return None


def occurrences(template: SessionTemplate, first: date, last: date) -> list[date]:
    """The template's dates from first to last (both included), within its validity."""
    first = max(first, template.valid_from)
    if template.valid_until is not None:
        last = min(last, template.valid_until)
    if first > last:
        return []
    # A date moved past a holiday may come from a nominal date a little before `first`.
    lookback = first - timedelta(days=30) if template.on_holiday == HolidayPolicy.NEXT_WORKING_DAY else first
    lookback = max(lookback, template.valid_from)
    moved = (_apply_holiday_policy(template, d) for d in _nominal_dates(template, lookback, last))
    return sorted({d for d in moved if d is not None and first <= d <= last})


def chain_for(template: SessionTemplate, day: date) -> IndustryChain | None:
    """The industry chain of the session on `day`: the rotation's turn, else the series' chain.

    Monthly rules take the next chain each calendar month (counted from valid_from); other rules
    take the next chain with each session.
    """
    rotation = template.rotation
    if not rotation:
        return template.series.industry_chain if template.series else None
    if template.rule == RuleKind.MONTHLY_NTH:
        turn = (day.year - template.valid_from.year) * 12 + day.month - template.valid_from.month
    else:
        turn = len(occurrences(template, template.valid_from, day - timedelta(days=1)))
    return rotation[turn % len(rotation)]


def title_fields(pattern: str) -> set[str]:
    """Placeholder names used in a title pattern; raises ValueError on a malformed pattern."""
    return {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}


def render_title(template: SessionTemplate, day: date, chain: IndustryChain | None) -> str:
    # A stored title is data, written in the center's language whatever the admin's page language.
    return _render(template.title_pattern, DEFAULT_LOCALE, template, day, chain)[:120]


def render_title_en(template: SessionTemplate, day: date, chain: IndustryChain | None) -> str | None:
    """The English title a generated session gets, from the template's English pattern (None without one)."""
    if not template.title_pattern_en:
        return None
    return _render(template.title_pattern_en, "en", template, day, chain)[:160]


def _render(pattern: str, locale: str, template: SessionTemplate, day: date, chain: IndustryChain | None) -> str:
    with force_locale(locale):
        series = template.series
        values = {
            "chain": str(chain.label) if chain else "",
            "series": ((series.name_en or series.name) if locale == "en" else series.name) if series else "",
            "month": format_date(day, "month"),
            "date": format_date(day, "month_day"),
            "weekday": format_date(day, "weekday"),
        }
    return pattern.format(**values)


def describe(template: SessionTemplate) -> str:
    """The rule in words, for lists: "每周二、周四" or "每月第1个周四"."""
    if template.rule == RuleKind.WORKING_DAYS:
        return _("每个工作日")
    if template.rule == RuleKind.WEEKLY:
        names = _("、").join(weekday_name(d) for d in sorted(template.weekdays or ()))
        return _("每周%(days)s", days=names)
    weekday = weekday_name(template.month_weekday or 0)
    if template.month_week == -1:
        return _("每月最后一个%(weekday)s", weekday=weekday)
    return _("每月第%(n)d个%(weekday)s", n=template.month_week or 1, weekday=weekday)
