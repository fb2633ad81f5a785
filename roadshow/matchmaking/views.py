"""Matchmaking pages: the days, one day with my marks and my agenda, and the admin's schedule grid."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.actions import apply, save_form, show_violation
from ..common.errors import FieldRuleViolation, RuleViolation
from ..common.lookup import get_visible_or_404
from ..common.timeutil import local_to_utc, utcnow
from ..extensions import db
from ..i18n.formatting import format_datetime, format_time_range
from ..projects.models import PUBLIC_STATUSES, Project
from ..roadshows.models import RoadshowSession
from . import ical, policies, services
from .forms import AddStartupForm, DayForm, MoveForm, marks_form
from .models import MatchmakingDay, MatchmakingMeeting

bp = Blueprint("matchmaking", __name__, url_prefix="/matchmaking")


def _day(day_id: int) -> MatchmakingDay:
    return get_visible_or_404(MatchmakingDay, day_id, policies.can_view_day)


def _slot_labels(day: MatchmakingDay) -> list[str]:
    return [format_time_range(day.slot_start(n), day.slot_end(n)) for n in day.slot_indexes]


@bp.get("/")
@login_required
def index():
    return render_template("matchmaking/index.html", days=services.days_for(current_user), now=utcnow())


@bp.get("/<int:day_id>")
@login_required
def day(day_id: int):
    """The participant's page: join, mark the other side and name unavailable slots, then the agenda."""
    day = _day(day_id)
    party = services.party_of(current_user, day)
    return _day_page(day, party, _marks_form(day, party) if party is not None else None)


def _marks_form(day: MatchmakingDay, party):
    return marks_form(services.counterparts(party), _slot_labels(day), services.marks_of(party), party.unavailable)


def _day_page(day: MatchmakingDay, party, form):
    agenda = services.agenda(party) if party is not None and day.is_published else []
    return render_template("matchmaking/day.html", day=day, party=party, form=form, agenda=agenda,
                           slot_labels=_slot_labels(day), open=utcnow() < day.deadline,
                           may_join=party is None and current_user.has_role(Role.INVESTOR))


@bp.post("/<int:day_id>/marks")
@login_required
def save_marks(day_id: int):
    day = _day(day_id)
    party = services.party_of(current_user, day)
    if party is None:
        abort(404)  # nothing to save for someone not taking part
    form = _marks_form(day, party)

    def save():
        marks = {other.id: field.data or None for other, field in form.mark_fields}
        return services.save_marks(current_user, day, marks, set(form.unavailable.data or ()))

    if save_form(form, save, lambda _party: _("意向已保存，截止前可随时修改。")):
        return redirect(url_for(".day", day_id=day.id))
    return _day_page(day, party, form), 422


@bp.post("/<int:day_id>/join")
@role_required(Role.INVESTOR)
def join(day_id: int):
    day = _day(day_id)
    apply(lambda: services.join(current_user, day), _("报名成功，请在截止前标记想见的项目。"))
    return redirect(url_for(".day", day_id=day.id))


@bp.get("/<int:day_id>/agenda.ics")
@login_required
def agenda_ics(day_id: int):
    """The caller's own meetings of one published day, to import once (the private feed keeps them up to date)."""
    day = _day(day_id)
    party = services.party_of(current_user, day)
    if party is None or not day.is_published:
        abort(404)
    response = Response(ical.day_calendar(day, services.agenda(party)), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="matchmaking-{day.id}.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ----------------------------------------------------------------------------- admin

@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_day():
    form = DayForm()
    sessions = list(db.session.scalars(
        sa.select(RoadshowSession).where(RoadshowSession.starts_at > utcnow(),
                                         RoadshowSession.id.not_in(sa.select(MatchmakingDay.session_id).where(
                                             MatchmakingDay.session_id.is_not(None))))
        .order_by(RoadshowSession.starts_at).limit(100)))
    form.session_id.choices = [SelectChoice("", _("不关联路演（独立对接会）"))] + [
        SelectChoice(s.id, f"{format_datetime(s.starts_at)} · {s.title}") for s in sessions]
    if request.method == "GET" and request.args.get("session_id", type=int):
        form.session_id.data = request.args.get("session_id", type=int)

    def save():
        session = None
        if form.session_id.data is not None:
            session = db.session.get(RoadshowSession, form.session_id.data)
            if session is None:
                raise FieldRuleViolation("session_id", _("请选择列表中的路演。"))
        return services.create_day(
            current_user, title=form.title.data, starts_at=local_to_utc(form.starts_at.data),
            deadline=local_to_utc(form.deadline.data), slot_minutes=form.slot_minutes.data,
            slot_count=form.slot_count.data, rooms=form.rooms.data, location=form.location.data, session=session)

    saved = {}
    if save_form(form, lambda: saved.setdefault("day", save()), lambda day: _("已创建对接会「%(t)s」。", t=day.title)):
        return redirect(url_for(".schedule", day_id=saved["day"].id))
    return render_template("matchmaking/new.html", form=form)


@bp.get("/<int:day_id>/schedule")
@role_required(Role.ADMIN)
def schedule(day_id: int):
    day = db.get_or_404(MatchmakingDay, day_id)
    return _schedule_page(day, AddStartupForm())


def _schedule_page(day: MatchmakingDay, add_form: AddStartupForm):
    taken = {p.project_id for p in day.startups}
    add_form.project_id.choices = [SelectChoice(p.id, f"{p.title} · {p.company.name}") for p in db.session.scalars(
        sa.select(Project).where(Project.status.in_(PUBLIC_STATUSES)).order_by(Project.title).limit(500))
        if p.id not in taken]
    rows, cells = services.grid(day)
    return render_template("matchmaking/schedule.html", day=day, rows=rows, cells=cells, add_form=add_form,
                           slot_labels=_slot_labels(day), counts=services.meetings_per_startup(day))


@bp.post("/<int:day_id>/startups")
@role_required(Role.ADMIN)
def add_startup(day_id: int):
    day = db.get_or_404(MatchmakingDay, day_id)
    form = AddStartupForm()
    form.project_id.choices = []
    if form.validate_on_submit():
        project = db.session.get(Project, form.project_id.data)
        try:
            if project is None:
                raise FieldRuleViolation("project_id", _("请选择列表中的项目。"))
            services.add_startup(current_user, day, project)
        except RuleViolation as exc:
            db.session.rollback()
            show_violation(form, exc)
        else:
            db.session.commit()
            flash(_("已邀请「%(p)s」参加。", p=project.title), "success")
            return redirect(url_for(".schedule", day_id=day.id))
    return _schedule_page(db.get_or_404(MatchmakingDay, day_id), form), 422


@bp.post("/<int:day_id>/solve")
@role_required(Role.ADMIN)
def solve(day_id: int):
    day = db.get_or_404(MatchmakingDay, day_id)
    apply(lambda: services.solve_day(current_user, day), _("排程已计算完成。"))
    return redirect(url_for(".schedule", day_id=day_id))


@bp.post("/<int:day_id>/publish")
@role_required(Role.ADMIN)
def publish(day_id: int):
    day = db.get_or_404(MatchmakingDay, day_id)
    apply(lambda: services.publish(current_user, day), _("日程已发布，参会各方已收到通知。"))
    return redirect(url_for(".schedule", day_id=day_id))


@bp.route("/meetings/<int:meeting_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def meeting(meeting_id: int):
    """Move one meeting to another slot (and room); the move pins it."""
    meeting = db.get_or_404(MatchmakingMeeting, meeting_id)
    day = meeting.day
    form = MoveForm(data={"slot": meeting.slot, "room": meeting.room})
    form.slot.choices = [SelectChoice(n, f"{n + 1} · {label}") for n, label in enumerate(_slot_labels(day))]
    form.room.choices = [SelectChoice(n, _("%(n)d 号洽谈室", n=n)) for n in range(1, (day.rooms or 0) + 1)]
    if save_form(form, lambda: services.move(current_user, meeting, form.slot.data, form.room.data),
                 lambda _m: _("约见已移动并固定。")):
        return redirect(url_for(".schedule", day_id=day.id))
    return render_template("matchmaking/meeting.html", meeting=meeting, day=day, form=form,
                           slot_labels=_slot_labels(day))


@bp.post("/meetings/<int:meeting_id>/pin")
@role_required(Role.ADMIN)
def pin(meeting_id: int):
    meeting = db.get_or_404(MatchmakingMeeting, meeting_id)
    pinned = not meeting.pinned
    apply(lambda: services.set_pinned(current_user, meeting, pinned),
          _("已固定，重新计算时保持不变。") if pinned else _("已取消固定。"))
    return redirect(url_for(".schedule", day_id=meeting.day_id))
