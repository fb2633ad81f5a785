"""Form helpers shared by the domain forms."""
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, DecimalField, SelectMultipleField, StringField, widgets

from .bounds import DB_INT_MAX, date_in_range, date_range_text

WAN = Decimal(10_000)  # amounts are typed in 万元 and stored in whole yuan
# Far beyond any real amount, small enough that yuan arithmetic stays exact.
WAN_LIMIT = Decimal(10) ** 12


def wan_to_yuan(value: Decimal | None) -> int | None:
    if value is None:
        return None
    return int((value * WAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def yuan_to_wan(value: int | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value) / WAN).normalize()


def wan_to_cny(value: Decimal | None) -> Decimal | None:
    """万元 typed in a form to exact CNY (to the fen), for money kept as Decimal."""
    return None if value is None else (value * WAN).quantize(Decimal("0.01"))


def cny_to_wan(value: Decimal | None) -> Decimal | None:
    return None if value is None else (Decimal(value) / WAN).normalize()


class WanField(DecimalField):
    """A 万元 amount: accepts "1,000" and "500.5", shown without trailing zeros; empty means None.
    A text input (with a decimal keypad on phones): a number input would refuse the thousands separator."""

    widget = widgets.TextInput()

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].replace(",", "").replace("，", "").strip()]
        if valuelist and valuelist[0] == "":
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("请填写数字金额（单位：万元）。")) from None
        if self.data is not None and not self.data.is_finite():  # "NaN", "Infinity" parse as Decimals
            self.data = None
            raise ValueError(_l("请填写数字金额（单位：万元）。"))
        if self.data is not None and abs(self.data) > WAN_LIMIT:
            self.data = None
            raise ValueError(_l("金额过大，请以万元为单位填写。"))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        # Forms may be filled from ints (yuan_to_wan of a whole amount) as well as Decimals.
        return format(Decimal(str(self.data)).normalize(), "f")


def requested_page(limit: int = 10_000) -> int:
    """The ?page= number, kept within 1..limit (a huge number must not reach the database)."""
    return min(max(request.args.get("page", 1, type=int), 1), limit)


def db_int(value) -> int:
    """SelectField coerce for ids and codes: a number beyond the database's integer range is as invalid
    as a word (it would overflow the driver when looked up)."""
    number = int(value)
    if abs(number) > DB_INT_MAX:
        raise ValueError("out of range")
    return number


def optional_int(value) -> int | None:
    """db_int, with the empty choice meaning None."""
    if value in (None, "", "None"):
        return None
    return db_int(value)


class _WithinDateRange:
    """A date beyond the platform's years is refused like a mistyped one: arithmetic on it overflows
    (0001-01-01 shifted to UTC, the month after 9999-12)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not date_in_range(self.data):
            self.data = None
            raise ValueError(_l("请填写 %(range)s 之间的日期。", range=date_range_text()))


class BoundedDateField(_WithinDateRange, DateField):
    pass


class BoundedDateTimeLocalField(_WithinDateRange, DateTimeLocalField):
    pass


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as toggle pills; stores a list of values."""
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def safe_next_url(default_endpoint: str) -> str:
    """The ?next= target when it stays on this site, else a default page (no open redirect)."""
    target = request.args.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return url_for(default_endpoint)


def english_version(label, max_length: int, rows: int | None = None):
    """The optional English version of a curated text (roadshow/i18n/content.py): shown to readers of
    English, the Chinese text otherwise. A text area when `rows` is given."""
    from wtforms import StringField, TextAreaField
    from wtforms.validators import Length, Optional

    validators = [Optional(), Length(max=max_length)]
    if rows:
        return TextAreaField(label, validators=validators, render_kw={"rows": rows, "lang": "en"})
    return StringField(label, validators=validators, render_kw={"lang": "en"})


def optional_text(field) -> str | None:
    """A text field's stripped value, None when empty."""
    return (field.data or "").strip() or None


def with_scheme(value):
    """A web address typed without its scheme ("lumichip.cn") gets https:// in front; blank is None."""
    value = (value or "").strip()
    if not value:
        return None
    if "://" not in value and not value.startswith("//"):
        return "https://" + value
    return value


class WebsiteField(StringField):
    """A website: typed as "lumichip.cn" or "https://lumichip.cn" (stored with its scheme). A text input
    with the URL keyboard, not type=url, whose browser check would refuse the address without a scheme."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("filters", [with_scheme])
        render_kw = {"inputmode": "url", "autocomplete": "url", "placeholder": "example.com", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
