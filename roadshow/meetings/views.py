"""Meeting pages: my meetings, one meeting with its actions, the startup's availability, asking for a meeting."""
import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.actions import apply, save_form, show_violation
from ..common.bounds import id_from
from ..common.errors import FieldRuleViolation, RuleViolation
from ..common.forms import safe_next_url
from ..i18n.formatting import format_slot
from ..common.timeutil import utcnow
from ..deals.models import Deal
from ..common.lookup import get_visible_or_404
from ..deals.policies import can_view_deal
from ..extensions import db
from ..investors.models import Institution
from ..investors.policies import can_view_institution
from ..projects.models import Project
from ..projects.policies import can_view_project
from ..projects.services import company_projects
from ..roadshows.models import RoadshowSession
from . import policies, services
from .forms import (
    NEW_SLOT, AcceptForm, AskInstitutionForm, MeetingRequestForm, ProposeForm, ReasonForm, SlotForm,
    set_room_choices,
)
from .models import AvailabilitySlot, MeetingMode, MeetingMute, MeetingRequest, MeetingSide, MeetingSource, MeetingStatus

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.app_context_processor
def meeting_helpers():
    """The project page's meeting box asks for the viewer's open request."""
    return {"open_meeting_request": _open_request_of_viewer,
            "meeting_request_form": _request_form_for}


def _request_form_for(project: Project) -> MeetingRequestForm:
    """The ask form of a project page; the project's free slots to pick from (Brella style), if it has any."""
    form = MeetingRequestForm()
    slots = services.free_slots(project.company_id)
    form.slot_id.choices = [SelectChoice("", _("不指定，由项目方选择")), *(
        SelectChoice(s.id, _slot_label(s)) for s in slots)] if slots else []
    return form


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
    pending = [m for m in meetings if m.status.is_awaiting_answer]
    history = [m for m in meetings if m not in upcoming and m not in pending]
    mutes = services.mutes_of(current_user.institution_id) if current_user.institution_id else []
    return render_template("meetings/index.html", upcoming=upcoming, pending=pending, history=history,
                           is_startup=current_user.company_id is not None, mutes=mutes)


@bp.get("/<int:meeting_id>")
@login_required
def detail(meeting_id: int):
    return _detail_page(_meeting(meeting_id))


def _detail_page(meeting: MeetingRequest, accept_form: AcceptForm | None = None,
                 propose_form: ProposeForm | None = None, status: int = 200):
    """The meeting with only the actions that apply to the viewer's side and the request's state."""
    side = policies.side_of(current_user, meeting)
    answering = side is not None and meeting.awaiting is side
    rooms = services.meeting_rooms()
    slots = services.free_slots(meeting.project.company_id) if answering else []
    if meeting.slot is not None and answering:
        slots = [meeting.slot, *slots]  # the slot the investor picked when asking
    accept_form = accept_form or AcceptForm(slot_id=str(meeting.availability_slot_id or ""))
    choices = [SelectChoice(str(s.id), _slot_label(s)) for s in slots]
    if side is MeetingSide.STARTUP:
        choices.append(SelectChoice(NEW_SLOT, _("新增一个时段…")))
    accept_form.slot_id.choices = choices
    propose_form = propose_form or ProposeForm()
    for form in (accept_form, propose_form):
        set_room_choices(form, rooms)
    return render_template(
        "meetings/detail.html", meeting=meeting, side=side, answering=answering, deal=_deal_of(meeting),
        is_startup=side is MeetingSide.STARTUP, is_investor=side is MeetingSide.INVESTOR,
        accept_form=accept_form, propose_form=propose_form, reason_form=ReasonForm(), slots=slots,
        now=utcnow(), can_withdraw=side is not None and meeting.status.is_awaiting_answer and not answering,
        can_cancel=side is not None and meeting.status.is_accepted and meeting.starts_at > utcnow(),
        muted=side is MeetingSide.INVESTOR and current_user.institution_id is not None
        and services.is_muted(current_user.institution_id, meeting.project.company_id),
        Side=MeetingSide,
    ), status


def _deal_of(meeting: MeetingRequest) -> Deal | None:
    """The pipeline entry this meeting belongs to, when the viewer may see it."""
    if meeting.institution_id is None:
        return None
    deal = db.session.scalar(sa.select(Deal).where(Deal.institution_id == meeting.institution_id,
                                                   Deal.project_id == meeting.project_id))
    return deal if deal is not None and can_view_deal(current_user, deal) else None


def _slot_label(slot: AvailabilitySlot) -> str:
    label = format_slot(slot.starts_at, slot.ends_at, "short_with_weekday")
    where = _place_label(slot)
    return f"{label} · {where}" if where else label


def _place_label(row) -> str:
    if row.mode is MeetingMode.ONLINE:
        where = MeetingMode.ONLINE.label
    elif row.venue is not None:
        where = row.venue.name
    else:
        where = ""
    return " · ".join(part for part in (str(where), row.location) if part)


@bp.post("/request/<int:project_id>")
@role_required(Role.INVESTOR)
def request_meeting(project_id: int):
    """From the project page, a match card or the live room; on refusal, back to where it came from."""
    project = get_visible_or_404(Project, project_id, can_view_project)
    form = MeetingRequestForm()
    back = safe_next_url("projects.public_list") if request.args.get("next") else url_for(
        "projects.detail", project_id=project_id)
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "warning")
        return redirect(back)
    source = form.source.data if form.source.data in {s.value for s in MeetingSource} else MeetingSource.PAGE
    try:
        meeting = services.request_meeting(current_user, project, form.message.data, source=source,
                                           slot_id=form.slot_id.data)
    except RuleViolation as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(back)
    db.session.commit()
    flash(_("约见请求已发送给「%(project)s」，对方接受后会通知您。", project=project.title), "success")
    return redirect(url_for(".detail", meeting_id=meeting.id))


@bp.route("/ask/<int:institution_id>", methods=["GET", "POST"])
@role_required(Role.STARTUP)
def ask(institution_id: int):
    """A startup asks an institution (from its matched investors, the institution page or a roadshow record)."""
    institution = get_visible_or_404(Institution, institution_id, can_view_institution)
    projects = [p for p in company_projects(current_user.company) if p.is_public] if current_user.company else []
    form = AskInstitutionForm()
    form.project_id.choices = [SelectChoice(p.id, p.title) for p in projects]
    if not form.is_submitted():
        form.source.data = request.args.get("source", MeetingSource.PAGE.value)
        form.session_id.data = request.args.get("session_id", "")
    existing = services.open_startup_request(current_user.company_id, institution.id) \
        if current_user.company_id else None

    def save():
        project = next((p for p in projects if p.id == form.project_id.data), None)
        if project is None:
            raise FieldRuleViolation("project_id", _("请选择贵司已公开的项目。"))
        source = form.source.data if form.source.data in {s.value for s in MeetingSource} else MeetingSource.PAGE
        session_id = id_from(form.session_id.data or "")
        session = db.session.get(RoadshowSession, session_id) if session_id else None
        return services.ask_institution(current_user, institution, project, form.message.data, source=source,
                                        session_id=session.id if session else None)

    if existing is None and save_form(form, save, lambda m: _("约见请求已发送给「%(inst)s」，对方回复后会通知您。",
                                                              inst=institution.name)):
        return redirect(url_for(".index"))
    return render_template("meetings/ask.html", form=form, institution=institution, projects=projects,
                           existing=existing, sent_today=services.asks_today(current_user.company_id)
                           if current_user.company_id else 0,
                           cap=current_app.config["MEETING_ASKS_PER_DAY"])


@bp.post("/<int:meeting_id>/accept")
@login_required
def accept(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = AcceptForm()
    form.slot_id.choices = []
    set_room_choices(form, services.meeting_rooms())
    if form.validate_on_submit():
        try:
            if form.slot_id.data == NEW_SLOT:
                new_slot = services.NewSlot(form.utc_start(), form.minutes.data, form.place())
                services.accept(current_user, meeting, new_slot=new_slot)
            else:
                services.accept(current_user, meeting, form.chosen_slot_id())
        except RuleViolation as exc:
            db.session.rollback()
            show_violation(form, exc)
        else:
            db.session.commit()
            flash(_("已接受约见，双方日程已更新。"), "success")
            return redirect(url_for(".detail", meeting_id=meeting_id))
    db.session.refresh(meeting)
    return _detail_page(meeting, accept_form=form, status=422)


@bp.post("/<int:meeting_id>/propose")
@login_required
def propose(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = ProposeForm()
    set_room_choices(form, services.meeting_rooms())
    if form.validate_on_submit():
        try:
            services.propose(current_user, meeting, form.utc_start(), form.minutes.data, form.place())
        except RuleViolation as exc:
            db.session.rollback()
            show_violation(form, exc)
        else:
            db.session.commit()
            flash(_("已向项目方提议时间，对方确认后约见即生效。"), "success")
            return redirect(url_for(".detail", meeting_id=meeting_id))
    db.session.refresh(meeting)
    return _detail_page(meeting, propose_form=form, status=422)


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


@bp.post("/<int:meeting_id>/mute")
@role_required(Role.INVESTOR)
def mute(meeting_id: int):
    meeting = _meeting(meeting_id)
    apply(lambda: services.mute(current_user, meeting),
          _("已屏蔽「%(c)s」：贵机构不会再收到该企业的约见请求。", c=meeting.project.company.name))
    return redirect(url_for(".detail", meeting_id=meeting_id))


@bp.post("/mutes/<int:mute_id>/delete")
@role_required(Role.INVESTOR)
def unmute(mute_id: int):
    row = get_visible_or_404(MeetingMute, mute_id, policies.can_manage_mute)
    apply(lambda: services.unmute(current_user, row), _("已取消屏蔽。"))
    return redirect(url_for(".index"))


@bp.route("/availability", methods=["GET", "POST"])
@role_required(Role.STARTUP)
def availability():
    if current_user.company_id is None:
        flash(_("请先完善企业信息，再发布可约时段。"), "info")
        return redirect(url_for("projects.my_company"))
    form = SlotForm()
    set_room_choices(form, services.meeting_rooms())

    def save():
        return services.add_slot(current_user, form.utc_start(), form.minutes.data, place=form.place())

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
