"""The code typed at the door (or filled in by the scanner)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class CheckInForm(FlaskForm):
    code = StringField(_l("签到码"), validators=[DataRequired(_l("请输入或扫描签到码。")), Length(max=64)],
                       render_kw={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"})
