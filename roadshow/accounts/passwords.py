"""Passwords: the policy (long enough, and not guessable by zxcvbn's common-password and pattern lists)
and the one place they are hashed and checked."""
import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, gen_salt, generate_password_hash
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


# Werkzeug's scrypt with its parameters spelled out (N=2^15, r=8, p=1), so that the decoy below costs exactly
# what a real hash costs to check.
HASH_METHOD = "scrypt:32768:8:1"
# A hash no password matches (a random digest under a random salt), built once. Checking a password for an
# address nobody registered runs against it, so that answer takes the same work as a wrong password.
DECOY_HASH = f"{HASH_METHOD}${gen_salt(16)}${secrets.token_hex(64)}"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether `password` is the one hashed; without a hash (unknown account) the same work, then False."""
    matches = check_password_hash(password_hash or DECOY_HASH, password)
    return matches and password_hash is not None
