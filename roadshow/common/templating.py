"""Jinja filters and globals other than formatting (which is roadshow.i18n.formatting): enum labels,
links to the current page with other query arguments, the navigation bar's counts."""
from flask import Flask, request, url_for
from flask_babel import get_locale

from .choices import IndustryChain, Region, Stage
from ..i18n.content import own_language
from .site_url import external_url


def url_with(**changes) -> str:
    """The current page's URL with some query arguments replaced (for filters and paging)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        args.pop(key, None)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        chain_label=IndustryChain.label_of,
        stage_label=Stage.label_of,
        region_label=Region.label_of,
        own_language=own_language,
    )
    app.jinja_env.globals.update(url_with=url_with, get_locale=get_locale, external_url=external_url)

    @app.context_processor
    def inject_roles():
        from ..accounts.models import Role

        return {"Role": Role, "unread_notifications": _unread_notifications}


def _unread_notifications() -> int:
    """Called by the navigation bar only when someone is logged in."""
    from flask_login import current_user

    from ..notifications.services import unread_count

    return unread_count(current_user.id) if current_user.is_authenticated else 0
