"""Form helpers shared by the domain forms."""
from urllib.parse import urlsplit

from flask import request, url_for
from wtforms import SelectMultipleField, widgets


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
