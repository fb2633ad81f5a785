"""Jinja filters and globals other than formatting (which is roadshow.i18n.formatting): enum labels,
links to the current page with other query arguments, the navigation bar (roadshow/common/navigation.py)."""
from flask import Flask, request, url_for
from flask_babel import get_locale

from .choices import IndustryChain, Region, Stage
from ..i18n.content import own_language
from .navigation import navigation
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
    app.jinja_env.globals.update(url_with=url_with, get_locale=get_locale, external_url=external_url,
                                 navigation=navigation)

    @app.context_processor
    def inject_roles():
        from ..accounts.models import Role

        return {"Role": Role}
