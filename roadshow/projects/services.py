"""Company and project rules: ownership, editing and the status workflow."""
from flask_babel import gettext as _

from ..accounts.models import Role, User
from ..common.errors import PermissionDenied, RuleViolation
from ..common.timeutil import utcnow
from ..extensions import db
from . import decks
from .models import Company, Project, ProjectStatus as S

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
        company = Company()
        db.session.add(company)
        user.company = company
    elif company.id != user.company_id:
        raise PermissionDenied(_("只能修改自己企业的信息。"))
    for name, value in fields.items():
        setattr(company, name, value)
    db.session.flush()
    return company


def is_owner(user: User, project: Project) -> bool:
    return user.is_authenticated and user.company_id is not None and user.company_id == project.company_id


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
    stored = decks.store_deck(stream)
    old_file = project.deck_file
    project.deck_file = stored.file_name
    project.deck_original_name = original_name[:200]
    project.deck_pages = stored.pages
    project.deck_size = stored.size
    project.deck_uploaded_at = utcnow()
    db.session.flush()
    return old_file


def change_status(project: Project, new_status: S, reason: str | None = None) -> Project:
    """Move a project along the workflow; refuses any step the table does not allow."""
    if new_status not in TRANSITIONS[project.status]:
        raise RuleViolation(
            _("项目不能从“%(old)s”变为“%(new)s”。", old=project.status.label, new=new_status.label)
        )
    if new_status == S.SUBMITTED and not project.has_deck:
        raise RuleViolation(_("提交前请先上传路演材料（PDF）。"))
    if new_status == S.REJECTED and not (reason and reason.strip()):
        raise RuleViolation(_("请填写未通过的原因，企业会看到它。"))
    project.status = new_status
    if new_status == S.SUBMITTED:
        project.submitted_at = utcnow()
        project.rejection_reason = None
    if new_status in (S.APPROVED, S.REJECTED):
        project.decided_at = utcnow()
        project.rejection_reason = reason.strip() if new_status == S.REJECTED else None
    db.session.flush()
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


def can_view_project(user: User, project: Project) -> bool:
    """Public projects are for everyone; drafts and projects in screening only for owner and admins."""
    if project.is_public:
        return True
    return user.is_authenticated and (is_owner(user, project) or user.is_admin)


def can_download_deck(user: User, project: Project) -> bool:
    """Decks are confidential: the owner, admins, and for public projects investors and hosts."""
    if not (user.is_authenticated and project.has_deck):
        return False
    if is_owner(user, project) or user.is_admin:
        return True
    return project.is_public and user.has_role(Role.INVESTOR, Role.HOST)

