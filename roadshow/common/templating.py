"""Jinja filters and globals: local times, CNY amounts, enum labels."""
from datetime import datetime

from flask import Flask, request, url_for
from flask_babel import get_locale, gettext as _

from .choices import IndustryChain, Region, Stage
from .timeutil import to_local

WEEKDAYS_ZH = "一二三四五六日"


def localtime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return to_local(value).strftime(fmt) if value else ""


def weekday(value: datetime) -> str:
    local = to_local(value)
    if str(get_locale()).startswith("zh"):
        return "周" + WEEKDAYS_ZH[local.weekday()]
    return local.strftime("%a")


def cny(amount: int | None) -> str:
    """Amounts in yuan, the way Chinese finance writes them: 万元 and 亿元."""
    if amount is None:
        return ""
    if amount >= 100_000_000:
        return _("%(n)s亿元", n=f"{amount / 100_000_000:.4g}")
    if amount >= 10_000:
        return _("%(n)s万元", n=f"{amount / 10_000:.4g}")
    return _("%(n)s元", n=f"{amount:,}")


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
    app.jinja_env.globals.update(url_with=url_with, get_locale=get_locale, human_size=human_size)

    @app.context_processor
    def inject_roles():
        from ..accounts.models import Role

        return {"Role": Role, "unread_notifications": _unread_notifications}


def _unread_notifications() -> int:
    """Called by the navigation bar only when someone is logged in."""
    from flask_login import current_user

    from ..notifications.services import unread_count

    return unread_count(current_user.id) if current_user.is_authenticated else 0
