"""Forms of the listing track: tagging a company, withdrawing a tag, one checklist item, its check, the list filter."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms.fields.choices import SelectChoice
from wtforms import Form, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..common.forms import BoundedDateField, optional_int
from .models import ItemProgress, ListingList, TargetBoard
from .services import ReadinessFilter


def _enum_or_none(enum_cls, value):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


class TagForm(FlaskForm):
    credit_code = StringField(_l("统一社会信用代码"), validators=[DataRequired(_l("请填写企业的统一社会信用代码。")),
                                                            Length(max=30)])
    cultivation_list = SelectField(_l("名单"), choices=ListingList.choices())
    batch = StringField(_l("批次"), validators=[DataRequired(_l("请填写批次，如：2026年第一批。")), Length(max=40)],
                        render_kw={"placeholder": _l("如：2026年第一批")})
    target_board = SelectField(_l("拟上市板块（选填）"), choices=TargetBoard.choices(blank=_l("未定")), default="")

    def service_fields(self) -> dict:
        return {"code": self.credit_code.data, "cultivation_list": ListingList(self.cultivation_list.data),
                "batch": self.batch.data, "target_board": _enum_or_none(TargetBoard, self.target_board.data)}


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("撤销原因"), validators=[DataRequired(_l("请填写撤销原因。")), Length(max=2000)],
                           render_kw={"rows": 2})


class ItemForm(FlaskForm):
    """One checklist item as the company keeps it (each item's form has its own prefix on the page)."""
    progress = SelectField(_l("进展"), choices=ItemProgress.choices())
    done_on = BoundedDateField(_l("完成（或计划）日期"), validators=[Optional()])
    note = TextAreaField(_l("说明"), validators=[Length(max=2000)], render_kw={"rows": 2})
    evidence = FileField(_l("证明材料（PDF，选填）"))

    def service_fields(self) -> dict:
        return {"progress": ItemProgress(self.progress.data), "done_on": self.done_on.data,
                "note": self.note.data or ""}


class CheckForm(FlaskForm):
    """Verify or send back one item; `revision` is the version of the item the checker was shown."""
    note = TextAreaField(_l("核验意见"), validators=[Length(max=2000)], render_kw={"rows": 2})
    revision = HiddenField()

    def seen_revision(self) -> int | None:
        try:
            return optional_int(self.revision.data)
        except (TypeError, ValueError):
            return None


class TrackFilterForm(Form):
    """The GET filter bar of the track page (no CSRF: it changes nothing)."""
    cultivation_list = SelectField(_l("名单"), choices=ListingList.choices(blank=_l("全部名单")), default="")
    batch = SelectField(_l("批次"), choices=[], default="")
    board = SelectField(_l("拟上市板块"), choices=TargetBoard.choices(blank=_l("全部板块")), default="")
    readiness = SelectField(_l("准备情况"), default="", choices=[
        SelectChoice("", _l("全部")), SelectChoice(ReadinessFilter.AWAITING, _l("有待核验事项")),
        SelectChoice(ReadinessFilter.REJECTED, _l("有退回事项")),
        SelectChoice(ReadinessFilter.COMPLETE, _l("全部事项已核验")),
        SelectChoice(ReadinessFilter.INCOMPLETE, _l("尚未全部核验")),
    ])

    def set_batches(self, batches: list[str]) -> None:
        self.batch.choices = [SelectChoice("", _l("全部批次"))] + [SelectChoice(b, b) for b in batches]

    def filters(self) -> dict:
        batch = self.batch.data if self.batch.data in {c.value for c in self.batch.choices} else None
        readiness = self.readiness.data if self.readiness.data in {c.value for c in self.readiness.choices} else None
        return {"cultivation_list": _enum_or_none(ListingList, self.cultivation_list.data), "batch": batch or None,
                "board": _enum_or_none(TargetBoard, self.board.data), "readiness_choice": readiness or None}
