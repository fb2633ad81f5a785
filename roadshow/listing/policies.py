"""Who sees a company's listing track and who checks its readiness checklist.

- the company's own members: everything, and they keep the checklist;
- the center's admins: everything, for every company; they tag, withdraw and check;
- a partner organiser: the companies it tagged (a tag in force), the same as admins for those; nothing of others;
- verified investors (a verified institution's investor): the summary (lists, batch, board, how many steps are
  verified) of a company on the track that has a public project, the same companies they can already see in
  the project library; never notes, evidence or the staff's comments.
Everybody else: a 404, as for a company that does not exist.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..accounts.models import Role, User
from ..extensions import db
from ..organisers.policies import organiser_id_of
from ..projects.models import PUBLIC_STATUSES, Company, Project
from .models import ListingTag


def is_company_member(user: User, company: Company) -> bool:
    return user.is_authenticated and user.company_id is not None and user.company_id == company.id


def _active_tags(company_id: int):
    return sa.select(ListingTag.id).where(ListingTag.company_id == company_id, ListingTag.withdrawn_at.is_(None))


def tagged_by_organiser_of(user: User, company: Company) -> bool:
    """The organiser this person acts for has a tag in force on the company."""
    organiser_id = organiser_id_of(user)
    return organiser_id is not None and db.session.scalar(
        _active_tags(company.id).where(ListingTag.organiser_id == organiser_id).exists().select()) is True


def can_check(user: User, company: Company) -> bool:
    """Verify or send back checklist items, see notes and evidence: admins, and organisers that tagged it.
    A company's own member never checks its own items (not even an admin who is one)."""
    if not user.is_authenticated or is_company_member(user, company):
        return False
    return user.is_admin or tagged_by_organiser_of(user, company)


def can_see_details(user: User, company: Company) -> bool:
    """The whole page: checklist notes, evidence, the staff's comments, the tags' history."""
    return is_company_member(user, company) or can_check(user, company)


def is_verified_investor(user: User) -> bool:
    institution = user.institution if user.is_authenticated else None
    return bool(user.is_authenticated and user.has_role(Role.INVESTOR) and institution is not None
                and institution.is_verified)


def can_see_summary(user: User, company: Company) -> bool:
    """The status summary: those who see the details, and verified investors for a company on the track that
    has a public project (a company with none is not shown to investors anywhere)."""
    if can_see_details(user, company):
        return True
    if not is_verified_investor(user):
        return False
    on_track = db.session.scalar(_active_tags(company.id).exists().select())
    public = db.session.scalar(sa.select(Project.id).where(Project.company_id == company.id,
                                                           Project.status.in_(PUBLIC_STATUSES)).exists().select())
    return bool(on_track and public)


def can_manage_tag(user: User, tag: ListingTag) -> bool:
    """Withdraw a tag: admins any, an organiser the tags its own organisation made."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (tag.organiser_id is not None and tag.organiser_id == organiser_id_of(user))
