"""Who acts for which organiser: an organiser's power ends at its own series."""
from __future__ import annotations

from ..accounts.models import Role, User
from ..extensions import db
from ..roadshows.models import Application, RoadshowSession, Series
from ..scheduling.models import SessionTemplate
from ..screening.models import ReviewAssignment
from .models import DecisionStatus, OrganiserMember


def organiser_id_of(user: User) -> int | None:
    """The approved organiser this person acts for (the organiser role and a membership), else None."""
    if not user.is_authenticated or not user.has_role(Role.ORGANISER):
        return None
    member = db.session.get(OrganiserMember, user.id)
    if member is None or member.organiser.status is not DecisionStatus.APPROVED:
        return None
    return member.organiser_id


def organises(user: User, series: Series | None) -> bool:
    """The series is run by the organiser this person acts for."""
    return series is not None and series.organiser_id is not None and series.organiser_id == organiser_id_of(user)


def can_manage_session(user: User, session: RoadshowSession) -> bool:
    return organises(user, session.series)


def can_decide_application(user: User, application: Application) -> bool:
    """An application to one of the organiser's series, or to a session in one."""
    series = application.series or (application.session.series if application.session else None)
    return organises(user, series)


def can_manage_template(user: User, template: SessionTemplate) -> bool:
    """A template generating sessions of one of the organiser's series."""
    return organises(user, template.series)


def can_manage_assignment(user: User, assignment: ReviewAssignment) -> bool:
    """A reviewer's assignment to an application the organiser decides."""
    return can_decide_application(user, assignment.application)
