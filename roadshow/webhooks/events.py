"""Receivers that turn other domains' signals into webhook events (connected in roadshow/wiring.py).

What a partner receives is public information only: a session as the public calendar shows it, a
project as the public library shows it, a booking as the seats left (never who booked).
A confirmed financing event and a loan decision are sent without the company: a partner learns that an
institution's money landed (kind, amount, date), not who received it or who was turned down.
"""
from __future__ import annotations

from ..common.site_url import external_url
from ..common.timeutil import to_local
from .models import WebhookEvent
from .services import emit


def session_data(session) -> dict:
    return {
        "id": session.id, "title": session.title, "status": session.status.value,
        "starts_at": to_local(session.starts_at).isoformat(), "ends_at": to_local(session.ends_at).isoformat(),
        "venue": session.venue.name if session.venue else None, "capacity": session.capacity,
        "seats_left": max(session.capacity - session.seats_taken, 0),
        "url": external_url("roadshows.session_detail", session_id=session.id),
    }


def session_created(session, **_extra) -> None:
    emit(WebhookEvent.SESSION_CREATED, session_data(session))


def session_rescheduled(session, **_extra) -> None:
    emit(WebhookEvent.SESSION_CHANGED, session_data(session))


def session_status_changed(session, *, after, **_extra) -> None:
    event = WebhookEvent.SESSION_CANCELLED if after.is_cancelled else WebhookEvent.SESSION_CHANGED
    emit(event, session_data(session))


def project_status_changed(project, *, before, after, **_extra) -> None:
    if after.is_public and not before.is_public:
        emit(WebhookEvent.PROJECT_PUBLISHED, {
            "id": project.id, "title": project.title, "pitch": project.pitch,
            "industry_chain": project.industry_chain.value, "financing_round": project.financing_round.value,
            "amount_sought": project.amount_sought, "company": project.company.name,
            "url": external_url("projects.detail", project_id=project.id),
        })


def booking_confirmed(session, **_extra) -> None:
    emit(WebhookEvent.BOOKING_MADE, {"session_id": session.id,
                                     "seats_left": max(session.capacity - session.seats_taken, 0)})


def financing_event_confirmed(event, **_extra) -> None:
    emit(WebhookEvent.FINANCING_EVENT_CONFIRMED, {
        "id": event.id, "kind": event.kind.value, "amount": str(event.amount),
        "occurred_on": event.occurred_on.isoformat(),
        "institution": event.institution.name if event.institution else None,
        "round": event.round.value if event.round else None,
        "through_platform_loan": event.loan_application_id is not None,
    })


def loan_application_decided(application, **_extra) -> None:
    approved = application.approved_amount is not None
    product = application.product
    emit(WebhookEvent.LOAN_APPLICATION_DECIDED, {
        "id": application.id, "decision": application.status.value,
        "decided_on": to_local(application.decided_at).date().isoformat(),
        "product": {"id": product.id, "name": product.name, "kind": product.kind.value},
        "lender": product.institution.name,
        "approved_amount": str(application.approved_amount) if approved else None,
        "approved_rate": str(application.approved_rate) if approved else None,
        "approved_term_months": application.approved_term_months if approved else None,
    })
