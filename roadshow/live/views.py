"""Live roadshow rooms over Socket.IO: pages."""
from flask import Blueprint

bp = Blueprint("live", __name__, url_prefix="/live")
