"""The listing track (上市后备企业): a few demo companies on the cultivation lists, with checklists partly verified.

The center tagged two companies on the provincial lists (湖北省上市后备企业库, the “黄鹤凌云” plan's
科技型上市后备企业); 东湖高新区科技创新局 (organiser1) tagged one on the district's list and withdrew an
earlier tag of another, with its reason. Each company's checklist is part done: some items verified by the
admin or the organiser, one awaiting a check, one sent back. Rows are looked up first: a second run adds nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from roadshow.accounts.models import User
from roadshow.common.timeutil import local_to_utc
from roadshow.extensions import db
from roadshow.listing.evidence import write_evidence
from roadshow.listing.models import (ItemProgress, ListingList, ListingTag, ReadinessItem, ReadinessKind, TargetBoard,
                                     Verification)
from roadshow.organisers.models import Organiser
from roadshow.projects.models import Company
from . import data
from .pdf import DeckPage, build_pdf
from .seed import credit_code_for

K, P, V = ReadinessKind, ItemProgress, Verification


@dataclass(frozen=True)
class TagSpec:
    company: str  # demo company key
    cultivation_list: ListingList
    batch: str
    board: TargetBoard | None
    by: str  # "admin" or the organiser's account (organiser1)
    days_ago: int
    withdrawn: str | None = None  # the reason, when the tag was withdrawn


TAGS = (
    TagSpec("c05", ListingList.HUBEI_RESERVE, "2025年第二批", TargetBoard.STAR, "admin", 300),
    TagSpec("c05", ListingList.HUANGHE_LINGYUN, "2026年第一批", TargetBoard.STAR, "admin", 40),
    TagSpec("c29", ListingList.HUBEI_RESERVE, "2026年第一批", TargetBoard.BSE, "admin", 35),
    TagSpec("c02", ListingList.EAST_LAKE_RESERVE, "2026年第一批", TargetBoard.CHINEXT, "organiser1", 30),
    TagSpec("c15", ListingList.EAST_LAKE_RESERVE, "2025年第一批", TargetBoard.NEEQ, "organiser1", 420,
            withdrawn="企业注册地迁出东湖高新区，转由注册地所在区培育。"),
)

# (company, item, progress, months before today it was done, note, verification, checked by, check note)
ITEMS = (
    ("c05", K.SHARE_REFORM, P.DONE, 30, "2023年完成整体变更为股份有限公司，取得新营业执照。", V.VERIFIED, "admin", None),
    ("c05", K.GOVERNANCE, P.DONE, 24, "三会议事规则、关联交易和对外担保制度已建立，设独立董事3名。", V.VERIFIED, "admin", None),
    ("c05", K.AUDIT, P.DONE, 6, "会计师事务所已出具最近三年一期审计报告（标准无保留意见）。", V.VERIFIED, "admin", None),
    ("c05", K.SPONSOR, P.DONE, 5, "已与保荐机构签订保荐协议，项目组已进场。", V.UNVERIFIED, None, None),
    ("c05", K.LAW_FIRM, P.DONE, 5, "律师事务所已签约，完成法律尽职调查。", V.VERIFIED, "admin", None),
    ("c05", K.TUTORING, P.IN_PROGRESS, -1, "拟于下月向湖北证监局报送辅导备案材料。", V.UNVERIFIED, None, None),
    ("c02", K.SHARE_REFORM, P.DONE, 14, "已完成股份制改造。", V.VERIFIED, "organiser1", None),
    ("c02", K.AUDIT, P.IN_PROGRESS, -2, "会计师事务所预审中。", V.UNVERIFIED, None, None),
    ("c02", K.SPONSOR, P.DONE, 2, "已与券商签约。", V.REJECTED, "organiser1", "请上传与券商签订的辅导或保荐协议首页及签章页。"),
    ("c29", K.SHARE_REFORM, P.IN_PROGRESS, -3, "股改方案已经股东会审议，审计评估基准日定于季末。", V.UNVERIFIED, None, None),
)
EVIDENCE = {("c05", K.SHARE_REFORM): "股份公司营业执照及创立大会决议.pdf"}


def seed_demo(today: date) -> None:
    people = {"admin": db.session.scalars(sa.select(User).where(User.email == f"admin@{data.EMAIL_DOMAIN}")).one(),
              "organiser1": db.session.scalars(sa.select(User).where(User.email == f"organiser1@{data.EMAIL_DOMAIN}")).one()}
    organiser = db.session.scalars(sa.select(Organiser).where(
        Organiser.members.any(user_id=people["organiser1"].id))).one()
    companies = {spec.key: db.session.scalars(sa.select(Company).where(
        Company.credit_code == credit_code_for(spec.key, spec.region))).one()
        for spec in data.COMPANIES if spec.key in {t.company for t in TAGS}}
    noon = time(10, 0)
    for spec in TAGS:
        company = companies[spec.company]
        if db.session.scalars(sa.select(ListingTag).where(
                ListingTag.company_id == company.id, ListingTag.cultivation_list == spec.cultivation_list,
                ListingTag.batch == spec.batch)).first() is not None:
            continue
        by = people[spec.by]
        tagged_at = local_to_utc(datetime.combine(today - timedelta(days=spec.days_ago), noon))
        db.session.add(ListingTag(
            company_id=company.id, cultivation_list=spec.cultivation_list, batch=spec.batch, target_board=spec.board,
            organiser_id=organiser.id if spec.by != "admin" else None, tagged_by_id=by.id, tagged_at=tagged_at,
            withdrawn_at=tagged_at + timedelta(days=200) if spec.withdrawn else None,
            withdrawn_by_id=by.id if spec.withdrawn else None, withdrawal_reason=spec.withdrawn))
    for key, kind, progress, months_ago, note, verification, checker, check_note in ITEMS:
        company = companies[key]
        if db.session.scalars(sa.select(ReadinessItem).where(ReadinessItem.company_id == company.id,
                                                             ReadinessItem.kind == kind)).first() is not None:
            continue
        founder = db.session.scalars(sa.select(User).where(User.company_id == company.id)).first()
        done_on = today - timedelta(days=30 * months_ago)
        updated_at = local_to_utc(datetime.combine(min(done_on, today), noon))
        item = ReadinessItem(company_id=company.id, kind=kind, progress=progress, done_on=done_on, note=note,
                             revision=1, updated_at=updated_at, updated_by_id=founder.id if founder else None,
                             verification=verification)
        if checker is not None:
            item.checked_by_id = people[checker].id
            item.checked_at = updated_at + timedelta(days=3)
            item.check_note = check_note
        evidence_name = EVIDENCE.get((key, kind))
        if evidence_name:
            item.evidence_file = write_evidence(build_pdf([DeckPage(company.name, [str(kind.label), note])]))
            item.evidence_name = evidence_name
        db.session.add(item)
    db.session.flush()
