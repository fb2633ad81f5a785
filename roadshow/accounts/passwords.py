"""Password policy: long enough, and not guessable (zxcvbn's common-password and pattern lists)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError
from zxcvbn import zxcvbn

PASSWORD_MIN = 10
PASSWORD_MAX = 128
MIN_SCORE = 3  # zxcvbn 0–4; 3 = "safely unguessable" for online attacks


def password_problem(password: str, *personal: str) -> str | None:
    """Why this password is refused, or None. `personal` holds the user's email and name."""
    if len(password) < PASSWORD_MIN or len(password) > PASSWORD_MAX:
        return _("密码长度须为 %(min)d–%(max)d 位。", min=PASSWORD_MIN, max=PASSWORD_MAX)
    words = [w for value in personal if value for w in (value, *value.replace("@", " ").replace(".", " ").split())]
    if zxcvbn(password, user_inputs=words)["score"] < MIN_SCORE:
        return _("这个密码太常见或太容易猜到（如 password123、qwerty、姓名邮箱），请换一个更难猜的密码。")
    return None


class StrongPassword:
    """WTForms validator. The user's email and name come from the fields named in `personal_fields`
    or, for an existing user, from `form.personal_details` set by the view."""

    def __init__(self, *personal_fields: str):
        self.personal_fields = personal_fields

    def __call__(self, form, field):
        personal = [form[name].data or "" for name in self.personal_fields if name in form]
        personal += list(getattr(form, "personal_details", ()))
        problem = password_problem(field.data or "", *personal)
        if problem:
            raise ValidationError(problem)


PASSWORD_HINT = _l("至少 10 位，避免常见密码和个人信息。")
