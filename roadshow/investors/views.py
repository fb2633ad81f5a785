"""Institution disclosure pages and the investor's own institution and funds."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.choices import IndustryChain
from ..common.actions import apply, save_form, show_violation
from ..common.errors import RuleViolation
from ..common.forms import requested_page
from ..common.lookup import get_visible_or_404
from ..extensions import db
from . import disclosure, services
from .forms import FundForm, InstitutionForm
from .models import Fund, InstitutionType, VerificationStatus
from .policies import can_manage_fund, can_view_institution

bp = Blueprint("investors", __name__)


def _enum_arg(enum_cls, name: str):
    try:
        return enum_cls(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/institutions")
def public_list():
    type_ = _enum_arg(InstitutionType, "type")
    chain = _enum_arg(IndustryChain, "chain")
    page = services.public_institutions(type_, chain.value if chain else None, requested_page())
    return render_template(
        "investors/public_list.html",
        page=page,
        summaries={i.id: services.institution_summary(i) for i in page.items},
        selected_type=type_,
        selected_chain=chain,
        InstitutionType=InstitutionType,
        IndustryChain=IndustryChain,
    )


@bp.get("/institutions/<int:institution_id>")
def detail(institution_id: int):
    institution = services.institution_with_funds(institution_id)
    if institution is None or not can_view_institution(current_user, institution):
        abort(404)
    return render_template(
        "investors/detail.html",
        institution=institution,
        summary=services.institution_summary(institution),
        is_member=current_user.is_authenticated and current_user.institution_id == institution.id,
    )


@bp.get("/funds/<int:fund_id>")
def fund_detail(fund_id: int):
    """A fund's public disclosure, its verification state and every change made to it."""
    fund = db.get_or_404(Fund, fund_id)
    if not can_view_institution(current_user, fund.institution):
        abort(404)
    return render_template(
        "investors/fund_detail.html", fund=fund, institution=fund.institution,
        fields=disclosure.DISCLOSED, portfolio=disclosure.portfolio_entries(fund),
        registration=disclosure.registration_entry(fund), can_edit=can_manage_fund(current_user, fund),
    )


@bp.route("/my/institution", methods=["GET", "POST"])
@role_required(Role.INVESTOR)
def my_institution():
    institution = current_user.institution
    form = InstitutionForm(obj=institution)
    if form.validate_on_submit():
        # Not save_form: the flash depends on how verification changed, and may be a warning.
        was = institution.verification_status if institution else None
        try:
            institution = services.save_institution(current_user, institution, **form.service_fields())
        except RuleViolation as exc:
            db.session.rollback()
            show_violation(form, exc)
        else:
            db.session.commit()
            if was is None:
                flash(_("机构信息已提交，平台审核通过后将公开展示。"), "success")
            elif was != VerificationStatus.PENDING and institution.verification_status == VerificationStatus.PENDING:
                flash(_("机构信息已保存。由于修改了关键信息，机构已重新进入待审核状态。"), "warning")
            else:
                flash(_("机构信息已保存。"), "success")
            return redirect(url_for(".my_institution"))
    institution = current_user.institution  # after a rollback, reload what is really stored
    return render_template("investors/my_institution.html", form=form, institution=institution)


def _own_fund(fund_id: int) -> Fund:
    return get_visible_or_404(Fund, fund_id, can_manage_fund)


def _fund_form_page(form: FundForm, fund: Fund | None):
    return render_template("investors/fund_form.html", form=form, fund=fund, institution=current_user.institution)


@bp.route("/my/institution/funds/new", methods=["GET", "POST"])
@role_required(Role.INVESTOR)
def new_fund():
    if current_user.institution is None:
        flash(_("请先登记所属机构，再添加基金。"), "warning")
        return redirect(url_for(".my_institution"))
    form = FundForm()
    if save_form(
        form,
        lambda: services.save_fund(current_user, None, **form.service_fields()),
        lambda fund: _("已添加基金：%(name)s。", name=fund.name),
    ):
        return redirect(url_for(".my_institution"))
    return _fund_form_page(form, None)


@bp.route("/my/institution/funds/<int:fund_id>/edit", methods=["GET", "POST"])
@role_required(Role.INVESTOR)
def edit_fund(fund_id: int):
    fund = _own_fund(fund_id)
    form = FundForm(data=FundForm.initial(fund))
    if save_form(
        form,
        lambda: services.save_fund(current_user, fund, **form.service_fields()),
        lambda _saved: _("基金信息已保存。"),
    ):
        return redirect(url_for(".my_institution"))
    return _fund_form_page(form, fund)


@bp.post("/my/institution/funds/<int:fund_id>/delete")
@role_required(Role.INVESTOR)
def delete_fund(fund_id: int):
    fund = _own_fund(fund_id)
    apply(
        lambda: services.delete_fund(current_user, fund),
        _("已删除基金：%(name)s。", name=fund.name),
        "info",
        violation_category="danger",
    )
    return redirect(url_for(".my_institution"))
