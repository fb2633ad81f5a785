"""Signals of the financing domain (receivers are connected in roadshow/wiring.py, never at import).

Receivers run inside the sender's transaction and must not commit; they take keyword arguments and
accept ones they do not use (`**_extra`).
"""
from blinker import Namespace

_signals = Namespace()

# Sent when a financing event becomes confirmed: the named institution confirms what a startup reported
# (services.answer_event), or a loan approved on the platform enters the record already confirmed
# (services.take_up_approved_loan). Sender: the FinancingEvent.
financing_event_confirmed = _signals.signal("financing-event-confirmed")
