"""Signals of the investors domain (receivers connected in roadshow/wiring.py; they run inside the sender's
transaction and must not commit; they accept payload keys they do not use)."""
from blinker import Namespace

_signals = Namespace()

# Sent by services.save_fund with the Fund (created or changed, flushed); matching scores it against the
# projects at once, so the investor finds its matches when the page reloads.
fund_saved = _signals.signal("fund-saved")
