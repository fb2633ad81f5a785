"""The admin's upload of an official list, and the confirmation that applies a previewed one."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from .models import ListKind


class UploadForm(FlaskForm):
    kind = SelectField(_l("名单类型"), choices=ListKind.choices())
    source = StringField(_l("名单名称"), validators=[DataRequired(_l("请填写名单名称。")), Length(max=120)],
                         render_kw={"placeholder": _l("如：湖北省科技厅 2025 年度创新积分评价结果")})
    file = FileField(_l("文件（XLSX 或 CSV）"), validators=[FileRequired(_l("请选择要导入的文件。"))])


class ApplyForm(FlaskForm):
    """Carries what the preview showed; the file itself was kept under its SHA-256."""
    kind = SelectField(choices=ListKind.choices())
    source = HiddenField(validators=[DataRequired(), Length(max=120)])
    file_name = HiddenField(validators=[DataRequired(), Length(max=200)])
    sha256 = HiddenField(validators=[Regexp(r"^[0-9a-f]{64}$")])
