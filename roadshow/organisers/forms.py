"""Organiser forms: the application to organise, and a reviewer for the pool. Series, venues, sessions and templates
use the admin's forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..common.forms import english_version, optional_text
from .models import OrganiserKind


class OrganiserApplicationForm(FlaskForm):
    name = StringField(_l("机构名称"), validators=[DataRequired(_l("请填写机构名称。")), Length(max=80)])
    kind = SelectField(_l("机构类型"), choices=OrganiserKind.choices())
    contact_name = StringField(_l("联系人"), validators=[DataRequired(_l("请填写联系人。")), Length(max=80)])
    contact_phone = StringField(_l("联系电话"), validators=[Length(max=32)])
    contact_email = EmailField(_l("联系邮箱"), validators=[Optional(), Email(_l("请填写有效的邮箱地址。")), Length(max=254)])
    intro = TextAreaField(
        _l("机构简介与计划举办的路演"), validators=[DataRequired(_l("请介绍机构和计划举办的路演。")), Length(max=3000)],
        render_kw={"rows": 4},
    )
    name_en = english_version(_l("英文名称（选填）"), 120)

    def service_fields(self) -> dict:
        return {
            "name": self.name.data,
            "kind": OrganiserKind(self.kind.data),
            "contact_name": self.contact_name.data.strip(),
            "contact_phone": (self.contact_phone.data or "").strip(),
            "contact_email": (self.contact_email.data or "").strip(),
            "intro": self.intro.data.strip(),
            "name_en": optional_text(self.name_en),
        }


class ReviewerInviteForm(FlaskForm):
    """A reviewer for the organiser's own pool, by email (a new address gets a reviewer account)."""
    email = EmailField(_l("邮箱"), validators=[DataRequired(_l("请填写邮箱。")), Email(_l("请填写有效的邮箱地址。")),
                                              Length(max=254)])
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=80)],
                       description=_l("新开通的评审专家账号使用这个姓名；已有账号保持原名。"))

    def service_fields(self) -> dict:
        return {"email": self.email.data.strip(), "name": self.name.data.strip()}
