"""Loan pages: the public product library, a startup's eligibility, applications and IP, a lender's desk."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.actions import apply, save_form, show_violation
from ..common.bounds import id_from
from ..common.errors import RuleViolation
from ..common.forms import WAN, cny_to_wan, requested_page
from ..common.lookup import get_visible_or_404
from ..extensions import db
from . import services
from .eligibility import describe, load_rules, show_value
from .facts import Fact, company_facts
from .forms import ApproveForm, DeclineForm, IpAssetForm, LoanApplicationForm, ProductForm, TextForm
from .ip_numbers import display_number
from .models import Collateral, IpAsset, LoanApplication, LoanApplicationStatus, LoanKind, LoanProduct
from .policies import (
    can_manage_product, can_view_loan_application, can_view_product, is_applicant_company, is_deciding_lender,
    is_lender, owns_ip_asset,
)

bp = Blueprint("loans", __name__)


def _enum_arg(enum_cls, name: str):
    try:
        return enum_cls(request.args.get(name, ""))
    except ValueError:
        return None


def _amount_arg() -> Decimal | None:
    """?amount= in 万元, as the library's filter; anything else is no filter."""
    try:
        value = Decimal(request.args.get("amount", "").strip())
    except InvalidOperation:
        return None
    return value * WAN if value.is_finite() and 0 < value <= 1_000_000 else None


@bp.get("/loans")
def products():
    kind, collateral = _enum_arg(LoanKind, "kind"), _enum_arg(Collateral, "collateral")
    institution_id = id_from(request.args.get("institution"))
    amount = _amount_arg()
    page = db.paginate(services.public_products_query(kind, collateral, institution_id, amount),
                       page=requested_page(), per_page=services.PER_PAGE, error_out=False)
    fits = {}
    if current_user.is_authenticated and current_user.company is not None:
        fits = {fit.product.id: fit.eligibility for fit in services.company_fits(current_user.company, page.items)}
    return render_template(
        "loans/products.html", page=page, fits=fits, LoanKind=LoanKind, Collateral=Collateral,
        lenders=services.lender_institutions(), selected_kind=kind, selected_collateral=collateral,
        selected_institution=institution_id, selected_amount=cny_to_wan(amount) if amount else None,
    )


@bp.get("/loans/<int:product_id>")
def product_detail(product_id: int):
    product = get_visible_or_404(LoanProduct, product_id, can_view_product)
    eligibility = form = None
    if current_user.is_authenticated and current_user.company is not None:
        eligibility = services.eligibility_of(current_user.company, product)
        form = LoanApplicationForm(data={"term_months": product.term_min_months})
    return render_template("loans/product_detail.html", product=product, rules=[describe(rule) for rule in load_rules(product.rules)],
                           eligibility=eligibility, form=form)


@bp.post("/loans/<int:product_id>/apply")
@role_required(Role.STARTUP)
def apply_for(product_id: int):
    product = get_visible_or_404(LoanProduct, product_id, can_view_product)
    form = LoanApplicationForm()
    if form.validate_on_submit():
        try:
            application = services.apply_for_loan(current_user, product, **form.service_fields())
        except RuleViolation as exc:
            db.session.rollback()
            show_violation(form, exc)
        else:
            db.session.commit()
            flash(_("已提交贷款申请，%(lender)s审批后会通知您。", lender=product.institution.name), "success")
            return redirect(url_for(".application_detail", application_id=application.id))
    eligibility = services.eligibility_of(current_user.company, product) if current_user.company else None
    return render_template("loans/product_detail.html", product=product, rules=[describe(rule) for rule in load_rules(product.rules)],
                           eligibility=eligibility, form=form), 422


@bp.get("/my/loans")
@role_required(Role.STARTUP)
def my_loans():
    company = current_user.company
    return render_template(
        "loans/my_loans.html", company=company,
        fits=services.company_fits(company) if company else [],
        facts=company_facts(company) if company else None, Fact=Fact,
        applications=services.company_loan_applications(current_user.company_id),
    )


@bp.route("/my/ip", methods=["GET", "POST"])
@role_required(Role.STARTUP)
def my_ip():
    form = IpAssetForm(data={"owner": current_user.company.name} if current_user.company else None)
    if save_form(form, lambda: services.add_ip_asset(current_user, **form.service_fields()),
                 lambda asset: _("已添加：%(title)s。", title=asset.title)):
        return redirect(url_for(".my_ip"))
    return render_template("loans/my_ip.html", form=form, assets=services.company_ip(current_user.company_id),
                           display_number=display_number)


@bp.post("/my/ip/<int:asset_id>/delete")
@role_required(Role.STARTUP)
def delete_ip(asset_id: int):
    asset = get_visible_or_404(IpAsset, asset_id, owns_ip_asset)
    apply(lambda: services.delete_ip_asset(current_user, asset), _("已删除：%(title)s。", title=asset.title), "info")
    return redirect(url_for(".my_ip"))


# --- the lender's desk ---------------------------------------------------------------------------

def _not_a_lender():
    """Where an institution member who is not a lender goes instead of a lender page (None for lenders)."""
    if is_lender(current_user):
        return None
    flash(_("贷款产品由银行、融资担保机构和科技保险机构发布；请在机构信息中选择相应的机构类型。"), "warning")
    return redirect(url_for("investors.my_institution"))


@bp.get("/lender/products")
@role_required(Role.INVESTOR)
def lender_products():
    if (elsewhere := _not_a_lender()) is not None:
        return elsewhere
    return render_template("loans/lender_products.html", products=services.own_products(current_user),
                           institution=current_user.institution)


def _product_form_page(form: ProductForm, product: LoanProduct | None):
    return render_template("loans/product_form.html", form=form, product=product, institution=current_user.institution)


@bp.route("/lender/products/new", methods=["GET", "POST"])
@role_required(Role.INVESTOR)
def new_product():
    if (elsewhere := _not_a_lender()) is not None:
        return elsewhere
    form = ProductForm()
    if save_form(form, lambda: services.save_product(current_user, None, **form.service_fields()),
                 lambda product: _("已发布贷款产品：%(name)s。", name=product.name)):
        return redirect(url_for(".lender_products"))
    return _product_form_page(form, None)


@bp.route("/lender/products/<int:product_id>/edit", methods=["GET", "POST"])
@role_required(Role.INVESTOR)
def edit_product(product_id: int):
    product = get_visible_or_404(LoanProduct, product_id, can_manage_product)
    form = ProductForm(data=ProductForm.initial(product))
    if save_form(form, lambda: services.save_product(current_user, product, **form.service_fields()),
                 lambda saved: _("产品信息已保存。")):
        return redirect(url_for(".lender_products"))
    return _product_form_page(form, product)


@bp.get("/lender/applications")
@role_required(Role.INVESTOR)
def lender_applications():
    if (elsewhere := _not_a_lender()) is not None:
        return elsewhere
    status = _enum_arg(LoanApplicationStatus, "status")
    return render_template("loans/lender_applications.html",
                           applications=services.lender_applications(current_user, status),
                           selected_status=status, LoanApplicationStatus=LoanApplicationStatus)


# --- one application, both sides -----------------------------------------------------------------

def _application(application_id: int) -> LoanApplication:
    return get_visible_or_404(LoanApplication, application_id, can_view_loan_application)


def _detail_page(application: LoanApplication, status: int = 200, **forms):
    lender = is_deciding_lender(current_user, application)
    company = application.company
    facts = company_facts(company) if lender or current_user.is_admin else None
    eligibility = services.eligibility_of(company, application.product, facts) if facts is not None else None
    defaults = {
        "approve_form": ApproveForm(formdata=None, data={
            "amount": cny_to_wan(application.amount), "term_months": application.term_months,
            "rate": application.product.rate_min.normalize()}),
        "decline_form": DeclineForm(formdata=None),
        "info_form": TextForm(formdata=None),
        "reply_form": TextForm(formdata=None),
    }
    return render_template(
        "loans/application_detail.html", application=application, lender=lender,
        applicant=is_applicant_company(current_user, application), facts=facts, eligibility=eligibility,
        Fact=Fact, show_value=show_value, **{**defaults, **forms}), status


@bp.get("/loan-applications/<int:application_id>")
@role_required(Role.STARTUP, Role.INVESTOR, Role.ADMIN)
def application_detail(application_id: int):
    return _detail_page(_application(application_id))


def _act(application_id: int, form_name: str, form, action, message: str):
    """Run one step from the application page: a refusal about a field re-renders the form under it,
    any other refusal (decided meanwhile, not allowed) is flashed above the page."""
    application = _application(application_id)
    if form.validate_on_submit():
        try:
            action(application, form)
        except RuleViolation as exc:
            db.session.rollback()
            if getattr(form, getattr(exc, "field", ""), None) is None:
                flash(str(exc), "warning")
                return redirect(url_for(".application_detail", application_id=application_id))
            show_violation(form, exc)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".application_detail", application_id=application_id))
    return _detail_page(_application(application_id), 422, **{form_name: form})


@bp.post("/loan-applications/<int:application_id>/request-info")
@role_required(Role.INVESTOR)
def request_info(application_id: int):
    return _act(application_id, "info_form", TextForm(),
                lambda a, f: services.request_info(current_user, a, f.text.data), _("已请企业补充材料。"))


@bp.post("/loan-applications/<int:application_id>/reply")
@role_required(Role.STARTUP)
def reply(application_id: int):
    return _act(application_id, "reply_form", TextForm(),
                lambda a, f: services.reply_with_info(current_user, a, f.text.data), _("已提交补充材料。"))


@bp.post("/loan-applications/<int:application_id>/approve")
@role_required(Role.INVESTOR)
def approve(application_id: int):
    return _act(application_id, "approve_form", ApproveForm(),
                lambda a, f: services.approve(current_user, a, **f.service_fields()), _("已批准贷款申请。"))


@bp.post("/loan-applications/<int:application_id>/decline")
@role_required(Role.INVESTOR)
def decline(application_id: int):
    return _act(application_id, "decline_form", DeclineForm(),
                lambda a, f: services.decline(current_user, a, f.reason.data), _("已拒绝贷款申请。"))


@bp.post("/loan-applications/<int:application_id>/withdraw")
@role_required(Role.STARTUP)
def withdraw(application_id: int):
    application = _application(application_id)
    apply(lambda: services.withdraw_loan_application(current_user, application), _("已撤回贷款申请。"), "info")
    return redirect(url_for(".application_detail", application_id=application_id))
