"""Company and project rules: ownership, editing and the status workflow."""
import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from ..accounts.models import User
from ..audit.services import record
from ..common.choices import IndustryChain, Stage
from ..common.errors import PermissionDenied, RuleViolation
from ..common.timeutil import utcnow
from ..common.workflow import ChangedMeanwhile, IllegalTransition, write_status
from ..extensions import db
from . import credit_code, decks
from .models import PUBLIC_STATUSES, Company, Project, ProjectStatus as S
from .policies import is_owner
from .signals import project_status_changed


class DuplicateCreditCode(RuleViolation):
    """Another company is already registered with this unified social credit code."""

# Who moves a project from one status to the next. The startup drafts and submits;
# screening (admins, later reviewers) decides; scheduling places and closes it.
TRANSITIONS: dict[S, tuple[S, ...]] = {
    S.DRAFT: (S.SUBMITTED,),
    S.SUBMITTED: (S.UNDER_REVIEW, S.DRAFT),
    S.UNDER_REVIEW: (S.APPROVED, S.REJECTED),
    S.REJECTED: (S.SUBMITTED,),
    S.APPROVED: (S.SCHEDULED,),
    S.SCHEDULED: (S.PRESENTED, S.APPROVED),
    S.PRESENTED: (),
}


def save_company(user: User, company: Company | None, **fields) -> Company:
    """Create the user's company or update it; only its members may change it."""
    if company is None:
        if user.company_id is not None:
            raise RuleViolation(_("您已登记了一家企业。"))
    elif company.id != user.company_id:
        raise PermissionDenied(_("只能修改自己企业的信息。"))
    if "credit_code" in fields:
        fields["credit_code"] = credit_code.normalize(fields["credit_code"])
        if credit_code_taken(fields["credit_code"], company):
            raise DuplicateCreditCode(_("该统一社会信用代码已被其他企业登记。"))
    if company is None:
        company = Company()
        db.session.add(company)
        user.company = company
    for name, value in fields.items():
        setattr(company, name, value)
    db.session.flush()
    return company


def credit_code_taken(code: str, company: Company | None = None) -> bool:
    query = sa.select(Company.id).where(Company.credit_code == code)
    if company is not None and company.id is not None:
        query = query.where(Company.id != company.id)
    with db.session.no_autoflush:
        return db.session.scalar(query.limit(1)) is not None


def create_project(user: User, **fields) -> Project:
    if user.company is None:
        raise RuleViolation(_("请先登记企业信息，再创建项目。"))
    project = Project(company=user.company, status=S.DRAFT, **fields)
    db.session.add(project)
    db.session.flush()
    return project


def update_project(user: User, project: Project, **fields) -> Project:
    if not is_owner(user, project):
        raise PermissionDenied(_("只能修改自己企业的项目。"))
    if not project.is_editable:
        raise RuleViolation(_("项目处于“%(status)s”状态，不能修改。", status=project.status.label))
    for name, value in fields.items():
        setattr(project, name, value)
    db.session.flush()
    return project


def attach_deck(user: User, project: Project, stream, original_name: str) -> str | None:
    """Validate and store a new deck for the project.

    Returns the replaced file's name, to delete once the transaction has committed.
    """
    if not is_owner(user, project):
        raise PermissionDenied(_("只能为自己企业的项目上传路演材料。"))
    if not project.is_editable:
        raise RuleViolation(_("项目已提交，不能更换路演材料。"))
    stored = decks.store_deck(stream, user.id)
    old_file = project.deck_file
    project.deck_file = stored.file_name
    project.deck_original_name = decks.clean_original_name(original_name)
    project.deck_pages = stored.pages
    project.deck_size = stored.size
    project.deck_uploaded_at = utcnow()
    try:
        db.session.flush()
    except Exception:
        decks.remove_deck(stored.file_name)  # no row points at it
        raise
    return old_file


# The steps screening decides, with their audit-log actions (the startup's own steps are not logged).
AUDITED = {S.UNDER_REVIEW: "project.review", S.APPROVED: "project.approve", S.REJECTED: "project.reject"}


def change_status(
    project: Project, new_status: S, reason: str | None = None, *, by: User | None = None, provided: tuple = ()
) -> Project:
    """Move a project along the workflow; the only code that writes a project's status.

    Refuses any step the table does not allow. `by` is the person deciding (screening steps are
    then recorded in the audit log). `provided` are SQL conditions that must still hold as the row
    is written (the clock job checks no other pitch is ahead); raises ChangedMeanwhile otherwise.
    """
    old = project.status
    if new_status not in TRANSITIONS[old]:
        raise IllegalTransition(
            _("项目不能从“%(old)s”变为“%(new)s”。", old=old.label, new=new_status.label)
        )
    if new_status == S.SUBMITTED and not project.has_deck:
        raise RuleViolation(_("提交前请先上传路演材料（PDF）。"))
    reason = (reason or "").strip() or None
    if new_status == S.REJECTED and reason is None:
        raise RuleViolation(_("请填写未通过的原因，企业会看到它。"))
    values = {}
    if new_status == S.SUBMITTED:
        values.update(submitted_at=utcnow(), rejection_reason=None)
    if new_status in (S.APPROVED, S.REJECTED):
        values.update(decided_at=utcnow(), rejection_reason=reason if new_status == S.REJECTED else None)
    if not write_status(project, new_status, provided=provided, **values):
        raise ChangedMeanwhile(
            _("项目的状态刚被更改为“%(status)s”，请刷新后再操作。", status=project.status.label)
        )
    if by is not None and new_status in AUDITED:
        record(by, AUDITED[new_status], project, f"{project.title}：{reason or ''}".rstrip("："))
    project_status_changed.send(project, before=old, after=new_status, by=by)
    return project


def submit_project(user: User, project: Project) -> Project:
    if not is_owner(user, project):
        raise PermissionDenied(_("只能提交自己企业的项目。"))
    return change_status(project, S.SUBMITTED)


def withdraw_project(user: User, project: Project) -> Project:
    """Take a submitted project back to draft before screening starts."""
    if not is_owner(user, project):
        raise PermissionDenied(_("只能撤回自己企业的项目。"))
    return change_status(project, S.DRAFT)


def public_projects_query(chain: IndustryChain | None = None, stage: Stage | None = None, q: str | None = None):
    """The public project library, newest decisions first, filtered by chain, round and text."""
    query = (
        sa.select(Project)
        .join(Project.company)
        .options(contains_eager(Project.company))
        .where(Project.status.in_(PUBLIC_STATUSES))
    )
    if chain is not None:
        query = query.where(Project.industry_chain == chain)
    if stage is not None:
        query = query.where(Project.financing_round == stage)
    q = (q or "").strip()
    if q:
        query = query.where(
            sa.or_(
                Project.title.icontains(q, autoescape=True),
                Project.pitch.icontains(q, autoescape=True),
                Company.name.icontains(q, autoescape=True),
            )
        )
    return query.order_by(Project.decided_at.desc().nulls_last(), Project.id.desc())


def company_projects(company: Company) -> list[Project]:
    """A company's projects for its own dashboard, most recently changed first."""
    return list(
        db.session.scalars(
            sa.select(Project).where(Project.company_id == company.id).order_by(Project.updated_at.desc(), Project.id.desc())
        )
    )


def set_deck_downloadable(project: Project, downloadable: bool) -> None:
    """The company (or an admin) lets readers download the deck, or keeps it to the browser viewer."""
    project.deck_downloadable = downloadable
    record(None, "deck.downloads", project, f"{project.title}: {'on' if downloadable else 'off'}")
