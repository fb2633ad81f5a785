"""The live domain's HTML forms (the room itself talks over Socket.IO)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class ReplaySettingsForm(FlaskForm):
    published = BooleanField(_l("发布回放"))
    open_to_verified = BooleanField(_l("向平台认证机构的投资人开放回放"))


class ChapterRemovalForm(FlaskForm):
    """Only the CSRF token: the chapter is named by the URL."""
