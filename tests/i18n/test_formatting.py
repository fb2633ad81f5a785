"""Dates, times and amounts written the way each language writes them (roadshow.i18n.formatting, Babel), and
the display data on the enums (label, badge colour, predicates) that templates use instead of stored codes."""
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from flask import render_template_string
from flask_babel import force_locale

from roadshow.i18n.formatting import (
    format_date, format_date_range, format_datetime, format_file_size, format_money, format_relative,
    format_slot, format_time, format_time_range, join_list, weekday_name,
)

from roadshow.common.choices import SrdiLevel
from roadshow.investors.models import VerificationStatus
from roadshow.jobs.models import RunStatus
from roadshow.meetings.models import MeetingStatus
from roadshow.projects.models import PUBLIC_STATUSES, ProjectStatus
from roadshow.roadshows.models import BOOKABLE_STATUSES, ApplicationStatus, BookingStatus, SessionStatus

from ..support.catalogs import ensure_compiled

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
    # rounding up into the next unit: 1亿 and 1B, not 1e+04万 (str.format's 4g) nor 1000M
    (99_999_999, "1亿元", "CNY 100M"),
    (999_950_000, "10亿元", "CNY 1B"),
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


# --- display data on the enums ------------------------------------------------------------------

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# A template asks an enum member (s.status.is_cancelled, status.badge), never compares its stored code.
CODE_COMPARISONS = re.compile(
    r"\.value\s*(?:==|!=|(?:not\s+)?in\b)"  # s.status.value == 'cancelled', .value in ('a', 'b')
    r"|(?:\[|\.get\()\s*[\w.]+\.value\b"  # {'pending': 'warning'}[st.value], colors.get(status.value, …)
    r"|set\s+\w+\s*=\s*[\w.]+\.value\s*%}"  # {% set st = x.status.value %} … {% if st == 'pending' %}
    r"|attr\(\s*'[\w.]*\.value'"  # rejectattr('status.value', 'equalto', 'open')
)
HAND_FORMATTING = re.compile(r"\.strftime\(|\|format\(.*\)\s*\}\}.*[年月日]")  # dates go through the filters


def template_lines(root: Path):
    for path in sorted(root.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield f"{path.relative_to(root)}:{number}", line


def test_templates_never_compare_stored_codes_nor_format_dates_by_hand():
    offending = [f"{where}: {line.strip()[:120]}" for where, line in template_lines(TEMPLATES)
                 if CODE_COMPARISONS.search(line) or HAND_FORMATTING.search(line)]
    assert not offending, "use the enum's predicates, .badge and the formatting filters:\n" + "\n".join(offending)


def test_scan_finds_what_it_forbids():
    for line in ("{% if s.status.value == 'cancelled' %}", "{% if st.value != 'x' %}",
                 "{% if p.status.value in ('submitted', 'under_review') %}", "{{ colors.get(status.value, 'x') }}",
                 "{{ {'a': 'b'}[st.value] }}", "{% set st = institution.verification_status.value %}",
                 "{{ xs|rejectattr('status.value', 'equalto', 'open') }}"):
        assert CODE_COMPARISONS.search(line), line
    assert HAND_FORMATTING.search("{{ day.strftime('%m-%d') }}")
    assert not CODE_COMPARISONS.search('<option value="{{ c.value }}"{% if filters.chain == c %} selected{% endif %}>')


STATUS_ENUMS = (ProjectStatus, VerificationStatus, SessionStatus, BookingStatus, ApplicationStatus, MeetingStatus,
                RunStatus)


@pytest.mark.parametrize("enum", STATUS_ENUMS, ids=lambda e: e.__name__)
def test_every_status_has_a_badge_colour_and_a_label_in_both_languages(app, enum):
    colours = {"primary", "secondary", "success", "danger", "warning", "info", "dark"}
    with app.test_request_context("/"):
        for member in enum:
            assert member.badge in colours
            chinese = str(member.label)
            with force_locale("en"):
                assert str(member.label) and str(member.label) != chinese


def test_status_badge_takes_its_colour_from_the_enum(in_chinese):
    source = '{% from "_macros/ui.html" import status_badge %}{{ status_badge(status) }}'
    assert render_template_string(source, status=SessionStatus.LIVE).strip() == \
        '<span class="badge rounded-pill text-bg-danger">直播中</span>'
    assert 'text-bg-warning">待回复' in render_template_string(source, status=MeetingStatus.REQUESTED)
    assert 'text-bg-danger">出错' in render_template_string(source, status=RunStatus.ERROR)


def test_predicates_say_what_the_pages_ask():
    assert SessionStatus.CANCELLED.is_cancelled and SessionStatus.CANCELLED.is_final
    assert SessionStatus.ENDED.is_final and not SessionStatus.LIVE.is_final
    assert {s for s in SessionStatus if s.is_upcoming} == {SessionStatus.PLANNED, SessionStatus.OPEN, SessionStatus.SCHEDULED}
    assert {s for s in SessionStatus if s.is_bookable} == set(BOOKABLE_STATUSES)
    assert {s for s in ProjectStatus if s.is_public} == set(PUBLIC_STATUSES)
    assert {s for s in ProjectStatus if s.is_awaiting_review} == {ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW}
    assert not SrdiLevel.NONE.is_recognized and SrdiLevel.LITTLE_GIANT.is_recognized
