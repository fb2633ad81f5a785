"""Loan and financing endpoints: public loan products; the caller's eligibility, loan applications and
financing events. Money in CNY as decimal strings, rates in percent per year (`rate_unit`)."""
from flask import abort
from flask_login import current_user
from marshmallow import Schema, fields

from ..extensions import db
from ..financing.services import company_events
from ..loans import services as loans
from ..loans.eligibility import describe, load_rules
from ..loans.models import RATE_UNIT, LoanProduct
from ..loans.policies import can_view_product, is_lender
from .auth import require
from .blueprint import bp
from .mine import authenticated

def money(**kwargs) -> fields.Decimal:
    """CNY to the fen as a JSON string ("1500000.00"): a JSON number may lose digits in a client."""
    return fields.Decimal(as_string=True, places=2, metadata={"type": "string", "format": "decimal", "description": "CNY"},
                          **kwargs)


def rate(**kwargs) -> fields.Decimal:
    """An annual rate in percent as a JSON string ("3.4500")."""
    return fields.Decimal(as_string=True, metadata={"type": "string", "format": "decimal",
                                                    "description": "percent per year"}, **kwargs)


def _rate_unit(_obj) -> str:
    return RATE_UNIT


class LoanProductSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    institution_id = fields.Integer()
    institution = fields.String(attribute="institution.name")
    kind = fields.String(attribute="kind.value")
    collateral = fields.String(attribute="collateral.value")
    amount_min = money()
    amount_max = money()
    rate_min = rate()
    rate_max = rate()
    rate_unit = fields.Function(_rate_unit)
    term_min_months = fields.Integer()
    term_max_months = fields.Integer()
    description = fields.String()
    rules = fields.List(fields.Dict(), metadata={"description": "eligibility rules as data: fact, op, value"})
    requirements = fields.Function(lambda p: [describe(rule) for rule in load_rules(p.rules)],
                                   metadata={"description": "the rules in words"})


class EligibilitySchema(Schema):
    product_id = fields.Integer()
    product = fields.String()
    eligible = fields.Boolean()
    failures = fields.List(fields.String(), metadata={"description": "each rule that fails, with the company's value"})


class LoanApplicationSchema(Schema):
    id = fields.Integer()
    product_id = fields.Integer()
    product = fields.String(attribute="product.name")
    company = fields.String(attribute="company.name")
    status = fields.String(attribute="status.value")
    amount = money()
    term_months = fields.Integer()
    purpose = fields.String()
    info_request = fields.String(allow_none=True)
    approved_amount = money(allow_none=True)
    approved_rate = rate(allow_none=True)
    approved_term_months = fields.Integer(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class FinancingEventSchema(Schema):
    id = fields.Integer()
    kind = fields.String(attribute="kind.value")
    amount = money()
    occurred_on = fields.Date()
    institution_id = fields.Integer(allow_none=True)
    counterparty = fields.String()
    round = fields.String(attribute="round.value", allow_none=True)
    valuation = money(allow_none=True)
    loan_application_id = fields.Integer(allow_none=True)
    confirmation = fields.String(attribute="confirmation.value")


@bp.get("/loan-products")
@bp.response(200, LoanProductSchema(many=True))
def list_loan_products():
    """Published credit products of verified banks, guarantors and tech-insurers."""
    return db.session.scalars(loans.public_products_query()).all()


@bp.get("/loan-products/<int:product_id>")
@bp.response(200, LoanProductSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_loan_product(product_id):
    """One loan product with its eligibility rules, as data and in words."""
    product = db.session.get(LoanProduct, product_id)
    if product is None or not can_view_product(current_user, product):
        abort(404)
    return product


@bp.get("/me/loan-eligibility")
@require("read")
@authenticated
@bp.response(200, EligibilitySchema(many=True))
def my_loan_eligibility():
    """For the caller's company: every public product, whether it qualifies and which rules fail."""
    if current_user.company is None:
        return []
    return [{"product_id": fit.product.id, "product": fit.product.name, "eligible": fit.eligibility.eligible,
             "failures": [check.failure() for check in fit.eligibility.failures]}
            for fit in loans.company_fits(current_user.company)]


@bp.get("/me/loan-applications")
@require("read")
@authenticated
@bp.response(200, LoanApplicationSchema(many=True))
def my_loan_applications():
    """The caller's company's loan applications, or, for a lender's member, the applications to its products."""
    if is_lender(current_user):
        return loans.lender_applications(current_user)
    return loans.company_loan_applications(current_user.company_id)


@bp.get("/me/financing-events")
@require("read")
@authenticated
@bp.response(200, FinancingEventSchema(many=True))
def my_financing_events():
    """The caller's company's financing record: equity rounds, loans and grants."""
    return company_events(current_user.company_id)
