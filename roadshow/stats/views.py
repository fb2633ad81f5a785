"""Admin statistics: the dashboard page and its tables as CSV."""
import csv
from io import StringIO

from flask import Blueprint, Response, abort, render_template
from flask_babel import gettext as _

from ..accounts.permissions import admin_required
from ..common.choices import IndustryChain
from ..i18n.formatting import weekday_name
from ..listing import services as listing_services
from . import charts, services

bp = Blueprint("stats", __name__, url_prefix="/admin/stats")

WAN = 10_000
MONTH_METRICS = ("roadshows", "presented", "meetings_requested", "meetings_held", "deals_signed", "signed_amount")
CHAIN_METRICS = ("presented", "matches", "meetings_requested", "meetings_held", "deals", "deals_signed",
                 "signed_amount")


def metric_labels() -> dict[str, str]:
    return {"roadshows": _("路演场次"), "presented": _("路演项目"), "matches": _("匹配对数"),
            "meetings_requested": _("约见请求"), "meetings_held": _("已见面"), "deals": _("交易"),
            "deals_signed": _("签约"), "signed_amount": _("签约金额（万元）")}


def _cell(metric: str, value: int) -> int | float:
    """Amounts in 万元 (whole when they are), counts as they are."""
    if metric != "signed_amount":
        return value
    return value // WAN if value % WAN == 0 else round(value / WAN, 2)


def tables(board: services.Dashboard) -> dict[str, tuple[list[str], list[list]]]:
    """Every table on the page as (header, rows); the page and the CSV export share them."""
    labels = metric_labels()
    daily = ([_("日期"), _("星期"), _("工作日"), _("路演场次"), _("路演项目")],
             [[d.day.isoformat(), weekday_name(d.day.weekday()), _("是") if d.working else _("否"), d.sessions, d.projects]
              for d in board.days])
    monthly = ([_("月份")] + [labels[m] for m in MONTH_METRICS],
               [[month] + [_cell(m, board.monthly[month][m]) for m in MONTH_METRICS] for month in board.months])
    chains = ([_("产业链")] + [labels[m] for m in CHAIN_METRICS],
              [[IndustryChain(c).label] + [_cell(m, board.chains[c][m]) for m in CHAIN_METRICS]
               for c in board.chains if any(board.chains[c].values())])
    stages = ([_("阶段"), _("交易数")], [[stage.label, n] for stage, n in board.deal_stages.items()])
    attendance = ([_("路演"), _("日期"), _("预约"), _("到场"), _("到场率")],
                  [[s.title, services.local_day(s.starts_at).isoformat(), booked, came, _rate(came, booked)]
                   for s, booked, came in board.show_up])
    series_attendance = ([_("系列"), _("场次"), _("预约"), _("到场"), _("到场率")],
                         [[name or _("不属于系列"), sessions, booked, came, _rate(came, booked)]
                          for name, sessions, booked, came in board.show_up_by_series])
    return {"daily": daily, "monthly": monthly, "chains": chains, "stages": stages, "attendance": attendance,
            "series_attendance": series_attendance}


def _rate(came: int, booked: int) -> str:
    return f"{round(100 * came / booked)}%" if booked else "—"


@bp.get("/")
@admin_required
def dashboard():
    board = services.build()
    data = tables(board)
    return render_template("stats/dashboard.html", board=board, tables=data, labels=metric_labels(),
                           charts=_charts(board), listing_counts=listing_services.counts_per_list())


def _charts(board: services.Dashboard) -> dict:
    labels = metric_labels()
    return {
        "daily": charts.bar_chart(
            [f"{d.day:%m-%d}" for d in board.days], {labels["roadshows"]: [d.sessions for d in board.days]},
            _("每日路演场次"), label_every=5, muted=[not d.working for d in board.days]),
        "monthly": charts.bar_chart(
            board.months, {labels[m]: [board.monthly[month][m] for month in board.months]
                           for m in ("roadshows", "presented", "meetings_requested", "meetings_held")},
            _("每月路演与约见"), width=520),
        "chains": charts.hbar_chart(
            [(IndustryChain(c).label, board.chains[c]["presented"]) for c in board.chains
             if board.chains[c]["presented"]], _("各产业链路演项目"), width=400),
    }


@bp.get("/<name>.csv")
@admin_required
def export(name: str):
    data = tables(services.build())
    if name not in data:
        abort(404)
    header, rows = data[name]
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    # A byte-order mark so that Excel opens the Chinese text as UTF-8.
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=roadshow-{name}.csv"})
