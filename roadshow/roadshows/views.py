"""Home page, the roadshow agenda, session pages, registration (every attendee type) and its questions."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import Role
from ..common.actions import apply, save_form
from ..common.errors import RuleViolation
from ..common.forms import safe_next_url
from ..common.lookup import get_visible_or_404
from ..common.page_cache import cached_for_readers, cached_for_visitors
from ..common.timeutil import utcnow
from ..extensions import db
from ..projects.policies import is_owner
from ..screening import services as screening
from . import queries, registration, services
from ..checkin.policies import can_check_in
from .forms import QuestionForm, RegistrationForm
from .policies import can_manage_registration, can_manage_series_registration, owns_booking, registrable_types
from .models import AttendeeType, Booking, RoadshowSession, Series, WaitlistEntry

bp = Blueprint("roadshows", __name__)


@bp.get("/")
@cached_for_visitors
@cached_for_readers
def home():
    upcoming = services.upcoming_sessions(limit=6)
    return render_template(
        "roadshows/home.html",
        upcoming=upcoming,
        projects=queries.recent_public_projects(),
        counts=queries.platform_counts(),
    )


@bp.get("/sessions")
@cached_for_visitors
@cached_for_readers
def sessions():
    days = queries.group_by_local_day(services.upcoming_sessions())
    return render_template("roadshows/sessions.html", days=days)


@bp.get("/sessions/<int:session_id>")
@cached_for_visitors
@cached_for_readers
def session_detail(session_id: int):
    session = queries.session_for_page(session_id) or abort(404)
    booking = waitlist_position = None
    can_see_attendees = can_apply = False
    types: list[AttendeeType] = []
    if current_user.is_authenticated:
        types = registrable_types(current_user, session)
        booking, waitlist_position = queries.place_of(session, current_user)
        # only a company's members own projects: nobody else makes the page read the lineup
        can_see_attendees = current_user.is_admin or (
            current_user.company_id is not None and any(is_owner(current_user, s.project) for s in session.slots))
        can_apply = (
            current_user.has_role(Role.STARTUP)
            and session.status in screening.OPEN_FOR_APPLICATIONS
            and session.starts_at > utcnow()
            and bool(screening.applicable_projects(current_user))
        )
    return render_template(
        "roadshows/session_detail.html",
        session=session,
        lineup=lambda: queries.lineup(session_id),  # read only when the page's kept lineup is out of date
        booking=booking,
        waitlist_position=waitlist_position,
        # people waiting per type, read only when some type is full (the page shows them then)
        waiting=services.waitlist_counts(session) if any(session.seats_left_for(t) == 0 for t in session.attendee_types)
        else dict.fromkeys(AttendeeType, 0),
        registrable=types,
        has_questions=bool(types) and registration.has_questions(session),
        manages_registration=can_manage_registration(current_user, session),
        attendees=queries.booked_institutions(session) if can_see_attendees else None,
        can_apply=can_apply,
        open_for_booking=session.is_bookable and session.ends_at > utcnow(),
        at_the_door=can_check_in(current_user, session),
    )


def _session(session_id: int) -> services.RoadshowSession:
    return db.get_or_404(services.RoadshowSession, session_id)


def _attendee_type(value: str) -> AttendeeType:
    try:
        return AttendeeType(value)
    except ValueError:
        abort(404)


@bp.post("/sessions/<int:session_id>/book")
@login_required
def book(session_id: int):
    """An investor's seat, from the session page's button (the registration form, without a form page)."""
    return register(session_id, AttendeeType.INVESTOR.value)


@bp.route("/sessions/<int:session_id>/register/<attendee_type>", methods=["GET", "POST"])
@login_required
def register(session_id: int, attendee_type: str):
    """Register as an attendee type: a seat, or a place on the type's waitlist when none is left (the button
    says so). The form asks the session's questions; refused answers re-render it with their messages."""
    kind = _attendee_type(attendee_type)
    session = _session(session_id)
    form = RegistrationForm.for_questions(registration.questions_for(session),
                                          registration.answers_of(session, current_user))
    if form.validate_on_submit():
        try:
            outcome = services.request_seat(session, current_user, attendee_type=kind, answers=form.answers())
        except registration.AnswersRefused as exc:
            db.session.rollback()
            for question_id, message in exc.errors.items():
                form[f"q{question_id}"].errors = [message]
        except RuleViolation as exc:
            db.session.rollback()
            flash(str(exc), "warning")
            return redirect(url_for(".session_detail", session_id=session_id))
        else:
            db.session.commit()
            if isinstance(outcome, WaitlistEntry):
                flash(_("席位已满，已为您加入候补名单，当前排第 %(n)d 位。有席位空出时将按顺序自动为您预约并通知您。",
                        n=services.waitlist_position(outcome)), "info")
            else:
                flash(_("预约成功：%(title)s。", title=session.title), "success")
            return redirect(url_for(".session_detail", session_id=session_id))
    elif request.method == "POST" and not form.questions:
        flash(_("页面已过期，请重试。"), "warning")  # only the CSRF token can fail a form without questions
        return redirect(url_for(".session_detail", session_id=session_id))
    return render_template("roadshows/register.html", session=session, form=form, attendee_type=kind,
                           full=session.seats_left_for(kind) == 0), 422 if form.errors else 200


@bp.post("/sessions/<int:session_id>/waitlist/leave")
@login_required
def leave_waitlist(session_id: int):
    session = _session(session_id)
    apply(lambda: services.leave_waitlist(session, current_user), _("已退出候补名单。"), "info")
    return redirect(safe_next_url(".my_bookings") if request.args.get("next") else
                    url_for(".session_detail", session_id=session_id))


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel_booking(booking_id: int):
    booking = get_visible_or_404(Booking, booking_id, owns_booking)
    apply(lambda: services.cancel_booking(booking, current_user), _("已取消预约。"), "info")
    return redirect(url_for(".session_detail", session_id=booking.session_id))


@bp.get("/my/bookings")
@cached_for_readers
@login_required
def my_bookings():
    return render_template(
        "roadshows/my_bookings.html",
        bookings=queries.my_bookings(current_user),
        waiting=queries.my_waitlist(current_user),
        now=utcnow(),
    )


# --- managing registration: questions, registrants and their answers (admins; the series' organiser) ---------

def _managed_session(session_id: int) -> RoadshowSession:
    return get_visible_or_404(RoadshowSession, session_id, can_manage_registration)


def _questions_page(owner: RoadshowSession | Series, back_url: str, here: str):
    form = QuestionForm()
    if save_form(form, lambda: registration.add_question(owner, **form.service_fields()),
                 lambda question: _("已添加问题：%(q)s。", q=question.prompt)):
        return redirect(here)
    inherited = registration.own_questions(owner.series) if isinstance(owner, RoadshowSession) and owner.series \
        else []
    return render_template("roadshows/questions.html", owner=owner, form=form, back_url=back_url,
                           questions=registration.own_questions(owner), inherited=inherited,
                           is_session=isinstance(owner, RoadshowSession))


@bp.route("/sessions/<int:session_id>/questions", methods=["GET", "POST"])
@login_required
def session_questions(session_id: int):
    session = _managed_session(session_id)
    here = url_for(".session_questions", session_id=session.id)
    return _questions_page(session, url_for(".registrations", session_id=session.id), here)


@bp.post("/sessions/<int:session_id>/questions/<int:question_id>/delete")
@login_required
def delete_session_question(session_id: int, question_id: int):
    session = _managed_session(session_id)
    apply(lambda: registration.delete_question(session, question_id), _("已删除问题及其回答。"), "info")
    return redirect(url_for(".session_questions", session_id=session.id))


@bp.route("/series/<int:series_id>/questions", methods=["GET", "POST"])
@login_required
def series_questions(series_id: int):
    series = get_visible_or_404(Series, series_id, can_manage_series_registration)
    here = url_for(".series_questions", series_id=series.id)
    return _questions_page(series, url_for(".sessions"), here)


@bp.post("/series/<int:series_id>/questions/<int:question_id>/delete")
@login_required
def delete_series_question(series_id: int, question_id: int):
    series = get_visible_or_404(Series, series_id, can_manage_series_registration)
    apply(lambda: registration.delete_question(series, question_id), _("已删除问题及其回答。"), "info")
    return redirect(url_for(".series_questions", series_id=series.id))


@bp.get("/sessions/<int:session_id>/registrations")
@login_required
def registrations(session_id: int):
    session = _managed_session(session_id)
    return render_template("roadshows/registrations.html", session=session,
                           questions=registration.questions_for(session),
                           registrants=registration.registrants(session))


@bp.get("/sessions/<int:session_id>/registrations/export.<fmt>")
@login_required
def export_registrations(session_id: int, fmt: str):
    session = _managed_session(session_id)
    name = f"registrations-session-{session.id}"
    if fmt == "csv":
        return Response(registration.export_csv(session), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={name}.csv"})
    if fmt == "xlsx":
        return Response(registration.export_xlsx(session),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename={name}.xlsx"})
    abort(404)
