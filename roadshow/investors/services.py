"""Institution and fund rules: members edit their own, admins verify."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit import services as audit
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.timeutil import utcnow
from ..extensions import db
from . import disclosure
from .models import RECORD_NUMBER_OPTIONAL, Fund, Institution, InstitutionType, VerificationStatus
from .signals import fund_saved

# Changing any of these on a verified institution means it has to be verified again.
IDENTITY_FIELDS = ("name", "type", "registration_number")

PER_PAGE = 12



def institution_name_taken(name: str, exclude_id: int | None = None) -> bool:
    query = sa.select(Institution.id).where(sa.func.lower(Institution.name) == name.strip().lower())
    if exclude_id is not None:
        query = query.where(Institution.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def save_institution(user: User, institution: Institution | None, **fields) -> Institution:
    """Create the user's institution or update it. A changed profile is verified again.

    Editing the name, type or registration number of a verified institution sends it back
    to pending; any edit of a rejected institution re-submits it for verification.
    """
    if institution is not None and institution.id != user.institution_id:
        raise PermissionDenied(_("只能修改自己机构的信息。"))
    if institution is None and user.institution_id is not None:
        raise RuleViolation(_("您已登记了所属机构。"))
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        if institution_name_taken(fields["name"], institution.id if institution else None):
            raise FieldRuleViolation("name", _("已有同名机构登记，请核对机构全称。"))
    if "registration_number" in fields:
        fields["registration_number"] = (fields["registration_number"] or "").strip().upper() or None
    if institution is None:
        institution = Institution(verification_status=VerificationStatus.PENDING)
        db.session.add(institution)
        user.institution = institution
    identity_changed = any(
        name in fields and getattr(institution, name) != fields[name] for name in IDENTITY_FIELDS
    )
    for name, value in fields.items():
        setattr(institution, name, value)
    if not institution.registration_number and institution.type not in RECORD_NUMBER_OPTIONAL:
        raise FieldRuleViolation("registration_number", _("创投、私募等机构须填写基金业协会登记编号。"))
    status = institution.verification_status
    if (status == VerificationStatus.VERIFIED and identity_changed) or status == VerificationStatus.REJECTED:
        institution.verification_status = VerificationStatus.PENDING
        institution.verified_at = None
        if status == VerificationStatus.VERIFIED:
            institution.verification_note = None
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # a concurrent registration took the name first; the caller rolls back
        raise FieldRuleViolation("name", _("已有同名机构登记，请核对机构全称。")) from None
    return institution


def _own_institution(user: User) -> Institution:
    if user.institution is None:
        raise RuleViolation(_("请先登记所属机构。"))
    return user.institution


def save_fund(user: User, fund: Fund | None, **fields) -> Fund:
    """Create or change a fund; every change of what it discloses is kept as a public version."""
    institution = _own_institution(user)
    if fund is None:
        before = disclosure.snapshot(None)
        fund = Fund(institution=institution)
        db.session.add(fund)
    elif fund.institution_id != institution.id:
        raise PermissionDenied(_("只能修改本机构的基金。"))
    else:
        before = disclosure.snapshot(fund)
    for name, value in fields.items():
        setattr(fund, name, value)
    if not (fund.ticket_min and fund.ticket_min > 0 and fund.ticket_max and fund.ticket_max > 0):
        raise FieldRuleViolation("ticket_min", _("单笔投资金额须大于 0。"))
    if fund.ticket_min > fund.ticket_max:
        raise FieldRuleViolation("ticket_max", _("单笔投资下限不能高于上限。"))
    disclosure.check(fund)
    db.session.flush()
    disclosure.record_changes(fund, before, user)
    fund_saved.send(fund)
    return fund


def delete_fund(user: User, fund: Fund) -> None:
    if fund.institution_id != _own_institution(user).id:
        raise PermissionDenied(_("只能删除本机构的基金。"))
    db.session.delete(fund)
    db.session.flush()


VERIFICATION_ACTIONS = {VerificationStatus.VERIFIED: "institution.verify", VerificationStatus.REJECTED: "institution.reject"}


def set_verification(institution: Institution, status: VerificationStatus, note: str | None = None, *,
                     by: User | None = None) -> Institution:
    """Admin decision on an institution (audited); a refusal must say why."""
    if status == VerificationStatus.REJECTED and not (note and note.strip()):
        raise RuleViolation(_("请填写未通过认证的原因。"))
    institution.verification_status = status
    institution.verification_note = (note or "").strip() or None
    institution.verified_at = utcnow() if status == VerificationStatus.VERIFIED else None
    db.session.flush()
    if status in VERIFICATION_ACTIONS:
        audit.record(by, VERIFICATION_ACTIONS[status], institution,
                     f"{institution.name}：{institution.verification_note or ''}".rstrip("："))
    return institution


# --- read side -------------------------------------------------------------------------

def _json_list_contains(column, value: str):
    """Portable "JSON list contains value" for SQLite and PostgreSQL.

    The lists hold enum codes (ASCII letters, digits, underscores) serialized by json.dumps,
    so the quoted code appears in the column's text exactly when it is an element.
    """
    return sa.cast(column, sa.Text).like(f'%"{value}"%')


def public_institutions_query(type_: InstitutionType | None = None, chain: str | None = None) -> sa.Select:
    """Verified institutions (创业投资基金信息公开), optionally by type and a fund's focus chain."""
    query = (
        sa.select(Institution)
        .where(Institution.verification_status == VerificationStatus.VERIFIED)
        .options(selectinload(Institution.funds))
        .order_by(Institution.verified_at.desc().nulls_last(), Institution.id.desc())
    )
    if type_ is not None:
        query = query.where(Institution.type == type_)
    if chain:
        query = query.where(Institution.funds.any(_json_list_contains(Fund.focus_chains, chain)))
    return query


def public_institutions(type_: InstitutionType | None = None, chain: str | None = None, page: int = 1):
    return db.paginate(public_institutions_query(type_, chain), page=page, per_page=PER_PAGE, error_out=False)


def institution_summary(institution: Institution) -> dict:
    """What a card shows: focus chains across funds (in order, no repeats) and the ticket range."""
    chains: list[str] = []
    for fund in institution.funds:
        for chain in fund.focus_chains or []:
            if chain not in chains:
                chains.append(chain)
    funds = institution.funds
    return {
        "chains": chains,
        "funds_count": len(funds),
        "ticket_min": min((f.ticket_min for f in funds), default=None),
        "ticket_max": max((f.ticket_max for f in funds), default=None),
        "total_size": sum(f.size or 0 for f in funds) or None,
    }




def institution_with_funds(institution_id: int) -> Institution | None:
    return db.session.scalars(
        sa.select(Institution)
        .where(Institution.id == institution_id)
        .options(selectinload(Institution.funds), selectinload(Institution.members))
    ).first()
