"""Home page, the roadshow agenda, session pages and seat booking."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.actions import apply
from ..common.errors import RuleViolation
from ..common.forms import safe_next_url
from ..common.lookup import get_visible_or_404
from ..common.page_cache import cached_for_visitors
from ..common.timeutil import utcnow
from ..extensions import db
from ..projects.policies import is_owner
from ..screening import services as screening
from . import queries, services
from ..checkin.policies import can_check_in
from .policies import owns_booking
from .models import Booking, WaitlistEntry

bp = Blueprint("roadshows", __name__)


@bp.get("/")
@cached_for_visitors
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
def sessions():
    days = queries.group_by_local_day(services.upcoming_sessions())
    return render_template("roadshows/sessions.html", days=days)


@bp.get("/sessions/<int:session_id>")
@cached_for_visitors
def session_detail(session_id: int):
    session = queries.session_for_page(session_id) or abort(404)
    booking = waitlist_position = None
    can_see_attendees = can_apply = False
    if current_user.is_authenticated:
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
        waitlist_count=services.waitlist_count(session) if session.seats_left == 0 else 0,  # shown when full
        attendees=queries.booked_institutions(session) if can_see_attendees else None,
        can_apply=can_apply,
        open_for_booking=session.is_bookable and session.ends_at > utcnow(),
        at_the_door=can_check_in(current_user, session),
    )


def _session(session_id: int) -> services.RoadshowSession:
    return db.get_or_404(services.RoadshowSession, session_id)


@bp.post("/sessions/<int:session_id>/book")
@role_required(Role.INVESTOR)
def book(session_id: int):
    """Book a seat; when the session is full the investor joins its waitlist instead (the button says so)."""
    session = _session(session_id)
    try:
        outcome = services.request_seat(session, current_user)
    except RuleViolation as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for(".session_detail", session_id=session_id))
    db.session.commit()
    if isinstance(outcome, WaitlistEntry):
        flash(_("席位已满，已为您加入候补名单，当前排第 %(n)d 位。有席位空出时将按顺序自动为您预约并通知您。",
                n=services.waitlist_position(outcome)), "info")
    else:
        flash(_("预约成功：%(title)s。", title=session.title), "success")
    return redirect(url_for(".session_detail", session_id=session_id))


@bp.post("/sessions/<int:session_id>/waitlist/leave")
@role_required(Role.INVESTOR)
def leave_waitlist(session_id: int):
    session = _session(session_id)
    apply(lambda: services.leave_waitlist(session, current_user), _("已退出候补名单。"), "info")
    return redirect(safe_next_url(".my_bookings") if request.args.get("next") else
                    url_for(".session_detail", session_id=session_id))


@bp.post("/bookings/<int:booking_id>/cancel")
@role_required(Role.INVESTOR)
def cancel_booking(booking_id: int):
    booking = get_visible_or_404(Booking, booking_id, owns_booking)
    apply(lambda: services.cancel_booking(booking, current_user), _("已取消预约。"), "info")
    return redirect(url_for(".session_detail", session_id=booking.session_id))


@bp.get("/my/bookings")
@role_required(Role.INVESTOR)
def my_bookings():
    return render_template(
        "roadshows/my_bookings.html",
        bookings=queries.my_bookings(current_user),
        waiting=queries.my_waitlist(current_user),
        now=utcnow(),
    )
