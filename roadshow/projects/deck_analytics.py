"""Deck analytics: the viewer reports which page is shown and for how long; the company sees who read what.

Events are bounded so a client cannot invent interest: a page must exist in the deck, one event adds at
most EVENT_SECONDS_MAX, and never more than the time that really passed since the opening's previous
event (plus a little slack for the network). The company's own members are not counted as readers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..common.errors import RuleViolation
from ..common.timeutil import utcnow
from ..extensions import db
from .models import DECK_SECONDS_PER_PAGE_MAX, DeckDownload, DeckPageView, DeckView, Project
from .policies import is_owner

EVENT_SECONDS_MAX = 60  # the viewer reports every 15 s at most; a longer gap is a closed laptop, not reading
SLACK_SECONDS = 5


class DeckEventError(RuleViolation):
    """A report the viewer could not have sent honestly: nothing is recorded."""


def counts_as_reader(user: User, project: Project) -> bool:
    return user.is_authenticated and not is_owner(user, project)


def open_view(user: User, project: Project) -> DeckView | None:
    """A new opening of the viewer; None for the company's own members (they are not readers)."""
    if not counts_as_reader(user, project):
        return None
    now = utcnow()
    view = DeckView(project_id=project.id, viewer_id=user.id, opened_at=now, last_event_at=now)
    db.session.add(view)
    db.session.flush()
    return view


def record_page(user: User, project: Project, view_id: int, page: int, seconds: float) -> DeckPageView:
    """The viewer showed `page` for `seconds` more (0: it was just shown)."""
    view = db.session.get(DeckView, view_id)
    if view is None or view.viewer_id != user.id or view.project_id != project.id:
        raise DeckEventError(_("没有这次阅读记录。"))
    if not 1 <= page <= (project.deck_pages or 0):
        raise DeckEventError(_("路演材料没有第 %(page)d 页。", page=page))
    if not 0 <= seconds <= EVENT_SECONDS_MAX:
        raise DeckEventError(_("每次最多记录 %(n)d 秒。", n=EVENT_SECONDS_MAX))
    now = utcnow()
    elapsed = (now - view.last_event_at).total_seconds() + SLACK_SECONDS
    added = int(min(seconds, max(elapsed, 0)))
    row = db.session.get(DeckPageView, (view.id, page))
    if row is None:
        row = DeckPageView(view_id=view.id, page=page, seconds=0)
        db.session.add(row)
    row.seconds = min(row.seconds + added, DECK_SECONDS_PER_PAGE_MAX)
    view.last_event_at = now
    db.session.flush()
    return row


def record_download(user: User, project: Project) -> None:
    if counts_as_reader(user, project):
        db.session.add(DeckDownload(project_id=project.id, user_id=user.id, downloaded_at=utcnow()))


@dataclass
class Reader:
    """One person who opened or downloaded the deck."""
    user: User
    openings: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    seconds_by_page: dict[int, int] = field(default_factory=dict)
    downloads: list[datetime] = field(default_factory=list)

    @property
    def total_seconds(self) -> int:
        return sum(self.seconds_by_page.values())

    def seen(self, at: datetime) -> None:
        self.first_at = min(filter(None, (self.first_at, at)))
        self.last_at = max(filter(None, (self.last_at, at)))


def readers(project: Project) -> list[Reader]:
    """Everyone who read or downloaded the deck, most recent first."""
    by_user: dict[int, Reader] = {}
    views = db.session.scalars(
        sa.select(DeckView).where(DeckView.project_id == project.id)
        .options(selectinload(DeckView.pages), selectinload(DeckView.viewer).selectinload(User.institution))
    )
    for view in views:
        reader = by_user.setdefault(view.viewer_id, Reader(view.viewer))
        reader.openings += 1
        reader.seen(view.opened_at)
        for page in view.pages:
            reader.seconds_by_page[page.page] = reader.seconds_by_page.get(page.page, 0) + page.seconds
    downloads = db.session.scalars(
        sa.select(DeckDownload).where(DeckDownload.project_id == project.id, DeckDownload.user_id.is_not(None))
        .options(selectinload(DeckDownload.user).selectinload(User.institution)).order_by(DeckDownload.id)
    )
    for download in downloads:
        reader = by_user.setdefault(download.user_id, Reader(download.user))
        reader.downloads.append(download.downloaded_at)
        reader.seen(download.downloaded_at)
    return sorted(by_user.values(), key=lambda r: r.last_at, reverse=True)


def watermark_text(user: User) -> str:
    """Who is reading, on every page: their name and institution (or company)."""
    where = user.institution.name if user.institution is not None else (
        user.company.name if getattr(user, "company", None) is not None else "")
    return " · ".join(part for part in (user.name, where) if part)
