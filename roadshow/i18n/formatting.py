"""Every date, time, amount and size a page shows, written in the page's language through Babel (CLDR data).

One place owns how things are written: templates use the filters registered by `init_formatting`,
Python code (notifications, form choices, CSV) calls the functions. Stored times are naive UTC and are
shown in Beijing time (`DISPLAY_TZ`); dates and times of day (a template's 14:00) are shown as they are.

Styles are names, not strftime formats, so a page asks for "a short date" and each language decides how
that is written. The numeric styles (2026-11-23 14:30, 11-23) read the same in both languages.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from functools import lru_cache

from babel import dates as babel_dates, numbers as babel_numbers
from flask import Flask
from flask_babel import get_locale, gettext as _
from flask_babel.speaklater import LazyString

from ..common.timeutil import DISPLAY_TZ, to_local, utcnow
from . import DEFAULT_LOCALE, _parsed, current_locale

# A pattern for both languages, or one per language (CLDR date-pattern syntax).
DATE_STYLES = {
    "default": "yyyy-MM-dd",  # 2026-11-23
    "short": "MM-dd",  # 11-23
    "weekday": "E",  # 周一 / Mon
    "with_weekday": "yyyy-MM-dd E",  # 2026-11-23 周一 / 2026-11-23 Mon
    "short_with_weekday": "MM-dd E",  # 11-23 周一
    "month": "MMM",  # CLDR's abbreviated month: 3月 / Mar
    "day": "dd",  # 23 (the calendar tile)
    "month_day": {"zh_CN": "M月d日", "en": "MMM d"},  # 11月23日 / Nov 23
    "month_day_year": {"zh_CN": "y年M月d日", "en": "MMM d, y"},  # 2026年11月23日 / Nov 23, 2026
    "month_title": {"zh_CN": "y年M月", "en": "MMMM y"},  # 2026年11月 / November 2026
    "day_title": {"zh_CN": "y年M月d日 E", "en": "EEEE, MMMM d, y"},  # 2026年11月23日 周一 / Monday, November 23, 2026
}
TIME_STYLES = {
    "default": "HH:mm",
    "seconds": "HH:mm:ss",
}
DATETIME_STYLES = {
    "default": "yyyy-MM-dd HH:mm",
    "seconds": "yyyy-MM-dd HH:mm:ss",
    "short": "MM-dd HH:mm",
    "short_seconds": "MM-dd HH:mm:ss",
}
RANGE_DASH = "–"

# Amounts: 万/亿 in Chinese from 1万 up, M/B in English from 1M up (below that, the full figure);
# four significant digits, as finance writes them (1235万元, CNY 12.35M).
_COMPACT_FROM = {"zh_CN": 10_000, "en": 1_000_000}
_SIGNIFICANT_DIGITS = 4


def _language() -> str:
    return current_locale()


def _locale():
    """Babel's Locale of the request (cached by Flask-Babel for the request), or the default outside one."""
    return get_locale() or _parsed(DEFAULT_LOCALE)


def _pattern(styles: dict, style: str) -> str:
    try:
        pattern = styles[style]
    except KeyError:
        raise ValueError(f"unknown style {style!r}; one of {', '.join(styles)}") from None
    return pattern if isinstance(pattern, str) else pattern[_language()]


def to_display(value: datetime) -> datetime:
    """A stored naive-UTC datetime (or an aware one) in the display time zone."""
    return to_local(value) if value.tzinfo is None else value.astimezone(DISPLAY_TZ)


def format_date(value: date | datetime | None, style: str = "default") -> str:
    """A day; a datetime is first put in Beijing time (its day there is the day shown)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_display(value)
    return babel_dates.format_date(value, _pattern(DATE_STYLES, style), locale=_locale())


def format_time(value: time | datetime | None, style: str = "default") -> str:
    """A time of day: a datetime in Beijing time, a plain time (a template's start) as it is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_display(value)
    return babel_dates.format_time(value, _pattern(TIME_STYLES, style), locale=_locale())


def format_datetime(value: datetime | None, style: str = "default") -> str:
    if value is None:
        return ""
    return babel_dates.format_datetime(to_display(value), _pattern(DATETIME_STYLES, style), locale=_locale())


def format_time_range(start: datetime | time, end: datetime | time) -> str:
    """14:00–16:00."""
    return f"{format_time(start)}{RANGE_DASH}{format_time(end)}"


def format_slot(start: datetime, end: datetime, date_style: str = "with_weekday") -> str:
    """When something takes place: 2026-11-23 周一 14:00–16:00 (11-23 周一 14:00–16:00 with "short_with_weekday")."""
    return f"{format_date(start, date_style)} {format_time_range(start, end)}"


def format_date_range(first: date, last: date) -> str:
    """A week: 2026年11月23日 – 11月29日 / Nov 23 – Nov 29, 2026 (the year once, or twice across a new year)."""
    if _language() == "en":
        start = format_date(first, "month_day" if first.year == last.year else "month_day_year")
        return f"{start} {RANGE_DASH} {format_date(last, 'month_day_year')}"
    end = format_date(last, "month_day" if first.year == last.year else "month_day_year")
    return f"{format_date(first, 'month_day_year')} {RANGE_DASH} {end}"


def format_relative(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago (or from now) a stored time is: 3小时前 / 3 hours ago, 2天后 / in 2 days."""
    if value is None:
        return ""
    return babel_dates.format_timedelta(value - (now or utcnow()), add_direction=True, locale=_locale())


def weekday_name(index: int) -> str:
    """0 (Monday) … 6 (Sunday) as 周一 … 周日, or Mon … Sun in English."""
    return babel_dates.get_day_names("abbreviated", locale=_locale())[index]


def lazy_weekday_name(index: int) -> LazyString:
    """weekday_name for module-level choices, written in the language of the page that shows them."""
    return LazyString(weekday_name, index)


def format_money(amount: int | None) -> str:
    """An amount in whole yuan as finance writes it: 5,000元, 1235万元, 1.5亿元 / CNY 5,000, CNY 12.35M, CNY 1.5B."""
    if amount is None:
        return ""
    language, locale = _language(), _locale()
    if amount < _COMPACT_FROM[language]:
        figure = babel_numbers.format_decimal(amount, locale=locale)
    else:
        figure = _compact_figure(amount, locale)
    return f"CNY {figure}" if language == "en" else f"{figure}元"


def format_exact_money(amount) -> str:
    """An exact amount to the cent, every digit shown (a fund's disclosed commitments): 500,000,000.00元."""
    if amount is None:
        return ""
    figure = babel_numbers.format_decimal(amount, format="#,##0.00", locale=_locale(), decimal_quantization=False)
    return f"CNY {figure}" if _language() == "en" else f"{figure}元"


@lru_cache(maxsize=4096)  # Babel's compact form costs ~50 µs; pages show the same amounts to every visitor
def _compact_figure(amount: int, locale) -> str:
    """1235万 / 12.35M: Babel's compact form with at most four significant digits. Babel rounds to a fixed
    number of fraction digits, so start from what the whole part leaves (1234.5678万 → 0, 12.345678M → 2) and
    drop digits while rounding still shows five (9999.5万 is 1亿, 999.95M is 1B)."""
    whole = babel_numbers.format_compact_decimal(amount, locale=locale, fraction_digits=0)
    digits = max(0, _SIGNIFICANT_DIGITS - _digit_count(whole))
    while True:
        figure = babel_numbers.format_compact_decimal(amount, locale=locale, fraction_digits=digits)
        if digits == 0 or _digit_count(figure) <= _SIGNIFICANT_DIGITS:
            return figure
        digits -= 1


def _digit_count(figure: str) -> int:
    return sum(ch.isdigit() for ch in figure)


def format_rate(percent) -> str:
    """An annual rate kept in percent (Decimal("3.4500")) as 3.45%: up to four decimals, none trailing."""
    if percent is None:
        return ""
    return babel_numbers.format_decimal(percent, format="#,##0.####", locale=_locale()) + "%"


def format_file_size(size: int | None) -> str:
    """Bytes as people read them: 820 KB, 3.4 MB."""
    if size is None:
        return ""
    if size >= 1024 * 1024:
        megabytes = babel_numbers.format_decimal(round(size / (1024 * 1024), 1), format="0.#", locale=_locale())
        return f"{megabytes} MB"
    if size >= 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size} B"


def format_duration(seconds: int | None) -> str:
    """Reading time: 45 秒 / 3 分 20 秒 (45 s / 3 min 20 s)."""
    seconds = int(seconds or 0)
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return _("%(s)d 秒", s=rest)
    return _("%(m)d 分 %(s)d 秒", m=minutes, s=rest) if rest else _("%(m)d 分钟", m=minutes)


def join_list(items: Iterable) -> str:
    """Items of a list in a sentence: 甲、乙、丙 / A, B, C."""
    return (", " if _language() == "en" else "、").join(str(item) for item in items)


def init_formatting(app: Flask) -> None:
    """The template filters; the only place they are registered."""
    app.jinja_env.filters.update(
        rate=format_rate,  # {{ product.rate_min|rate }}: 3.45%
        date=format_date,  # {{ s.starts_at|date }}, {{ day|date('short') }}, {{ s.starts_at|date('weekday') }}
        time=format_time,  # {{ s.starts_at|time }}
        datetime=format_datetime,  # {{ n.created_at|datetime }}, {{ run.started_at|datetime('short_seconds') }}
        time_range=format_time_range,  # {{ s.starts_at|time_range(s.ends_at) }}
        slot=format_slot,  # {{ s.starts_at|slot(s.ends_at) }}
        relative=format_relative,
        money=format_money,  # {{ project.amount_sought|money }}
        exact_money=format_exact_money,  # {{ fund.committed_size|exact_money }}
        file_size=format_file_size,
        duration=format_duration,
        join_list=join_list,
    )
    app.jinja_env.globals.update(weekday_name=weekday_name)
