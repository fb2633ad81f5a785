"""Flask-Login wiring."""
import hmac
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..extensions import db


def signed_in_user_options() -> tuple:
    """What every page of a signed-in user reads besides the user (roles for the navigation and access checks,
    the institution for the lender's links): in the same query, one round trip instead of three."""
    from .models import User

    return joinedload(User.role_rows), joinedload(User.institution)


@cache
def _signed_in_user() -> sa.Select:
    """Built once: on every signed-in request, building the statement cost as much as running it."""
    from .models import User

    return sa.select(User).where(User.id == sa.bindparam("user_id")).options(*signed_in_user_options())


def register_login(app, login_manager) -> None:
    from .models import User

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"

    @login_manager.user_loader
    def load_user(login_id: str):
        """`<user id>.<session token>`: a cookie from before a logout or password change loads nobody."""
        user_id, _sep, token = login_id.partition(".")
        if not user_id.isdigit() or len(user_id) > 10:
            return None
        user = db.session.scalars(_signed_in_user(), {"user_id": int(user_id)}).unique().first()
        if user is None or not hmac.compare_digest(user.session_token, token):
            return None
        return user
