"""Lenders publish products; the library lists and filters them; a product page says who qualifies in words."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.investors.models import InstitutionType
from roadshow.loans.models import LoanKind, LoanProduct

from ..support.factories import LoanProductFactory

FORM = {"name": "光谷科技人才贷", "kind": "talent", "collateral": "none", "amount_min": "50", "amount_max": "1000",
        "rate_min": "3.2", "rate_max": "4.35", "term_min_months": "6", "term_max_months": "36",
        "description": "面向高层次人才创办企业", "is_published": "y", "min_innovation_score": "70",
        "min_srdi_level": "provincial", "require_high_tech": "y", "max_years": "5", "chains": ["optoelectronics", "ai"]}


def test_a_bank_publishes_a_product_with_exact_amounts_and_rules(db, loan_world, client, login):
    login(loan_world.lender)
    response = client.post("/lender/products/new", data=FORM)
    assert response.status_code == 302
    product = db.session.scalar(sa.select(LoanProduct).where(LoanProduct.name == "光谷科技人才贷"))
    assert (product.amount_min, product.amount_max, product.rate_max) == (
        Decimal("500000.00"), Decimal("10000000.00"), Decimal("4.3500"))
    assert product.rules == [
        {"fact": "innovation_score", "op": "gte", "value": 70}, {"fact": "srdi_level", "op": "gte", "value": "provincial"},
        {"fact": "high_tech", "op": "eq", "value": True}, {"fact": "years_founded", "op": "lte", "value": 5},
        {"fact": "industry_chain", "op": "in", "value": ["optoelectronics", "ai"]}]
    page = client.get(f"/loans/{product.id}").get_data(as_text=True)
    for words in ("创新积分 ≥ 70", "专精特新等级不低于省级专精特新", "须为高新技术企业", "成立年限 ≤ 5 年",
                  "所属产业链属于：光电子信息、人工智能"):
        assert words in page
    edit = client.get(f"/lender/products/{product.id}/edit").get_data(as_text=True)
    assert 'value="70"' in edit and 'value="1000"' in edit  # the rules read back into the form


@pytest.mark.parametrize(("field", "value", "message"), [
    ("rate_max", "120", "年利率不能高于 100%"), ("rate_min", "-1", "年利率必须大于 0%"),
    ("amount_min", "-5", "金额必须大于 0"), ("amount_max", "1e999", "金额过大"),
    ("amount_max", "20", "额度上限不能低于下限"), ("term_max_months", "999", "期限应在 1 到 360 个月之间"),
    ("rate_max", "abc", "请填写数字"),
])
def test_absurd_product_values_are_refused_on_the_form(db, loan_world, client, login, field, value, message):
    login(loan_world.lender)
    response = client.post("/lender/products/new", data={**FORM, field: value})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoanProduct)) == 1  # the world's own


def test_only_lenders_publish(db, client, login, make_user, make_institution):
    vc_member = make_user(Role.INVESTOR)
    make_institution(vc_member, type=InstitutionType.VC)
    login(vc_member)
    response = client.get("/lender/products/new", follow_redirects=True)
    assert response.request.path == "/my/institution" and "贷款产品由银行、融资担保机构和科技保险机构发布" in \
        response.get_data(as_text=True)
    assert client.post("/lender/products/new", data=FORM).headers["Location"] == "/my/institution"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoanProduct)) == 0


def test_the_library_filters_and_hides_unverified_lenders(db, loan_world, client, make_user, make_institution):
    LoanProductFactory(institution=loan_world.bank, name="知识产权质押贷", kind=LoanKind.IP_PLEDGE,
                       amount_min=Decimal("1000000"), amount_max=Decimal("30000000"))
    hidden_member = make_user(Role.INVESTOR)
    pending = make_institution(hidden_member, verified=False, type=InstitutionType.GUARANTOR, funds=[])
    unverified = LoanProductFactory(institution=pending, name="待认证机构的担保贷")
    unpublished = LoanProductFactory(institution=loan_world.bank, name="内部测试产品", is_published=False)
    page = client.get("/loans").get_data(as_text=True)
    assert loan_world.product.name in page and "知识产权质押贷" in page
    assert "待认证机构的担保贷" not in page and "内部测试产品" not in page
    assert client.get(f"/loans/{unverified.id}").status_code == 404
    assert client.get(f"/loans/{unpublished.id}").status_code == 404
    page = client.get("/loans?kind=ip_pledge").get_data(as_text=True)
    assert "知识产权质押贷" in page and loan_world.product.name not in page
    page = client.get("/loans?amount=2000").get_data(as_text=True)  # 2000 万: beyond the 研发贷's 1000 万
    assert "知识产权质押贷" in page and loan_world.product.name not in page


def test_a_signed_in_startup_sees_which_products_it_qualifies_for(db, loan_world, client, login):
    LoanProductFactory(institution=loan_world.bank, name="小巨人专享贷",
                       rules=[{"fact": "srdi_level", "op": "gte", "value": "little_giant"}])
    login(loan_world.startup)
    page = client.get("/my/loans").get_data(as_text=True)
    assert "符合条件" in page
    assert "专精特新等级不低于国家级专精特新“小巨人”，当前 无" in page
