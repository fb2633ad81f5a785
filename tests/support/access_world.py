"""The demo data set seen from seven people, for the access-control table: who owns what."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, time

import sqlalchemy as sa

from roadshow.accounts.models import Role, User, UserRole
from roadshow.api.tokens import create_token
from roadshow.conversations.models import Message, Thread
from roadshow.deals.models import Deal
from roadshow.extensions import db
from roadshow.investors.models import Fund, Institution, InstitutionType, VerificationStatus
from roadshow.financing.models import Confirmation, FinancingEvent, FinancingKind
from roadshow.loans.models import IpAsset, IpKind, IpStatus, LoanApplication, LoanProduct
from roadshow.matching.models import AdvisorRecipient, AdvisorRequest, SavedSearch
from roadshow.matchmaking.models import MatchmakingDay, MatchmakingMeeting, MatchmakingParty
from roadshow.meetings.models import AvailabilitySlot, MeetingMute, MeetingRequest
from roadshow.notifications.services import notify
from roadshow.listing.evidence import write_evidence
from roadshow.listing.models import ItemProgress, ListingList, ListingTag, ReadinessItem, ReadinessKind, Verification
from roadshow.organisers.models import (
    DecisionStatus, Organiser, OrganiserKind, OrganiserMember, OrganiserReviewer, VenueRequest,
)
from roadshow.projects.models import PUBLIC_STATUSES, Company, Project, ProjectStatus
from roadshow.roadshows.models import (
    Application, Booking, BookingStatus, RoadshowSession, Series, SeriesKind, SessionStatus, Slot, Venue,
)
from roadshow.scheduling.models import RuleKind, SessionTemplate
from roadshow.checkin.models import Attendance
from roadshow.training.models import TrainingMaterial
from roadshow.training.services import issue_certificate
from roadshow.screening.models import ReviewAssignment
from roadshow.common.choices import IndustryChain, Stage
from roadshow.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from roadshow_demo.pdf import DeckPage, build_pdf

from .factories import credit_code

ROLES = ("anonymous", "startup_a", "startup_b", "investor", "bank", "government", "host", "reviewer", "organiser",
         "admin")


def _first(query):
    row = db.session.scalars(query.limit(1)).first()
    assert row is not None, f"the demo data has no row for {query}"
    return row


def build_world() -> dict:
    """People and the ids each route argument gets. Startup A owns every object; the investor is its counterpart."""
    meeting = _first(sa.select(MeetingRequest).join(Project).where(Project.status.in_(PUBLIC_STATUSES))
                     .order_by(MeetingRequest.id))
    project = meeting.project
    company = project.company
    startup_a = _first(sa.select(User).where(User.company_id == company.id))
    startup_b = _first(sa.select(User).join(UserRole).where(UserRole.role == Role.STARTUP,
                                                            User.company_id != company.id, User.company_id.is_not(None)))
    investor = meeting.investor
    muted_company_id = _first(sa.select(Company.id).where(Company.id.not_in([company.id, startup_b.company_id]))
                              .order_by(Company.id))
    draft = Project(company=company, title="未公开的新项目", pitch="尚在准备", description="", use_of_funds="",
                    industry_chain=company.industry_chain, financing_round=project.financing_round,
                    amount_sought=10_000_000, status=ProjectStatus.DRAFT)
    db.session.add(draft)
    db.session.flush()
    assignment = _first(sa.select(ReviewAssignment).order_by(ReviewAssignment.id))
    slot = _first(sa.select(Slot).join(RoadshowSession).where(Slot.project_id == project.id))
    booking = _first(sa.select(Booking).where(Booking.user_id == investor.id, Booking.status == BookingStatus.CONFIRMED))
    note = notify(startup_a, "test", "给企业 A 的消息", email=False)
    token, _plain = create_token(startup_a, "A 的令牌", ["read"])
    availability = AvailabilitySlot(company_id=company.id, starts_at=datetime(2030, 1, 7, 2), ends_at=datetime(2030, 1, 7, 3),
                                    location="A 会议室")
    # A's request for a financial advisor, sent to the investor's institution (the demo's may be anyone's)
    advisor_request = AdvisorRequest(project=project, requested_by_id=startup_a.id, message="寻找财务顾问",
                                     recipients=[AdvisorRecipient(institution_id=investor.institution_id, score=80)])
    # A session that has ended, where A's public project pitched and the investor had a seat: its feedback form
    # is the investor's and its digest A's.
    ended = RoadshowSession(title="已结束的路演", venue=_first(sa.select(Venue)), starts_at=datetime(2026, 1, 5, 6),
                            ends_at=datetime(2026, 1, 5, 8), capacity=30, seats_taken=1, status=SessionStatus.ENDED,
                            slots=[Slot(project=project, position=0)])
    # the investor's institution muted a startup that is none of the seven people's (a third company's)
    mute = MeetingMute(institution_id=investor.institution_id, company_id=muted_company_id)
    db.session.add_all([availability, advisor_request, ended, Booking(session=ended, user=investor), mute])
    db.session.flush()
    matchmaking = _matchmaking_day(project, investor)
    bank_user, product, loan_application, ip_asset = _loans_of(company, startup_a, "world")
    event = _event_naming(company, investor.institution_id)
    people = {
        "startup_a": startup_a,
        "startup_b": startup_b,
        "investor": investor,
        "bank": bank_user,
        "government": _first(sa.select(User).join(UserRole).where(UserRole.role == Role.GOVERNMENT)),
        "host": _first(sa.select(User).where(User.email == "host1@roadshow.demo")),
        "reviewer": assignment.reviewer,
        "organiser": _first(sa.select(User).where(User.email == "organiser1@roadshow.demo")),
        "admin": _first(sa.select(User).where(User.email == "admin@roadshow.demo")),
    }
    ids = {
        "project_id": draft.id,  # unpublished: only its company (and admins) may see it
        "public_project_id": project.id,
        "session_id": slot.session_id,
        "ended_session_id": ended.id,
        "booking_id": booking.id,
        "meeting_id": meeting.id,
        "deal_id": _first(sa.select(Deal).where(Deal.project_id == project.id)).id,
        "fund_id": _first(sa.select(Fund).where(Fund.institution_id == investor.institution_id)).id,
        "public_fund_id": _first(sa.select(Fund).where(Fund.institution_id == investor.institution_id)).id,
        "institution_id": investor.institution_id,
        "search_id": _first(sa.select(SavedSearch).where(SavedSearch.user_id == investor.id)).id,
        "request_id": advisor_request.id,
        "application_id": _first(sa.select(Application).where(Application.id == assignment.application_id)).id,
        "assignment_id": assignment.id,
        "token_id": token.id,
        "notification_id": note.id,
        "slot_id": slot.id,
        "availability_slot_id": availability.id,
        "mute_id": mute.id,
        "user_id": startup_b.id,
        "reviewer_id": assignment.reviewer_id,
        "template_id": _first(sa.select(SessionTemplate)).id,
        "venue_id": _first(sa.select(Venue)).id,
        "series_id": _first(sa.select(Series)).id,
        "slug": _first(sa.select(Series)).slug,
        "day_id": matchmaking.day_id,
        "matchmaking_meeting_id": matchmaking.id,
        "product_id": product.id,
        "application_id_loan": loan_application.id,
        "asset_id": ip_asset.id,
        "event_id": event.id,
    }
    ids.update(_webhook_ids(startup_a))
    ids.update(_organiser_ids("organiser1@roadshow.demo", draft))
    ids.update(_training_ids("organiser1@roadshow.demo", startup_a))
    ids.update(_listing_ids(company, "organiser1@roadshow.demo", startup_a))
    thread = Thread(meeting_id=meeting.id, last_message_at=datetime(2030, 1, 1))
    db.session.add(thread)
    db.session.flush()
    message = Message(thread_id=thread.id, author_id=investor.id, body="A 与投资人的对话")
    db.session.add(message)
    db.session.flush()
    ids.update(thread_id=thread.id, message_id=message.id)
    foreign = _foreign_ids(people, draft)
    db.session.commit()
    return {"people": people, "ids": ids, "foreign": foreign}


def _matchmaking_day(project: Project, investor: User) -> MatchmakingMeeting:
    """A published matchmaking day where A's project meets the investor (any investor may see a day, to join it)."""
    day = MatchmakingDay(title="A 与投资人的对接会", starts_at=datetime(2030, 1, 9, 2), deadline=datetime(2030, 1, 8, 2),
                         published_at=datetime(2029, 12, 1))
    db.session.add(day)
    db.session.flush()
    startup, investor_party = MatchmakingParty(day_id=day.id, project_id=project.id), MatchmakingParty(
        day_id=day.id, user_id=investor.id)
    db.session.add_all([startup, investor_party])
    db.session.flush()
    # pinned: an admin's re-solve (tried before the meeting's own routes) leaves it in place
    meeting = MatchmakingMeeting(day_id=day.id, investor_id=investor_party.id, startup_id=startup.id, slot=0, pinned=True)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _loans_of(company: Company, applicant: User, tag: str) -> tuple:
    """A verified bank with a member and an open product, the company's application to it and one patent of its."""
    bank = Institution(name=f"访问测试银行{tag}", type=InstitutionType.BANK, verification_status=VerificationStatus.VERIFIED)
    member = User(email=f"bank-{tag}@roadshow.demo", name="银行客户经理", institution=bank)
    member.set_password("roadshow-demo-2026")
    member.grant(Role.INVESTOR)
    product = LoanProduct(institution=bank, name=f"测试科技贷{tag}", kind="rnd", collateral="none",
                          amount_min=100_000, amount_max=10_000_000, rate_min=3, rate_max=5, term_min_months=1,
                          term_max_months=36, rules=[])
    application = LoanApplication(product=product, company_id=company.id, applicant_id=applicant.id, amount=1_000_000,
                                  term_months=12, purpose="研发")
    asset = IpAsset(company_id=company.id, kind=IpKind.TRADEMARK, number=f"{company.id:07d}", title="商标",
                    status=IpStatus.GRANTED, owner=company.name)
    db.session.add_all([bank, member, product, application, asset])
    db.session.flush()
    return member, product, application, asset


def _event_naming(company: Company, institution_id: int) -> FinancingEvent:
    """The company's equity round from this institution, waiting for it to confirm."""
    event = FinancingEvent(company_id=company.id, kind=FinancingKind.EQUITY, amount=5_000_000,
                           occurred_on=datetime(2026, 10, 1).date(), institution_id=institution_id,
                           confirmation=Confirmation.PENDING)
    db.session.add(event)
    db.session.flush()
    return event


def _foreign_ids(people: dict, draft: Project) -> dict:
    """Records none of the seven people owns or takes part in: a third company C's and other investors'.
    Only admins may see them; these are the ids the argument names get when other people's records are probed."""
    ours = [user.id for user in people.values()]
    companies = [people["startup_a"].company_id, people["startup_b"].company_id]
    institution = people["investor"].institution_id
    company_c = _first(sa.select(Company).where(Company.id.not_in(companies)).order_by(Company.id))
    member_c = _first(sa.select(User).where(User.company_id == company_c.id))
    other_institution = _first(sa.select(Institution).where(Institution.id != institution).order_by(Institution.id))
    their_meeting = _first(sa.select(MeetingRequest).join(Project)
                           .where(Project.company_id.not_in(companies), MeetingRequest.investor_id.not_in(ours)))
    hidden = Project(company=company_c, title="C 的未公开项目", pitch="尚在准备", description="", use_of_funds="",
                     industry_chain=company_c.industry_chain, financing_round=draft.financing_round,
                     amount_sought=10_000_000, status=ProjectStatus.DRAFT)
    request = AdvisorRequest(project=hidden, requested_by_id=member_c.id, message="C 的财务顾问需求")
    availability = AvailabilitySlot(company_id=company_c.id, starts_at=datetime(2030, 1, 8, 2),
                                    ends_at=datetime(2030, 1, 8, 3), location="C 会议室")
    mute = MeetingMute(institution_id=other_institution.id, company_id=company_c.id)
    thread = Thread(meeting_id=their_meeting.id)
    db.session.add_all([hidden, request, availability, mute, thread])
    db.session.flush()
    message = Message(thread_id=thread.id, author_id=their_meeting.investor_id, body="别人的对话")
    db.session.add(message)
    db.session.flush()
    theirs = Project.company_id.not_in(companies)
    return {
        "project_id": hidden.id,
        "public_project_id": hidden.id,  # routes that take a public project get C's unpublished one
        "booking_id": _first(sa.select(Booking).where(Booking.user_id.not_in(ours))).id,
        "meeting_id": _first(sa.select(MeetingRequest).join(Project)
                             .where(theirs, MeetingRequest.investor_id.not_in(ours))).id,
        "deal_id": _first(sa.select(Deal).join(Project).where(theirs, Deal.institution_id != institution)).id,
        "fund_id": _first(sa.select(Fund).where(Fund.institution_id != institution)).id,
        "search_id": _first(sa.select(SavedSearch).where(SavedSearch.user_id.not_in(ours))).id,
        "request_id": request.id,
        "application_id": _first(sa.select(Application).join(Project).where(theirs)).id,
        "assignment_id": _first(sa.select(ReviewAssignment).where(ReviewAssignment.reviewer_id.not_in(ours))).id,
        "token_id": create_token(member_c, "C 的令牌", ["read"])[0].id,
        "notification_id": notify(member_c, "test", "给企业 C 的消息", email=False).id,
        "availability_slot_id": availability.id,
        **_foreign_loans(company_c, member_c),
        **_webhook_ids(member_c),
        "mute_id": mute.id,
        "thread_id": thread.id,
        "message_id": message.id,
        # the other partner organiser's series, session and an application to it
        **_organiser_ids("organiser2@roadshow.demo", hidden),
        # its training course and a material for those registered (its materials page itself is public)
        **{name: value for name, value in _training_ids("organiser2@roadshow.demo", member_c).items()
           if name in ("course_id", "course_session_id", "material_id")},
        # a company none of them belongs to, without a public project, tagged by the other organiser
        **_listing_ids(_listed_company_d(), "organiser2@roadshow.demo", None),
    }


def _organiser_ids(member_email: str, project: Project) -> dict:
    """The series of the organiser that member acts for, its session, an application of `project` to it, a template
    of the series, a reviewer of the organiser's pool assigned to that application; and a pending organisation
    applying, with a venue request of that series (admins decide both)."""
    member = _first(sa.select(User).where(User.email == member_email))
    series = _first(sa.select(Series).join(Organiser, Series.organiser_id == Organiser.id)
                    .where(Organiser.applied_by_id == member.id).order_by(Series.id))
    session = _first(sa.select(RoadshowSession).where(RoadshowSession.series_id == series.id))
    application = Application(project_id=project.id, series_id=series.id)
    applying = Organiser(name=f"申请中的主办方{member.id}", kind=OrganiserKind.PARK, contact_name="联系人",
                         status=DecisionStatus.PENDING)
    db.session.add_all([application, applying])
    db.session.flush()
    venue_request = db.session.scalars(sa.select(VenueRequest).where(VenueRequest.session_id == session.id)).first()
    if venue_request is None:
        venue_request = VenueRequest(session_id=session.id, organiser_id=series.organiser_id)
        db.session.add(venue_request)
        db.session.flush()
    template = SessionTemplate(name=f"{series.name}·每周四", title_pattern="{series} · {date}",
                               title_pattern_en="{series} · {date}", series_id=series.id,
                               venue_id=session.venue_id, rule=RuleKind.WEEKLY, weekdays=[3], start_time=time(14),
                               end_time=time(16), capacity=40, slots_count=4, valid_from=datetime(2026, 1, 1).date())
    reviewer = User(email=f"pool-reviewer-{member.id}@roadshow.demo", name="主办方评审专家")
    reviewer.set_password("roadshow-demo-2026")
    reviewer.grant(Role.REVIEWER)
    db.session.add_all([template, reviewer])
    db.session.flush()
    assignment = ReviewAssignment(application_id=application.id, reviewer_id=reviewer.id, assigned_by_id=member.id)
    db.session.add_all([OrganiserReviewer(organiser_id=series.organiser_id, user_id=reviewer.id), assignment])
    db.session.flush()
    return {"organiser_series_id": series.id, "organiser_session_id": session.id,
            "organiser_application_id": application.id, "organiser_id": applying.id,
            "venue_request_id": venue_request.id, "organiser_template_id": template.id,
            "organiser_reviewer_id": reviewer.id, "organiser_assignment_id": assignment.id}


def _training_ids(member_email: str, attendee: User) -> dict:
    """A training course of the organiser that member acts for: one held session, the attendee registered and
    checked in there (so the course is complete and the certificate issued), a material for those registered."""
    member = _first(sa.select(User).where(User.email == member_email))
    organiser = _first(sa.select(Organiser).where(Organiser.applied_by_id == member.id))
    series = Series(name=f"{organiser.name}·访问测试培训", slug=f"access-training-{organiser.id}", kind=SeriesKind.TRAINING,
                    organiser_id=organiser.id)
    session = RoadshowSession(title="访问测试培训·第一讲", series=series, venue=_first(sa.select(Venue)), capacity=30,
                              starts_at=datetime(2026, 1, 12, 1), ends_at=datetime(2026, 1, 12, 3), seats_taken=1,
                              status=SessionStatus.ENDED)
    booking = Booking(session=session, user=attendee)
    db.session.add_all([series, session, booking])
    db.session.flush()
    material = TrainingMaterial(session_id=session.id, title="仅报名者可见的资料", url="https://example.org/handout")
    db.session.add_all([material, Attendance(booking_id=booking.id, session_id=session.id)])
    db.session.flush()
    return {"course_id": series.id, "training_session_id": session.id, "course_session_id": session.id,
            "material_id": material.id, "verification_code": issue_certificate(attendee, series).code}


def _listing_ids(company: Company, member_email: str, founder: User | None) -> dict:
    """The organiser that member acts for tags the company (the tag's id), and the company's share-reform
    item, with an evidence file, waiting for a check."""
    member = _first(sa.select(User).where(User.email == member_email))
    organiser_id = db.session.get(OrganiserMember, member.id).organiser_id
    tag = ListingTag(company_id=company.id, cultivation_list=ListingList.WUHAN_RESERVE, batch="2026年第一批",
                     organiser_id=organiser_id, tagged_by_id=member.id)
    item = db.session.scalars(sa.select(ReadinessItem).where(ReadinessItem.company_id == company.id,
                                                             ReadinessItem.kind == ReadinessKind.SHARE_REFORM)).first()
    if item is None:
        item = ReadinessItem(company_id=company.id, kind=ReadinessKind.SHARE_REFORM, progress=ItemProgress.DONE,
                             note="已完成股改", updated_by_id=founder.id if founder else None)
    item.verification, item.checked_by_id, item.checked_at = Verification.UNVERIFIED, None, None
    item.evidence_file, item.evidence_name = write_evidence(build_pdf([DeckPage("股改决议")])), "股改决议.pdf"
    db.session.add_all([tag, item])
    db.session.flush()
    return {"tag_id": tag.id, "company_id": company.id}


def _listed_company_d() -> Company:
    company = Company(name="访问测试企业D", credit_code=credit_code(990_001), industry_chain=IndustryChain.AI,
                      stage=Stage.A, city="武汉", founded_year=2020)
    db.session.add(company)
    db.session.flush()
    return company


def _foreign_loans(company_c: Company, member_c: User) -> dict:
    """Company C's application to another bank's product, an unpublished product of that bank, and C's patent."""
    _member, product, application, asset = _loans_of(company_c, member_c, "c")
    product.is_published = False
    return {"product_id": product.id, "application_id_loan": application.id, "asset_id": asset.id,
            "event_id": _event_naming(company_c, _member.institution_id).id}


def _webhook_ids(owner: User) -> dict:
    """A webhook subscription of `owner`'s, with one delivery in its log."""
    subscription = WebhookSubscription(owner_id=owner.id, url="https://partner.example.org/hook",
                                       events=[WebhookEvent.SESSION_CREATED.value], secret="whsec_test")
    db.session.add(subscription)
    db.session.flush()
    delivery = WebhookDelivery(subscription_id=subscription.id, event=WebhookEvent.SESSION_CREATED,
                               event_id="00000000-0000-0000-0000-000000000000", body="{}")
    db.session.add(delivery)
    db.session.flush()
    return {"webhook_id": subscription.id, "delivery_id": delivery.id}


def seeded_world(folder, migrated_template, prepare=None) -> tuple:
    """A database with the demo data and the world above (then `prepare()` if given), ready to copy per test:
    (folder, database file, world with people as emails)."""
    from roadshow import create_app
    from roadshow_demo.seed import seed_demo

    from ..conftest import config_for

    db_file = folder / "seeded.sqlite3"
    app = create_app({**config_for(folder, db_file, template=migrated_template), "UPLOAD_DIR": str(folder / "uploads")})
    with app.app_context():
        seed_demo()
        db.session.commit()
        world = build_world()
        world["people"] = {role: user.email for role, user in world["people"].items()}
        if prepare is not None:
            prepare()
            db.session.commit()
        db.session.remove()
        db.engine.dispose()  # closing the last connection checkpoints SQLite's WAL into the file that is copied
    return folder, db_file, world


@contextmanager
def visiting(seeded: tuple, tmp_path, role: str):
    """(app, client, world): an app on a fresh copy of the seeded database, inside its app context, and a client
    signed in as `role` (or anonymous); the copy is dropped afterwards."""
    from roadshow import create_app

    from ..conftest import IsolatedClient, config_for, databases

    folder, template, world = seeded
    db_file = tmp_path / "probe.sqlite3"
    app = create_app({**config_for(tmp_path, db_file, template=template), "UPLOAD_DIR": str(folder / "uploads")})
    app.test_client_class = IsolatedClient
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/login", data={"email": world["people"][role], "password": "roadshow-demo-2026"})
        assert response.status_code == 302
    try:
        with app.app_context():
            try:
                yield app, client, world
            finally:
                db.session.remove()
                db.engine.dispose()
    finally:
        databases.drop(db_file)
