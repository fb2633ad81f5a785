"""Admin statistics pages."""
from flask import Blueprint

bp = Blueprint("stats", __name__, url_prefix="/admin/stats")
