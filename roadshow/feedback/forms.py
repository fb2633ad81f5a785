"""The feedback form an attendee fills in for one project."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..common.forms import MultiCheckboxField
from .models import NOTE_MAX, Concern, Feedback, InterestLevel


class FeedbackForm(FlaskForm):
    interest = RadioField(_l("您对项目的兴趣"), choices=InterestLevel.choices(),
                          validators=[InputRequired(message=_l("请选择您对项目的兴趣程度。"))])
    concerns = MultiCheckboxField(_l("顾虑（可多选）"), choices=Concern.choices())
    note = TextAreaField(_l("补充说明（选填）"), validators=[Length(max=NOTE_MAX)], render_kw={"rows": 3})
    shared = BooleanField(_l("同意向企业展示我的这份反馈（含姓名和机构）"),
                          description=_l("不勾选时，企业只能看到不少于 3 份反馈的汇总。"))

    @staticmethod
    def initial(answer: Feedback) -> dict:
        return {"interest": answer.interest.value, "concerns": list(answer.concerns), "note": answer.note,
                "shared": answer.shared}

    def values(self) -> dict:
        return {"interest": self.interest.data, "concerns": self.concerns.data or [], "note": self.note.data or "",
                "shared": self.shared.data}
