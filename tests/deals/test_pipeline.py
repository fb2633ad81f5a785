"""The deal pipeline: only the two parties and admins see or move a deal; stages move in order with their terms."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from roadshow.accounts.models import Role
from roadshow.common.errors import PermissionDenied, RuleViolation
from roadshow.deals.models import Deal, DealStage
from roadshow.deals.policies import can_view_deal
from roadshow.deals.services import ensure_deal, move, visible_deals
from roadshow.meetings.services import request_meeting
from roadshow.projects.models import ProjectStatus


@pytest.fixture
def parties(db, make_user, make_company, make_project, make_institution):
    founder = make_user(Role.STARTUP)
    project = make_project(make_company(founder), ProjectStatus.PRESENTED)
    investor = make_user(Role.INVESTOR)
    make_institution(investor)
    request_meeting(investor, project)  # interest opens the deal
    db.session.commit()
    deal = db.session.scalar(sa.select(Deal))
    return deal, investor, founder


def test_a_meeting_request_opens_a_deal_at_interest(parties):
    deal, investor, _ = parties
    assert deal.stage == DealStage.INTEREST and deal.institution_id == investor.institution_id
    assert ensure_deal(deal.institution_id, deal.project_id).id == deal.id


def test_only_the_two_parties_and_admins_see_the_deal(db, parties, make_user, make_institution, make_company):
    deal, investor, founder = parties
    other_investor = make_user(Role.INVESTOR)
    make_institution(other_investor)
    other_founder = make_user(Role.STARTUP)
    make_company(other_founder)
    admin = make_user(Role.ADMIN)
    for user, sees in ((investor, True), (founder, True), (admin, True), (other_investor, False),
                       (other_founder, False), (make_user(Role.INVESTOR), False)):
        assert can_view_deal(user, deal) is sees
        assert (deal in db.session.scalars(visible_deals(user)).all()) is sees
    with pytest.raises(PermissionDenied):
        move(deal, other_investor, DealStage.MEETING_HELD)


def test_pages_hide_the_deal_from_a_third_party(client, db, parties, make_user, make_institution, login):
    deal, investor, _ = parties
    outsider = make_user(Role.INVESTOR)
    make_institution(outsider)
    login(outsider)
    assert client.get(f"/deals/{deal.id}").status_code == 404
    assert deal.project.title not in client.get("/deals/").get_data(as_text=True)


def test_stages_move_in_order_and_signing_needs_an_amount_and_date(db, parties):
    deal, investor, founder = parties
    with pytest.raises(RuleViolation, match="请按顺序推进"):
        move(deal, investor, DealStage.SIGNED, amount=10_000_000, signed_on=date.today())
    for stage in (DealStage.MEETING_HELD, DealStage.DUE_DILIGENCE, DealStage.TERM_SHEET):
        move(deal, founder if stage == DealStage.DUE_DILIGENCE else investor, stage)
    with pytest.raises(RuleViolation, match="投资金额"):
        move(deal, investor, DealStage.SIGNED, signed_on=date.today())
    with pytest.raises(RuleViolation, match="签约日期"):
        move(deal, investor, DealStage.SIGNED, amount=10_000_000)
    with pytest.raises(RuleViolation, match="晚于今天"):
        move(deal, investor, DealStage.SIGNED, amount=10_000_000, signed_on=date.today() + timedelta(days=30))
    move(deal, investor, DealStage.SIGNED, amount=12_000_000, signed_on=date.today())
    db.session.commit()
    assert (deal.stage, deal.amount) == (DealStage.SIGNED, 12_000_000)
    assert [e.to_stage for e in deal.events][-1] == DealStage.SIGNED
    with pytest.raises(RuleViolation, match="已签约"):
        move(deal, investor, DealStage.DROPPED, reason="反悔")


def test_dropping_needs_a_reason_and_can_be_reopened(db, parties):
    deal, investor, _ = parties
    with pytest.raises(RuleViolation, match="原因"):
        move(deal, investor, DealStage.DROPPED)
    move(deal, investor, DealStage.DROPPED, reason="估值分歧")
    with pytest.raises(RuleViolation, match="重新开启"):
        move(deal, investor, DealStage.DUE_DILIGENCE)
    move(deal, investor, DealStage.INTEREST)
    db.session.commit()
    assert deal.stage == DealStage.INTEREST and deal.drop_reason is None


def test_the_database_refuses_a_signed_deal_without_terms(db, parties):
    deal, _, _ = parties
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(Deal).where(Deal.id == deal.id).values(stage=DealStage.SIGNED))
    db.session.rollback()
