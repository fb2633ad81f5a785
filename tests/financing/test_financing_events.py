"""The financing record: every source, confirmed by the institution it names, never counted twice."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.common.errors import FieldRuleViolation, RuleViolation
from roadshow.financing import services
from roadshow.financing.models import CheckinAnswer, Confirmation, FinancingCheckin, FinancingEvent, FinancingKind
from roadshow.loans import services as loans
from roadshow.notifications.models import Notification
from roadshow.projects.models import ProjectStatus
from roadshow.roadshows.models import SessionStatus, Slot




def test_an_approved_loan_enters_the_record_once_and_reporting_it_again_is_refused(db, loan_world):
    application = loans.apply_for_loan(loan_world.startup, loan_world.product, amount=Decimal("2000000"),
                                       term_months=12, purpose="中试线")
    loans.approve(loan_world.lender, application, amount=Decimal("1500000"), rate=Decimal("3.45"), term_months=12)
    db.session.commit()
    record = services.company_events(loan_world.company.id)
    assert [(e.kind, e.amount, e.confirmation, e.loan_application_id) for e in record] == [
        (FinancingKind.LOAN, Decimal("1500000.00"), Confirmation.CONFIRMED, application.id)]
    with pytest.raises(FieldRuleViolation, match="无需再次填报"):
        services.record_event(loan_world.startup, kind=FinancingKind.LOAN, amount=Decimal("1500000"),
                              occurred_on=date.today(), institution=loan_world.bank)
    assert len(services.company_events(loan_world.company.id)) == 1


def test_an_event_naming_an_institution_is_confirmed_or_disputed_once(db, loan_world, make_user, make_institution):
    investor = make_user(Role.INVESTOR)
    vc = make_institution(investor, name="光谷创投")
    event = services.record_event(loan_world.startup, kind=FinancingKind.EQUITY, amount=Decimal("30000000"),
                                  occurred_on=date(2026, 9, 1), institution=vc, valuation=Decimal("300000000"),
                                  today=date(2026, 12, 1))
    db.session.commit()
    assert event.confirmation == Confirmation.PENDING
    assert db.session.scalar(sa.select(Notification.title).where(Notification.user_id == investor.id)) == \
        f"请确认融资记录：{loan_world.company.name}"
    with pytest.raises(RuleViolation):
        services.answer_event(loan_world.lender, event, confirm=True)  # not the institution named
    with pytest.raises(FieldRuleViolation):
        services.answer_event(investor, event, confirm=False, note="")
    services.answer_event(investor, event, confirm=False, note="金额应为 2000 万")
    db.session.commit()
    with pytest.raises(RuleViolation, match="机构有异议"):
        services.answer_event(investor, event, confirm=True)
    assert event.confirmation == Confirmation.DISPUTED and event.dispute_note == "金额应为 2000 万"


@pytest.mark.parametrize(("amount", "field"), [("-1", "amount"), ("0", "amount"), ("1e999", "amount"),
                                               ("NaN", "amount")])
def test_absurd_amounts_are_refused(db, loan_world, amount, field):
    with pytest.raises(FieldRuleViolation) as refused:
        services.record_event(loan_world.startup, kind=FinancingKind.GRANT, amount=Decimal(amount),
                              occurred_on=date.today(), counterparty="武汉市科技局")
    assert refused.value.field == field


def test_the_record_page_takes_an_outside_grant(db, loan_world, client, login):
    login(loan_world.startup)
    response = client.post("/my/financing", data={"kind": "grant", "amount": "50", "occurred_on": "2026-06-01",
                                                   "institution_id": "", "counterparty": "东湖高新区管委会"})
    assert response.status_code == 302
    (event,) = services.company_events(loan_world.company.id)
    assert (event.amount, event.confirmation) == (Decimal("500000.00"), Confirmation.SELF_REPORTED)
    page = client.get("/my/financing").get_data(as_text=True)
    assert "东湖高新区管委会" in page and "50万元" in page


# --- the questions after a roadshow --------------------------------------------------------------

@pytest.fixture
def presented(db, loan_world, make_project, make_session):
    """The startup pitched in a roadshow that ended on 2026-01-10."""
    session = make_session(status=SessionStatus.ENDED)
    session.starts_at, session.ends_at = datetime(2026, 1, 10, 6), datetime(2026, 1, 10, 8)
    project = make_project(loan_world.company, status=ProjectStatus.PRESENTED)
    db.session.add(Slot(session=session, project=project, position=1))
    db.session.commit()
    return session


def asked(company_id) -> list[tuple]:
    return [(c.months, c.answer) for c in FinancingCheckin.query.filter_by(company_id=company_id)
            .order_by(FinancingCheckin.months)]


def test_asked_at_3_6_and_12_months_never_twice(db, loan_world, presented):
    company = loan_world.company.id
    assert services.ask_due_checkins(datetime(2026, 4, 9)) == {"asked": 0, "opted_out": 0}
    assert services.ask_due_checkins(datetime(2026, 4, 10, 9))["asked"] == 1
    assert services.ask_due_checkins(datetime(2026, 4, 11))["asked"] == 0  # never twice
    db.session.commit()
    assert asked(company) == [(3, None)]
    titles = db.session.scalars(sa.select(Notification.title).where(Notification.user_id == loan_world.startup.id))
    assert list(titles) == ["路演 3 个月后：是否有新的融资？"]
    services.answer_open_checkins(company, raised_on=None)  # "not yet": asked again at 6 months
    services.ask_due_checkins(datetime(2026, 7, 10, 9))
    db.session.commit()
    assert asked(company) == [(3, CheckinAnswer.NOT_YET), (6, None)]


def test_no_more_questions_once_it_raised_or_opted_out(db, loan_world, presented):
    company = loan_world.company.id
    services.ask_due_checkins(datetime(2026, 4, 10, 9))
    services.record_event(loan_world.startup, kind=FinancingKind.GRANT, amount=Decimal("500000"),
                          occurred_on=date(2026, 5, 1), counterparty="武汉市科技局", today=date(2026, 12, 1))
    db.session.commit()
    assert asked(company) == [(3, CheckinAnswer.RAISED)]
    assert services.ask_due_checkins(datetime(2027, 2, 1))["asked"] == 0  # raised since: 6 and 12 never asked
    db.session.query(FinancingCheckin).delete()
    services.set_opt_out(loan_world.startup, True)
    db.session.commit()
    assert services.ask_due_checkins(datetime(2027, 2, 1)) == {"asked": 0, "opted_out": 1}
    assert asked(company) == []


def test_a_late_first_run_asks_only_the_latest_milestone(db, loan_world, presented):
    services.ask_due_checkins(datetime(2027, 1, 20))
    services.ask_due_checkins(datetime(2027, 1, 21))
    db.session.commit()
    assert asked(loan_world.company.id) == [(12, None)]
