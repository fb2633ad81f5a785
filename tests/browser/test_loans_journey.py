"""End to end in Chromium, from roadshow to money through a bank: a bank publishes a technology loan with
rules; a startup sees which rule it misses, fills in the fact, qualifies and applies; the bank approves;
the loan appears in the startup's financing record and in the government's dashboard."""
import re
import sqlite3
from contextlib import closing
from uuid import uuid4

from playwright.sync_api import expect

BANK = "bank01@roadshow.demo"
GOVERNMENT = "gov01@roadshow.demo"


def flashed(page):
    return page.locator(".alert-success[role=alert]")


def startup_without_revenue(server_database) -> str:
    """A demo founder whose company clears an innovation score of 60 but has not given its revenue."""
    with closing(sqlite3.connect(server_database)) as db:
        (email,) = db.execute(
            "SELECT u.email FROM users u JOIN companies c ON c.id = u.company_id "
            "WHERE c.annual_revenue IS NULL AND c.innovation_score >= 60 AND u.email LIKE 'startup%@roadshow.demo' "
            "ORDER BY u.id LIMIT 1").fetchone()
    return email


def application_of(server_database, product_id: int) -> int:
    with closing(sqlite3.connect(server_database)) as db:
        return db.execute("SELECT id FROM loan_applications WHERE product_id = ?", (product_id,)).fetchone()[0]


def test_a_bank_publishes_a_loan_a_startup_qualifies_and_applies_and_the_approval_is_counted(
        open_page, server_database, screenshot):
    name = f"光谷研发贷 {uuid4().hex[:4]}"
    government = open_page(GOVERNMENT)
    government.goto("/government")
    volume_before = government.locator("#loan-volume").inner_text()

    # the bank publishes a product that asks for an innovation score and a revenue
    bank = open_page(BANK)
    bank.goto("/lender/products/new")
    bank.fill("[name=name]", name)
    bank.select_option("[name=kind]", "rnd")
    bank.select_option("[name=collateral]", "none")
    bank.fill("[name=amount_min]", "100")
    bank.fill("[name=amount_max]", "1,000")
    bank.fill("[name=rate_min]", "3.2")
    bank.fill("[name=rate_max]", "4.5")
    bank.fill("[name=term_min_months]", "6")
    bank.fill("[name=term_max_months]", "24")
    bank.fill("[name=min_innovation_score]", "60")
    bank.fill("[name=min_revenue]", "500")
    bank.locator("form button[type=submit]").last.click()
    expect(flashed(bank)).to_be_visible()
    bank.goto("/loans")
    bank.get_by_role("link", name=name).click()
    product_id = int(re.search(r"/loans/(\d+)", bank.url).group(1))
    expect(bank.locator("#who-qualifies")).to_contain_text("创新积分")

    # the startup sees the rule it misses, gives its revenue and qualifies
    startup = open_page(startup_without_revenue(server_database))
    startup.goto(f"/loans/{product_id}")
    expect(startup.locator("#my-eligibility")).to_contain_text("未提供")
    expect(startup.get_by_role("button", name="提交申请")).to_have_count(0)
    startup.goto("/my/company")
    startup.fill("[name=annual_revenue]", "1,200")
    startup.get_by_role("button", name="保存企业信息").click()
    expect(flashed(startup)).to_be_visible()
    startup.goto(f"/loans/{product_id}")
    screenshot(startup, "loan-product-qualified")
    startup.fill("[name=amount]", "300")
    startup.fill("[name=term_months]", "12")
    startup.fill("[name=purpose]", "光模块可靠性测试平台的研发投入")
    startup.get_by_role("button", name="提交申请").click()
    expect(flashed(startup)).to_be_visible()

    # the bank approves
    bank.goto(f"/loan-applications/{application_of(server_database, product_id)}")
    bank.fill("[name=amount]", "300")
    bank.fill("[name=rate]", "3.6")
    bank.fill("[name=term_months]", "12")
    bank.locator("form[action$='/approve'] button[type=submit]").click()
    expect(bank.locator("#approved-terms")).to_contain_text("300")
    screenshot(bank, "loan-application-approved")

    # the loan is in the startup's financing record and the government's count
    startup.goto("/my/financing")
    expect(startup.locator("main")).to_contain_text("300")
    expect(startup.locator("main")).to_contain_text("荆楚科创银行")
    government.goto("/government")
    expect(government.locator("#loan-volume")).not_to_have_text(volume_before)
    screenshot(government, "government-dashboard-after-loan")
