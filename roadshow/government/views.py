"""The dashboard for government departments (and the center's admins), and its CSV and XLSX exports."""
import csv
from datetime import date
from io import BytesIO, StringIO

from flask import Blueprint, Response, abort, render_template, request
from openpyxl import Workbook

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.choices import District, IndustryChain
from ..financing.models import FinancingKind
from ..listing import services as listing_services
from . import services

bp = Blueprint("government", __name__)
viewers = role_required(Role.GOVERNMENT, Role.ADMIN)
PERIODS = (3, 6, 12, 24)


def _dashboard() -> services.Dashboard:
    months = request.args.get("months", 12, type=int)
    return services.build(services.Window.last_months(date.today(), months if months in PERIODS else 12))


@bp.get("/government")
@viewers
def dashboard():
    return render_template("government/dashboard.html", d=_dashboard(), FinancingKind=FinancingKind,
                           IndustryChain=IndustryChain, District=District, periods=PERIODS,
                           months=request.args.get("months", 12, type=int),
                           listing_counts=listing_services.counts_per_list())


@bp.get("/government/export.<fmt>")
@viewers
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    d = _dashboard()
    tables = services.tables(d)
    name = f"roadshow-outcomes-{d.window.start.isoformat()}-{d.window.end.isoformat()}"
    if fmt == "csv":
        buffer = StringIO()
        writer = csv.writer(buffer)
        for title, (header, rows) in tables.items():
            writer.writerow([f"# {title}"])
            writer.writerow(header)
            writer.writerows(rows)
            writer.writerow([])
        # A byte-order mark so that Excel opens the Chinese text as UTF-8.
        return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={name}.csv"})
    book = Workbook()
    book.remove(book.active)
    for title, (header, rows) in tables.items():
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return Response(buffer.getvalue(), headers={"Content-Disposition": f"attachment; filename={name}.xlsx"},
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
