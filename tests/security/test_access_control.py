"""Every route, tried by each of seven people on the demo data: allowed, sent to log in, or denied.

A route missing from ACCESS fails the test, so a new page cannot ship without a decision about who
may use it. Object ids belong to startup A (or to its counterpart investor), so startup B and the
others probe object-level access (IDOR) on every route that takes an id.
"""
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from roadshow.audit.models import AuditEntry
from roadshow.extensions import db

from ..support.access_world import ROLES, seeded_world, visiting


@dataclass(frozen=True)
class Rule:
    """Who may use a route. Anonymous callers outside `allowed` are sent to log in (or refused, for
    public routes whose object is hidden); logged-in callers outside it are refused."""
    allowed: frozenset
    anonymous: str = "login"
    others: str = "denied"

    def expected(self, role: str) -> str:
        if role in self.allowed:
            return "ok"
        return self.anonymous if role == "anonymous" else self.others


ALL = frozenset(ROLES)
USERS = ALL - {"anonymous"}
STARTUPS = frozenset({"startup_a", "startup_b"})
A = frozenset({"startup_a"})
ADMIN = frozenset({"admin"})
INVESTOR = frozenset({"investor"})
REVIEWER = frozenset({"reviewer"})
BANK = frozenset({"bank"})
ORGANISER = frozenset({"organiser"})
NOBODY = frozenset()

PUBLIC = Rule(ALL)
SIGNED_IN = Rule(USERS)
ADMINS = Rule(ADMIN)
STARTUP_PAGES = Rule(STARTUPS)
OWN_PROJECT = Rule(A)  # startup A's unpublished project and what hangs off it: nobody else, not even by id
INVESTOR_PAGES = Rule(INVESTOR)
REVIEWER_PAGES = Rule(REVIEWER)
PARTIES = Rule(A | INVESTOR | ADMIN)  # a meeting or deal: the startup, the investor, admins
TOKEN_WRITE = Rule(NOBODY, others="login")  # API writes need a Bearer token; a cookie is never enough
HIDDEN = Rule(NOBODY, anonymous="denied")  # 404 for everyone: an unpublished object or a wrong secret
LENDER_PAGES = Rule(BANK)
INSTITUTION_MEMBERS = Rule(INVESTOR | BANK)  # a bank's (guarantor's, tech-insurer's) products and the applications to them

ACCESS: dict[str, Rule] = {
    # public pages, feeds and the API's public reads
    **dict.fromkeys([
        "roadshows.home", "roadshows.sessions", "roadshows.session_detail", "scheduling.calendar_page",
        "scheduling.series_feed", "scheduling.subscribe", "projects.public_list", "investors.public_list",
        "investors.detail", "investors.fund_detail", "live.room", "live.record", "api_docs.docs", "ops.healthz", "ops.readyz", "ops.favicon",
        "accounts.login", "accounts.register", "accounts.registration_sent", "accounts.confirm_email",
        "accounts.forgot_password", "accounts.reset_password",
        "api-docs.openapi_json", "api.list_sessions", "api.get_session", "api.list_projects", "api.list_institutions",
        "api.get_institution", "api.list_series", "api.list_venues", "i18n.switch",
        "loans.products", "loans.product_detail", "api.list_loan_products", "api.get_loan_product",
    ], PUBLIC),
    **dict.fromkeys(["scheduling.user_feed", "api.get_project"], HIDDEN),
    # the media server's calls: refused without the stream key (or, for auth_request, without a media URI);
    # a replay playlist of a session with no recording
    **dict.fromkeys(["live.media_publish", "live.media_publish_done", "live.media_record_done", "live.media_authorize",
                     "live.replay_playlist"], HIDDEN),
    "live.replay_settings": Rule(ADMIN, anonymous="denied"),  # admins publish or take down a replay
    "live.remove_chapter": Rule(A),  # the presenting startup, for its own chapter
    "projects.detail": Rule(A | ADMIN, anonymous="denied"),
    **dict.fromkeys(["projects.download_deck", "projects.read_deck", "projects.deck_file", "projects.deck_event"],
                    Rule(A | INVESTOR | BANK | {"host", "admin"}, anonymous="denied")),
    # who read a deck: the owning company and admins; 404 for everyone else
    "projects.deck_analytics_page": Rule(A | ADMIN, anonymous="denied"),
    # every signed-in user, each seeing only their own
    **dict.fromkeys([
        "accounts.account", "accounts.change_password", "api_tokens.index", "api_tokens.create",
        "notifications.index", "notifications.mark_all_read", "meetings.index", "deals.index",
        "scheduling.regenerate_feed", "api.me", "api.list_bookings", "api.list_waitlist", "api.list_applications",
        "api.list_my_projects", "api.list_meetings", "api.list_matches", "api.list_feedback", "api.list_webhooks",
        "api.my_loan_eligibility", "api.my_loan_applications", "api.my_financing_events",
        "conversations.index", "api.list_threads",
    ], SIGNED_IN),
    **dict.fromkeys(["api_tokens.revoke", "notifications.mark_read"], OWN_PROJECT),  # A's own token, A's message
    **dict.fromkeys(["api.get_webhook", "api.list_deliveries"], OWN_PROJECT),  # A's webhook subscription
    **dict.fromkeys(["api.create_booking", "api.cancel_booking", "api.create_meeting", "api.leave_waitlist",
                     "api.put_feedback", "api.create_webhook", "api.update_webhook", "api.delete_webhook",
                     "api.replay_delivery", "api.accept_meeting", "api.decline_meeting", "api.cancel_meeting",
                     "api.open_thread", "api.post_message", "api.read_thread"], TOKEN_WRITE),
    # startups
    **dict.fromkeys([
        "projects.my_company", "projects.my_projects", "projects.new_project", "screening.apply_page",
        "screening.my_applications", "meetings.availability", "matching.ask_advisor", "meetings.ask", "feedback.digests",
        "loans.my_loans", "loans.my_ip", "loans.apply_for", "financing.my_financing", "financing.answer_not_yet",
        "financing.opt_out",
    ], STARTUP_PAGES),
    **dict.fromkeys([
        "projects.edit_project", "projects.upload_deck", "projects.submit_project", "projects.withdraw_project",
        "screening.withdraw", "meetings.delete_slot", "matching.close_advisor_request",
        "loans.delete_ip", "loans.reply", "loans.withdraw",
    ], OWN_PROJECT),
    "matching.project_matches": Rule(A | ADMIN),
    # matchmaking days: any investor sees a day (to join it), a startup the days it takes part in
    "matchmaking.index": SIGNED_IN,
    # (a bank's member is an investor too: it may see a published day, join it and mark its preferences)
    "matchmaking.day": Rule(A | INVESTOR | BANK | ADMIN),
    "matchmaking.join": INSTITUTION_MEMBERS,
    "matchmaking.save_marks": Rule(A | INVESTOR | BANK),
    **dict.fromkeys(["matchmaking.agenda_ics", "api.get_matchmaking_preferences", "api.get_matchmaking_agenda"],
                    Rule(A | INVESTOR)),
    "api.put_matchmaking_preferences": TOKEN_WRITE,
    **dict.fromkeys(["matchmaking.new_day", "matchmaking.schedule", "matchmaking.add_startup", "matchmaking.solve",
                     "matchmaking.publish", "matchmaking.meeting", "matchmaking.pin"], ADMINS),
    "feedback.digest_page": Rule(A | ADMIN),  # the digest of A's pitch in a session that ended
    # lenders: their products and the applications to them; one application: the company, the lender, admins
    **dict.fromkeys([
        "loans.edit_product", "loans.request_info", "loans.approve", "loans.decline",
    ], LENDER_PAGES),
    "loans.application_detail": Rule(A | BANK | ADMIN),
    # government departments (and the center's staff): the outcome dashboard and its exports, read only
    **dict.fromkeys(["government.dashboard", "government.export"], Rule(frozenset({"government"}) | ADMIN)),
    # investors
    # (a bank's member has the investor role too: the pages of any institution member are also its own)
    **dict.fromkeys([
        "investors.my_institution", "investors.new_fund", "matching.index", "matching.flag", "matching.express_list",
        "matching.advisor_requests", "meetings.request_meeting", "financing.institution_events",
        "loans.lender_products", "loans.new_product", "loans.lender_applications",  # non-lenders are sent on
        "feedback.index",
    ], INSTITUTION_MEMBERS),
    # the investor's own funds, bookings, subscriptions and advisor requests
    **dict.fromkeys([
        "investors.edit_fund", "investors.delete_fund", "roadshows.cancel_booking", "scheduling.booking_ics",
        "matching.express_edit", "matching.express_toggle", "matching.express_delete", "matching.engage_advisor_request",
        "financing.confirm", "financing.dispute",  # a round A reported with the investor's institution
        "feedback.give", "meetings.mute", "meetings.unmute",
    ], INVESTOR_PAGES),
    # the two parties of a meeting or a deal
    **dict.fromkeys([
        "meetings.detail", "meetings.accept", "meetings.decline", "meetings.cancel", "meetings.held",
        "meetings.propose", "deals.detail", "conversations.for_meeting", "conversations.for_deal",
        "conversations.thread", "conversations.post", "conversations.read", "conversations.block",
        "conversations.unblock", "conversations.report", "api.list_messages",
    ], PARTIES),
    # reviewers: their profile and only the applications assigned to them
    **dict.fromkeys([
        "screening.my_profile", "screening.my_reviews", "screening.review", "screening.review_deck",
    ], REVIEWER_PAGES),
    # the center's staff
    **dict.fromkeys([
        "admin.dashboard", "admin.institutions", "admin.verify_institution", "admin.reject_institution",
        "admin.review_queue", "admin.start_review", "admin.approve_project", "admin.reject_project",
        "admin.venues", "admin.edit_venue", "admin.series_list", "admin.edit_series", "admin.sessions",
        "admin.new_session", "admin.edit_session", "admin.cancel_session", "admin.move_slot", "admin.remove_slot",
        "admin.users", "admin.set_user_roles", "admin.toggle_user", "audit.index", "jobs.index", "jobs.run_now",
        "official.index", "official.apply",
        "stats.dashboard", "stats.export", "scheduling.templates", "scheduling.new_template",
        "scheduling.edit_template", "scheduling.delete_template", "screening.admin_applications",
        "screening.admin_application", "screening.accept", "screening.reject", "screening.assign_reviewer",
        "screening.remove_assignment", "screening.admin_reviewers", "screening.admin_reviewer",
        "matching.admin_sessions", "matching.session_matrix", "matching.invite", "matching.recompute",
        "conversations.hide",
    ], ADMINS),
    "accounts.logout": SIGNED_IN,
    # registration: anyone signed in registers as the types a session admits that they qualify for (the service
    # refuses the others); the session's questions, registrants and export: admins and its series' organiser
    **dict.fromkeys(["roadshows.book", "roadshows.register", "roadshows.leave_waitlist", "roadshows.my_bookings"],
                    SIGNED_IN),
    **dict.fromkeys(["roadshows.session_questions", "roadshows.delete_session_question", "roadshows.registrations",
                     "roadshows.export_registrations", "roadshows.series_questions",
                     "roadshows.delete_series_question"], Rule(ORGANISER | ADMIN)),
    # partner organisers: anyone signed in may apply; an approved organiser's pages, scoped to its own series
    "organisers.apply_page": SIGNED_IN,
    **dict.fromkeys([
        "organisers.dashboard", "organisers.new_series", "organisers.edit_series", "organisers.venues",
        "organisers.new_session", "organisers.edit_session", "organisers.accept", "organisers.reject",
        "organisers.templates", "organisers.new_template", "organisers.edit_template", "organisers.delete_template",
        "organisers.generate_template", "organisers.application", "organisers.assign_reviewer",
        "organisers.remove_assignment", "organisers.reviewers", "organisers.remove_reviewer",
    ], Rule(ORGANISER)),
    # check-in: the holder's ticket; the door of a session for admins, its host and its series' organiser
    **dict.fromkeys(["checkin.ticket", "checkin.ticket_qr"], INVESTOR_PAGES),
    "checkin.door": Rule(frozenset({"host"}) | ORGANISER | ADMIN),
    **dict.fromkeys([
        "organisers_admin.index", "organisers_admin.approve", "organisers_admin.decline",
        "organisers_admin.approve_venue", "organisers_admin.decline_venue",
    ], ADMINS),
    # training: a session's materials page is public (each reader sees what is theirs); a material for those
    # registered (startup A), admins and the series' organiser; courses managed by admins and their organiser;
    # A completed its course, so only A gets a certificate; anyone may verify one
    "training.session_materials": PUBLIC,
    "training.download_material": Rule(A | ORGANISER | ADMIN, anonymous="denied"),
    **dict.fromkeys(["training.add_material", "training.set_material_visibility", "training.delete_material",
                     "training.courses", "training.course", "training.course_csv"], Rule(ORGANISER | ADMIN)),
    "training.my_training": SIGNED_IN,
    "training.certificate": Rule(A),
    "certificates.verify": PUBLIC,
    # the listing track: the staff's list, tagging and withdrawing (an organiser: its own tags and the companies
    # it tagged); company A's listing page: A, the staff who may check it, and verified investors (the summary of
    # a company on the track with a public project); A keeps its checklist, staff check it, never A itself
    **dict.fromkeys(["listing.index", "listing.export", "listing.tag", "listing.withdraw", "listing.verify",
                     "listing.reject"], Rule(ORGANISER | ADMIN)),
    "listing.mine": STARTUP_PAGES,
    "listing.company": Rule(A | ORGANISER | ADMIN | INVESTOR | BANK, anonymous="denied"),
    "listing.save_item": OWN_PROJECT,
    "listing.evidence_file": Rule(A | ORGANISER | ADMIN, anonymous="denied"),
}

# Arguments taking something other than the default id of their name.
ARGUMENTS = {
    "meetings.delete_slot": {"slot_id": "availability_slot_id"},
    "meetings.request_meeting": {"project_id": "public_project_id"},
    "matching.flag": {"project_id": "public_project_id"},
    "matching.project_matches": {"project_id": "public_project_id"},
    "matching.ask_advisor": {"project_id": "public_project_id"},
    "feedback.give": {"session_id": "ended_session_id", "project_id": "public_project_id"},
    "feedback.digest_page": {"session_id": "ended_session_id", "project_id": "public_project_id"},
    "projects.download_deck": {"project_id": "public_project_id"},
    "projects.read_deck": {"project_id": "public_project_id"},
    "projects.deck_file": {"project_id": "public_project_id"},
    "projects.deck_event": {"project_id": "public_project_id"},
    "projects.deck_analytics_page": {"project_id": "public_project_id"},
    "investors.fund_detail": {"fund_id": "public_fund_id"},  # a verified institution's fund: public
    "screening.admin_reviewer": {"user_id": "reviewer_id"},
    "matchmaking.meeting": {"meeting_id": "matchmaking_meeting_id"},
    "matchmaking.pin": {"meeting_id": "matchmaking_meeting_id"},
    **dict.fromkeys(["organisers.edit_series", "organisers.new_session"], {"series_id": "organiser_series_id"}),
    **dict.fromkeys(["organisers.edit_session", "checkin.door", "roadshows.session_questions",
                     "roadshows.delete_session_question", "roadshows.registrations", "roadshows.export_registrations"],
                    {"session_id": "organiser_session_id"}),
    **dict.fromkeys(["roadshows.series_questions", "roadshows.delete_series_question"],
                    {"series_id": "organiser_series_id"}),
    **dict.fromkeys(["organisers.accept", "organisers.reject", "organisers.application", "organisers.assign_reviewer"],
                    {"application_id": "organiser_application_id"}),
    "organisers.remove_assignment": {"assignment_id": "organiser_assignment_id"},
    "organisers.remove_reviewer": {"user_id": "organiser_reviewer_id"},
    "training.session_materials": {"session_id": "training_session_id"},
    "training.add_material": {"session_id": "course_session_id"},
    **dict.fromkeys(["training.course", "training.course_csv", "training.certificate"], {"series_id": "course_id"}),
    **dict.fromkeys(["organisers.edit_template", "organisers.delete_template", "organisers.generate_template"],
                    {"template_id": "organiser_template_id"}),
    **dict.fromkeys(["loans.application_detail", "loans.request_info", "loans.reply", "loans.approve",
                     "loans.decline", "loans.withdraw"], {"application_id": "application_id_loan"}),
}
FIXED = {"fmt": "csv", "recording_id": 1, "job_id": "reminders", "direction": "down", "token": "not-a-real-token", "name": "monthly",
         "filename": "css/app.css", "code": "en",
         "kind": "share_reform", "attendee_type": "public", "question_id": 1}
SKIPPED = {"accounts.logout"}  # would end the prober's own session; covered in test_security_auth
# Run last, so that they do not remove what the other routes are tried on.
DESTRUCTIVE = re.compile(r"delete|remove|revoke|cancel|toggle|withdraw|decline|close|leave")
GONE = re.compile(r"delete|remove")  # the very last: after them the object no longer exists


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, migrated_template):
    return seeded_world(tmp_path_factory.mktemp("access"), migrated_template)


def url_for_rule(app, rule, ids) -> str:
    names = ARGUMENTS.get(rule.endpoint, {})
    values = {arg: FIXED.get(arg, ids.get(names.get(arg, arg))) for arg in rule.arguments}
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def outcome(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 401 or (response.status_code == 302 and "/login" in location):
        return "login"
    if response.status_code in (403, 404):
        return "denied"
    assert response.status_code < 500, (response.request.path, response.get_data(as_text=True)[-300:])
    return "ok"


def probe(role, seeded, tmp_path):
    results = {}
    with visiting(seeded, tmp_path, role) as (app, client, world):
        rules = sorted(app.url_map.iter_rules(), key=lambda r: (GONE.search(r.endpoint) is not None,
                                                                 DESTRUCTIVE.search(r.endpoint) is not None,
                                                                 "POST" in r.methods, r.rule))
        for rule in rules:
            if rule.endpoint in SKIPPED or rule.endpoint == "static":
                continue
            url = url_for_rule(app, rule, world["ids"])
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                results[(rule.endpoint, rule.rule, method)] = outcome(client.open(url, method=method))
    return results


def test_every_route_has_an_access_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert sorted(endpoints - ACCESS.keys()) == [], "new routes need an entry in ACCESS"
    assert sorted(ACCESS.keys() - endpoints) == [], "ACCESS names routes that no longer exist"


def test_every_admin_url_is_for_admins_only(app):
    """Everything under /admin is the center's staff's: the table (proved by the probe below) may not say otherwise."""
    admin_urls = {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")}
    assert admin_urls and {endpoint: ACCESS[endpoint] for endpoint in admin_urls if ACCESS[endpoint] != ADMINS} == {}


def test_organiser_accounts_never_verify_institutions_or_import_official_lists(app):
    """A partner organiser's power ends at its own series: the center's trust decisions stay the center's. The table
    says so for every route of those domains, and the probe below proves the table."""
    center_only = [rule.endpoint for rule in app.url_map.iter_rules()
                   if rule.endpoint.startswith("official.") or "institution" in rule.endpoint
                   and rule.endpoint.startswith("admin.")]
    assert {"admin.verify_institution", "official.apply"} <= set(center_only)
    assert {endpoint: ACCESS[endpoint] for endpoint in center_only if ACCESS[endpoint] != ADMINS} == {}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_allows(role, seeded, tmp_path):
    results = probe(role, seeded, tmp_path)
    wrong = {f"{method} {rule} ({endpoint})": (outcome, ACCESS[endpoint].expected(role))
             for (endpoint, rule, method), outcome in results.items() if outcome != ACCESS[endpoint].expected(role)}
    assert wrong == {}, f"{role}: (got, expected) {wrong}"




# PDFs that are not pitch decks (besides the training domain's): a listing checklist item's evidence file
OTHER_PDFS = {"listing.evidence_file"}


def deck_downloads() -> int:
    """Decks sent, as a download or to the browser viewer."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action.in_(("deck.download", "deck.view"))))


def test_every_route_that_serves_a_deck_records_one_download(seeded, tmp_path):
    """Walk every GET route as each person: a response that is a deck wrote exactly one audit entry,
    any other response none, whichever route served it."""
    serving, wrong = set(), {}
    for role in ROLES:
        (tmp_path / role).mkdir()
        with visiting(seeded, tmp_path / role, role) as (app, client, world):
            for rule in app.url_map.iter_rules():
                if "GET" not in rule.methods or rule.endpoint in SKIPPED or rule.endpoint == "static":
                    continue
                before = deck_downloads()
                response = client.get(url_for_rule(app, rule, world["ids"]))
                # a training handout or a certificate is a PDF too, but no deck; so is a listing item's evidence
                is_deck = (response.mimetype == "application/pdf" and not rule.endpoint.startswith("training.")
                           and rule.endpoint not in OTHER_PDFS)
                if is_deck:
                    serving.add(rule.endpoint)
                recorded = deck_downloads() - before
                if recorded != int(is_deck):
                    wrong[f"{role} {rule.endpoint}"] = (response.status_code, recorded)
    assert wrong == {}, "(status, deck.download/deck.view entries written)"
    # the walk reached a deck through the project page, the viewer and a reviewer's assignment
    assert {"projects.download_deck", "projects.deck_file", "screening.review_deck"} <= serving


MISSING_ID = 987_654  # no row has it
# Form data that makes a route act when the caller may (so that a write it should not make shows).
BODIES = {"matching.flag": {"flag": "saved"}, "meetings.request_meeting": {"message": "想约见"},
          "matching.ask_advisor": {"message": "寻找财务顾问"}, "meetings.cancel": {"reason": "改期"},
          "meetings.decline": {"reason": "不合适"}}


def database_rows() -> list:
    return [db.session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            for table in db.metadata.sorted_tables]


def answer(response):
    """What a response tells the caller: sent to log in, or its status."""
    location = response.headers.get("Location", "")
    return "login" if response.status_code == 401 or "/login" in location else response.status_code


@pytest.mark.parametrize("role", [role for role in ROLES if role != "admin"])
def test_other_peoples_records_answer_as_if_missing_and_stay_unchanged(role, seeded, tmp_path):
    """Every route with an id, by every method, on records of a third company and other investors (only admins
    may see them): the answer is the one a missing id gets (404 once the role may use the route at all, a
    refusal before any look-up otherwise), so it never confirms that the record exists; and nothing changes."""
    wrong = {}
    with visiting(seeded, tmp_path, role) as (app, client, world):
        foreign = world["foreign"]
        for rule in app.url_map.iter_rules():
            names = {arg: ARGUMENTS.get(rule.endpoint, {}).get(arg, arg) for arg in rule.arguments}
            private = {name for name in names.values() if name in foreign}
            if not private or rule.endpoint in SKIPPED:
                continue
            theirs = url_for_rule(app, rule, {**world["ids"], **foreign})
            missing = url_for_rule(app, rule, {**world["ids"], **foreign, **dict.fromkeys(private, MISSING_ID)})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                before = database_rows()
                body = BODIES.get(rule.endpoint) if method == "POST" else None
                got = answer(client.open(theirs, method=method, data=body))
                changed = database_rows() != before
                expected = answer(client.open(missing, method=method, data=body))
                if (got, changed) != (expected, False) or expected not in ("login", 401, 403, 404):
                    wrong[f"{method} {theirs} ({rule.endpoint})"] = (got, expected, changed)
    assert not wrong, f"{role}: (answer, answer for a missing id, database changed)\n" + "\n".join(
        f"{url}: {result}" for url, result in sorted(wrong.items()))
