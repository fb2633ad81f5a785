"""Dates, times and amounts written the way each language writes them (roadshow.i18n.formatting, Babel)."""
from datetime import date, datetime, time, timedelta

import pytest
from flask import render_template_string
from flask_babel import force_locale

from roadshow.i18n.formatting import (
    format_date, format_date_range, format_datetime, format_file_size, format_money, format_relative,
    format_slot, format_time, format_time_range, join_list, weekday_name,
)

from .support.catalogs import ensure_compiled

ensure_compiled()

MONDAY = datetime(2026, 11, 23, 6, 30)  # stored naive UTC: 14:30 in Beijing


@pytest.fixture
def in_chinese(app):
    with app.test_request_context("/"):
        yield


@pytest.fixture
def in_english(app):
    with app.test_request_context("/"), force_locale("en"):
        yield


@pytest.mark.parametrize("amount, zh, en", [
    (None, "", ""),
    (0, "0元", "CNY 0"),
    (5_000, "5,000元", "CNY 5,000"),
    (500_000, "50万元", "CNY 500,000"),
    (10_000_000, "1000万元", "CNY 10M"),
    (12_345_678, "1235万元", "CNY 12.35M"),
    (150_000_000, "1.5亿元", "CNY 150M"),
    (1_500_000_000, "15亿元", "CNY 1.5B"),
    # the largest fund size a form accepts (1亿万元): 万亿 in Chinese, trillions in English
    (1_000_000_000_000, "1万亿元", "CNY 1T"),
])
def test_money_per_locale(app, amount, zh, en):
    with app.test_request_context("/"):
        assert format_money(amount) == zh
        with force_locale("en"):
            assert format_money(amount) == en


def test_dates_in_chinese(in_chinese):
    assert format_datetime(MONDAY) == "2026-11-23 14:30"
    assert format_date(MONDAY, "month") == "11月"
    assert format_date(MONDAY, "weekday") == "周一" and weekday_name(6) == "周日"
    assert format_date(date(2026, 11, 23), "month_day") == "11月23日"
    assert format_date(date(2026, 11, 1), "month_title") == "2026年11月"
    assert format_date_range(date(2026, 11, 23), date(2026, 11, 29)) == "2026年11月23日 – 11月29日"
    assert format_date_range(date(2026, 12, 28), date(2027, 1, 3)) == "2026年12月28日 – 2027年1月3日"
    assert format_date(date(2026, 11, 23), "day_title") == "2026年11月23日 周一"
    assert join_list(["甲", "乙"]) == "甲、乙"


def test_dates_in_english(in_english):
    assert format_datetime(MONDAY) == "2026-11-23 14:30"
    assert format_date(MONDAY, "month") == "Nov"
    assert format_date(MONDAY, "month_day_year") == "Nov 23, 2026"
    assert format_date(MONDAY, "weekday") == "Mon" and weekday_name(6) == "Sun"
    assert format_date(date(2026, 11, 23), "month_day") == "Nov 23"
    assert format_date(date(2026, 11, 1), "month_title") == "November 2026"
    assert format_date_range(date(2026, 11, 23), date(2026, 11, 29)) == "Nov 23 – Nov 29, 2026"
    assert format_date_range(date(2026, 12, 28), date(2027, 1, 3)) == "Dec 28, 2026 – Jan 3, 2027"
    assert format_date(date(2026, 11, 23), "day_title") == "Monday, November 23, 2026"
    assert join_list(["A", "B"]) == "A, B"


def test_single_digit_months_and_days_as_each_language_writes_them(in_chinese):
    march = date(2026, 3, 5)
    assert format_date(march, "month") == "3月"  # not 03月
    assert format_date(march, "month_day") == "3月5日"
    assert format_date(march, "short") == "03-05" and format_date(march, "day") == "05"
    with force_locale("en"):
        assert format_date(march, "month_day") == "Mar 5"  # not Mar 05
        assert format_date(march, "month") == "Mar"


def test_stored_times_are_shown_in_beijing_time_and_plain_times_as_they_are(in_chinese):
    late = datetime(2026, 11, 23, 17, 0)  # 01:00 the next day in Beijing
    assert format_date(late) == "2026-11-24" and format_date(late, "short_with_weekday") == "11-24 周二"
    assert format_time(late) == "01:00" and format_datetime(late, "seconds") == "2026-11-24 01:00:00"
    assert format_time(time(14, 0)) == "14:00"  # a template's time of day: no time zone
    assert format_date(date(2026, 11, 23)) == "2026-11-23"
    assert format_datetime(None) == format_date(None) == format_time(None) == ""


def test_ranges_and_slots(in_chinese):
    end = MONDAY + timedelta(hours=2)
    assert format_time_range(MONDAY, end) == "14:30–16:30"
    assert format_slot(MONDAY, end) == "2026-11-23 周一 14:30–16:30"
    assert format_slot(MONDAY, end, "short_with_weekday") == "11-23 周一 14:30–16:30"
    with force_locale("en"):
        assert format_slot(MONDAY, end) == "2026-11-23 Mon 14:30–16:30"


def test_relative_times(in_chinese):
    assert format_relative(MONDAY - timedelta(hours=3), now=MONDAY) == "3小时前"
    assert format_relative(MONDAY + timedelta(days=2), now=MONDAY) == "2天后"
    assert format_relative(None) == ""
    with force_locale("en"):
        assert format_relative(MONDAY - timedelta(hours=3), now=MONDAY) == "3 hours ago"
        assert format_relative(MONDAY + timedelta(days=2), now=MONDAY) == "in 2 days"


def test_file_sizes(in_chinese):
    assert [format_file_size(n) for n in (None, 820, 820 * 1024, 3_565_158, 20 * 1024 * 1024)] == \
        ["", "820 B", "820 KB", "3.4 MB", "20 MB"]


def test_unknown_style_is_a_clear_error(in_chinese):
    with pytest.raises(ValueError, match="unknown style 'fancy'"):
        format_date(MONDAY, "fancy")


def test_template_filters_in_both_languages(in_chinese):
    source = ("{{ s|slot(e) }} | {{ s|date('with_weekday') }} | {{ s|datetime('short') }} | {{ s|time_range(e) }}"
              " | {{ amount|money }} | {{ size|file_size }}")
    values = {"s": MONDAY, "e": MONDAY + timedelta(hours=2), "amount": 30_000_000, "size": 2048}
    assert render_template_string(source, **values) == \
        "2026-11-23 周一 14:30–16:30 | 2026-11-23 周一 | 11-23 14:30 | 14:30–16:30 | 3000万元 | 2 KB"
    with force_locale("en"):
        assert render_template_string(source, **values) == \
            "2026-11-23 Mon 14:30–16:30 | 2026-11-23 Mon | 11-23 14:30 | 14:30–16:30 | CNY 30M | 2 KB"
