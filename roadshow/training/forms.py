"""Training forms: a material (a file or a link) and a course's completion threshold."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp

from ..common.forms import WebsiteField


class MaterialForm(FlaskForm):
    title = StringField(_l("资料名称"), validators=[DataRequired(_l("请填写资料名称。")), Length(max=120)])
    file = FileField(_l("文件（PDF、PPTX、DOCX 或 XLSX）"), render_kw={"accept": ".pdf,.pptx,.docx,.xlsx"})
    url = WebsiteField(_l("或链接"), validators=[
        Optional(), Length(max=500), URL(message=_l("网址格式不正确。")),
        Regexp(r"(?i)^https?://", message=_l("链接须以 http:// 或 https:// 开头。")),
    ])
    is_public = BooleanField(_l("公开（未报名的人也能查看）"))

    def upload(self):
        """The uploaded file, or None when none was chosen."""
        data = self.file.data
        return data if data is not None and getattr(data, "filename", None) else None


class MaterialVisibilityForm(FlaskForm):
    """The manager's switch between public and registered attendees only."""
    is_public = BooleanField(_l("公开"))


class CourseRuleForm(FlaskForm):
    required_sessions = IntegerField(
        _l("结业需出席的场次"), validators=[Optional(), NumberRange(min=1, max=500, message=_l("请填写 1 到 500 之间的场次。"))],
        description=_l("留空表示需出席全部场次。"),
    )
