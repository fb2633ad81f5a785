"""Institution and fund rules: members edit their own, admins verify."""
from flask_babel import gettext as _

from ..accounts.models import User
from ..common.errors import PermissionDenied, RuleViolation
from ..common.timeutil import utcnow
from ..extensions import db
from .models import RECORD_NUMBER_OPTIONAL, Fund, Institution, VerificationStatus


def save_institution(user: User, institution: Institution | None, **fields) -> Institution:
    """Create the user's institution or update it. A changed profile is verified again."""
    if institution is None:
        if user.institution_id is not None:
            raise RuleViolation(_("您已登记了所属机构。"))
        institution = Institution(verification_status=VerificationStatus.PENDING)
        db.session.add(institution)
        user.institution = institution
    elif institution.id != user.institution_id:
        raise PermissionDenied(_("只能修改自己机构的信息。"))
    for name, value in fields.items():
        setattr(institution, name, value)
    if not institution.registration_number and institution.type not in RECORD_NUMBER_OPTIONAL:
        raise RuleViolation(_("创投、私募等机构须填写基金业协会登记编号。"))
    db.session.flush()
    return institution


def _own_institution(user: User) -> Institution:
    if user.institution is None:
        raise RuleViolation(_("请先登记所属机构。"))
    return user.institution


def save_fund(user: User, fund: Fund | None, **fields) -> Fund:
    institution = _own_institution(user)
    if fund is None:
        fund = Fund(institution=institution)
        db.session.add(fund)
    elif fund.institution_id != institution.id:
        raise PermissionDenied(_("只能修改本机构的基金。"))
    for name, value in fields.items():
        setattr(fund, name, value)
    if fund.ticket_min > fund.ticket_max:
        raise RuleViolation(_("单笔投资下限不能高于上限。"))
    db.session.flush()
    return fund


def delete_fund(user: User, fund: Fund) -> None:
    if fund.institution_id != _own_institution(user).id:
        raise PermissionDenied(_("只能删除本机构的基金。"))
    db.session.delete(fund)
    db.session.flush()


def set_verification(institution: Institution, status: VerificationStatus, note: str | None = None) -> Institution:
    """Admin decision on an institution; a refusal must say why."""
    if status == VerificationStatus.REJECTED and not (note and note.strip()):
        raise RuleViolation(_("请填写未通过认证的原因。"))
    institution.verification_status = status
    institution.verification_note = (note or "").strip() or None
    institution.verified_at = utcnow() if status == VerificationStatus.VERIFIED else None
    db.session.flush()
    return institution
