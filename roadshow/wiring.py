"""Which domain hears which: every signal receiver in the application is connected here, and only here.

A signal is declared in the domain that sends it (roadshow/<domain>/signals.py); the receiving
domain does not connect itself when it happens to be imported. create_app() calls connect_signals(),
so the whole map of who reacts to what is this table (docs/architecture.md, "Signals between domains", describes it).
"""
from __future__ import annotations

from .accounts.signals import roles_changed, sessions_ended
from .feedback import services as feedback_services
from .financing import services as financing
from .investors.signals import fund_saved
from .live import access_changes as live_access
from .live import lifecycle as live_lifecycle
from .live import membership as live_membership
from .financing.signals import financing_event_confirmed
from .loans.signals import loan_approved, loan_decided
from .matching import services as matching_services
from .matchmaking import ical as matchmaking_ical
from .meetings import ical as meetings_ical
from .projects.signals import project_status_changed
from .roadshows.signals import (
    booking_confirmed, room_audience_changed, session_created, session_rescheduled, session_status_changed,
)
from .scheduling.signals import personal_feed_events
from .webhooks import events as webhook_events

# (signal, receiver): module-level functions only, never closures made per app.
RECEIVERS = (
    # logout, a password change or a disabled account closes that user's live-room sockets
    (sessions_ended, live_membership.close_sockets_of),
    # new roles, a seat booked or given back, a new host, public viewing switched, a company placed in or
    # taken out of a session: the open live-room sockets concerned move to the rooms the rule gives them now
    (roles_changed, live_access.roles_changed),
    (room_audience_changed, live_access.audience_changed),
    # a session that goes live or ends: its live room follows and tells its clients
    (session_status_changed, live_lifecycle.session_status_changed),
    # an ended session asks its attendees for feedback and opens each presenting startup's digest
    (session_status_changed, feedback_services.session_status_changed),
    # accepted meetings appear in both parties' private iCal feeds
    (personal_feed_events, meetings_ical.meeting_events),
    # published matchmaking-day meetings appear in both parties' private iCal feeds
    (personal_feed_events, matchmaking_ical.matchmaking_events),
    # a loan approved on the platform enters the company's financing record, once
    (loan_approved, financing.take_up_approved_loan),
    # a fund saved by its institution is matched against the projects at once
    (fund_saved, matching_services.fund_saved),
    # partners' webhook subscriptions hear of sessions, published projects, bookings, confirmed financing and
    # loan decisions (outbox rows)
    (session_created, webhook_events.session_created),
    (session_rescheduled, webhook_events.session_rescheduled),
    (session_status_changed, webhook_events.session_status_changed),
    (project_status_changed, webhook_events.project_status_changed),
    (booking_confirmed, webhook_events.booking_confirmed),
    (financing_event_confirmed, webhook_events.financing_event_confirmed),
    (loan_decided, webhook_events.loan_application_decided),
)


def connect_signals() -> None:
    """Connect every receiver; safe to call for every app the process creates (tests make many).

    Signals live as long as the process, apps do not. Blinker keys a receiver by the function
    itself, so connecting the same function again replaces its entry rather than adding one:
    nothing is delivered twice. weak=False: a receiver is never silently dropped.
    """
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, weak=False)
