"""Conversations of a meeting request or a deal: only the two parties (and admins, to moderate) read them;
messages are bounded; the deck is shared under its own access rule; read markers; live delivery over the
person's own Socket.IO room; one digest email for unread messages; blocking, reporting, hiding."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from roadshow.accounts.models import Role
from roadshow.audit.models import AuditEntry
from roadshow.common.errors import PermissionDenied, RuleViolation
from roadshow.common.timeutil import utcnow
from roadshow.conversations.models import Message, Thread
from roadshow.conversations.services import (
    block, hide, mark_read, post, report, send_digests, thread_for_deal, thread_for_meeting, unblock, unread_counts,
)
from roadshow.deals.models import Deal
from roadshow.meetings.services import ask_institution, request_meeting
from roadshow.notifications.models import Notification, OutboxEmail
from roadshow.projects.models import ProjectStatus

from ..support.live_room import LiveClient


@pytest.fixture
def parties(db, make_user, make_company, make_project, make_institution):
    """A founder with a public project (with a deck), an investor who asked to meet it, and outsiders."""
    founder = make_user(Role.STARTUP, name="李创始")
    project = make_project(make_company(founder), ProjectStatus.APPROVED, deck_file="deck.pdf")
    investor = make_user(Role.INVESTOR, name="张投资")
    make_institution(investor)
    meeting = request_meeting(investor, project, "想约见")
    db.session.commit()
    outsider = make_user(Role.INVESTOR, name="旁观者")
    make_institution(outsider)
    other_founder = make_user(Role.STARTUP, name="别家创始")
    make_company(other_founder)
    admin = make_user(Role.ADMIN, name="管理员")
    return founder, investor, meeting, outsider, other_founder, admin


def thread_url(db, meeting) -> str:
    thread = thread_for_meeting(meeting)
    db.session.commit()
    return f"/conversations/{thread.id}"


def message_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Message))


def test_the_two_parties_talk_and_nobody_else_can_read_or_write(db, client, login, switch_to, parties):
    founder, investor, meeting, outsider, other_founder, admin = parties
    login(investor)
    url = client.get(f"/conversations/meeting/{meeting.id}").headers["Location"]
    assert client.post(f"{url}/messages", data={"body": "您好，想了解量产计划"}).status_code == 302
    switch_to(founder)
    assert "想了解量产计划" in client.get(url).get_data(as_text=True)
    client.post(f"{url}/messages", data={"body": "欢迎来产线参观"})
    message_id = db.session.scalar(sa.select(sa.func.max(Message.id)))
    for person in (outsider, other_founder):
        switch_to(person)
        assert client.get(url).status_code == 404
        assert client.get(f"/conversations/meeting/{meeting.id}").status_code == 404
        assert client.post(f"{url}/messages", data={"body": "插一句"}).status_code == 404
        assert client.post(f"{url}/read").status_code == 404
        assert client.post(f"/conversations/messages/{message_id}/report", data={}).status_code == 404
        assert "量产计划" not in client.get("/conversations/").get_data(as_text=True)
    switch_to(admin)  # moderation: reads, does not take part
    page = client.get(url)
    assert page.status_code == 200 and "欢迎来产线参观" in page.get_data(as_text=True)
    assert client.post(f"{url}/messages", data={"body": "管理员插话"}).status_code == 422
    assert message_count(db) == 2


def test_empty_and_overlong_messages_get_a_clear_error_and_store_nothing(db, client, login, parties):
    _, investor, meeting, *_ = parties
    url = thread_url(db, meeting)
    login(investor)
    empty = client.post(f"{url}/messages", data={"body": "   "})
    assert empty.status_code == 422 and "请输入消息内容" in empty.get_data(as_text=True)
    long = client.post(f"{url}/messages", data={"body": "长" * 10_000})
    assert long.status_code == 422 and "不能超过 2000 个字（现在 10000 个字）" in long.get_data(as_text=True)
    assert message_count(db) == 0


def test_the_startup_shares_its_deck_and_only_those_the_deck_rule_allows_can_open_it(db, client, login, switch_to,
                                                                                     parties):
    founder, investor, meeting, *_ = parties
    thread = thread_for_meeting(meeting)
    with pytest.raises(RuleViolation, match="只有项目方"):
        post(investor, thread, "", share_deck=True)
    post(founder, thread, "附上路演材料", share_deck=True)
    db.session.commit()
    login(investor)  # investors may open a public project's deck
    page = client.get(f"/conversations/{thread.id}").get_data(as_text=True)
    assert f"/projects/{meeting.project_id}/deck" in page
    meeting.project.status = ProjectStatus.DRAFT  # withdrawn: its deck is no longer the investor's to open
    db.session.commit()
    page = client.get(f"/conversations/{thread.id}").get_data(as_text=True)
    assert f"/projects/{meeting.project_id}/deck" not in page and "暂无查看权限" in page


def test_read_markers_show_unread_counts_and_read_receipts(db, client, login, switch_to, parties):
    founder, investor, meeting, *_ = parties
    thread = thread_for_meeting(meeting)
    first = post(investor, thread, "第一条")
    post(investor, thread, "第二条")
    db.session.commit()
    assert unread_counts(founder, [thread]) == {thread.id: 2} and unread_counts(investor, [thread]) == {}
    login(investor)
    assert "对方已读" not in client.get(f"/conversations/{thread.id}").get_data(as_text=True)
    assert "2 条未读" in switch_to(founder).get("/conversations/").get_data(as_text=True)
    client.get(f"/conversations/{thread.id}")  # reading the thread moves the marker
    assert unread_counts(founder, [thread]) == {}
    mark_read(founder, thread, first.id)  # a marker never moves back
    db.session.commit()
    assert unread_counts(founder, [thread]) == {}
    assert "对方已读" in switch_to(investor).get(f"/conversations/{thread.id}").get_data(as_text=True)


def test_a_message_arrives_live_on_the_other_partys_socket_and_nowhere_else(app, db, parties):
    founder, investor, meeting, outsider, *_ = parties
    url = thread_url(db, meeting)
    investor_socket = LiveClient(app, investor, None, auth={"personal": True})
    outsider_socket = LiveClient(app, outsider, None, auth={"personal": True})
    anonymous = LiveClient(app, None, None, auth={"personal": True})
    assert investor_socket.connected and outsider_socket.connected and not anonymous.connected
    sender = LiveClient(app, founder, None, auth={"personal": True})
    response = sender._run(lambda: sender.http.post(f"{url}/messages", data={"body": "实时送达"}))
    assert response.status_code == 302
    [message] = investor_socket.received("conversation_message")
    assert message["body"] == "实时送达" and message["author"] == "李创始"
    assert message["thread_id"] == int(url.rsplit("/", 1)[1])
    assert [m["body"] for m in sender.received("conversation_message")] == ["实时送达"]  # the author's other tabs
    assert outsider_socket.received("conversation_message") == []


def test_signing_out_stops_personal_deliveries(app, db, parties):
    founder, investor, meeting, *_ = parties
    thread = thread_for_meeting(meeting)
    db.session.commit()
    socket = LiveClient(app, investor, None, auth={"personal": True})
    socket._run(lambda: socket.http.post("/logout"))
    assert socket.received("signed_out")
    from roadshow.conversations.live import deliver
    message = post(founder, thread, "登出后不该收到")
    db.session.commit()
    deliver(message)
    assert socket.received("conversation_message") == []


def digest_emails(db, user) -> list[OutboxEmail]:
    return list(db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.to_address == user.email,
                                                                 OutboxEmail.subject.contains("对接消息"))))


def test_unread_messages_are_mailed_once_in_one_digest(app, db, parties):
    founder, investor, meeting, *_ = parties
    thread = thread_for_meeting(meeting)
    for text in ("一", "二", "三"):
        post(founder, thread, text)
    db.session.commit()
    assert send_digests(utcnow()) == {"sent": 0}  # not before they waited CONVERSATION_DIGEST_DELAY
    later = utcnow() + timedelta(minutes=app.config["CONVERSATION_DIGEST_DELAY"] + 1)
    assert send_digests(later) == {"sent": 1}
    [email] = digest_emails(db, investor)
    assert "3 条未读" in email.subject and f"/conversations/{thread.id}" in email.body
    assert send_digests(later) == {"sent": 0} and len(digest_emails(db, investor)) == 1
    assert digest_emails(db, founder) == []  # one's own messages are not news
    post(founder, thread, "四")
    db.session.commit()
    mark_read(investor, thread)  # read in time: nothing to mail
    db.session.commit()
    assert send_digests(later + timedelta(hours=1)) == {"sent": 0}


def test_a_party_blocks_the_thread_and_only_they_lift_it(db, parties):
    founder, investor, meeting, *_ = parties
    thread = thread_for_meeting(meeting)
    block(investor, thread)
    db.session.commit()
    for person in (founder, investor):
        with pytest.raises(RuleViolation, match="屏蔽"):
            post(person, thread, "还能说话吗")
    with pytest.raises(RuleViolation, match="只有屏蔽对话的人"):
        unblock(founder, thread)
    unblock(investor, thread)
    post(founder, thread, "又能说话了")
    db.session.commit()
    assert message_count(db) == 1


def test_a_report_reaches_the_admins_and_an_admin_hides_the_message(db, client, login, parties):
    founder, investor, meeting, _, _, admin = parties
    thread = thread_for_meeting(meeting)
    rude = post(investor, thread, "不礼貌的话")
    db.session.commit()
    with pytest.raises(RuleViolation, match="自己的消息"):
        report(investor, rude, "")
    report(founder, rude, "言辞不当")
    db.session.commit()
    with pytest.raises(RuleViolation, match="已经举报过"):
        report(founder, rude, "再举报一次")
    db.session.rollback()
    assert db.session.scalar(sa.select(Notification.id).where(Notification.user_id == admin.id,
                                                              Notification.kind == "message_reported"))
    with pytest.raises(PermissionDenied):
        hide(founder, rude)
    login(admin)
    assert "言辞不当" in client.get("/conversations/").get_data(as_text=True)
    client.post(f"/conversations/messages/{rude.id}/hide")
    page = client.get(f"/conversations/{thread.id}").get_data(as_text=True)
    assert "不礼貌的话" not in page and "已被管理员隐藏" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "message.hide")) == 1


def test_a_deal_thread_is_for_both_whole_teams(db, client, login, parties, make_user):
    founder, investor, meeting, outsider, *_ = parties
    colleague = make_user(Role.INVESTOR, name="同机构同事")
    colleague.institution_id = investor.institution_id
    db.session.commit()
    deal = db.session.scalar(sa.select(Deal).where(Deal.project_id == meeting.project_id))
    thread = thread_for_deal(deal)
    post(founder, thread, "交易进展如何")
    db.session.commit()
    login(colleague)
    assert "交易进展如何" in client.get(f"/conversations/deal/{deal.id}", follow_redirects=True).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 1


def test_a_startups_request_thread_is_open_to_every_member_of_the_institution(db, client, login, switch_to, parties,
                                                                              make_user, make_institution):
    founder, investor, meeting, *_ = parties
    other = make_institution()
    partner = make_user(Role.INVESTOR, name="被约见机构的合伙人")
    partner.institution = other
    db.session.commit()
    asked = ask_institution(founder, other, meeting.project, "想约见贵机构")
    thread = thread_for_meeting(asked)
    post(founder, thread, "附言")
    db.session.commit()
    login(partner)
    assert "附言" in client.get(f"/conversations/{thread.id}").get_data(as_text=True)
    switch_to(investor)  # another institution's investor
    assert client.get(f"/conversations/{thread.id}").status_code == 404
