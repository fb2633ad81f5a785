"""Every figure of the government dashboard equals a direct SQL count on the demo data; exports and privacy."""
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from roadshow.accounts.models import Role, User
from roadshow.financing.models import FinancingKind
from roadshow.government.services import Window, build
from roadshow_demo.seed import seed_demo

COUNTED = "confirmation != 'disputed'"


@pytest.fixture
def demo(db):
    seed_demo()
    db.session.commit()
    window = Window.last_months(date.today())
    return window, build(window)


def sql(db, text: str, window: Window, **params):
    return db.session.execute(sa.text(text), {"start": window.start, "end": window.end, "start_at": window.start_at,
                                              "end_at": window.end_at, **params}).all()


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def month_of(db) -> str:
    return ("to_char(e.occurred_on, 'YYYY-MM')" if db.engine.dialect.name == "postgresql"
            else "strftime('%Y-%m', e.occurred_on)")


def test_financing_by_source_chain_month_and_district_equal_sql_sums(db, demo):
    window, d = demo
    rows = sql(db, f"SELECT kind, COUNT(*), SUM(amount) FROM financing_events WHERE {COUNTED} "
                   "AND occurred_on BETWEEN :start AND :end GROUP BY kind", window)
    assert {FinancingKind(k): (n, money(total)) for k, n, total in rows} == \
        {k: v for k, v in d.by_source.items() if v[0]}
    assert all(d.by_source[k][0] > 0 for k in FinancingKind)  # the demo year has every source

    def grouped(column: str) -> dict:
        result = {}
        for key, kind, total in sql(db, f"SELECT {column}, e.kind, SUM(e.amount) FROM financing_events e "
                                        f"JOIN companies c ON c.id = e.company_id WHERE e.{COUNTED} "
                                        f"AND e.occurred_on BETWEEN :start AND :end GROUP BY {column}, e.kind", window):
            result.setdefault(key, {})[kind] = money(total)
        return result

    def shown(figure: dict) -> dict:
        return {(k.value if hasattr(k, "value") else k): {kind.value: v for kind, v in kinds.items()}
                for k, kinds in figure.items()}

    assert shown(d.by_chain) == grouped("c.industry_chain")
    assert shown(d.by_district) == grouped("c.district")
    assert shown(d.by_month) == grouped(month_of(db))
    assert len(d.by_month) >= 6  # events over the past year


def test_loan_rate_and_volume_equal_sql_counts(db, demo):
    window, d = demo
    ((decided, approved, volume),) = sql(db, """
        SELECT COUNT(*), SUM(CASE WHEN status = 'approved' THEN 1 ELSE 0 END),
               SUM(CASE WHEN status = 'approved' THEN approved_amount ELSE 0 END)
        FROM loan_applications WHERE status IN ('approved', 'declined') AND decided_at BETWEEN :start_at AND :end_at
    """, window)
    assert (d.loans_decided, d.loans_approved, d.loan_volume) == (decided, approved, money(volume))
    assert decided > approved > 0
    assert d.loan_rate == (Decimal(approved) / Decimal(decided) * 100).quantize(Decimal("0.1"))


def test_funnel_and_days_to_money_equal_sql_counts(db, demo):
    window, d = demo
    presented = """SELECT p.company_id AS company_id, MIN(r.ends_at) AS first_at FROM slots s
        JOIN projects p ON p.id = s.project_id JOIN roadshow_sessions r ON r.id = s.session_id
        WHERE r.status = 'ended' AND r.ends_at BETWEEN :start_at AND :end_at GROUP BY p.company_id"""
    companies = {row[0]: row[1] for row in sql(db, presented, window)}
    met = sql(db, f"""SELECT COUNT(DISTINCT p.company_id) FROM meeting_requests m JOIN projects p ON p.id = m.project_id
        WHERE m.status IN ('accepted', 'held') AND p.company_id IN (SELECT company_id FROM ({presented}) x)""", window)
    term = sql(db, f"""SELECT COUNT(*) FROM (
        SELECT p.company_id FROM deals dl JOIN projects p ON p.id = dl.project_id WHERE dl.stage IN ('term_sheet', 'signed')
        UNION SELECT company_id FROM loan_applications WHERE status = 'approved') t
        WHERE t.company_id IN (SELECT company_id FROM ({presented}) x)""", window)
    firsts = sql(db, f"""SELECT e.company_id, MIN(e.occurred_on) FROM financing_events e
        JOIN ({presented}) x ON x.company_id = e.company_id
        WHERE e.{COUNTED} AND e.occurred_on >= {'CAST(x.first_at AS DATE)' if db.engine.dialect.name == 'postgresql'
                                                else 'date(x.first_at)'}
        GROUP BY e.company_id""", window)
    assert d.funnel == {"presented": len(companies), "met": met[0][0], "term_sheet_or_loan": term[0][0],
                        "financed": len(firsts)}
    assert d.funnel["presented"] >= d.funnel["met"] and d.funnel["financed"] > 0
    days = sorted((date.fromisoformat(str(on)[:10]) - date.fromisoformat(str(companies[cid])[:10])).days
                  for cid, on in firsts)
    middle = len(days) // 2
    assert d.median_days_to_money == (days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2)
    assert sorted(c.days for c in d.financed) == days


@pytest.fixture
def official(db, demo):
    return db.session.scalar(sa.select(User).join(User.role_rows).where(User.role_rows.any(role=Role.GOVERNMENT)))


def test_the_government_sees_the_dashboard_and_exports_the_same_figures(db, demo, client, official):
    window, d = demo
    client.post("/login", data={"email": official.email, "password": "roadshow-demo-2026"})
    page = client.get("/government").get_data(as_text=True)
    assert f"({d.loans_approved}/{d.loans_decided})" in page
    assert all(c.name in page for c in d.financed)
    csv = client.get("/government/export.csv").get_data(as_text=True)
    assert f"equity,{d.by_source[FinancingKind.EQUITY][0]},{d.by_source[FinancingKind.EQUITY][1]}" in csv
    book = load_workbook(BytesIO(client.get("/government/export.xlsx").data))
    assert [cell.value for cell in book["loans"][2]][:2] == [d.loans_decided, d.loans_approved]
    assert book["financed_after_roadshow"].max_row == len(d.financed) + 1


def test_the_government_sees_no_companys_private_numbers(db, demo, client, official):
    """Aggregates only: no company's amounts, valuations, rates or revenue on the dashboard or in its exports,
    and none of the pages where they live."""
    client.post("/login", data={"email": official.email, "password": "roadshow-demo-2026"})
    page = client.get("/government").get_data(as_text=True)
    csv = client.get("/government/export.csv").get_data(as_text=True)
    financed_section = csv.split("# financed_after_roadshow")[1]
    assert "amount" not in financed_section and "valuation" not in financed_section
    rates = [str(r).rstrip("0").rstrip(".") for (r,) in db.session.execute(
        sa.text("SELECT approved_rate FROM loan_applications WHERE approved_rate IS NOT NULL"))]
    assert rates and not any(f"{rate}%" in page for rate in rates)
    application_id = db.session.scalar(sa.text("SELECT id FROM loan_applications LIMIT 1"))
    for url in ("/my/financing", f"/loan-applications/{application_id}", "/my/loans", "/institution/financing",
                "/admin/", "/stats/"):
        assert client.get(url).status_code in (403, 404), url
