"""Background jobs: pages."""
from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")
