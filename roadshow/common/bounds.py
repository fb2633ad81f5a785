"""How large a number, how far a date and how deep a JSON document a request may carry.

Every parser of outside input (query strings, URL paths, API cursors and bodies, form fields) checks
against these bounds, so what passes can reach the database and survive date arithmetic: an id past
the database's integer range overflows the driver, and a month after 9999-12 does not exist.
"""
from __future__ import annotations

import re
from datetime import date, datetime

DB_INT_MAX = 2**31 - 1  # PostgreSQL `integer`, the type of every id and count column

# Dates the platform schedules, records or shows: far wider than any real roadshow, narrow enough
# that a calendar page, the month after it and any time zone shift stay valid dates.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)

# Our request bodies nest two levels at most; Python's parser dies of recursion near 1,000.
MAX_JSON_DEPTH = 32


def id_from(text: str | None) -> int | None:
    """An id from a query string ("12"), or None when it is not one a row could have."""
    try:
        value = int(text or "")
    except ValueError:  # "", "abc", "1e9", "²" (isdigit() says yes, int() says no)
        return None
    return value if 0 < value <= DB_INT_MAX else None


def date_in_range(day: date | datetime) -> bool:
    day = day.date() if isinstance(day, datetime) else day
    return EARLIEST_DATE <= day <= LATEST_DATE


def date_range_text() -> str:
    return f"{EARLIEST_DATE.isoformat()} – {LATEST_DATE.isoformat()}"


_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.S)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the document nests arrays/objects deeper than `limit`, found without parsing it."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        depth += 1 if bracket.group() in (b"[", b"{") else -1
        if depth > limit:
            return True
    return False
