"""Admin forms: venues, series, sessions, user roles, and the reasons behind refusals."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..accounts.models import Role
from ..common.choices import IndustryChain
from ..common.forms import BoundedDateTimeLocalField, MultiCheckboxField, english_version, optional_int, optional_text
from ..roadshows.models import SeriesKind, SessionStatus

NONE_CHOICE = SelectChoice("", _l("— 不指定 —"))


def seats_field(label, description, *, required: bool = True, default: int | None = None) -> IntegerField:
    """Seats of one attendee type (0: that type may not register)."""
    return IntegerField(label, description=description, default=default, validators=[
        InputRequired(_l("请填写席位数。")) if required else Optional(),
        NumberRange(min=0, max=10000, message=_l("席位数须在 0–10000 之间。")),
    ])


def choices(pairs) -> list[SelectChoice]:
    """SelectChoice objects (WTForms deprecates plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def optional_str(value):
    return value or None


class ReasonForm(FlaskForm):
    """A refusal (institution or project) with the reason the other side will read."""
    reason = TextAreaField(
        _l("原因"), validators=[DataRequired(_l("请填写原因。")), Length(max=1000)], render_kw={"rows": 2}
    )


class VenueForm(FlaskForm):
    name = StringField(_l("场地名称"), validators=[DataRequired(_l("请填写场地名称。")), Length(max=80)])
    address = StringField(_l("地址"), validators=[Length(max=200)])
    capacity = IntegerField(
        _l("容纳人数"),
        default=100,
        validators=[
            InputRequired(_l("请填写容纳人数。")),
            NumberRange(min=1, max=10000, message=_l("容纳人数须在 1–10000 之间。")),
        ],
    )
    is_online = BooleanField(_l("线上场地（直播间）"))
    description = TextAreaField(_l("说明"), validators=[Length(max=2000)], render_kw={"rows": 3})
    name_en = english_version(_l("英文名称（选填）"), 120)
    description_en = english_version(_l("英文说明（选填）"), 2000, rows=2)

    def service_fields(self) -> dict:
        return {
            "name": self.name.data,
            "address": (self.address.data or "").strip(),
            "capacity": self.capacity.data,
            "is_online": bool(self.is_online.data),
            "description": (self.description.data or "").strip(),
            "name_en": optional_text(self.name_en),
            "description_en": optional_text(self.description_en),
        }


class SeriesForm(FlaskForm):
    name = StringField(_l("系列名称"), validators=[DataRequired(_l("请填写系列名称。")), Length(max=80)])
    slug = StringField(
        _l("英文标识"),
        validators=[
            DataRequired(_l("请填写英文标识。")),
            Length(max=40),
            Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message=_l("只能使用小写字母、数字和连字符，如 chain-ai。")),
        ],
        description=_l("用于网址，如 chain-ai、daily。"),
    )
    kind = SelectField(_l("系列类型"), choices=SeriesKind.choices())
    industry_chain = SelectField(
        _l("产业链（选填）"), choices=[NONE_CHOICE, *IndustryChain.choices()], coerce=optional_str
    )
    description = TextAreaField(_l("说明"), validators=[Length(max=2000)], render_kw={"rows": 3})
    name_en = english_version(_l("英文名称（选填）"), 120)
    description_en = english_version(_l("英文说明（选填）"), 2000, rows=2)
    # left empty: 0, the type may not register
    startup_capacity = seats_field(_l("创业企业席位（每场默认）"), _l("0：本系列的场次默认不接受创业企业报名。"),
                                   required=False, default=0)
    public_capacity = seats_field(_l("公众席位（每场默认）"), _l("0：本系列的场次默认不对公众开放。"),
                                  required=False, default=0)

    def service_fields(self) -> dict:
        return {
            "startup_capacity": self.startup_capacity.data or 0,
            "public_capacity": self.public_capacity.data or 0,
            "name": self.name.data,
            "name_en": optional_text(self.name_en),
            "description_en": optional_text(self.description_en),
            "slug": self.slug.data,
            "kind": SeriesKind(self.kind.data),
            "industry_chain": IndustryChain(self.industry_chain.data) if self.industry_chain.data else None,
            "description": (self.description.data or "").strip(),
        }


class SessionForm(FlaskForm):
    title = StringField(_l("路演标题"), validators=[DataRequired(_l("请填写路演标题。")), Length(max=120)])
    series_id = SelectField(_l("所属系列（选填）"), coerce=optional_int, validate_choice=True)
    venue_id = SelectField(_l("场地"), coerce=optional_int)
    host_id = SelectField(_l("主持人（选填）"), coerce=optional_int)
    industry_chain = SelectField(
        _l("产业链（选填）"), choices=[NONE_CHOICE, *IndustryChain.choices()], coerce=optional_str
    )
    starts_at = BoundedDateTimeLocalField(
        _l("开始时间"), format="%Y-%m-%dT%H:%M", validators=[InputRequired(_l("请填写开始时间。"))]
    )
    ends_at = BoundedDateTimeLocalField(
        _l("结束时间"), format="%Y-%m-%dT%H:%M", validators=[InputRequired(_l("请填写结束时间。"))]
    )
    capacity = seats_field(_l("投资人席位"), _l("0：本场不接受投资人预约。"), default=50)
    startup_capacity = seats_field(_l("创业企业席位（选填）"), _l("留空：按所属系列的默认；0：不接受创业企业报名。"),
                                   required=False)
    public_capacity = seats_field(_l("公众席位（选填）"), _l("留空：按所属系列的默认；0：不对公众开放。"),
                                  required=False)
    # Cancelling is its own action (with a reason, notifications and the lineup freed), not a status pick.
    status = SelectField(
        _l("状态"),
        choices=SessionStatus.choices([s for s in SessionStatus if s != SessionStatus.CANCELLED]),
        default=SessionStatus.PLANNED.value,
    )
    description = TextAreaField(_l("路演介绍"), validators=[Length(max=5000)], render_kw={"rows": 4})
    title_en = english_version(_l("英文标题（选填）"), 160)
    description_en = english_version(_l("英文介绍（选填）"), 5000, rows=3)

    def set_choices(self, series, venues, hosts) -> None:
        self.series_id.choices = [NONE_CHOICE, *choices((s.id, s.name) for s in series)]
        self.venue_id.choices = [SelectChoice("", _l("— 请选择场地 —")), *choices((v.id, v.name) for v in venues)]
        self.host_id.choices = [NONE_CHOICE, *choices((u.id, _l("%(a)s（%(b)s）", a=u.name, b=u.email)) for u in hosts)]

    def validate_venue_id(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("请选择场地。"))

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("结束时间必须晚于开始时间。"))

    def service_fields(self, local_to_utc) -> dict:
        return {
            "title": self.title.data.strip(),
            "description": (self.description.data or "").strip(),
            "title_en": optional_text(self.title_en),
            "description_en": optional_text(self.description_en),
            "series_id": self.series_id.data,
            "venue_id": self.venue_id.data,
            "host_id": self.host_id.data,
            "industry_chain": IndustryChain(self.industry_chain.data) if self.industry_chain.data else None,
            "starts_at": local_to_utc(self.starts_at.data),
            "ends_at": local_to_utc(self.ends_at.data),
            "capacity": self.capacity.data,
            "startup_capacity": self.startup_capacity.data,
            "public_capacity": self.public_capacity.data,
            "status": SessionStatus(self.status.data),
        }


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("角色"), choices=Role.choices())

    def validate_roles(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("每个用户至少要有一个角色。"))
