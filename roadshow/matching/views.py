"""Investor ⇄ project matching: pages."""
from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/matching")
