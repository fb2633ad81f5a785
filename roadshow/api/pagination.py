"""Keyset pagination with opaque cursors: stable when rows are added between pages."""
from __future__ import annotations

import base64
import json
from datetime import datetime

import sqlalchemy as sa
from flask import request, url_for
from flask_babel import gettext as _

from ..common.bounds import DB_INT_MAX, date_in_range
from ..common.errors import FieldRuleViolation
from ..extensions import db


def invalid_cursor() -> FieldRuleViolation:
    return FieldRuleViolation("cursor", _("cursor 不是本接口返回的值，请去掉它从第一页开始。"))


def _encode(values: list) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, columns) -> list:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(columns):
            raise ValueError
        return [_coerce(value, column) for value, column in zip(raw, columns)]
    except (ValueError, TypeError, UnicodeDecodeError):
        raise invalid_cursor() from None


def _coerce(value, column):
    """A cursor is opaque to clients but arrives from them: each value must be one a row could hold."""
    python_type = column.type.python_type
    if python_type is datetime:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None or not date_in_range(moment):  # we write naive UTC times
            raise ValueError
        return moment
    if python_type is int and (not isinstance(value, int) or isinstance(value, bool) or abs(value) > DB_INT_MAX):
        raise ValueError
    return value


def keyset_page(query: sa.Select, columns: tuple, args: dict, descending: bool = False) -> dict:
    """One page of `query` ordered by `columns` (the last one unique, e.g. id) and the next link."""
    order = [c.desc() if descending else c.asc() for c in columns]
    query = query.order_by(None).order_by(*order)
    if args.get("cursor"):
        after = sa.tuple_(*columns)
        position = sa.tuple_(*_decode(args["cursor"], columns))
        query = query.where(after < position if descending else after > position)
    limit = args["limit"]
    rows = list(db.session.scalars(query.limit(limit + 1)).unique())
    items, more = rows[:limit], len(rows) > limit
    next_url = None
    if more:
        last = items[-1]
        cursor = _encode([getattr(last, c.key) for c in columns])
        next_url = url_for(request.endpoint, **{**request.args.to_dict(), **(request.view_args or {}), "cursor": cursor})
    return {"items": items, "next": next_url}
