"""Public read endpoints: the calendar, sessions, projects, institutions, series and venues."""
import sqlalchemy as sa
from flask import abort

from ..common.page_cache import cached_for_visitors
from ..extensions import db
from ..investors.models import Institution, VerificationStatus
from ..investors.services import institution_with_funds, public_institutions_query
from ..projects.models import Project
from ..projects.services import public_projects_query
from ..roadshows.models import RoadshowSession, Series, Venue
from ..roadshows.queries import calendar_query, session_with_lineup
from . import schemas as s
from .blueprint import bp
from .pagination import keyset_page


@bp.get("/sessions")
@cached_for_visitors
@bp.arguments(s.SessionQuery(), location="query", as_kwargs=True)
@bp.response(200, s.page_of(s.SessionSchema, "SessionPage"))
def list_sessions(date_from, date_to, chain, series, venue, **page):
    """Roadshow calendar: sessions between two local dates, soonest first."""
    query = calendar_query(date_from, date_to, chain, series, venue)
    return keyset_page(query, (RoadshowSession.starts_at, RoadshowSession.id), page)


@bp.get("/sessions/<int:session_id>")
@cached_for_visitors
@bp.response(200, s.SessionDetailSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_session(session_id):
    """One session with its lineup (projects in pitch order) and remaining seats."""
    return session_with_lineup(session_id) or abort(404)


@bp.get("/projects")
@bp.arguments(s.ProjectQuery(), location="query", as_kwargs=True)
@bp.response(200, s.page_of(s.ProjectSchema, "ProjectPage"))
def list_projects(chain, stage, q, **page):
    """The public project library (approved, scheduled or presented projects), newest first."""
    return keyset_page(public_projects_query(chain, stage, q), (Project.id,), page, descending=True)


@bp.get("/projects/<int:project_id>")
@bp.response(200, s.ProjectSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_project(project_id):
    """One public project; projects not yet approved are not found."""
    project = db.session.get(Project, project_id)
    if project is None or not project.is_public:
        abort(404)
    return project


@bp.get("/institutions")
@bp.arguments(s.InstitutionQuery(), location="query", as_kwargs=True)
@bp.response(200, s.page_of(s.InstitutionSchema, "InstitutionPage"))
def list_institutions(chain, **page):
    """Verified investment institutions and their funds."""
    query = public_institutions_query(chain=chain.value if chain else None)
    return keyset_page(query, (Institution.id,), page, descending=True)


@bp.get("/institutions/<int:institution_id>")
@bp.response(200, s.InstitutionSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_institution(institution_id):
    """One verified institution with its funds."""
    institution = institution_with_funds(institution_id)
    if institution is None or institution.verification_status != VerificationStatus.VERIFIED:
        abort(404)
    return institution


@bp.get("/series")
@bp.response(200, s.SeriesSchema(many=True))
def list_series():
    """Themed roadshow series (daily roadshows, One Chain a Month industry-chain specials ...)."""
    return db.session.scalars(sa.select(Series).order_by(Series.id)).all()


@bp.get("/venues")
@bp.response(200, s.VenueSchema(many=True))
def list_venues():
    """Roadshow venues."""
    return db.session.scalars(sa.select(Venue).order_by(Venue.id)).all()
