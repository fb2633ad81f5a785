"""Conversation forms: a message (or the deck), a report."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length

from .models import MESSAGE_MAX
from .services import MAX_REASON


class MessageForm(FlaskForm):
    # The length is checked by the service, so the message says how long the text is.
    body = TextAreaField(_l("消息"), render_kw={"rows": 3, "maxlength": MESSAGE_MAX,
                                               "placeholder": _l("写下您想说的话…")})
    share_deck = BooleanField(_l("附上项目路演材料"))


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("举报原因（选填）"), validators=[Length(max=MAX_REASON)], render_kw={"rows": 2})
