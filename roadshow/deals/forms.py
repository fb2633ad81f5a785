"""The form that moves a deal to another stage."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from ..common.forms import BoundedDateField, WanField
from ..investors.forms import positive_wan
from .models import DealStage


class MoveForm(FlaskForm):
    stage = SelectField(_l("推进到"), choices=DealStage.choices())
    amount = WanField(_l("投资金额（万元）"), places=None, validators=[Optional(), positive_wan],
                      description=_l("签约时必填"))
    signed_on = BoundedDateField(_l("签约日期"), validators=[Optional()], description=_l("签约时必填"))
    reason = TextAreaField(_l("说明"), validators=[Length(max=500)], render_kw={"rows": 2},
                           description=_l("终止交易时必填：请说明原因"))
