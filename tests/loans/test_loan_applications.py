"""A startup applies for a loan it qualifies for; the lender asks, approves or declines, once."""
import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa

from roadshow import create_app
from roadshow.accounts.models import Role
from roadshow.audit.models import AuditEntry
from roadshow.common.errors import FieldRuleViolation, RuleViolation
from roadshow.common.workflow import ChangedMeanwhile
from roadshow.extensions import db as _db
from roadshow.loans import services
from roadshow.loans.models import LoanApplication, LoanApplicationStatus
from roadshow.notifications.models import Notification

from ..support.concurrency import at_once


def apply(world, amount="2000000", term=12):
    application = services.apply_for_loan(world.startup, world.product, amount=Decimal(amount), term_months=term,
                                          purpose="800G 硅光模块中试线")
    _db.session.commit()
    return application


def told(user) -> list[str]:
    return list(_db.session.scalars(sa.select(Notification.title).where(Notification.user_id == user.id)
                                    .order_by(Notification.id)))


def test_a_qualifying_startup_applies_and_the_bank_is_told(db, loan_world):
    application = apply(loan_world)
    assert application.status == LoanApplicationStatus.SUBMITTED
    assert application.amount == Decimal("2000000.00")
    assert told(loan_world.lender) == [f"新的贷款申请：{loan_world.company.name}"]


def test_a_startup_that_fails_a_rule_is_told_which_and_cannot_apply(db, loan_world, client, login):
    loan_world.company.innovation_score = 62
    db.session.commit()
    with pytest.raises(RuleViolation, match="创新积分需 ≥ 70，当前 62"):
        apply(loan_world)
    login(loan_world.startup)
    page = client.get(f"/loans/{loan_world.product.id}").get_data(as_text=True)
    assert "创新积分需 ≥ 70，当前 62" in page and "提交申请" not in page
    response = client.post(f"/loans/{loan_world.product.id}/apply",
                           data={"amount": "200", "term_months": "12", "purpose": "研发"})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoanApplication)) == 0


@pytest.mark.parametrize(("amount", "term", "field"), [
    ("-5", 12, "amount"), ("0", 12, "amount"), ("1e999", 12, "amount"), ("20000000", 12, "amount"),
    ("2000000", 48, "term_months"), ("2000000", 0, "term_months"),
])
def test_amounts_and_terms_outside_the_product_are_refused(db, loan_world, amount, term, field):
    with pytest.raises(FieldRuleViolation) as refused:
        apply(loan_world, amount, term)
    assert refused.value.field == field


def test_one_open_application_per_product(db, loan_world):
    apply(loan_world)
    with pytest.raises(RuleViolation, match="已有一份该产品的申请"):
        apply(loan_world)


def test_ask_answer_approve_each_tells_the_other_side(db, loan_world):
    application = apply(loan_world)
    services.request_info(loan_world.lender, application, "请提供近一年的研发费用明细")
    db.session.commit()
    services.reply_with_info(loan_world.startup, application, "已上传研发费用专项审计报告")
    db.session.commit()
    assert application.status == LoanApplicationStatus.SUBMITTED
    services.approve(loan_world.lender, application, amount=Decimal("1500000"), rate=Decimal("3.45"), term_months=12)
    db.session.commit()
    assert (application.status, application.approved_amount, application.approved_rate) == (
        LoanApplicationStatus.APPROVED, Decimal("1500000.00"), Decimal("3.4500"))
    assert told(loan_world.startup) == [f"贷款申请需补充材料：{loan_world.product.name}",
                                        f"贷款申请已获批：{loan_world.product.name}"]
    assert told(loan_world.lender)[-1] == f"企业已补充材料：{loan_world.company.name}"
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.target_id == application.id)) == "loan.approve"


@pytest.mark.parametrize(("rate", "message"), [("0", "大于 0"), ("-1", "大于 0"), ("100.01", "不能高于 100%"),
                                               ("1e999", "不能高于 100%")])
def test_absurd_rates_are_refused(db, loan_world, rate, message):
    application = apply(loan_world)
    with pytest.raises(FieldRuleViolation, match=message):
        services.approve(loan_world.lender, application, amount=Decimal("1000000"), rate=Decimal(rate), term_months=12)


def test_decline_needs_a_reason_and_another_bank_cannot_decide(db, loan_world, make_user, make_institution):
    application = apply(loan_world)
    with pytest.raises(FieldRuleViolation):
        services.decline(loan_world.lender, application, " ")
    other = make_user(Role.INVESTOR)
    make_institution(other, type=loan_world.bank.type, registration_number=None, funds=[])
    with pytest.raises(RuleViolation):
        services.decline(other, application, "不符合")
    services.decline(loan_world.lender, application, "经营年限不足")
    db.session.commit()
    assert told(loan_world.startup) == [f"贷款申请未获批：{loan_world.product.name}"]


def test_an_application_is_decided_once_when_approve_and_decline_race(app, db, loan_world):
    application_id = apply(loan_world).id
    lender_id = loan_world.lender.id
    other = create_app({**app.config})
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(instance):
        with instance.app_context():
            session = instance.extensions["sqlalchemy"].session
            application = session.get(LoanApplication, application_id)
            lender = session.get(type(loan_world.lender), lender_id)
            application.product.institution  # loaded before the race: only the decision is timed
            barrier.wait()
            try:
                if instance is app:
                    services.approve(lender, application, amount=Decimal("1000000"), rate=Decimal("3.5"),
                                     term_months=12)
                else:
                    services.decline(lender, application, "额度已满")
                session.commit()
                outcomes.append("decided")
            except ChangedMeanwhile:
                session.rollback()
                outcomes.append("refused")
            finally:
                session.remove()

    at_once(decide, (app, other), timeout=60)
    with other.app_context():
        other.extensions["sqlalchemy"].engine.dispose()
    assert sorted(outcomes) == ["decided", "refused"]
    db.session.expire_all()
    decided = db.session.get(LoanApplication, application_id)
    assert decided.status in (LoanApplicationStatus.APPROVED, LoanApplicationStatus.DECLINED)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action.in_(["loan.approve", "loan.decline"]))) == 1


def test_bank_decides_through_its_pages(db, loan_world, client, login):
    application = apply(loan_world)
    login(loan_world.lender)
    page = client.get(f"/loan-applications/{application.id}").get_data(as_text=True)
    assert "创新积分" in page and "78" in page  # the company's facts beside the application
    response = client.post(f"/loan-applications/{application.id}/approve",
                           data={"amount": "150", "rate": "150", "term_months": "12"})
    assert response.status_code == 422 and "年利率不能高于 100%" in response.get_data(as_text=True)
    client.post(f"/loan-applications/{application.id}/approve", data={"amount": "150", "rate": "3.45",
                                                                      "term_months": "12"})
    db.session.refresh(application)
    assert (application.status, application.approved_amount) == (LoanApplicationStatus.APPROVED, Decimal("1500000.00"))
    response = client.post(f"/loan-applications/{application.id}/decline", data={"reason": "改主意"},
                           follow_redirects=True)
    assert "已是“已获批”" in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status == LoanApplicationStatus.APPROVED


def test_the_bank_is_told_in_its_officers_language(db, loan_world):
    loan_world.lender.language = "en"
    db.session.commit()
    apply(loan_world)
    assert told(loan_world.lender) == [f"New loan application: {loan_world.company.name}"]
