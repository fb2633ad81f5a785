from flask import Blueprint

bp = Blueprint("projects", __name__)


@bp.route("/projects")
def public_list():
    return "todo"


@bp.route("/my/projects")
def my_projects():
    return "todo"
