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
from .tokens import token_for


class TokenRequired(Unauthorized):
    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("WWW-Authenticate", 'Bearer realm="roadshow"')]


def authenticate_bearer() -> None:
    """Before each API request: a present Authorization header must hold a valid token."""
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _sep, value = header.partition(" ")
    token = token_for(value.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise TokenRequired(_("API 令牌无效或已被吊销。"))
    g.api_token = token


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
