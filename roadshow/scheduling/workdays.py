"""China's official working days: public holidays off, adjusted working days (调休) on.

The data comes from `chinesecalendar`, which follows the State Council's yearly notice. A year it
does not cover yet (the notice comes out each November) falls back to Monday–Friday.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from chinese_calendar.constants import Holiday, holidays, workdays
from flask_babel import lazy_gettext as _l

HOLIDAY_NAMES = {
    Holiday.new_years_day.value: _l("元旦"),
    Holiday.spring_festival.value: _l("春节"),
    Holiday.tomb_sweeping_day.value: _l("清明节"),
    Holiday.labour_day.value: _l("劳动节"),
    Holiday.dragon_boat_festival.value: _l("端午节"),
    Holiday.national_day.value: _l("国庆节"),
    Holiday.mid_autumn_festival.value: _l("中秋节"),
    Holiday.anti_fascist_70th_day.value: _l("抗战胜利纪念日"),
}


@lru_cache(maxsize=1)
def covered_years() -> frozenset[int]:
    """Years for which the official holiday notice is in the data."""
    return frozenset(day.year for day in (*holidays, *workdays))


def is_covered(day: date) -> bool:
    return day.year in covered_years()


@lru_cache(maxsize=4096)  # a calendar page asks for 42 days, on every view
def is_working_day(day: date) -> bool:
    if not is_covered(day):
        return day.weekday() < 5
    return chinese_calendar.is_workday(day)


def holiday_name(day: date):
    """The festival's name on an official day off (not plain weekends), else None."""
    if not is_covered(day):
        return None
    name = holidays.get(day)
    return HOLIDAY_NAMES.get(name, name) if name else None


@lru_cache(maxsize=4096)
def is_adjusted_working_day(day: date) -> bool:
    """A Saturday or Sunday that is a working day by the 调休 arrangement."""
    return is_covered(day) and day.weekday() >= 5 and day in workdays


def working_days(first: date, last: date) -> list[date]:
    """Working days from first to last, both included."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if is_working_day(day)]


def next_working_day(day: date, limit: int = 30) -> date | None:
    """The first working day on or after `day` (None if none within `limit` days, which never happens in China)."""
    for n in range(limit):
        candidate = day + timedelta(days=n)
        if is_working_day(candidate):
            return candidate
    return None
