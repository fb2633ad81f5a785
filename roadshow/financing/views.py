"""Financing pages: the startup's record and questions, the institution's confirmations."""
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.actions import apply, save_form
from ..common.lookup import get_visible_or_404
from ..extensions import db
from ..investors.models import Institution, VerificationStatus
from . import services
from .forms import DisputeForm, FinancingEventForm
from .models import FinancingEvent
from .policies import is_named_institution

bp = Blueprint("financing", __name__)


def _institutions() -> dict[int, Institution]:
    return {i.id: i for i in db.session.scalars(
        sa.select(Institution).where(Institution.verification_status == VerificationStatus.VERIFIED)
        .order_by(Institution.name))}


@bp.route("/my/financing", methods=["GET", "POST"])
@role_required(Role.STARTUP)
def my_financing():
    institutions = _institutions()
    form = FinancingEventForm()
    form.institution_id.choices = [("", _("— 平台外 —"))] + [(i.id, i.name) for i in institutions.values()]
    if save_form(form, lambda: services.record_event(current_user, **form.service_fields(institutions),
                                                     today=date.today()),
                 lambda event: _("已记录融资：%(kind)s。", kind=event.kind.label)):
        return redirect(url_for(".my_financing"))
    return render_template("financing/my_financing.html", form=form,
                           events=services.company_events(current_user.company_id),
                           checkins=services.open_checkins(current_user.company_id),
                           opted_out=services.is_opted_out(current_user.company_id),
                           has_company=current_user.company_id is not None)


@bp.post("/my/financing/not-yet")
@role_required(Role.STARTUP)
def answer_not_yet():
    apply(lambda: services.answer_open_checkins(current_user.company_id, raised_on=None)
          if current_user.company_id else None, _("谢谢，已记录暂无新融资。"), "info")
    return redirect(url_for(".my_financing"))


@bp.post("/my/financing/opt-out")
@role_required(Role.STARTUP)
def opt_out():
    stop = not services.is_opted_out(current_user.company_id)
    apply(lambda: services.set_opt_out(current_user, stop),
          _("不再询问路演后的融资进展。") if stop else _("将在路演后 3、6、12 个月询问融资进展。"), "info")
    return redirect(url_for(".my_financing"))


@bp.get("/institution/financing")
@role_required(Role.INVESTOR)
def institution_events():
    return render_template("financing/institution_events.html", events=services.institution_pending(current_user),
                           dispute_form=DisputeForm(formdata=None))


@bp.post("/financing/<int:event_id>/confirm")
@role_required(Role.INVESTOR)
def confirm(event_id: int):
    event = get_visible_or_404(FinancingEvent, event_id, is_named_institution)
    apply(lambda: services.answer_event(current_user, event, confirm=True), _("已确认融资记录。"))
    return redirect(url_for(".institution_events"))


@bp.post("/financing/<int:event_id>/dispute")
@role_required(Role.INVESTOR)
def dispute(event_id: int):
    event = get_visible_or_404(FinancingEvent, event_id, is_named_institution)
    form = DisputeForm()
    apply(lambda: services.answer_event(current_user, event, confirm=False, note=form.note.data or ""),
          _("已对融资记录提出异议。"), "info")
    return redirect(url_for(".institution_events"))
