"""The code typed at the door (or filled in by the scanner)."""
from datetime import datetime, timezone

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length


class CheckInForm(FlaskForm):
    code = StringField(_l("签到码"), validators=[DataRequired(_l("请输入或扫描签到码。")), Length(max=64)],
                       render_kw={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"})
    # Set by the page for a code scanned while the phone was offline and sent when it is back: when it was
    # scanned, by the phone's clock (ISO 8601). Anything unreadable is ignored: the arrival time is used.
    scanned_at = HiddenField()

    def scanned_time(self) -> datetime | None:
        """The phone's scan time as naive UTC, or None."""
        try:
            moment = datetime.fromisoformat((self.scanned_at.data or "").strip()[:40])
            if moment.tzinfo is None:
                return None  # a time without its zone cannot be placed
            return moment.astimezone(timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError):  # not a time, or one whose UTC falls before year 1 or after 9999
            return None
