"""Personal API tokens: stored as a SHA-256 hash, shown to their owner once."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..common.timeutil import utcnow
from ..extensions import db

SCOPES = ("read", "write")


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    # The token is high-entropy random, so a plain SHA-256 is enough (no salt/stretching needed).
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))  # shown in lists so owners can tell tokens apart
    scopes: Mapped[str] = mapped_column(sa.String(40), default="read")  # space-separated
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def scope_set(self) -> set[str]:
        return set(self.scopes.split())

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
