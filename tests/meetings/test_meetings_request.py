"""Investors ask to meet a project's team; asking twice re-uses the open request."""
import pytest

from roadshow.accounts.models import Role
from roadshow.common.errors import RuleViolation
from roadshow.meetings.models import MeetingRequest, MeetingSource, MeetingStatus
from roadshow.meetings.services import request_meeting
from roadshow.notifications.models import Notification


def test_request_notifies_the_startup_and_is_reused_when_asked_again(db, meeting_parties):
    founder, project, investor = meeting_parties
    first = request_meeting(investor, project, "想了解硅光模块的量产计划", source="live")
    db.session.commit()
    again = request_meeting(investor, project, "再问一次")
    db.session.commit()
    assert again.id == first.id
    assert first.status == MeetingStatus.REQUESTED and first.source == MeetingSource.LIVE
    assert first.institution_id == investor.institution_id
    assert db.session.query(MeetingRequest).count() == 1
    notes = db.session.query(Notification).filter_by(user_id=founder.id, kind="meeting_requested").all()
    assert len(notes) == 1 and project.title in notes[0].title


def test_draft_project_and_non_investor_are_refused(db, meeting_parties, make_user, make_company, make_project):
    founder, _, investor = meeting_parties
    draft = make_project(make_company(make_user(Role.STARTUP)))
    with pytest.raises(RuleViolation, match="尚未公开"):
        request_meeting(investor, draft)
    with pytest.raises(RuleViolation, match="投资机构"):
        request_meeting(founder, meeting_parties.project)
