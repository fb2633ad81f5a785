"""Conversation pages: my threads, one thread (read, post, share the deck, block), reporting, moderation."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import role_required
from ..accounts.models import Role
from ..common.actions import apply, show_violation
from ..common.errors import RuleViolation
from ..common.lookup import get_visible_or_404
from ..deals.models import Deal
from ..deals.policies import can_view_deal
from ..extensions import db
from ..meetings.models import MeetingRequest
from ..meetings.policies import can_view_meeting
from ..projects.policies import can_download_deck
from . import live, services
from .forms import MessageForm, ReportForm
from .models import MESSAGE_MAX, Message, Thread
from .policies import can_view_message, can_view_thread, is_party

bp = Blueprint("conversations", __name__, url_prefix="/conversations")


@bp.get("/")
@login_required
def index():
    threads = services.threads_for(current_user)
    return render_template("conversations/index.html", threads=threads, title_of=services.title_of,
                           unread=services.unread_counts(current_user, threads),
                           reports=services.open_reports() if current_user.is_admin else [])


@bp.get("/meeting/<int:meeting_id>")
@login_required
def for_meeting(meeting_id: int):
    meeting = get_visible_or_404(MeetingRequest, meeting_id, can_view_meeting)
    thread = services.thread_for_meeting(meeting)
    db.session.commit()
    return redirect(url_for(".thread", thread_id=thread.id))


@bp.get("/deal/<int:deal_id>")
@login_required
def for_deal(deal_id: int):
    deal = get_visible_or_404(Deal, deal_id, can_view_deal)
    thread = services.thread_for_deal(deal)
    db.session.commit()
    return redirect(url_for(".thread", thread_id=thread.id))


def _thread(thread_id: int) -> Thread:
    return get_visible_or_404(Thread, thread_id, can_view_thread)


@bp.get("/<int:thread_id>")
@login_required
def thread(thread_id: int):
    return _thread_page(_thread(thread_id))


def _thread_page(thread: Thread, form: MessageForm | None = None, status: int = 200):
    party = is_party(current_user, thread)
    messages = services.messages_of(thread)
    if party and messages:
        services.mark_read(current_user, thread, messages[-1].id)
        db.session.commit()
    project = thread.project
    return render_template(
        "conversations/thread.html", thread=thread, title=services.title_of(thread), messages=messages,
        form=form or MessageForm(), report_form=ReportForm(), party=party,
        can_share_deck=party and current_user.company_id == project.company_id and project.has_deck,
        can_open_deck=can_download_deck(current_user, project), others_read=services.other_read_up_to(
            current_user, thread) if party else 0, message_max=MESSAGE_MAX,
    ), status


@bp.post("/<int:thread_id>/messages")
@login_required
def post(thread_id: int):
    thread = _thread(thread_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message = services.post(current_user, thread, form.body.data, share_deck=form.share_deck.data)
        except RuleViolation as exc:
            db.session.rollback()
            show_violation(form, exc)
        else:
            db.session.commit()
            live.deliver(message)
            return redirect(url_for(".thread", thread_id=thread_id, _anchor=f"m{message.id}"))
    return _thread_page(thread, form, status=422)


@bp.post("/<int:thread_id>/read")
@login_required
def read(thread_id: int):
    """The page read a message that arrived live."""
    thread = _thread(thread_id)
    if is_party(current_user, thread):
        services.mark_read(current_user, thread)
        db.session.commit()
    return "", 204


@bp.post("/<int:thread_id>/block")
@login_required
def block(thread_id: int):
    thread = _thread(thread_id)
    apply(lambda: services.block(current_user, thread), _("已屏蔽对话：双方都不能再发送消息，您可以随时解除。"))
    return redirect(url_for(".thread", thread_id=thread_id))


@bp.post("/<int:thread_id>/unblock")
@login_required
def unblock(thread_id: int):
    thread = _thread(thread_id)
    apply(lambda: services.unblock(current_user, thread), _("已解除屏蔽。"))
    return redirect(url_for(".thread", thread_id=thread_id))


@bp.post("/messages/<int:message_id>/report")
@login_required
def report(message_id: int):
    message = get_visible_or_404(Message, message_id, can_view_message)
    form = ReportForm()
    if form.validate_on_submit():
        apply(lambda: services.report(current_user, message, form.reason.data), _("已举报，管理员会尽快处理。"))
    else:
        flash(_("举报说明不能超过 %(n)d 个字。", n=services.MAX_REASON), "warning")
    return redirect(url_for(".thread", thread_id=message.thread_id))


@bp.post("/messages/<int:message_id>/hide")
@role_required(Role.ADMIN)
def hide(message_id: int):
    message = get_visible_or_404(Message, message_id, can_view_message)
    apply(lambda: services.hide(current_user, message), _("消息已隐藏。"))
    return redirect(url_for(".thread", thread_id=message.thread_id))
