"""Who is calling: a Bearer token (scopes read / write) or the site's own login cookie (read only).

Writes need a token: the API is exempt from CSRF tokens, so a cookie alone must never be
enough to change anything (a form on another site could send it).
"""
from functools import wraps

from flask import g, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Forbidden, Unauthorized

from ..extensions import login_manager
from .models import ApiToken
from .tokens import token_for


class TokenRequired(Unauthorized):
    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("WWW-Authenticate", 'Bearer realm="roadshow"')]


def presented_token() -> ApiToken | None:
    """The valid token in this request's Authorization header, or None; looked up once per request.

    The one parser of the header: the rate limit (which runs first) and authentication both use it,
    so spelling the same token differently (spaces, tabs, "bearer") cannot make it another caller.
    """
    if "presented_token" not in g:
        # The scheme, then the token after any run of spaces or tabs.
        parts = (request.headers.get("Authorization") or "").split(None, 1)
        is_bearer = len(parts) == 2 and parts[0].lower() == "bearer"
        g.presented_token = token_for(parts[1].strip()) if is_bearer else None
    return g.presented_token


def authenticate_bearer() -> None:
    """Before each API request: a present Authorization header must hold a valid token."""
    g.api_token = None
    if request.headers.get("Authorization") is None:
        return
    token = presented_token()
    if token is None:
        raise TokenRequired(_("API 令牌无效或已被吊销。"))
    g.api_token = token
    # The caller is the token's user, also when a login cookie came along: Flask-Login would take the cookie's
    # user first (the request loader only runs without one), and the token's scopes would act for that user.
    g._login_user = token.user


@login_manager.request_loader
def load_user_from_token(_request):
    token = g.get("api_token")
    return token.user if token is not None else None


def require(scope: str = "read"):
    """The view needs a signed-in caller; `write` needs a token carrying the write scope.

    Put it right under the route decorator, so that it runs before the body is parsed: an
    unauthenticated caller learns nothing about what a valid body looks like.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            token = g.get("api_token")
            if token is None and (scope == "write" or not current_user.is_authenticated):
                raise TokenRequired(_("需要 API 令牌（Authorization: Bearer …）。"))
            if token is not None and scope not in token.scope_set:
                raise Forbidden(_("这个令牌没有 %(scope)s 权限。", scope=scope))
            return view(*args, **kwargs)

        wrapper._api_scope = scope  # the OpenAPI security note reads it
        return wrapper

    return decorator
