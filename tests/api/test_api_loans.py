"""API v1: loan products (public), the caller's eligibility, loan applications (both sides) and financing events."""
from decimal import Decimal

from roadshow.loans import services as loans
from roadshow.api.tokens import create_token


def bearer(db, user, scopes=("read",)):
    _token, plain = create_token(user, "测试令牌", list(scopes))
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_products_are_public_with_exact_money_and_the_rate_unit(db, client, loan_world):
    (product,) = client.get("/api/v1/loan-products").get_json()
    assert (product["amount_min"], product["amount_max"], product["rate_max"], product["rate_unit"]) == (
        "500000.00", "10000000.00", "4.5000", "percent_per_year")
    assert product["requirements"] == ["创新积分 ≥ 70"]
    loan_world.product.is_published = False
    db.session.commit()
    assert client.get(f"/api/v1/loan-products/{loan_world.product.id}").status_code == 404


def test_eligibility_applications_and_financing_for_both_sides(db, client, loan_world):
    loan_world.company.innovation_score = 62
    db.session.commit()
    (fit,) = client.get("/api/v1/me/loan-eligibility", headers=bearer(db, loan_world.startup)).get_json()
    assert (fit["eligible"], fit["failures"]) == (False, ["创新积分需 ≥ 70，当前 62"])
    loan_world.company.innovation_score = 80
    application = loans.apply_for_loan(loan_world.startup, loan_world.product, amount=Decimal("1000000"),
                                       term_months=12, purpose="研发")
    loans.approve(loan_world.lender, application, amount=Decimal("800000"), rate=Decimal("3.6"), term_months=12)
    db.session.commit()
    startup, lender = bearer(db, loan_world.startup), bearer(db, loan_world.lender)
    assert [a["approved_amount"] for a in client.get("/api/v1/me/loan-applications", headers=startup).get_json()] \
        == ["800000.00"]
    assert [a["company"] for a in client.get("/api/v1/me/loan-applications", headers=lender).get_json()] == \
        [loan_world.company.name]
    (event,) = client.get("/api/v1/me/financing-events", headers=startup).get_json()
    assert (event["kind"], event["amount"], event["loan_application_id"]) == ("loan", "800000.00", application.id)
    assert client.get("/api/v1/me/financing-events").status_code == 401
