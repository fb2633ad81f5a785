"""Accepted meetings in each party's private iCal feed (a receiver of scheduling's personal_feed_events)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from icalendar import Event

from ..accounts.models import User
from ..common.site_url import external_url
from ..extensions import db
from ..projects.models import Project
from ..scheduling.ical import UID_DOMAIN, make_event
from .models import MeetingRequest, MeetingSide, MeetingStatus

# Cancelled meetings stay in the feed (STATUS:CANCELLED) so subscribed calendars drop them.
_IN_FEED = (MeetingStatus.ACCEPTED, MeetingStatus.HELD, MeetingStatus.CANCELLED)


def meeting_events(user: User, **_extra) -> list[Event]:
    mine = [MeetingRequest.investor_id == user.id]
    if user.institution_id is not None:  # startups' requests to the user's institution
        mine.append(sa.and_(MeetingRequest.initiator == MeetingSide.STARTUP,
                            MeetingRequest.institution_id == user.institution_id))
    if user.company_id is not None:
        mine.append(Project.company_id == user.company_id)
    meetings = db.session.scalars(
        sa.select(MeetingRequest).join(MeetingRequest.project)
        .where(sa.or_(*mine), MeetingRequest.status.in_(_IN_FEED), MeetingRequest.starts_at.is_not(None))
    )
    return [
        make_event(
            f"meeting-{m.id}@{UID_DOMAIN}", m.starts_at, m.ends_at,
            _("约见：%(inst)s × %(project)s", inst=m.investor_label,
              project=m.project.title),
            description=m.message, location=m.meeting_link or (m.venue.name if m.venue else m.location), sequence=m.sequence, modified=m.updated_at,
            url=external_url("meetings.detail", meeting_id=m.id),
            cancelled=m.status == MeetingStatus.CANCELLED, categories=[_("约见")],
        )
        for m in meetings
    ]

