"""The every-day calendar: public month/week/day views, iCal feeds, and admin pages for session templates."""
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import admin_required
from ..admin import services as admin_services
from ..common.actions import apply, save_form
from ..common.bounds import date_in_range, date_range_text, id_from
from ..common.choices import IndustryChain
from ..common.lookup import get_visible_or_404
from ..common.page_cache import cached_for_readers, cached_for_visitors, cached_fragment
from ..common.timeutil import to_local, utcnow
from ..extensions import db
from ..roadshows.models import Booking, Series, Venue
from ..roadshows.policies import owns_booking
from . import calendar, horizon, ical, rules, services
from .forms import TemplateForm
from .models import SessionTemplate

bp = Blueprint("scheduling", __name__)


def _today() -> date:
    return to_local(utcnow()).date()


@bp.app_context_processor
def calendar_helpers():
    """The admin dashboard's staffing alert (scheduling/_dashboard_alert.html)."""
    return {
        "days_without_projects": lambda: services.days_without_projects(_today()),
    }


# --------------------------------------------------------------------------- public calendar

def _filters() -> dict:
    """The calendar's filters from the query string; unknown values are ignored, never an error."""
    chain = request.args.get("chain", "")
    slug = request.args.get("series", "")
    venue_id = id_from(request.args.get("venue"))
    return {
        "chain": IndustryChain(chain) if chain in {c.value for c in IndustryChain} else None,
        "series_slug": slug if slug and db.session.scalar(sa.select(Series.id).where(Series.slug == slug)) else None,
        "venue_id": venue_id if venue_id and db.session.get(Venue, venue_id) else None,
    }


def _anchor(today: date) -> date:
    """The ?date= to show: today when missing or mistyped; a 400 beyond the calendar's years."""
    try:
        anchor = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        return today
    if not date_in_range(anchor):
        abort(400, _("日历只能显示 %(range)s 之间的日期。", range=date_range_text()))
    return anchor


@bp.get("/calendar")
@cached_for_visitors
@cached_for_readers
def calendar_page():
    today = _today()
    view = request.args.get("view", "month")
    if view not in calendar.VIEWS:
        view = "month"
    anchor = _anchor(today)
    body = cached_fragment(f"calendar:{today}", lambda: _calendar_body(view, anchor, today))
    return render_template("scheduling/calendar.html", body=body, title=calendar.period_title(view, anchor))


def _calendar_body(view: str, anchor: date, today: date) -> str:
    filters = _filters()
    return render_template(
        "scheduling/_calendar_body.html",
        page=calendar.build_page(view, anchor, today, **filters),
        filters=filters,
        today=today,
        series=admin_services.all_series(),
        venues=admin_services.all_venues(),
        chains=list(IndustryChain),
        weekday_headers=calendar.WEEKDAY_HEADERS,
        horizon_days=horizon.horizon_days(),
    )


@bp.get("/calendar/subscribe")
def subscribe():
    feed = ical.feed_of(current_user) if current_user.is_authenticated else None
    return render_template("scheduling/subscribe.html", feed=feed, series=admin_services.all_series())


@bp.post("/calendar/subscribe/regenerate")
@login_required
def regenerate_feed():
    had_one = ical.feed_of(current_user) is not None
    apply(lambda: ical.regenerate_feed(current_user),
          _("已生成新的订阅地址，旧地址已失效。") if had_one else _("已生成您的专属订阅地址。"))
    return redirect(url_for(".subscribe"))


def _ics(body: bytes, name: str, private: bool, disposition: str = "inline") -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}.ics"'
    response.headers["Cache-Control"] = "private, max-age=300" if private else "public, max-age=300"
    return response


@bp.get("/calendar/series/<slug>.ics")
def series_feed(slug: str):
    series = db.first_or_404(sa.select(Series).where(Series.slug == slug))
    return _ics(ical.series_feed(series), series.slug, private=False)


@bp.get("/calendar/bookings/<int:booking_id>.ics")
@login_required
def booking_ics(booking_id: int):
    booking = get_visible_or_404(Booking, booking_id, owns_booking)
    return _ics(ical.booking_calendar(booking), f"roadshow-{booking.session_id}", private=True, disposition="attachment")


@bp.get("/calendar/feed/<token>.ics")
def user_feed(token: str):
    user = ical.user_for_token(token) or abort(404)
    body = ical.user_feed(user)
    db.session.commit()  # when it was last fetched
    return _ics(body, "roadshow", private=True)


# --------------------------------------------------------------------------- admin: session templates

def _template_form(template: SessionTemplate | None) -> TemplateForm:
    form = TemplateForm(data=TemplateForm.data_of(template) if template else None)
    form.set_choices(admin_services.all_series(), admin_services.all_venues(), admin_services.hosts())
    return form


@bp.get("/admin/templates")
@admin_required
def templates():
    today = _today()
    entries = services.all_templates()
    return render_template(
        "scheduling/templates.html",
        entries=entries,
        previews={t.id: services.preview(t, today, count=3) for t in entries},
        counts=services.occurrence_counts(),
        describe=rules.describe,
    )


def _save_template_view(template: SessionTemplate | None):
    form = _template_form(template)
    if save_form(
        form,
        lambda: services.save_template(template, _today(), **form.service_fields()),
        lambda saved: _("模板已保存：%(name)s。夜间任务会按模板生成未来场次，也可在“后台任务”中立即运行。", name=saved.name),
    ):
        return redirect(url_for(".templates"))
    preview = services.preview(template, _today()) if template is not None and template.id else []
    return render_template("scheduling/template_form.html", form=form, template=template, preview=preview)


@bp.route("/admin/templates/new", methods=["GET", "POST"])
@admin_required
def new_template():
    return _save_template_view(None)


@bp.route("/admin/templates/<int:template_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_template(template_id: int):
    return _save_template_view(db.get_or_404(SessionTemplate, template_id))


@bp.post("/admin/templates/<int:template_id>/delete")
@admin_required
def delete_template(template_id: int):
    template = db.get_or_404(SessionTemplate, template_id)
    apply(lambda: services.delete_template(template),
          _("已删除模板：%(name)s。已生成的场次仍保留在日程中。", name=template.name), "info")
    return redirect(url_for(".templates"))
