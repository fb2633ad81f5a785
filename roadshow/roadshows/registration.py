"""Registration questions and answers.

A session's registration form asks its series' questions first, then its own. Answers are kept per
(question, session, person) whatever happens to the seat (booked, waitlisted, given back), so a person
who registers again sees them and the organiser's list and export read them. `request_seat` calls
`save_answers` before it takes a seat: a refused answer leaves no seat and no answer behind.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from io import BytesIO, StringIO

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..common.errors import FieldRuleViolation, RuleViolation
from ..extensions import db
from .models import (
    AttendeeType, Booking, BookingStatus, QuestionKind, RegistrationAnswer, RegistrationQuestion, RoadshowSession,
    Series, WaitlistEntry,
)

ANSWER_MAX = 1000
PROMPT_MAX = 200
OPTIONS_MAX = 20


class AnswersRefused(FieldRuleViolation):
    """Some answers do not satisfy their questions; `errors` says which (question id → message)."""

    def __init__(self, errors: dict[int, str]):
        super().__init__("answers", " ".join(errors.values()))
        self.errors = errors


def _asked_at(session: RoadshowSession):
    """Whose questions a session's form asks: its own and its series'."""
    owner = RegistrationQuestion.session_id == session.id
    if session.series_id is not None:
        owner = sa.or_(owner, RegistrationQuestion.series_id == session.series_id)
    return owner


def questions_for(session: RoadshowSession) -> list[RegistrationQuestion]:
    """The questions on the session's registration form: its series' first, then its own."""
    return list(db.session.scalars(
        sa.select(RegistrationQuestion).where(_asked_at(session))
        .order_by(RegistrationQuestion.session_id.is_not(None), RegistrationQuestion.id)
    ))


def has_questions(session: RoadshowSession) -> bool:
    """Whether registering takes a form (the session page asks this of every signed-in visitor)."""
    return bool(db.session.scalar(sa.select(sa.exists().where(_asked_at(session)))))


def own_questions(owner: RoadshowSession | Series) -> list[RegistrationQuestion]:
    column = RegistrationQuestion.session_id if isinstance(owner, RoadshowSession) else RegistrationQuestion.series_id
    return list(db.session.scalars(sa.select(RegistrationQuestion).where(column == owner.id)
                                   .order_by(RegistrationQuestion.id)))


def check_answers(questions: list[RegistrationQuestion], answers: dict[int, str]) -> dict[int, str]:
    """What is wrong with the answers, per question id (empty: nothing)."""
    errors: dict[int, str] = {}
    for question in questions:
        value = (answers.get(question.id) or "").strip()
        if question.required and not value:
            errors[question.id] = _("请回答“%(q)s”。", q=question.prompt)
        elif value and question.kind.is_choice and value not in question.option_list:
            errors[question.id] = _("“%(q)s”请从给出的选项中选择。", q=question.prompt)
        elif len(value) > ANSWER_MAX:
            errors[question.id] = _("“%(q)s”的回答最多 %(n)d 个字。", q=question.prompt, n=ANSWER_MAX)
    return errors


def save_answers(session: RoadshowSession, user: User, answers: dict[int, str],
                 questions: list[RegistrationQuestion]) -> None:
    """Check and store the person's answers to the session's `questions` (questions_for; answers to other ids
    are ignored); raises AnswersRefused and writes nothing when any is wrong."""
    if errors := check_answers(questions, answers):
        raise AnswersRefused(errors)
    if not questions:  # most sessions ask nothing: no answers to read or write
        return
    stored = {a.question_id: a for a in db.session.scalars(sa.select(RegistrationAnswer).where(
        RegistrationAnswer.session_id == session.id, RegistrationAnswer.user_id == user.id))}
    for question in questions:
        value = (answers.get(question.id) or "").strip()
        answer = stored.get(question.id)
        if answer is None:
            db.session.add(RegistrationAnswer(question_id=question.id, session_id=session.id, user_id=user.id,
                                              value=value))
        else:
            answer.value = value
    db.session.flush()


def answers_of(session: RoadshowSession, user: User) -> dict[int, str]:
    return dict(db.session.execute(sa.select(RegistrationAnswer.question_id, RegistrationAnswer.value).where(
        RegistrationAnswer.session_id == session.id, RegistrationAnswer.user_id == user.id)).all())


# --- managing questions (admins; the organiser of the series) ------------------------------------

def add_question(owner: RoadshowSession | Series, *, prompt: str, kind: QuestionKind, options: str,
                 required: bool) -> RegistrationQuestion:
    prompt = (prompt or "").strip()
    if not prompt:
        raise FieldRuleViolation("prompt", _("请填写问题。"))
    if len(prompt) > PROMPT_MAX:
        raise FieldRuleViolation("prompt", _("问题最多 %(n)d 个字。", n=PROMPT_MAX))
    option_list = list(dict.fromkeys(line.strip() for line in (options or "").splitlines() if line.strip()))
    if kind.is_choice and len(option_list) < 2:
        raise FieldRuleViolation("options", _("单项选择题至少要有两个选项，每行一个。"))
    if len(option_list) > OPTIONS_MAX or any(len(o) > PROMPT_MAX for o in option_list):
        raise FieldRuleViolation("options", _("最多 %(n)d 个选项，每个最多 %(m)d 个字。", n=OPTIONS_MAX, m=PROMPT_MAX))
    question = RegistrationQuestion(
        prompt=prompt, kind=kind, options="\n".join(option_list) if kind.is_choice else "", required=required,
        **({"session_id": owner.id} if isinstance(owner, RoadshowSession) else {"series_id": owner.id}),
    )
    db.session.add(question)
    db.session.flush()
    return question


def delete_question(owner: RoadshowSession | Series, question_id: int) -> None:
    """Remove one of the owner's questions with its answers (another owner's id is refused like a missing one)."""
    column = RegistrationQuestion.session_id if isinstance(owner, RoadshowSession) else RegistrationQuestion.series_id
    deleted = db.session.execute(sa.delete(RegistrationQuestion).where(
        RegistrationQuestion.id == question_id, column == owner.id)).rowcount
    if not deleted:
        raise RuleViolation(_("这个问题已经删除。"))


# --- the registrants and their answers ------------------------------------------------------------

@dataclass(frozen=True)
class Registrant:
    user: User
    attendee_type: AttendeeType
    waitlisted: bool
    registered_at: object  # datetime
    answers: dict[int, str]  # question id → answer


def registrants(session: RoadshowSession) -> list[Registrant]:
    """Everyone holding a seat, then everyone waiting, each with their type and answers."""
    booked = db.session.scalars(
        sa.select(Booking).where(Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED)
        .order_by(Booking.attendee_type, Booking.id).options(joinedload(Booking.user)))
    waiting = db.session.scalars(
        sa.select(WaitlistEntry).where(WaitlistEntry.session_id == session.id)
        .order_by(WaitlistEntry.attendee_type, WaitlistEntry.created_at, WaitlistEntry.id)
        .options(joinedload(WaitlistEntry.user)))
    answers: dict[int, dict[int, str]] = {}
    for user_id, question_id, value in db.session.execute(
            sa.select(RegistrationAnswer.user_id, RegistrationAnswer.question_id, RegistrationAnswer.value)
            .where(RegistrationAnswer.session_id == session.id)):
        answers.setdefault(user_id, {})[question_id] = value
    return ([Registrant(b.user, b.attendee_type, False, b.created_at, answers.get(b.user_id, {})) for b in booked]
            + [Registrant(e.user, e.attendee_type, True, e.created_at, answers.get(e.user_id, {})) for e in waiting])


def _cell(value: str) -> str:
    """A registrant's text never runs as a spreadsheet formula (=, +, -, @ lead one)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_table(session: RoadshowSession) -> tuple[list[str], list[list[str]]]:
    questions = questions_for(session)
    header = [_("姓名"), _("邮箱"), _("报名类型"), _("状态"), _("报名时间（UTC）"), *(q.prompt for q in questions)]
    rows = [
        [_cell(r.user.name), r.user.email, str(r.attendee_type.label), _("候补") if r.waitlisted else _("已报名"),
         r.registered_at.isoformat(timespec="minutes"), *(_cell(r.answers.get(q.id, "")) for q in questions)]
        for r in registrants(session)
    ]
    return [_cell(h) for h in header], rows


def export_csv(session: RoadshowSession) -> str:
    header, rows = export_table(session)
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()  # a byte-order mark so that Excel opens the Chinese text as UTF-8


def export_xlsx(session: RoadshowSession) -> bytes:
    from openpyxl import Workbook  # imported here: only organisers exporting need it loaded

    header, rows = export_table(session)
    book = Workbook()
    sheet = book.active
    sheet.title = _("报名名单")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
