"""Screening (路演筛选): pages."""
from flask import Blueprint

bp = Blueprint("screening", __name__, url_prefix="/screening")
