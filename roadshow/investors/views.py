from flask import Blueprint

bp = Blueprint("investors", __name__)


@bp.route("/institutions")
def public_list():
    return "todo"


@bp.route("/my/institution")
def my_institution():
    return "todo"
