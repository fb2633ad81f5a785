"""Flask-Login wiring."""
import hmac

from flask_babel import lazy_gettext as _l

from ..extensions import db


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
        user = db.session.get(User, int(user_id))
        if user is None or not hmac.compare_digest(user.session_token, token):
            return None
        return user
