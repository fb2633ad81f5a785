"""Meeting forms: asking for a meeting, publishing a slot, accepting with a slot, a reason to decline or cancel."""
from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from ..common.forms import BoundedDateField, db_int
from .models import MeetingSource


class MeetingRequestForm(FlaskForm):
    message = TextAreaField(_l("留言（选填）"), validators=[Length(max=1000)], render_kw={
        "rows": 3, "placeholder": _l("简单介绍您的机构与关注点，例如：希望了解量产计划与客户验证情况。")})
    source = HiddenField(default=MeetingSource.PAGE.value)


class SlotForm(FlaskForm):
    day = BoundedDateField(_l("日期"), validators=[InputRequired(_l("请选择日期。"))])
    start = TimeField(_l("开始时间"), default=time(10, 0), validators=[InputRequired(_l("请填写开始时间。"))])
    minutes = SelectField(_l("时长"), coerce=int, default=60,
                          choices=[SelectChoice(30, _l("30 分钟")), SelectChoice(45, _l("45 分钟")),
                                   SelectChoice(60, _l("1 小时")), SelectChoice(90, _l("1.5 小时")),
                                   SelectChoice(120, _l("2 小时"))])
    location = StringField(_l("地点或会议方式"), validators=[Length(max=120)],
                           render_kw={"placeholder": _l("例如：光谷金融港 B3 栋 5 楼 / 腾讯会议")})


class AcceptForm(FlaskForm):
    slot_id = SelectField(_l("选择时段"), coerce=db_int, validate_choice=False,
                          validators=[InputRequired(_l("请选择一个可约时段。"))])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("说明（选填，对方可见）"), validators=[Length(max=1000)], render_kw={"rows": 2})
