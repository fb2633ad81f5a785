"""The listing track's pages: the staff's list of companies on the track (/listing), tagging, and each
company's listing page with its readiness checklist (/listing/companies/<id>).

Every company is looked up through the listing policies: a company the caller may not see answers 404 like a
missing one, whatever the route (an organiser probing a company it has not tagged learns nothing).
"""
from functools import wraps

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..accounts.permissions import role_required
from ..common.actions import apply, save_form, show_violation
from ..common.errors import RuleViolation
from ..common.files import UploadRejected
from ..common.lookup import get_visible_or_404
from ..extensions import db
from ..organisers.policies import organiser_id_of
from ..projects import decks
from ..projects.models import Company
from . import evidence, policies, services
from .forms import CheckForm, ItemForm, TagForm, TrackFilterForm, WithdrawForm
from .models import ListingTag, ReadinessKind, Verification

bp = Blueprint("listing", __name__, url_prefix="/listing")


def staff_required(view):
    """The center's admins, and members of an approved partner organiser."""

    @wraps(view)
    @role_required(Role.ADMIN, Role.ORGANISER)
    def wrapped(*args, **kwargs):
        if not current_user.is_admin and organiser_id_of(current_user) is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _kind(value: str) -> ReadinessKind:
    try:
        return ReadinessKind(value)
    except ValueError:
        abort(404)


# --- the staff's list ----------------------------------------------------------------------------

def _filtered_track():
    form = TrackFilterForm(request.args)
    form.set_batches(services.batches(current_user))
    return form, services.track(current_user, **form.filters())


@bp.get("/")
@staff_required
def index():
    form, rows = _filtered_track()
    return render_template("listing/index.html", filters=form, rows=rows, filtered=any(form.filters().values()))


@bp.get("/export.csv")
@staff_required
def export():
    _form, rows = _filtered_track()
    return Response(services.track_csv(rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=listing-track.csv"})


@bp.route("/tag", methods=["GET", "POST"])
@staff_required
def tag():
    form = TagForm()
    saved = {}

    def save():
        saved["tag"] = services.tag_company(current_user, **form.service_fields())
        return saved["tag"]

    if save_form(form, save, lambda t: _("已将 %(company)s 列入“%(list)s”（%(batch)s）。", company=t.company.name,
                                          list=t.cultivation_list.label, batch=t.batch)):
        return redirect(url_for(".company", company_id=saved["tag"].company_id))
    return render_template("listing/tag.html", form=form), 400 if form.is_submitted() else 200


@bp.post("/tags/<int:tag_id>/withdraw")
@staff_required
def withdraw(tag_id: int):
    tag = get_visible_or_404(ListingTag, tag_id, policies.can_manage_tag)
    form = WithdrawForm()
    form.validate()  # an empty reason is refused by the service with the message needed
    apply(lambda: services.withdraw_tag(current_user, tag, form.reason.data),
          _("已撤销认定：%(company)s 移出“%(list)s”。", company=tag.company.name, list=tag.cultivation_list.label),
          "info", violation_category="danger")
    return redirect(url_for(".company", company_id=tag.company_id) if policies.can_see_details(
        current_user, tag.company) else url_for(".index"))


# --- a company's listing page -----------------------------------------------------------------------

@bp.get("/mine")
@role_required(Role.STARTUP)
def mine():
    if current_user.company_id is None:
        flash(_("请先登记企业信息。"), "info")
        return redirect(url_for("projects.my_company"))
    return redirect(url_for(".company", company_id=current_user.company_id))


def _render_company(company: Company, item_forms: dict | None = None, status: int = 200):
    details = policies.can_see_details(current_user, company)
    checklist = services.checklist(company)
    tags = services.tags_of(company)
    is_member = policies.is_company_member(current_user, company)
    forms = {}
    if is_member:
        for kind, item in checklist.items():
            forms[kind] = (item_forms or {}).get(kind) or ItemForm(
                formdata=None, prefix=kind.value, obj=item,
                data=None if item else {"progress": "not_started"})
            if item is not None:
                forms[kind].progress.data = item.progress.value
    return render_template(
        "listing/company.html", company=company, details=details, is_member=is_member,
        can_check=policies.can_check(current_user, company), checklist=checklist,
        readiness=services.readiness(checklist.values()),
        tags=tags if details else [t for t in tags if t.is_active],
        item_forms=forms, check_form=CheckForm(formdata=None), withdraw_form=WithdrawForm(formdata=None),
        can_manage_tag=lambda t: t.is_active and policies.can_manage_tag(current_user, t),
    ), status


@bp.get("/companies/<int:company_id>")
def company(company_id: int):
    return _render_company(get_visible_or_404(Company, company_id, policies.can_see_summary))


@bp.post("/companies/<int:company_id>/items/<kind>")
@role_required(Role.STARTUP)
def save_item(company_id: int, kind: str):
    company = get_visible_or_404(Company, company_id, policies.is_company_member)
    kind = _kind(kind)
    form = ItemForm(prefix=kind.value)
    if not form.validate_on_submit():
        return _render_company(company, {kind: form}, 400)
    upload = form.evidence.data
    stored = None
    try:
        if upload is not None and getattr(upload, "filename", ""):
            stored = evidence.store_evidence(upload.stream, upload.filename, current_user.id)
        _item, old_file = services.save_item(current_user, company, kind, evidence=stored, **form.service_fields())
        db.session.commit()
    except (UploadRejected, RuleViolation) as exc:
        db.session.rollback()
        evidence.remove_evidence(stored[0] if stored else None)
        if isinstance(exc, UploadRejected):
            form.evidence.errors = [str(exc)]
        else:
            show_violation(form, exc)
        return _render_company(company, {kind: form}, getattr(exc, "status", 400))
    evidence.remove_evidence(old_file)
    flash(_("已保存：%(item)s。", item=kind.label), "success")
    return redirect(url_for(".company", company_id=company.id, _anchor=f"item-{kind.value}"))


@bp.get("/companies/<int:company_id>/items/<kind>/evidence.pdf")
def evidence_file(company_id: int, kind: str):
    company = get_visible_or_404(Company, company_id, policies.can_see_details)
    item = services.item_of(company, _kind(kind))
    if item is None or not item.has_evidence or not evidence.evidence_path(item.evidence_file).is_file():
        abort(404)
    response = send_file(evidence.evidence_path(item.evidence_file), mimetype="application/pdf", as_attachment=True,
                         download_name=item.evidence_name or decks.DEFAULT_NAME, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _check(company_id: int, kind: str, verdict: Verification, message: str):
    company = get_visible_or_404(Company, company_id, policies.can_check)
    item = services.item_of(company, _kind(kind))
    if item is None:
        abort(404)
    form = CheckForm()
    form.validate()
    seen = form.seen_revision()
    apply(lambda: services.check_item(current_user, item, verdict, form.note.data,
                                      item.revision if seen is None else seen),
          message % {"item": item.kind.label}, violation_category="danger")
    return redirect(url_for(".company", company_id=company.id, _anchor=f"item-{item.kind.value}"))


@bp.post("/companies/<int:company_id>/items/<kind>/verify")
@staff_required
def verify(company_id: int, kind: str):
    return _check(company_id, kind, Verification.VERIFIED, _("已核验：%(item)s。"))


@bp.post("/companies/<int:company_id>/items/<kind>/reject")
@staff_required
def reject(company_id: int, kind: str):
    return _check(company_id, kind, Verification.REJECTED, _("已退回：%(item)s，企业会看到您的意见。"))
