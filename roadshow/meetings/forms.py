"""Meeting forms: asking for a meeting (both ways), publishing a slot, accepting (with a slot, or a new one),
proposing a time, a reason to decline or cancel."""
from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from ..common.forms import BoundedDateField, db_int, optional_int
from ..common.timeutil import local_to_utc
from .models import MeetingMode, MeetingSource

# Accepting with a slot added in the form itself rather than one already published.
NEW_SLOT = "new"


class PlaceFields:
    """Where: a venue room or an online link (checked by services.check_place), plus a note."""
    mode = SelectField(_l("会议方式"), default="", choices=[
        SelectChoice("", _l("未指定")), SelectChoice(MeetingMode.VENUE.value, MeetingMode.VENUE.label),
        SelectChoice(MeetingMode.ONLINE.value, MeetingMode.ONLINE.label)])
    venue_id = SelectField(_l("会议室"), coerce=optional_int, validate_choice=False, validators=[Optional()])
    meeting_link = StringField(_l("会议链接"), validators=[Length(max=300)],
                               render_kw={"placeholder": "https://meeting.tencent.com/…", "inputmode": "url"})
    location = StringField(_l("补充说明"), validators=[Length(max=120)],
                           render_kw={"placeholder": _l("例如：B3 栋 5 楼前台登记 / 会议号 123 456 789")})

    def place(self):
        from .services import check_place
        return check_place(self.mode.data or None, self.venue_id.data, self.meeting_link.data, self.location.data)


class TimeFields:
    day = BoundedDateField(_l("日期"), validators=[InputRequired(_l("请选择日期。"))])
    start = TimeField(_l("开始时间"), default=time(10, 0), validators=[InputRequired(_l("请填写开始时间。"))])
    minutes = SelectField(_l("时长"), coerce=int, default=60,
                          choices=[SelectChoice(30, _l("30 分钟")), SelectChoice(45, _l("45 分钟")),
                                   SelectChoice(60, _l("1 小时")), SelectChoice(90, _l("1.5 小时")),
                                   SelectChoice(120, _l("2 小时"))])

    def utc_start(self) -> datetime:
        """The entered Beijing time, as naive UTC."""
        return local_to_utc(datetime.combine(self.day.data, self.start.data))


def set_room_choices(form, rooms) -> None:
    form.venue_id.choices = [SelectChoice("", _l("请选择"))] + [SelectChoice(v.id, v.name) for v in rooms]


class MeetingRequestForm(FlaskForm):
    """An investor asks a project's team; optionally picks one of its published slots."""
    message = TextAreaField(_l("留言（选填）"), validators=[Length(max=1000)], render_kw={
        "rows": 3, "placeholder": _l("简单介绍您的机构与关注点，例如：希望了解量产计划与客户验证情况。")})
    slot_id = SelectField(_l("选择项目方的可约时段（选填）"), coerce=optional_int, validate_choice=False,
                          validators=[Optional()])
    source = HiddenField(default=MeetingSource.PAGE.value)


class AskInstitutionForm(FlaskForm):
    """A startup asks an institution."""
    project_id = SelectField(_l("约见项目"), coerce=db_int, validate_choice=False,
                             validators=[InputRequired(_l("请选择项目。"))])
    message = TextAreaField(_l("留言"), validators=[InputRequired(_l("请写几句话介绍贵司和约见目的。")), Length(max=1000)],
                            render_kw={"rows": 4, "placeholder": _l(
                                "例如：我们是光谷的激光器企业，正在进行 A 轮融资，希望向贵机构介绍产品与客户进展。")})
    source = HiddenField(default=MeetingSource.PAGE.value)
    session_id = HiddenField()


class SlotForm(TimeFields, PlaceFields, FlaskForm):
    pass


class AcceptForm(TimeFields, PlaceFields, FlaskForm):
    """Accept with a published slot, or (startups) with a slot added right here."""
    slot_id = SelectField(_l("选择时段"), validate_choice=False,
                          validators=[InputRequired(_l("请选择一个可约时段。"))])

    def validate(self, extra_validators=None) -> bool:
        # The new slot's fields only matter when "a new slot" is chosen.
        if self.slot_id.data != NEW_SLOT:
            for name in ("day", "start", "minutes", "mode", "venue_id", "meeting_link", "location"):
                self[name].validators = [Optional()]
                self[name].errors = []
        return super().validate(extra_validators)

    def chosen_slot_id(self) -> int | None:
        try:
            return db_int(self.slot_id.data)
        except (TypeError, ValueError):
            return None


class ProposeForm(TimeFields, PlaceFields, FlaskForm):
    """The investor side proposes another time."""


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("说明（选填，对方可见）"), validators=[Length(max=1000)], render_kw={"rows": 2})
