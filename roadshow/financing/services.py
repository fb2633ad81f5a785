"""A company's financing record and the questions that keep it complete.

- The startup records equity rounds, loans and grants; an event naming an institution on the platform
  waits for that institution to confirm or dispute it (`answer_event`, decided once).
- A loan approved on the platform becomes an event when it is approved (`take_up_approved_loan`,
  connected to `loans.signals.loan_approved` in roadshow/wiring.py); reporting the same loan again is
  refused, so nothing is counted twice.
- After each roadshow a company presented in, `ask_due_checkins` asks at 3, 6 and 12 months whether it
  raised since: once per milestone, not after the company said it raised after that roadshow, never
  when it opted out.
"""
from __future__ import annotations

import calendar

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.site_url import site_path
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n import stored_language
from ..i18n.formatting import format_date, format_money
from ..investors.models import Institution
from ..loans.models import LoanApplication
from ..notifications.services import notify
from ..projects.models import Project
from ..roadshows.models import RoadshowSession, SessionStatus, Slot
from .signals import financing_event_confirmed
from .models import (
    MAX_EVENT_AMOUNT, CheckinAnswer, CheckinOptOut, Confirmation, FinancingCheckin, FinancingEvent, FinancingKind,
)

CHECKIN_MONTHS = (3, 6, 12)


def months_after(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


# --- events --------------------------------------------------------------------------------------

def record_event(
    user: User, *, kind: FinancingKind, amount: Decimal, occurred_on: date, institution: Institution | None = None,
    counterparty: str = "", round=None, valuation: Decimal | None = None, note: str = "", today: date | None = None,
) -> FinancingEvent:
    """A financing event the startup reports."""
    if user.company_id is None:
        raise PermissionDenied(_("请先登记企业信息，再记录融资。"))
    if amount is None or not amount.is_finite() or amount <= 0:
        raise FieldRuleViolation("amount", _("金额必须大于 0。"))
    if amount > MAX_EVENT_AMOUNT:
        raise FieldRuleViolation("amount", _("金额不能超过 %(max)s。", max=format_money(MAX_EVENT_AMOUNT)))
    if valuation is not None and (not valuation.is_finite() or valuation <= 0 or valuation > MAX_EVENT_AMOUNT * 100):
        raise FieldRuleViolation("valuation", _("估值须为正数。"))
    if occurred_on > (today or date.today()):
        raise FieldRuleViolation("occurred_on", _("日期不能晚于今天。"))
    counterparty = (counterparty or "").strip()
    if institution is None and not counterparty:
        raise FieldRuleViolation("counterparty", _("请选择平台上的机构，或填写出资方名称。"))
    amount = amount.quantize(Decimal("0.01"))
    if kind == FinancingKind.LOAN and institution is not None and _platform_loan(user.company_id, institution, amount):
        raise FieldRuleViolation("amount", _("这笔贷款已在平台审批，已计入融资记录，无需再次填报。"))
    event = FinancingEvent(
        company_id=user.company_id, kind=kind, amount=amount, occurred_on=occurred_on,
        institution_id=institution.id if institution else None, counterparty=counterparty,
        round=round if kind == FinancingKind.EQUITY else None,
        valuation=valuation.quantize(Decimal("0.01")) if valuation is not None and kind == FinancingKind.EQUITY else None,
        confirmation=Confirmation.PENDING if institution is not None else Confirmation.SELF_REPORTED,
        reported_by_id=user.id, note=(note or "").strip())
    db.session.add(event)
    db.session.flush()
    answer_open_checkins(user.company_id, raised_on=occurred_on)
    if institution is not None:
        _tell_institution(event)
    return event


def _platform_loan(company_id: int, institution: Institution, amount: Decimal) -> bool:
    """Whether this lender's approval of the same amount is already in the company's record."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(FinancingEvent)
        .where(FinancingEvent.company_id == company_id, FinancingEvent.institution_id == institution.id,
               FinancingEvent.loan_application_id.is_not(None), FinancingEvent.amount == amount)) > 0


def take_up_approved_loan(application: LoanApplication, **_extra) -> FinancingEvent | None:
    """Receiver of loans.signals.loan_approved: the approved loan enters the company's financing record once."""
    event = FinancingEvent(
        company_id=application.company_id, kind=FinancingKind.LOAN, amount=application.approved_amount,
        occurred_on=(application.decided_at or utcnow()).date(), institution_id=application.product.institution_id,
        counterparty="", loan_application_id=application.id, confirmation=Confirmation.CONFIRMED,
        note=application.product.name)
    try:
        with db.session.begin_nested():
            db.session.add(event)
    except IntegrityError:  # already taken up
        return None
    financing_event_confirmed.send(event)
    answer_open_checkins(application.company_id, raised_on=event.occurred_on)
    return event


def company_events(company_id: int | None) -> list[FinancingEvent]:
    if company_id is None:
        return []
    return list(db.session.scalars(
        sa.select(FinancingEvent).where(FinancingEvent.company_id == company_id)
        .order_by(FinancingEvent.occurred_on.desc(), FinancingEvent.id.desc())
        .options(selectinload(FinancingEvent.institution))))


def institution_pending(user: User) -> list[FinancingEvent]:
    """Events naming the user's institution that wait for its answer."""
    if user.institution_id is None:
        return []
    return list(db.session.scalars(
        sa.select(FinancingEvent).where(FinancingEvent.institution_id == user.institution_id)
        .order_by(FinancingEvent.confirmation != Confirmation.PENDING, FinancingEvent.occurred_on.desc())
        .options(selectinload(FinancingEvent.company))))


def answer_event(user: User, event: FinancingEvent, *, confirm: bool, note: str = "") -> FinancingEvent:
    """The named institution confirms or disputes an event, once (a conditional write on "pending")."""
    if user.institution_id is None or user.institution_id != event.institution_id:
        raise PermissionDenied(_("只能确认提及本机构的融资记录。"))
    note = (note or "").strip()
    if not confirm and not note:
        raise FieldRuleViolation("note", _("请说明异议，企业会看到它。"))
    new = Confirmation.CONFIRMED if confirm else Confirmation.DISPUTED
    written = db.session.execute(
        sa.update(FinancingEvent).where(FinancingEvent.id == event.id,
                                        FinancingEvent.confirmation == Confirmation.PENDING)
        .values(confirmation=new, dispute_note=None if confirm else note)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(event)
    if not written:
        raise RuleViolation(_("这条融资记录已是“%(state)s”。", state=event.confirmation.label))
    if confirm:
        financing_event_confirmed.send(event)
    with stored_language():
        title = (_("融资记录已确认：%(institution)s", institution=event.institution.name) if confirm
                 else _("融资记录有异议：%(institution)s", institution=event.institution.name))
        body = _("%(date)s 的%(kind)s %(amount)s。", date=format_date(event.occurred_on), kind=event.kind.label,
                 amount=format_money(event.amount)) + (f" {note}" if note else "")
    for member in db.session.scalars(sa.select(User).where(User.company_id == event.company_id)):
        notify(member, "financing_answered", title, body, link=site_path("financing.my_financing"),
               dedupe_key=f"financing-answered:{event.id}:{member.id}")
    return event


def _tell_institution(event: FinancingEvent) -> None:
    with stored_language():
        title = _("请确认融资记录：%(company)s", company=event.company.name)
        body = _("%(company)s记录了 %(date)s 来自贵机构的%(kind)s %(amount)s，请确认或提出异议。",
                 company=event.company.name, date=format_date(event.occurred_on), kind=event.kind.label,
                 amount=format_money(event.amount))
    for member in db.session.scalars(sa.select(User).where(User.institution_id == event.institution_id)):
        notify(member, "financing_confirm", title, body, link=site_path("financing.institution_events"),
               dedupe_key=f"financing-confirm:{event.id}:{member.id}")


# --- "did you raise since?" ----------------------------------------------------------------------

def presentations(company_id: int | None = None) -> sa.Select:
    """(company_id, session_id, ended_at) for every ended roadshow a company's project pitched in."""
    query = (sa.select(Project.company_id, RoadshowSession.id.label("session_id"),
                       RoadshowSession.ends_at.label("ended_at"))
             .join(Slot, Slot.project_id == Project.id).join(RoadshowSession, RoadshowSession.id == Slot.session_id)
             .where(RoadshowSession.status == SessionStatus.ENDED).distinct())
    if company_id is not None:
        query = query.where(Project.company_id == company_id)
    return query


def ask_due_checkins(now: datetime) -> dict:
    """Ask each company, for each roadshow it presented in, the latest milestone that is due and not asked yet.

    Never twice (a unique row per company, roadshow and milestone); not once the company said it raised
    after that roadshow; not at all after it opted out. A milestone passed while an earlier one was being
    asked is skipped rather than asked late in a burst.
    """
    opted_out = set(db.session.scalars(sa.select(CheckinOptOut.company_id)))
    asked = skipped = 0
    for company_id, session_id, ended_at in db.session.execute(presentations()).all():
        if company_id in opted_out:
            skipped += 1
            continue
        due = [m for m in CHECKIN_MONTHS if months_after(ended_at, m) <= now]
        if not due:
            continue
        rows = {row.months: row for row in db.session.scalars(sa.select(FinancingCheckin).where(
            FinancingCheckin.company_id == company_id, FinancingCheckin.session_id == session_id))}
        if any(row.answer == CheckinAnswer.RAISED for row in rows.values()) or max(due) in rows:
            continue
        if any(row.months > max(due) for row in rows.values()):
            continue
        checkin = FinancingCheckin(company_id=company_id, session_id=session_id, months=max(due), asked_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(checkin)
        except IntegrityError:  # asked by a concurrent run
            continue
        _ask(checkin)
        asked += 1
    return {"asked": asked, "opted_out": skipped}


def _ask(checkin: FinancingCheckin) -> None:
    session = db.session.get(RoadshowSession, checkin.session_id)
    with stored_language():
        title = _("路演 %(months)d 个月后：是否有新的融资？", months=checkin.months)
        body = _("贵企业于 %(date)s 参加了“%(session)s”。此后是否获得了股权融资、贷款或政府资助？请在融资记录中填报，"
                 "或告诉我们暂无新融资。", date=format_date(session.starts_at), session=session.title)
    for member in db.session.scalars(sa.select(User).where(User.company_id == checkin.company_id)):
        notify(member, "financing_checkin", title, body, link=site_path("financing.my_financing"),
               dedupe_key=f"financing-checkin:{checkin.id}:{member.id}")


def open_checkins(company_id: int | None) -> list[FinancingCheckin]:
    if company_id is None:
        return []
    return list(db.session.scalars(sa.select(FinancingCheckin).where(
        FinancingCheckin.company_id == company_id, FinancingCheckin.answer.is_(None))
        .order_by(FinancingCheckin.asked_at)))


def answer_open_checkins(company_id: int, *, raised_on: date | None) -> int:
    """The company answered: with an event dated `raised_on` (questions about roadshows before it are
    answered "raised"), or with "not yet" (raised_on None: every open question)."""
    query = sa.update(FinancingCheckin).where(FinancingCheckin.company_id == company_id,
                                              FinancingCheckin.answer.is_(None))
    if raised_on is not None:
        before = sa.select(RoadshowSession.id).where(RoadshowSession.ends_at <= datetime.combine(
            raised_on, datetime.max.time()))
        query = query.where(FinancingCheckin.session_id.in_(before)).values(answer=CheckinAnswer.RAISED,
                                                                            answered_at=utcnow())
    else:
        query = query.values(answer=CheckinAnswer.NOT_YET, answered_at=utcnow())
    return db.session.execute(query.execution_options(synchronize_session=False)).rowcount


def set_opt_out(user: User, opted_out: bool) -> None:
    if user.company_id is None:
        raise PermissionDenied(_("请先登记企业信息。"))
    row = db.session.get(CheckinOptOut, user.company_id)
    if opted_out and row is None:
        db.session.add(CheckinOptOut(company_id=user.company_id))
    elif not opted_out and row is not None:
        db.session.delete(row)
    db.session.flush()


def is_opted_out(company_id: int | None) -> bool:
    return company_id is not None and db.session.get(CheckinOptOut, company_id) is not None
