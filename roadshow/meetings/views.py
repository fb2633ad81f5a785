"""Meeting pages: my meetings, one meeting with its actions, the startup's availability, asking for a meeting."""
from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.actions import apply, save_form
from ..common.errors import RuleViolation
from ..common.forms import safe_next_url
from ..i18n.formatting import format_slot
from ..common.timeutil import local_to_utc, utcnow
from ..deals.models import Deal
from ..common.lookup import get_visible_or_404
from ..deals.policies import can_view_deal
from ..extensions import db
from ..projects.models import Project
from ..projects.policies import can_view_project
from . import policies, services
from .forms import AcceptForm, MeetingRequestForm, ReasonForm, SlotForm
from .models import OPEN_STATUSES, AvailabilitySlot, MeetingRequest, MeetingSource, MeetingStatus

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.app_context_processor
def meeting_helpers():
    """The project page's meeting box asks for the viewer's open request."""
    return {"open_meeting_request": _open_request_of_viewer, "MeetingRequestForm": MeetingRequestForm}


def _open_request_of_viewer(project: Project) -> MeetingRequest | None:
    if not current_user.is_authenticated:
        return None
    return services.open_request(current_user.id, project.id)


def _meeting(meeting_id: int) -> MeetingRequest:
    return get_visible_or_404(MeetingRequest, meeting_id, policies.can_view_meeting)


@bp.get("/")
@login_required
def index():
    meetings = services.meetings_for(current_user)
    upcoming = [m for m in meetings if m.status == MeetingStatus.ACCEPTED and m.ends_at > utcnow()]
    pending = [m for m in meetings if m.status == MeetingStatus.REQUESTED]
    history = [m for m in meetings if m not in upcoming and m not in pending]
    return render_template("meetings/index.html", upcoming=upcoming, pending=pending, history=history,
                           is_startup=current_user.company_id is not None)


@bp.get("/<int:meeting_id>")
@login_required
def detail(meeting_id: int):
    meeting = _meeting(meeting_id)
    is_startup = policies.is_startup_member(current_user, meeting.project)
    accept_form = AcceptForm()
    slots = services.free_slots(meeting.project.company_id) if is_startup else []
    accept_form.slot_id.choices = [SelectChoice(s.id, _slot_label(s)) for s in slots]
    return render_template(
        "meetings/detail.html", meeting=meeting, is_startup=is_startup, deal=_deal_of(meeting),
        is_investor=current_user.id == meeting.investor_id, accept_form=accept_form, reason_form=ReasonForm(),
        slots=slots, now=utcnow(), open_statuses=OPEN_STATUSES,
    )


def _deal_of(meeting: MeetingRequest) -> Deal | None:
    """The pipeline entry this meeting belongs to, when the viewer may see it."""
    if meeting.institution_id is None:
        return None
    deal = db.session.scalar(sa.select(Deal).where(Deal.institution_id == meeting.institution_id,
                                                   Deal.project_id == meeting.project_id))
    return deal if deal is not None and can_view_deal(current_user, deal) else None


def _slot_label(slot: AvailabilitySlot) -> str:
    label = format_slot(slot.starts_at, slot.ends_at, "short_with_weekday")
    return f"{label} · {slot.location}" if slot.location else label


@bp.post("/request/<int:project_id>")
@role_required(Role.INVESTOR)
def request_meeting(project_id: int):
    """From the project page, a match card or the live room; on refusal, back to where it came from."""
    project = get_visible_or_404(Project, project_id, can_view_project)
    form = MeetingRequestForm()
    back = safe_next_url("projects.public_list") if request.args.get("next") else url_for(
        "projects.detail", project_id=project_id)
    if not form.validate_on_submit():
        flash(_("留言不能超过 1000 个字。"), "warning")
        return redirect(back)
    source = form.source.data if form.source.data in {s.value for s in MeetingSource} else MeetingSource.PAGE
    try:
        meeting = services.request_meeting(current_user, project, form.message.data, source=source)
    except RuleViolation as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(back)
    db.session.commit()
    flash(_("约见请求已发送给「%(project)s」，对方接受后会通知您。", project=project.title), "success")
    return redirect(url_for(".detail", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/accept")
@login_required
def accept(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = AcceptForm()
    form.slot_id.choices = []
    if form.validate_on_submit():
        apply(lambda: services.accept(current_user, meeting, form.slot_id.data), _("已接受约见，双方日程已更新。"))
    else:
        flash(_("请选择一个可约时段。"), "warning")
    return redirect(url_for(".detail", meeting_id=meeting_id))


def _respond(meeting_id: int, action, message: str):
    meeting = _meeting(meeting_id)
    form = ReasonForm()
    if form.validate_on_submit():
        apply(lambda: action(current_user, meeting, form.reason.data), message)
    else:
        flash(_("说明不能超过 1000 个字。"), "warning")
    return redirect(url_for(".detail", meeting_id=meeting_id))


@bp.post("/<int:meeting_id>/decline")
@login_required
def decline(meeting_id: int):
    return _respond(meeting_id, services.decline, _("已婉拒该约见，对方会收到通知。"))


@bp.post("/<int:meeting_id>/cancel")
@login_required
def cancel(meeting_id: int):
    return _respond(meeting_id, services.cancel, _("约见已取消，对方会收到通知。"))


@bp.post("/<int:meeting_id>/held")
@login_required
def held(meeting_id: int):
    meeting = _meeting(meeting_id)
    apply(lambda: services.mark_held(current_user, meeting), _("已确认见面，交易管线已更新。"))
    return redirect(url_for(".detail", meeting_id=meeting_id))


@bp.route("/availability", methods=["GET", "POST"])
@role_required(Role.STARTUP)
def availability():
    if current_user.company_id is None:
        flash(_("请先完善企业信息，再发布可约时段。"), "info")
        return redirect(url_for("projects.my_company"))
    form = SlotForm()

    def save():
        starts = local_to_utc(datetime.combine(form.day.data, form.start.data))
        return services.add_slot(current_user, starts, form.minutes.data, form.location.data)

    if save_form(form, save, lambda slot: _("已发布可约时段。")):
        return redirect(url_for(".availability"))
    return render_template("meetings/availability.html", form=form,
                           slots=services.company_slots(current_user.company_id))


@bp.post("/availability/<int:slot_id>/delete")
@role_required(Role.STARTUP)
def delete_slot(slot_id: int):
    slot = get_visible_or_404(AvailabilitySlot, slot_id, policies.can_manage_availability)
    apply(lambda: services.remove_slot(current_user, slot), _("已删除该时段。"))
    return redirect(url_for(".availability"))
