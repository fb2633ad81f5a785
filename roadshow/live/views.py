"""Live roadshow rooms over Socket.IO: the room page and the session's record afterwards."""
from flask import Blueprint

from . import events

bp = Blueprint("live", __name__, url_prefix="/live")
# Bound when the blueprint is registered, i.e. once for every app the factory creates.
bp.record(lambda _state: events.register())
