"""Loan products, applications and their workflow, and a company's IP list.

A lender (bank, guarantor, tech-insurer) publishes products once verified; a startup applies to a
product it qualifies for (`eligibility.evaluate` decides); the lender asks for more information,
approves with amount, rate and term, or declines with a reason. `change_loan_application_status`
is the only writer of an application's status: one conditional UPDATE, so an application is decided
once however many people press a button at the same moment.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit.services import record
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..common.timeutil import utcnow
from ..common.workflow import ChangedMeanwhile, IllegalTransition, write_status
from ..extensions import db
from ..i18n import stored_language
from ..i18n.formatting import format_money
from ..investors.models import Institution, VerificationStatus
from ..notifications.services import notify
from ..projects.models import Company
from .eligibility import Eligibility, evaluate, parse_rule
from .facts import company_facts
from .ip_numbers import display_number, normalize_number
from .models import (
    MAX_LOAN_AMOUNT, MAX_TERM_MONTHS, Collateral, IpAsset, IpKind, IpStatus, LoanApplication,
    LoanApplicationStatus, LoanKind, LoanProduct,
)
from .signals import loan_approved, loan_decided
from .policies import can_manage_product, can_view_product, is_applicant_company, is_deciding_lender, is_lender

PER_PAGE = 12
MAX_RATE = Decimal(100)


# --- amounts and rates ------------------------------------------------------------------------

def check_amount(field: str, amount: Decimal | None) -> Decimal:
    """A loan amount in CNY: positive, at most 100 亿, whole fen."""
    if amount is None or not isinstance(amount, Decimal) or not amount.is_finite():
        raise FieldRuleViolation(field, _("请填写金额。"))
    if amount <= 0:
        raise FieldRuleViolation(field, _("金额必须大于 0。"))
    if amount > MAX_LOAN_AMOUNT:
        raise FieldRuleViolation(field, _("金额不能超过 %(max)s。", max=format_money(MAX_LOAN_AMOUNT)))
    return amount.quantize(Decimal("0.01"))


def check_rate(field: str, rate: Decimal | None) -> Decimal:
    """An annual rate in percent: above 0, at most 100 %, four decimals."""
    if rate is None or not isinstance(rate, Decimal) or not rate.is_finite():
        raise FieldRuleViolation(field, _("请填写年利率（%）。"))
    if rate <= 0:
        raise FieldRuleViolation(field, _("年利率必须大于 0%。"))
    if rate > MAX_RATE:
        raise FieldRuleViolation(field, _("年利率不能高于 100%。"))
    return rate.quantize(Decimal("0.0001"))


def check_term(field: str, months: int | None) -> int:
    if months is None or isinstance(months, bool) or not 1 <= months <= MAX_TERM_MONTHS:
        raise FieldRuleViolation(field, _("期限应在 1 到 %(max)d 个月之间。", max=MAX_TERM_MONTHS))
    return months


# --- products -----------------------------------------------------------------------------------

def save_product(
    user: User, product: LoanProduct | None, *, name: str, kind: LoanKind, collateral: Collateral,
    amount_min: Decimal, amount_max: Decimal, rate_min: Decimal, rate_max: Decimal,
    term_min_months: int, term_max_months: int, description: str = "", rules: list[dict] = (),
    is_published: bool = True,
) -> LoanProduct:
    """Create or edit a product of the user's institution, which must be a lender."""
    if not is_lender(user):
        raise PermissionDenied(_("只有银行、融资担保机构和科技保险机构可以发布贷款产品。"))
    if product is not None and not can_manage_product(user, product):
        raise PermissionDenied(_("只能修改本机构的产品。"))
    amount_min, amount_max = check_amount("amount_min", amount_min), check_amount("amount_max", amount_max)
    if amount_min > amount_max:
        raise FieldRuleViolation("amount_max", _("额度上限不能低于下限。"))
    rate_min, rate_max = check_rate("rate_min", rate_min), check_rate("rate_max", rate_max)
    if rate_min > rate_max:
        raise FieldRuleViolation("rate_max", _("利率上限不能低于下限。"))
    term_min_months, term_max_months = check_term("term_min_months", term_min_months), check_term(
        "term_max_months", term_max_months)
    if term_min_months > term_max_months:
        raise FieldRuleViolation("term_max_months", _("最长期限不能短于最短期限。"))
    name = (name or "").strip()
    if not name:
        raise FieldRuleViolation("name", _("请填写产品名称。"))
    stored_rules = [parse_rule(rule).as_data() for rule in rules]
    if product is None:
        product = LoanProduct(institution_id=user.institution_id)
        db.session.add(product)
    product.name, product.kind, product.collateral = name, kind, collateral
    product.amount_min, product.amount_max = amount_min, amount_max
    product.rate_min, product.rate_max = rate_min, rate_max
    product.term_min_months, product.term_max_months = term_min_months, term_max_months
    product.description = (description or "").strip()
    product.rules = stored_rules
    product.is_published = is_published
    db.session.flush()
    return product


def public_products_query(kind: LoanKind | None = None, collateral: Collateral | None = None,
                          institution_id: int | None = None, amount: Decimal | None = None) -> sa.Select:
    """Published products of verified lenders, with the library's filters (an amount the range covers)."""
    query = (sa.select(LoanProduct).join(Institution)
             .where(LoanProduct.is_published.is_(True), Institution.verification_status == VerificationStatus.VERIFIED)
             .order_by(LoanProduct.kind, LoanProduct.amount_max.desc(), LoanProduct.id)
             .options(selectinload(LoanProduct.institution)))
    if kind is not None:
        query = query.where(LoanProduct.kind == kind)
    if collateral is not None:
        query = query.where(LoanProduct.collateral == collateral)
    if institution_id is not None:
        query = query.where(LoanProduct.institution_id == institution_id)
    if amount is not None:
        query = query.where(LoanProduct.amount_min <= amount, LoanProduct.amount_max >= amount)
    return query


def lender_institutions() -> list[Institution]:
    """Verified lenders with at least one published product: the library's institution filter."""
    return list(db.session.scalars(
        sa.select(Institution).where(Institution.id.in_(
            sa.select(LoanProduct.institution_id).where(LoanProduct.is_published.is_(True))),
            Institution.verification_status == VerificationStatus.VERIFIED).order_by(Institution.name)))


def own_products(user: User) -> list[LoanProduct]:
    if user.institution_id is None:
        return []
    return list(db.session.scalars(sa.select(LoanProduct).where(LoanProduct.institution_id == user.institution_id)
                                   .order_by(LoanProduct.id)))


def eligibility_of(company: Company, product: LoanProduct, facts=None) -> Eligibility:
    return evaluate(product.rules, facts if facts is not None else company_facts(company))


@dataclass(frozen=True)
class ProductFit:
    product: LoanProduct
    eligibility: Eligibility


def company_fits(company: Company, products: list[LoanProduct] | None = None) -> list[ProductFit]:
    """Every public product (or `products`) with the company's eligibility: qualifying ones first."""
    facts = company_facts(company)
    products = products if products is not None else list(db.session.scalars(public_products_query()))
    fits = [ProductFit(p, eligibility_of(company, p, facts)) for p in products]
    return sorted(fits, key=lambda fit: (not fit.eligibility.eligible, len(fit.eligibility.failures)))


# --- applications: the startup's side ------------------------------------------------------------

def apply_for_loan(user: User, product: LoanProduct, *, amount: Decimal, term_months: int, purpose: str) -> LoanApplication:
    company = user.company
    if company is None:
        raise PermissionDenied(_("请先登记企业信息，再申请贷款。"))
    if not can_view_product(user, product) or not product.is_published or not product.institution.is_verified:
        raise RuleViolation(_("该产品目前不接受申请。"))
    amount = check_amount("amount", amount)
    if not product.amount_min <= amount <= product.amount_max:
        raise FieldRuleViolation("amount", _("申请金额应在产品额度 %(low)s–%(high)s 之间。",
                                             low=format_money(product.amount_min), high=format_money(product.amount_max)))
    term_months = check_term("term_months", term_months)
    if not product.term_min_months <= term_months <= product.term_max_months:
        raise FieldRuleViolation("term_months", _("期限应在 %(low)d–%(high)d 个月之间。",
                                                  low=product.term_min_months, high=product.term_max_months))
    purpose = (purpose or "").strip()
    if not purpose:
        raise FieldRuleViolation("purpose", _("请说明贷款用途。"))
    eligibility = eligibility_of(company, product)
    if not eligibility.eligible:
        raise RuleViolation(_("暂不符合该产品的申请条件：%(why)s",
                              why="；".join(check.failure() for check in eligibility.failures)))
    if _open_application(company.id, product.id) is not None:
        raise RuleViolation(_("已有一份该产品的申请在审批中，请等待答复。"))
    application = LoanApplication(product=product, company=company, applicant_id=user.id, amount=amount,
                                  term_months=term_months, purpose=purpose, status=LoanApplicationStatus.SUBMITTED)
    db.session.add(application)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # a concurrent submission won the one-open-per-product index
        raise RuleViolation(_("已有一份该产品的申请在审批中，请等待答复。")) from None
    _tell_lender(application, "loan_applied", _l("新的贷款申请：%(company)s", company=company.name),
                 lambda: _("%(company)s申请“%(product)s”%(amount)s，期限 %(term)d 个月。用途：%(purpose)s",
                           company=company.name, product=product.name, amount=format_money(amount),
                           term=term_months, purpose=purpose))
    return application


def _open_application(company_id: int, product_id: int) -> LoanApplication | None:
    return db.session.scalar(sa.select(LoanApplication).where(
        LoanApplication.company_id == company_id, LoanApplication.product_id == product_id,
        LoanApplication.status.in_((LoanApplicationStatus.SUBMITTED, LoanApplicationStatus.INFO_REQUESTED))))


def reply_with_info(user: User, application: LoanApplication, answer: str) -> LoanApplication:
    if not is_applicant_company(user, application):
        raise PermissionDenied(_("只能答复本企业的申请。"))
    answer = (answer or "").strip()
    if not answer:
        raise FieldRuleViolation("text", _("请填写补充的信息。"))
    change_loan_application_status(application, LoanApplicationStatus.SUBMITTED, by=user, info_reply=answer)
    return application


def withdraw_loan_application(user: User, application: LoanApplication) -> LoanApplication:
    if not is_applicant_company(user, application):
        raise PermissionDenied(_("只能撤回本企业的申请。"))
    return change_loan_application_status(application, LoanApplicationStatus.WITHDRAWN, by=user)


def company_loan_applications(company_id: int | None) -> list[LoanApplication]:
    if company_id is None:
        return []
    return list(db.session.scalars(
        sa.select(LoanApplication).where(LoanApplication.company_id == company_id)
        .order_by(LoanApplication.created_at.desc(), LoanApplication.id.desc())
        .options(selectinload(LoanApplication.product).selectinload(LoanProduct.institution))))


# --- applications: the lender's side -------------------------------------------------------------

def lender_applications(user: User, status: LoanApplicationStatus | None = None) -> list[LoanApplication]:
    if user.institution_id is None:
        return []
    query = (sa.select(LoanApplication).join(LoanProduct).where(LoanProduct.institution_id == user.institution_id)
             .order_by(LoanApplication.created_at.desc(), LoanApplication.id.desc())
             .options(selectinload(LoanApplication.product), selectinload(LoanApplication.company)))
    if status is not None:
        query = query.where(LoanApplication.status == status)
    return list(db.session.scalars(query))


def _lender_acting(user: User, application: LoanApplication) -> None:
    if not is_deciding_lender(user, application):
        raise PermissionDenied(_("只能处理本机构产品的申请。"))


def request_info(user: User, application: LoanApplication, question: str) -> LoanApplication:
    _lender_acting(user, application)
    question = (question or "").strip()
    if not question:
        raise FieldRuleViolation("text", _("请写明需要企业补充的信息。"))
    return change_loan_application_status(application, LoanApplicationStatus.INFO_REQUESTED, by=user,
                                          info_request=question)


def approve(user: User, application: LoanApplication, *, amount: Decimal, rate: Decimal, term_months: int,
            note: str = "") -> LoanApplication:
    _lender_acting(user, application)
    amount = check_amount("amount", amount)
    rate = check_rate("rate", rate)
    term_months = check_term("term_months", term_months)
    return change_loan_application_status(
        application, LoanApplicationStatus.APPROVED, by=user, approved_amount=amount, approved_rate=rate,
        approved_term_months=term_months, decision_reason=(note or "").strip() or None)


def decline(user: User, application: LoanApplication, reason: str) -> LoanApplication:
    _lender_acting(user, application)
    reason = (reason or "").strip()
    if not reason:
        raise FieldRuleViolation("reason", _("请填写未获批的原因，企业会看到它。"))
    return change_loan_application_status(application, LoanApplicationStatus.DECLINED, by=user, decision_reason=reason)


# --- the application's state machine ------------------------------------------------------------

S = LoanApplicationStatus
LOAN_TRANSITIONS: dict[LoanApplicationStatus, tuple[LoanApplicationStatus, ...]] = {
    S.SUBMITTED: (S.INFO_REQUESTED, S.APPROVED, S.DECLINED, S.WITHDRAWN),
    S.INFO_REQUESTED: (S.SUBMITTED, S.APPROVED, S.DECLINED, S.WITHDRAWN),  # the startup answers: back to the lender
    S.APPROVED: (),
    S.DECLINED: (),
    S.WITHDRAWN: (),
}
DECISIONS = {S.APPROVED: "loan.approve", S.DECLINED: "loan.decline"}  # with their audit actions
# Columns a step may write with the status (anything else stays the services' own business).
STEP_VALUES = {"info_request", "info_reply", "approved_amount", "approved_rate", "approved_term_months",
               "decision_reason"}


def _already(application: LoanApplication) -> str:
    return _("这份贷款申请已是“%(status)s”，不能再操作。", status=application.status.label)


def change_loan_application_status(application: LoanApplication, new_status: LoanApplicationStatus, *,
                                   by: User | None = None, **values) -> LoanApplication:
    """Move a loan application one step; the only code that writes its status.

    A decision records who and when, is audited and told to the startup; the other steps are told to
    the other side. The write is conditional on the status read: of two decisions made at once, the
    second is refused with what happened first.
    """
    if set(values) - STEP_VALUES:
        raise ValueError(f"not a step's value: {sorted(set(values) - STEP_VALUES)}")
    if new_status not in LOAN_TRANSITIONS[application.status]:
        raise IllegalTransition(_already(application))
    if new_status in DECISIONS:
        values.update(decided_at=utcnow(), decided_by_id=by.id if by is not None else None)
    if not write_status(application, new_status, **values):
        raise ChangedMeanwhile(_already(application))
    company, product = application.company, application.product
    if new_status in DECISIONS:
        record(by, DECISIONS[new_status], application,
               f"{company.name} · {product.name}：{application.decision_reason or ''}".rstrip("："))
        loan_decided.send(application, by=by)
    if new_status == S.APPROVED:
        loan_approved.send(application, by=by)
        _tell_startup(application, _l("贷款申请已获批：%(product)s", product=product.name),
                      lambda: _("%(lender)s已批准贷款 %(amount)s，年利率 %(rate)s%%，期限 %(term)d 个月。",
                                lender=product.institution.name, amount=format_money(application.approved_amount),
                                rate=_rate_text(application.approved_rate), term=application.approved_term_months))
    elif new_status == S.DECLINED:
        _tell_startup(application, _l("贷款申请未获批：%(product)s", product=product.name),
                      lambda: _("原因：%(reason)s", reason=application.decision_reason))
    elif new_status == S.INFO_REQUESTED:
        _tell_startup(application, _l("贷款申请需补充材料：%(product)s", product=product.name),
                      lambda: application.info_request)
    elif new_status == S.SUBMITTED:
        _tell_lender(application, "loan_info_replied", _l("企业已补充材料：%(company)s", company=company.name),
                     lambda: application.info_reply)
    elif new_status == S.WITHDRAWN:
        _tell_lender(application, "loan_withdrawn", _l("贷款申请已撤回：%(company)s", company=company.name),
                     lambda: _("%(company)s撤回了“%(product)s”的申请。", company=company.name, product=product.name))
    return application


def _rate_text(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


def _tell(users, kind: str, application: LoanApplication, title_text, body, link: str) -> None:
    """Notify each user, the lazy title (_l) and body() written in that user's language."""
    step = f"{application.status.value}:{application.updated_at.isoformat()}"
    for user in users:
        with stored_language(user):  # stored and read later: in the reader's language
            title, text = str(title_text), str(body())
        notify(user, kind, title, text, link=link, dedupe_key=f"{kind}:{application.id}:{step}:{user.id}")


def _tell_startup(application: LoanApplication, title_text, body) -> None:
    members = db.session.scalars(sa.select(User).where(User.company_id == application.company_id))
    _tell(members, "loan_" + application.status.value, application, title_text, body,
          site_path("loans.application_detail", application_id=application.id))


def _tell_lender(application: LoanApplication, kind: str, title_text, body) -> None:
    members = db.session.scalars(sa.select(User).where(User.institution_id == application.product.institution_id))
    _tell(members, kind, application, title_text, body,
          site_path("loans.application_detail", application_id=application.id))


# --- IP assets -----------------------------------------------------------------------------------

def company_ip(company_id: int | None) -> list[IpAsset]:
    if company_id is None:
        return []
    return list(db.session.scalars(sa.select(IpAsset).where(IpAsset.company_id == company_id)
                                   .order_by(IpAsset.kind, IpAsset.number)))


def add_ip_asset(user: User, *, kind: IpKind, number: str, title: str, status: IpStatus, owner: str) -> IpAsset:
    if user.company_id is None:
        raise PermissionDenied(_("请先登记企业信息，再添加知识产权。"))
    number = normalize_number(kind, number)
    if db.session.scalar(sa.select(IpAsset.id).where(IpAsset.number == number)) is not None:
        raise FieldRuleViolation("number", _("%(number)s 已登记在平台上，不能重复添加。",
                                             number=display_number(kind, number)))
    asset = IpAsset(company_id=user.company_id, kind=kind, number=number, title=(title or "").strip(),
                    status=status, owner=(owner or "").strip())
    db.session.add(asset)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same number added at the same moment by someone else
        raise FieldRuleViolation("number", _("%(number)s 已登记在平台上，不能重复添加。",
                                             number=display_number(kind, number))) from None
    return asset


def delete_ip_asset(user: User, asset: IpAsset) -> None:
    if user.company_id != asset.company_id:
        raise PermissionDenied(_("只能删除本企业的知识产权。"))
    db.session.delete(asset)
    db.session.flush()
