"""Dates written the way each language writes them: 2026年11月23日 周一 / Monday, November 23, 2026.

Chinese is built by hand (it is the source language, so it never goes through a catalog); English
uses Babel's CLDR patterns, so month names never depend on the server's C locale.
"""
from datetime import date

from babel.dates import format_date

from ..common.templating import weekday_name
from . import is_english


def month_day(day: date) -> str:
    """11月23日 / Nov 23."""
    return format_date(day, "MMM d", locale="en") if is_english() else f"{day.month}月{day.day}日"


def month_title(day: date) -> str:
    """2026年11月 / November 2026."""
    return format_date(day, "MMMM y", locale="en") if is_english() else f"{day.year}年{day.month}月"


def week_title(first: date, last: date) -> str:
    """2026年11月23日 – 11月29日 / Nov 23 – Nov 29, 2026 (the year once, or twice across a new year)."""
    if not is_english():
        return f"{first.year}年{first.month}月{first.day}日 – {last.month}月{last.day}日"
    if first.year == last.year:
        return f"{format_date(first, 'MMM d', locale='en')} – {format_date(last, 'MMM d, y', locale='en')}"
    return f"{format_date(first, 'MMM d, y', locale='en')} – {format_date(last, 'MMM d, y', locale='en')}"


def day_title(day: date) -> str:
    """2026年11月23日 周一 / Monday, November 23, 2026."""
    if is_english():
        return format_date(day, "EEEE, MMMM d, y", locale="en")
    return f"{day.year}年{day.month}月{day.day}日 {weekday_name(day.weekday())}"
