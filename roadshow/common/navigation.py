"""The navigation bar, rendered once per kind of visitor and page, with the visitor's own parts filled in.

The bar (templates/_nav.html) was most of a signed-in page's rendering: some forty links, each a url_for
and a translated label. What it shows depends only on the visitor's roles, whether their institution
lends, the language, the page (its highlighted link and the language switcher's way back) and the
script root, so the bar is rendered once per such combination and kept in the process. What is
personal is never kept: the name, the unread count and the logout form's CSRF token stand in the kept
bar as placeholders and are put in on every request, from this request's user and database.
"""
from __future__ import annotations

from numbers import Number
from typing import NamedTuple

from flask import current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup, escape

from ..accounts.models import Role
from ..i18n import current_locale
from ..i18n.content import own_language

# Stand-ins for the personal parts in a kept bar: HTML comments, which no rendered text can produce
# (autoescaping turns a user's "<" into "&lt;").
PERSONAL = {part: Markup(f"<!--nav:{part}-->") for part in ("name", "unread", "csrf")}  # nosec B704
KEPT_BARS = 1_024  # per process; one per combination of roles, language and page


class Viewer(NamedTuple):
    """What of the signed-in user the bar may depend on (the key it is kept under)."""
    is_authenticated: bool
    roles: frozenset
    is_lender: bool

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles


def _viewer() -> Viewer:
    if not current_user.is_authenticated:
        return Viewer(False, frozenset(), False)
    institution = current_user.institution
    return Viewer(True, frozenset(current_user.roles), bool(institution and institution.type.is_lender))


def unread_badge(unread: int) -> Markup:
    """The bell's count of unread notifications (nothing when there are none)."""
    if not unread:
        return Markup("")
    return Markup('<span class="badge rounded-pill bg-danger nav-badge">%s</span>') % (unread if unread < 100 else "99+")


@pass_context
def navigation(context) -> Markup:
    """The bar for this request (base.html calls it)."""
    # Error pages (rendered with a numeric `status`) link the language switcher without `next`: the
    # referring page is used instead.
    status = context.get("status")
    here = None if isinstance(status, Number) else (request.full_path if request.query_string else request.path)
    viewer = _viewer()
    key = (viewer, current_locale(), request.endpoint or "", here, request.script_root)
    kept = current_app.extensions.setdefault("navigation_bars", {})
    bar = kept.get(key)
    if bar is None:
        if len(kept) >= KEPT_BARS:
            kept.clear()
        bar = kept[key] = render_template("_nav.html", viewer=viewer, endpoint=key[2], here=here,
                                          personal=PERSONAL)
    if not viewer.is_authenticated:
        # Our autoescaping template rendered the bar, and nothing personal is in it.
        return Markup(bar)  # nosec B704
    from ..notifications.services import unread_count

    return Markup(  # the bar our autoescaping template rendered, with escaped personal parts put in
        bar.replace(PERSONAL["name"], own_language(current_user.name))
        .replace(PERSONAL["unread"], unread_badge(unread_count(current_user.id)))
        .replace(PERSONAL["csrf"], escape(generate_csrf()))
    )  # nosec B704
