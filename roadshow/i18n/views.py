"""The language switcher: `/lang/en`, `/lang/zh_CN` (GET from the navigation bar's links, or POST),
remembered for a year in the `lang` cookie (and, for a signed-in user, saved as their language, for what is
written to them later), then back to the page the visitor came from."""
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user

from ..accounts.models import User
from ..accounts.services import save_language
from ..common.site_url import local_referrer
from ..extensions import db
from . import COOKIE, COOKIE_MAX_AGE, normalize

bp = Blueprint("i18n", __name__)


@bp.route("/lang/<code>", methods=["GET", "POST"])
def switch(code: str):
    locale = normalize(code)
    if locale is None:
        abort(404)
    if current_user.is_authenticated and current_user.language != locale:
        save_language(current_user, locale)
        db.session.commit()
    return _with_cookie(redirect(_back_url(), code=303), locale)


def _with_cookie(response: Response, locale: str) -> Response:
    response.set_cookie(COOKIE, locale, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=request.is_secure)
    return response


def language_at_login(user: User, response: Response) -> Response:
    """On logging in, a language chosen on this browser (the cookie) becomes the user's saved language; a
    browser without a choice takes the saved one, so the site reads as the user last left it."""
    chosen = normalize(request.cookies.get(COOKIE))
    if chosen is None:
        return _with_cookie(response, user.language)
    if chosen != user.language:
        save_language(user, chosen)
        db.session.commit()
    return response


def _back_url() -> str:
    """`next` (query or form) when it is a path on this site, else the referring page on this site, else home."""
    for candidate in (request.values.get("next"), local_referrer()):
        if candidate and _is_local_path(candidate):
            return candidate
    return url_for("roadshows.home")


def _is_local_path(target: str) -> bool:
    parts = urlsplit(target)
    return (target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not parts.scheme and not parts.netloc and target.isprintable())
