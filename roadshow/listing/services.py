"""The listing track's rules: tagging a company, withdrawing a tag, the company's checklist and the staff's check.

Every action that changes who is on a list or what counts as verified is audited here, once.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit.services import record
from ..common.errors import FieldRuleViolation, PermissionDenied, RuleViolation
from ..common.timeutil import to_local, utcnow
from ..extensions import db
from ..organisers.policies import organiser_id_of
from ..projects import credit_code as credit_codes
from ..projects.models import Company
from . import policies
from .models import ItemProgress, ListingList, ListingTag, ReadinessItem, ReadinessKind, TargetBoard, Verification

CHECKLIST = tuple(ReadinessKind)


class ChangedMeanwhile(RuleViolation):
    """The company changed the item after the checker opened it; nothing was written."""


# ----------------------------------------------------------------------------- tags

def tag_company(by: User, code: str, cultivation_list: ListingList, batch: str,
                target_board: TargetBoard | None) -> ListingTag:
    """Put the company with this credit code on a list (admins, or an approved organiser for its organisation)."""
    organiser_id = None if by.is_admin else organiser_id_of(by)
    if not by.is_admin and organiser_id is None:
        raise PermissionDenied(_("只有平台管理员和合作主办方可以认定上市后备企业。"))
    batch = (batch or "").strip()
    if not batch:
        raise FieldRuleViolation("batch", _("请填写批次，如：2026年第一批。"))
    code = credit_codes.normalize(code or "")
    company = db.session.scalars(sa.select(Company).where(Company.credit_code == code)).first()
    if company is None:
        raise FieldRuleViolation("credit_code", _("平台上没有以此统一社会信用代码登记的企业。"))
    current = active_tag(company.id, cultivation_list)
    if current is not None:
        raise FieldRuleViolation("cultivation_list", _(
            "%(company)s 已在“%(list)s”中（%(batch)s），如需更改请先撤销原认定。",
            company=company.name, list=cultivation_list.label, batch=current.batch))
    tag = ListingTag(company_id=company.id, cultivation_list=cultivation_list, batch=batch[:40],
                     target_board=target_board, organiser_id=organiser_id, tagged_by_id=by.id, tagged_at=utcnow())
    try:
        with db.session.begin_nested():  # two staff tagging at once: the unique index lets one through
            db.session.add(tag)
    except IntegrityError:
        raise FieldRuleViolation("cultivation_list", _("该企业刚刚已被列入此名单，请刷新后查看。")) from None
    record(by, "listing.tag", tag, _("%(company)s 列入“%(list)s”（%(batch)s）",
                                     company=company.name, list=cultivation_list.label, batch=tag.batch))
    return tag


def active_tag(company_id: int, cultivation_list: ListingList) -> ListingTag | None:
    return db.session.scalars(sa.select(ListingTag).where(
        ListingTag.company_id == company_id, ListingTag.cultivation_list == cultivation_list,
        ListingTag.withdrawn_at.is_(None))).first()


def withdraw_tag(by: User, tag: ListingTag, reason: str) -> None:
    """Take the company off the list; the tag stays, with who withdrew it, when and why."""
    if not policies.can_manage_tag(by, tag):
        raise PermissionDenied(_("只能撤销本机构作出的认定。"))
    reason = (reason or "").strip()
    if not reason:
        raise FieldRuleViolation("reason", _("请填写撤销原因。"))
    written = db.session.execute(
        sa.update(ListingTag).where(ListingTag.id == tag.id, ListingTag.withdrawn_at.is_(None))
        .values(withdrawn_at=utcnow(), withdrawn_by_id=by.id, withdrawal_reason=reason[:2000])
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(tag)
    if written != 1:
        raise RuleViolation(_("这项认定已经撤销过了。"))
    record(by, "listing.withdraw", tag, _("%(company)s 移出“%(list)s”：%(reason)s",
                                          company=tag.company.name, list=tag.cultivation_list.label, reason=reason))


def tags_of(company: Company) -> list[ListingTag]:
    """Every tag of the company, those in force first, newest first."""
    return list(db.session.scalars(
        sa.select(ListingTag).where(ListingTag.company_id == company.id)
        .order_by(ListingTag.withdrawn_at.is_not(None), ListingTag.tagged_at.desc(), ListingTag.id.desc())))


def tags_shown_to(user: User, company: Company) -> list[ListingTag]:
    """The company's tags in force, for a page that mentions its listing track (a project page): empty for
    someone who may not see its listing-track summary."""
    if not policies.can_see_summary(user, company):
        return []
    return [tag for tag in tags_of(company) if tag.is_active]


# ----------------------------------------------------------------------------- the checklist

def checklist(company: Company) -> dict[ReadinessKind, ReadinessItem | None]:
    """Every step of the checklist, with the company's item for it (None: not filled in yet)."""
    items = {item.kind: item for item in db.session.scalars(
        sa.select(ReadinessItem).where(ReadinessItem.company_id == company.id))}
    return {kind: items.get(kind) for kind in CHECKLIST}


def item_of(company: Company, kind: ReadinessKind) -> ReadinessItem | None:
    return db.session.scalars(sa.select(ReadinessItem).where(
        ReadinessItem.company_id == company.id, ReadinessItem.kind == kind)).first()


def save_item(by: User, company: Company, kind: ReadinessKind, progress: ItemProgress, done_on: date | None,
              note: str, evidence: tuple[str, str] | None = None) -> tuple[ReadinessItem, str | None]:
    """The company writes one checklist item. `evidence` is a stored file (name, original name) replacing any
    earlier one. Any change makes the item unverified again (a check was of what it said before).
    Returns the item and the replaced evidence file, to be removed once committed."""
    if not policies.is_company_member(by, company):
        raise PermissionDenied(_("只有企业自己可以填写上市准备事项。"))
    note = (note or "").strip()[:2000]
    item = item_of(company, kind)
    if item is None:
        item = ReadinessItem(company_id=company.id, kind=kind, revision=0)
        db.session.add(item)
    before = (item.progress, item.done_on, item.note, item.evidence_file)
    old_file = None
    if evidence is not None:
        old_file = item.evidence_file
        item.evidence_file, item.evidence_name = evidence
    item.progress, item.done_on, item.note = progress, done_on, note
    if item.id is None or (item.progress, item.done_on, item.note, item.evidence_file) != before:
        item.revision = (item.revision or 0) + 1
        item.updated_at, item.updated_by_id = utcnow(), by.id
        item.verification, item.checked_by_id, item.checked_at, item.check_note = \
            Verification.UNVERIFIED, None, None, None
    db.session.flush()
    return item, old_file


def check_item(by: User, item: ReadinessItem, verdict: Verification, note: str, seen_revision: int) -> None:
    """Staff verify an item or send it back (with a note saying what is missing). The check applies to the
    revision the checker saw: if the company changed the item since, nothing is written."""
    company = db.session.get(Company, item.company_id)
    if policies.is_company_member(by, company):
        raise PermissionDenied(_("企业不能核验自己的上市准备事项。"))
    if not policies.can_check(by, company):
        raise PermissionDenied(_("只有平台管理员和认定该企业的合作主办方可以核验。"))
    if verdict is Verification.UNVERIFIED:
        raise RuleViolation(_("请选择核验通过或退回。"))
    note = (note or "").strip()[:2000]
    if verdict is Verification.REJECTED and not note:
        raise FieldRuleViolation("note", _("退回时请写明需要补充或更正的内容。"))
    written = db.session.execute(
        sa.update(ReadinessItem).where(ReadinessItem.id == item.id, ReadinessItem.revision == seen_revision)
        .values(verification=verdict, checked_by_id=by.id, checked_at=utcnow(), check_note=note or None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(item)
    if written != 1:
        raise ChangedMeanwhile(_("企业在您打开页面后修改了此事项，请查看最新内容后再核验。"))
    action = "listing.verify" if verdict is Verification.VERIFIED else "listing.reject"
    record(by, action, item, f"{company.name}：{item.kind.label}" + (f"（{note}）" if note else ""))


# ----------------------------------------------------------------------------- the track as a whole

@dataclass
class Readiness:
    """How far a company's checklist is: items done and verified, items waiting for a check, items sent back."""
    verified: int = 0
    awaiting: int = 0
    rejected: int = 0
    total: int = len(CHECKLIST)

    @property
    def is_complete(self) -> bool:
        return self.verified == self.total


def readiness(items) -> Readiness:
    result = Readiness()
    for item in items:
        if item is None:
            continue
        if item.verification is Verification.VERIFIED and item.progress is ItemProgress.DONE:
            result.verified += 1
        elif item.verification is Verification.UNVERIFIED and item.progress is not ItemProgress.NOT_STARTED:
            result.awaiting += 1
        elif item.verification is Verification.REJECTED:
            result.rejected += 1
    return result


class ReadinessFilter:
    """The list page's readiness choices."""
    AWAITING = "awaiting"  # something waits for a check
    REJECTED = "rejected"  # something was sent back
    COMPLETE = "complete"  # every step done and verified
    INCOMPLETE = "incomplete"

    @staticmethod
    def matches(choice: str | None, state: Readiness) -> bool:
        return {
            ReadinessFilter.AWAITING: state.awaiting > 0,
            ReadinessFilter.REJECTED: state.rejected > 0,
            ReadinessFilter.COMPLETE: state.is_complete,
            ReadinessFilter.INCOMPLETE: not state.is_complete,
        }.get(choice or "", True)


@dataclass
class TrackRow:
    company: Company
    tags: list[ListingTag] = field(default_factory=list)
    readiness: Readiness = field(default_factory=Readiness)


def track(viewer: User, *, cultivation_list: ListingList | None = None, batch: str | None = None,
          board: TargetBoard | None = None, readiness_choice: str | None = None) -> list[TrackRow]:
    """The companies on the track (a tag in force) that the viewer manages: admins every one, an organiser
    those it tagged. The filters apply to the tags: a company shows when one of its tags in force matches."""
    query = sa.select(ListingTag).where(ListingTag.withdrawn_at.is_(None)).options(
        selectinload(ListingTag.company))
    if not viewer.is_admin:
        organiser_id = organiser_id_of(viewer)
        if organiser_id is None:
            return []
        query = query.where(ListingTag.company_id.in_(
            sa.select(ListingTag.company_id).where(ListingTag.organiser_id == organiser_id,
                                                   ListingTag.withdrawn_at.is_(None))))
    tags = list(db.session.scalars(query.order_by(ListingTag.tagged_at.desc(), ListingTag.id.desc())))
    matching = {t.company_id for t in tags if (cultivation_list is None or t.cultivation_list is cultivation_list)
                and (not batch or t.batch == batch) and (board is None or t.target_board is board)}
    rows: dict[int, TrackRow] = {}
    for tag in tags:
        if tag.company_id in matching:
            rows.setdefault(tag.company_id, TrackRow(tag.company)).tags.append(tag)
    items: dict[int, list[ReadinessItem]] = {}
    for item in db.session.scalars(sa.select(ReadinessItem).where(ReadinessItem.company_id.in_(list(rows)))):
        items.setdefault(item.company_id, []).append(item)
    for company_id, row in rows.items():
        row.readiness = readiness(items.get(company_id, []))
    return sorted((row for row in rows.values() if ReadinessFilter.matches(readiness_choice, row.readiness)),
                  key=lambda row: row.company.name)


def batches(viewer: User) -> list[str]:
    """The batch names in use, for the filter's choices."""
    return sorted({tag.batch for row in track(viewer) for tag in row.tags}, reverse=True)


CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A spreadsheet must not run a company's name as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


def track_csv(rows: list[TrackRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("企业名称"), _("统一社会信用代码"), _("名单"), _("批次"), _("拟上市板块"), _("认定日期"),
                     _("已核验事项"), _("待核验事项"), _("已退回事项")])
    for row in rows:
        for tag in row.tags:
            writer.writerow([_cell(row.company.name), row.company.credit_code, str(tag.cultivation_list.label),
                             _cell(tag.batch), str(tag.target_board.label) if tag.target_board else "",
                             to_local(tag.tagged_at).date().isoformat(), f"{row.readiness.verified}/{row.readiness.total}",
                             row.readiness.awaiting, row.readiness.rejected])
    return "\ufeff" + buffer.getvalue()


def counts_per_list() -> dict[ListingList, int]:
    """Companies on each list (tags in force), for the statistics."""
    counts = dict(db.session.execute(
        sa.select(ListingTag.cultivation_list, sa.func.count(sa.distinct(ListingTag.company_id)))
        .where(ListingTag.withdrawn_at.is_(None)).group_by(ListingTag.cultivation_list)).all())
    return {kind: counts.get(kind, 0) for kind in ListingList}
