"""Jinja filters and globals: local times, CNY amounts, enum labels."""
from datetime import datetime

from flask import Flask, request, url_for
from flask_babel import get_locale, lazy_gettext as _l

from ..i18n import is_english
from .choices import IndustryChain, Region, Stage
from .timeutil import to_local

WEEKDAYS_ZH = "一二三四五六日"
# Short weekday names in the current language: 周一 … 周日, Mon … Sun.
WEEKDAY_NAMES = (_l("周一"), _l("周二"), _l("周三"), _l("周四"), _l("周五"), _l("周六"), _l("周日"))
# Chinese date patterns in a strftime format, and what English writes instead.
_ENGLISH_DATE_PARTS = (("%Y年%m月%d日", "%b %d, %Y"), ("%m月%d日", "%b %d"), ("%Y年%m月", "%b %Y"),
                       ("%Y年", "%Y"), ("%m月", "%b"), ("%d日", "%d"))


def weekday_name(index: int) -> str:
    """0 (Monday) … 6 (Sunday) as 周一 … 周日, or Mon … Sun in English."""
    return str(WEEKDAY_NAMES[index])


def localtime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC time in Beijing time; a format with 年/月/日 is written the English way in English."""
    if not value:
        return ""
    if "月" in fmt or "年" in fmt or "日" in fmt:
        if is_english():
            for chinese, english in _ENGLISH_DATE_PARTS:
                fmt = fmt.replace(chinese, english)
    return to_local(value).strftime(fmt)


def weekday(value: datetime) -> str:
    return weekday_name(to_local(value).weekday())


def cny(amount: int | None) -> str:
    """Amounts in yuan, the way finance writes them: 万元 and 亿元 in Chinese, CNY 10M and CNY 1.5B in English."""
    if amount is None:
        return ""
    if is_english():
        if amount >= 1_000_000_000:
            return f"CNY {amount / 1_000_000_000:.4g}B"
        if amount >= 1_000_000:
            return f"CNY {amount / 1_000_000:.4g}M"
        return f"CNY {amount:,}"
    if amount >= 100_000_000:
        return f"{amount / 100_000_000:.4g}亿元"
    if amount >= 10_000:
        return f"{amount / 10_000:.4g}万元"
    return f"{amount:,}元"


def human_size(size: int | None) -> str:
    """Bytes as people read them: 820 KB, 3.4 MB."""
    if size is None:
        return ""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size} B"


def url_with(**changes) -> str:
    """The current page's URL with some query arguments replaced (for filters and paging)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        args.pop(key, None)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        localtime=localtime,
        weekday=weekday,
        cny=cny,
        chain_label=IndustryChain.label_of,
        stage_label=Stage.label_of,
        region_label=Region.label_of,
    )
    app.jinja_env.globals.update(url_with=url_with, get_locale=get_locale, human_size=human_size,
                                 weekday_name=weekday_name)

    @app.context_processor
    def inject_roles():
        from ..accounts.models import Role

        return {"Role": Role, "unread_notifications": _unread_notifications}


def _unread_notifications() -> int:
    """Called by the navigation bar only when someone is logged in."""
    from flask_login import current_user

    from ..notifications.services import unread_count

    return unread_count(current_user.id) if current_user.is_authenticated else 0
