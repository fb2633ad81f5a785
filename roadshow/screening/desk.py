"""The application desk's actions: assign a reviewer, remove one, accept, reject.

The center's admins and a partner organiser decide on applications at the same desk
(templates/screening/_application_desk.html), each on their own pages. What differs is which applications and
assignments they may touch, whose reviewers they may assign and where the desk's page is: a `Desk` holds
those, and `register` adds the four routes to a blueprint behind its access check.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..common.actions import apply
from ..common.bounds import id_from
from ..extensions import db
from ..roadshows.models import Application
from . import reviews, services
from .forms import AcceptForm, RejectForm
from .models import ReviewAssignment


@dataclass(frozen=True)
class Desk:
    application: Callable[[int], Application]  # one the caller may decide on, else 404
    assignment: Callable[[int], ReviewAssignment]  # one on such an application, else 404
    assign: Callable[[Application, User], object]  # the assignment rule: from whose reviewers
    page: str  # endpoint of the desk's page for one application

    def _back_to(self, application: Application):
        return redirect(url_for(self.page, application_id=application.id))

    def assign_reviewer(self, application_id: int):
        application = self.application(application_id)
        reviewer = db.session.get(User, id_from(request.form.get("reviewer_id")) or 0)
        if reviewer is None:
            flash(_("请选择评审专家。"), "danger")
            return self._back_to(application)
        apply(lambda: self.assign(application, reviewer),
              _("已分配评审专家：%(name)s。", name=reviewer.name), violation_category="danger")
        return self._back_to(application)

    def remove_assignment(self, assignment_id: int):
        assignment = self.assignment(assignment_id)
        application = assignment.application
        apply(lambda: reviews.unassign(assignment), _("已移除评审专家。"), "info", violation_category="danger")
        return self._back_to(application)

    def accept(self, application_id: int):
        application = self.application(application_id)
        form = AcceptForm()
        form.validate()
        apply(lambda: services.accept(application, current_user, form.note.data),
              _("已入选：%(title)s。项目进入排期队列，企业已收到通知。", title=application.project.title),
              violation_category="danger")
        return self._back_to(application)

    def reject(self, application_id: int):
        application = self.application(application_id)
        form = RejectForm()
        form.validate()  # an empty reason is refused by the service with the message the decider needs
        apply(lambda: services.reject(application, current_user, form.reason.data),
              _("已标记为未入选：%(title)s。企业会看到您填写的原因。", title=application.project.title), "info",
              violation_category="danger")
        return self._back_to(application)


def register(bp: Blueprint, desk: Desk, guard: Callable, prefix: str = "") -> None:
    """The desk's four POST routes on `bp` (endpoints assign_reviewer, remove_assignment, accept, reject),
    each behind `guard` (the blueprint's access check)."""
    for rule, view in (
        ("/applications/<int:application_id>/assign", desk.assign_reviewer),
        ("/assignments/<int:assignment_id>/remove", desk.remove_assignment),
        ("/applications/<int:application_id>/accept", desk.accept),
        ("/applications/<int:application_id>/reject", desk.reject),
    ):
        bp.add_url_rule(prefix + rule, view.__name__, guard(view), methods=["POST"])
