"""The every-day calendar: pages."""
from flask import Blueprint

bp = Blueprint("scheduling", __name__, url_prefix="/calendar")
