"""Signals of the loans domain (receivers are connected in roadshow/wiring.py, never at import).

Receivers run inside the sender's transaction and must not commit; they take keyword arguments and
accept ones they do not use (`**_extra`).
"""
from blinker import Namespace

_signals = Namespace()

# Sent by services.change_loan_application_status when a lender approves: sender the LoanApplication
# (approved amount, rate and term written), by= the User who approved. The financing record takes the
# loan up as one of the company's financing events.
loan_approved = _signals.signal("loan-approved")

# Sent by services.change_loan_application_status when a lender approves or declines: sender the
# LoanApplication (status, decided_at and, when approved, the amount, rate and term written), by= the User
# who decided. Partners' webhook subscriptions hear of it (without the company).
loan_decided = _signals.signal("loan-decided")
