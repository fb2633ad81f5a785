"""The admin statistics dashboard: every figure equals a count taken straight from the database."""
import csv
from io import StringIO

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.common.timeutil import to_local, utcnow
from roadshow_demo.seed import seed_demo
from roadshow.stats.services import build


def scalar(db, sql: str, **params):
    return db.session.execute(sa.text(sql), params).scalar()


def rows(db, sql: str) -> dict:
    return dict(db.session.execute(sa.text(sql)).all())


HELD = "status IN ('live', 'ended') AND starts_at <= :now"
LOCAL_MONTH = "strftime('%Y-%m', {col}, '+8 hours')"  # Asia/Shanghai has no DST


@pytest.fixture
def demo(db):
    seed_demo(today=to_local(utcnow()).date())
    db.session.commit()
    return build()


@pytest.mark.sqlite_only  # the reference queries group by local day and month with SQLite's date functions
def test_dashboard_figures_equal_counts_taken_directly_from_the_database(db, demo):
    board, now = demo, utcnow()
    assert board.totals["roadshows"] == scalar(db, f"SELECT count(*) FROM roadshow_sessions WHERE {HELD}", now=now) > 0
    assert board.totals["presented"] == scalar(
        db, f"SELECT count(*) FROM slots JOIN roadshow_sessions s ON s.id = slots.session_id WHERE s.{HELD}", now=now) > 0
    assert board.totals["matches"] == scalar(db, "SELECT count(*) FROM matches") > 0
    assert board.totals["meetings_requested"] == scalar(db, "SELECT count(*) FROM meeting_requests") > 0
    assert board.totals["meetings_held"] == scalar(db, "SELECT count(*) FROM meeting_requests WHERE status = 'held'") > 0
    assert {s.value: n for s, n in board.deal_stages.items() if n} == rows(
        db, "SELECT stage, count(*) FROM deals GROUP BY stage")
    assert board.totals["signed_amount"] == scalar(db, "SELECT sum(amount) FROM deals WHERE stage = 'signed'") > 0

    by_chain = rows(db, "SELECT p.industry_chain, count(*) FROM matches m JOIN projects p ON p.id = m.project_id "
                        "GROUP BY p.industry_chain")
    assert {c: v["matches"] for c, v in board.chains.items() if v["matches"]} == by_chain
    presented_by_chain = rows(db, "SELECT p.industry_chain, count(*) FROM slots JOIN projects p ON p.id = slots.project_id "
                                  f"JOIN roadshow_sessions s ON s.id = slots.session_id WHERE s.status IN ('live', 'ended') "
                                  f"AND s.starts_at <= '{now.isoformat(' ')}' GROUP BY p.industry_chain")
    assert {c: v["presented"] for c, v in board.chains.items() if v["presented"]} == presented_by_chain

    requested_by_month = rows(db, f"SELECT {LOCAL_MONTH.format(col='created_at')}, count(*) FROM meeting_requests GROUP BY 1")
    assert {m: c["meetings_requested"] for m, c in board.monthly.items() if c["meetings_requested"]} == {
        m: n for m, n in requested_by_month.items() if m in board.monthly}

    per_day = rows(db, "SELECT date(starts_at, '+8 hours'), count(*) FROM roadshow_sessions "
                       f"WHERE status IN ('live', 'ended') AND starts_at <= '{now.isoformat(' ')}' GROUP BY 1")
    assert {d.day.isoformat(): d.sessions for d in board.days if d.sessions} == {
        day: n for day, n in per_day.items() if board.first_day.isoformat() <= day <= board.last_day.isoformat()}
    assert all(d.working and d.sessions == 0 for d in board.days if d.day in board.days_without)


def test_the_page_and_csv_show_the_same_figures(db, demo, client, login, make_user):
    login(make_user(Role.ADMIN))
    page = client.get("/admin/stats/").get_data(as_text=True)
    assert "统计看板" in page and "<svg" in page and "8000万元" in page
    monthly = list(csv.reader(StringIO(client.get("/admin/stats/monthly.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert monthly[0][0] == "月份" and [r[0] for r in monthly[1:]] == demo.months
    assert sum(int(r[3]) for r in monthly[1:]) == sum(c["meetings_requested"] for c in demo.monthly.values())
    chains = list(csv.reader(StringIO(client.get("/admin/stats/chains.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert sum(int(r[2]) for r in chains[1:]) == demo.totals["matches"]
    assert client.get("/admin/stats/nothing.csv").status_code == 404


def test_only_admins_see_the_dashboard(client, login, make_user):
    login(make_user(Role.INVESTOR))
    assert client.get("/admin/stats/").status_code == 403
