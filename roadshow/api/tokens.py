"""Create, check and revoke personal API tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..accounts.loader import signed_in_user_options
from ..accounts.models import User
from ..common.errors import FieldRuleViolation, PermissionDenied
from ..common.timeutil import utcnow
from ..extensions import db
from .models import SCOPES, ApiToken

TOKEN_PREFIX = "rsk_"
MAX_ACTIVE_TOKENS = 20
LAST_USED_RESOLUTION = timedelta(minutes=5)  # don't write on every request


def _digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_token(user: User, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new token and its plaintext, which is never stored and can't be shown again."""
    name = (name or "").strip()
    if not name:
        raise FieldRuleViolation("name", _("请为令牌取一个名称，例如“投资系统对接”。"))
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise FieldRuleViolation("scopes", _("请选择权限范围。"))
    if len(active_tokens(user)) >= MAX_ACTIVE_TOKENS:
        raise FieldRuleViolation("name", _("有效令牌最多 %(n)d 个，请先吊销不用的令牌。", n=MAX_ACTIVE_TOKENS))
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ordered = " ".join(s for s in SCOPES if s in scopes or (s == "read" and "write" in scopes))
    token = ApiToken(user_id=user.id, name=name[:80], token_hash=_digest(plaintext),
                     prefix=plaintext[:10], scopes=ordered)
    db.session.add(token)
    db.session.flush()
    return token, plaintext


def active_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke_token(user: User, token: ApiToken) -> None:
    if token.user_id != user.id:
        raise PermissionDenied(_("只能吊销自己的令牌。"))
    token.revoked_at = token.revoked_at or utcnow()


@cache
def _token_by_hash() -> sa.Select:
    """Built once (every API request asks it; building cost as much as running): the token with its user,
    the user's roles and institution, in one query."""
    return (sa.select(ApiToken).where(ApiToken.token_hash == sa.bindparam("token_hash"))
            .options(joinedload(ApiToken.user).options(*signed_in_user_options())))


def token_for(plaintext: str) -> ApiToken | None:
    """The active token with this plaintext whose owner may still sign in, or None."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalars(_token_by_hash(), {"token_hash": _digest(plaintext)}).unique().first()
    if token is None or not token.is_active or token.user.is_disabled:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return token
