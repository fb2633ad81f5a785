"""Meeting requests, availability, and the deal pipeline.: pages."""
from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
