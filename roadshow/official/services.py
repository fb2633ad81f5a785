"""Import an official list: plan what it would change (the preview), then apply it in one transaction.

The plan is computed the same way for the preview and for the apply, so what an admin saw is what is
written (re-planned from the same stored file at apply time). A list with invalid rows is previewed
with their reasons but not applied: the department's file is fixed first, nothing half-imported.
Applying a list twice changes nothing the second time: unchanged entries are not touched.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from ..accounts.models import User
from ..audit.services import record
from ..common.errors import RuleViolation
from ..common.files import write_file
from ..common.timeutil import utcnow
from ..extensions import db
from ..i18n import stored_language
from ..investors.models import Fund, Institution
from ..matching.models import MatchFlag, MatchPreference
from ..notifications.services import notify
from ..projects.models import Company, Project
from .models import ListKind, OfficialListImport, Subject, VerifiedFact
from .parsing import BadRow, Limits, ListRefused, ParsedList, Row, read_list

SUBJECT_OF = {
    ListKind.INNOVATION: Subject.COMPANY, ListKind.SRDI: Subject.COMPANY, ListKind.HIGH_TECH: Subject.COMPANY,
    ListKind.FUND_MANAGER: Subject.INSTITUTION, ListKind.FUND: Subject.FUND,
}
# The column each subject is matched by.
_KEY_COLUMN = {
    Subject.COMPANY: (Company.id, Company.credit_code, Company.name),
    Subject.INSTITUTION: (Institution.id, Institution.registration_number, Institution.name),
    Subject.FUND: (Fund.id, Fund.registration_code, Fund.name),
}
_CHUNK = 5000
_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Change:
    row: Row
    subject_id: int
    subject_name: str
    fact_id: int | None  # None: the subject's first entry from this kind of list
    before: dict | None


@dataclass
class Plan:
    kind: ListKind
    file_name: str
    sha256: str
    total: int
    changes: list[Change] = field(default_factory=list)
    unchanged_rows: list[Row] = field(default_factory=list, repr=False)
    unmatched: list[Row] = field(default_factory=list)
    invalid: list[BadRow] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return len(self.unchanged_rows)

    @property
    def matched(self) -> int:
        return len(self.changes) + self.unchanged

    @property
    def applicable(self) -> bool:
        return not self.invalid


def limits() -> Limits:
    config = current_app.config
    return Limits(config["OFFICIAL_LIST_MAX_BYTES"], config["OFFICIAL_LIST_MAX_UNZIPPED_BYTES"],
                  config["OFFICIAL_LIST_MAX_ROWS"])


def _chunks(items: list):
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _subjects(subject: Subject, keys: list[str]) -> dict[str, tuple[int, str]]:
    id_col, key_col, name_col = _KEY_COLUMN[subject]
    found = {}
    for chunk in _chunks(keys):
        for subject_id, key, name in db.session.execute(sa.select(id_col, key_col, name_col).where(key_col.in_(chunk))):
            found[key] = (subject_id, name)
    return found


def _entries(subject: Subject, kind: ListKind, ids: list[int]) -> dict[int, tuple[int, dict]]:
    found = {}
    for chunk in _chunks(ids):
        for fact_id, subject_id, value in db.session.execute(
            sa.select(VerifiedFact.id, VerifiedFact.subject_id, VerifiedFact.value)
            .where(VerifiedFact.subject == subject, VerifiedFact.kind == kind, VerifiedFact.subject_id.in_(chunk))
        ):
            found[subject_id] = (fact_id, value)
    return found


def plan_import(kind: ListKind, file_name: str, data: bytes) -> Plan:
    """What importing this file would do; writes nothing. Raises ListRefused for a file it cannot read."""
    parsed = read_list(kind, file_name, data, limits())
    return _plan(parsed, file_name, hashlib.sha256(data).hexdigest())


def _plan(parsed: ParsedList, file_name: str, sha: str) -> Plan:
    kind = parsed.kind
    plan = Plan(kind, file_name, sha, parsed.total, invalid=parsed.invalid)
    subject = SUBJECT_OF[kind]
    subjects = _subjects(subject, [row.key for row in parsed.rows])
    entries = _entries(subject, kind, [subject_id for subject_id, _name in subjects.values()])
    for row in parsed.rows:
        if row.key not in subjects:
            plan.unmatched.append(row)
            continue
        subject_id, name = subjects[row.key]
        fact_id, before = entries.get(subject_id, (None, None))
        if before == row.value:
            plan.unchanged_rows.append(row)
        else:
            plan.changes.append(Change(row, subject_id, name, fact_id, before))
    return plan


# ----------------------------------------------------------------------------- the rows between preview and apply
# The preview keeps the rows it read (not the file): applying re-plans them against the database as it
# is then, without reading the workbook a second time.

def _stash_path(sha: str, kind: ListKind) -> Path | None:
    if not _SHA.match(sha or ""):
        return None
    return Path(current_app.config["UPLOAD_DIR"]) / "official-lists" / f"{sha}-{kind.value}.json"


def stash(plan: Plan) -> str:
    """Keep a previewed list's rows until it is applied; named by the file's SHA-256 and the list kind.
    A full disk raises StorageFull (a RuleViolation)."""
    path = _stash_path(plan.sha256, plan.kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [[r.line, r.key, r.name, r.value] for r in plan_rows(plan)]
    invalid = [[b.line, b.reason] for b in plan.invalid]
    write_file(path, json.dumps({"rows": rows, "invalid": invalid}, ensure_ascii=False).encode())
    return plan.sha256


def plan_rows(plan: Plan) -> list[Row]:
    """Every valid row of the list, in file order."""
    rows = [c.row for c in plan.changes] + plan.unmatched + plan.unchanged_rows
    return sorted(rows, key=lambda row: row.line)


def stashed(sha: str, kind: ListKind) -> ParsedList:
    path = _stash_path(sha, kind)
    if path is None or not path.is_file():
        raise RuleViolation(_("预览的文件已不存在，请重新上传。"))
    saved = json.loads(path.read_text())
    return ParsedList(kind, [Row(*row) for row in saved["rows"]], [BadRow(*bad) for bad in saved["invalid"]])


# ----------------------------------------------------------------------------- apply

def apply_import(kind: ListKind, source: str, file_name: str, sha: str, by: User) -> OfficialListImport:
    """Write the previewed file's changes, record the import and tell those concerned; the caller commits."""
    plan = _plan(stashed(sha, kind), file_name, sha)
    if not plan.applicable:
        raise ListRefused(_("文件中有 %(count)d 行无效，请修正后重新导入；本次未写入任何数据。", count=len(plan.invalid)))
    now = utcnow()
    batch = OfficialListImport(kind=kind, source=source, file_name=file_name[:200], file_sha256=plan.sha256,
                               imported_by_id=by.id, imported_at=now, rows=plan.total, matched=plan.matched,
                               changed=len(plan.changes), unmatched=len(plan.unmatched))
    db.session.add(batch)
    db.session.flush()
    subject = SUBJECT_OF[kind]
    new = [c for c in plan.changes if c.fact_id is None]
    updated = [c for c in plan.changes if c.fact_id is not None]
    # Core executemany, not ORM objects: a 50,000-row list is written in seconds.
    table = VerifiedFact.__table__
    if new:
        db.session.execute(table.insert(), [
            {"subject": subject, "subject_id": c.subject_id, "kind": kind, "value": c.row.value, "source": source,
             "import_id": batch.id, "verified_at": now} for c in new
        ])
    if updated:
        db.session.execute(
            table.update().where(table.c.id == sa.bindparam("fact_id"))
            .values(value=sa.bindparam("value"), source=source, import_id=batch.id, verified_at=now),
            [{"fact_id": c.fact_id, "value": c.row.value} for c in updated],
        )
    if subject is Subject.COMPANY:
        _mark_companies_changed([c.subject_id for c in plan.changes], now)
        _tell_about_changes(kind, batch, updated)
    record(by, "official_list.import", batch, _(
        "%(kind)s《%(source)s》文件 %(file)s：共 %(rows)d 行，匹配 %(matched)d，变更 %(changed)d，未匹配 %(unmatched)d",
        kind=kind.label, source=source, file=file_name, rows=plan.total, matched=plan.matched,
        changed=len(plan.changes), unmatched=len(plan.unmatched)))
    return batch


def _mark_companies_changed(company_ids: list[int], now) -> None:
    """A company whose verified facts changed has changed: an ORM UPDATE of its rows, so everything that
    follows company changes (the match scores' change notes, the page cache) hears of it."""
    for chunk in _chunks(company_ids):
        db.session.execute(sa.update(Company).where(Company.id.in_(chunk)).values(updated_at=now))


def followers_of(company_ids: list[int]) -> dict[int, set[int]]:
    """Who hears about a company: its members and the investors who saved one of its projects."""
    followers: dict[int, set[int]] = {cid: set() for cid in company_ids}
    for chunk in _chunks(company_ids):
        for company_id, user_id in db.session.execute(
            sa.select(User.company_id, User.id).where(User.company_id.in_(chunk))
        ):
            followers[company_id].add(user_id)
        for company_id, user_id in db.session.execute(
            sa.select(Project.company_id, MatchPreference.user_id).join(Project, MatchPreference.project_id == Project.id)
            .where(Project.company_id.in_(chunk), MatchPreference.flag == MatchFlag.SAVED)
        ):
            followers[company_id].add(user_id)
    return followers


def _tell_about_changes(kind: ListKind, batch: OfficialListImport, changes: list[Change]) -> None:
    """A verified value that changed (not a first entry): the company and its followers are told."""
    if not changes:
        return
    followers = followers_of([c.subject_id for c in changes])
    users = {u.id: u for u in db.session.scalars(
        sa.select(User).where(User.id.in_({uid for ids in followers.values() for uid in ids})))}
    # The link: the company's latest project page, where the facts and their badges are shown.
    latest_project = dict(db.session.execute(
        sa.select(Project.company_id, sa.func.max(Project.id))
        .where(Project.company_id.in_(list(followers))).group_by(Project.company_id)
    ).all())
    with stored_language():  # stored and read later: in the center's language
        for change in changes:
            title = _("%(company)s 的%(kind)s核验信息已更新", company=change.subject_name, kind=kind.label)
            body = _("来源：%(source)s。", source=batch.source)
            for user_id in sorted(followers[change.subject_id]):
                notify(users[user_id], "verified_fact", title, body,
                       link=(url_for("projects.detail", project_id=latest_project[change.subject_id])
                             if change.subject_id in latest_project else None),
                       dedupe_key=f"fact:{kind.value}:{change.subject_id}:{batch.id}:{user_id}")


def recent_imports(limit: int = 20) -> list[OfficialListImport]:
    return list(db.session.scalars(
        sa.select(OfficialListImport).order_by(OfficialListImport.imported_at.desc(), OfficialListImport.id.desc())
        .limit(limit)
    ))
