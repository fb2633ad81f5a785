"""The API blueprint object, shared by the endpoint modules."""
from flask_smorest import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1", description="光谷科创路演中心 Open API v1")
