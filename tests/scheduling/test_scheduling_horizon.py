"""Horizon fill: a roadshow on every working day ahead, idempotent, one set even when run concurrently."""
import threading
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from roadshow import create_app
from roadshow.common.choices import IndustryChain
from roadshow.common.timeutil import local_to_utc, to_local
from roadshow.roadshows.models import RoadshowSession, SeriesKind, SessionStatus
from roadshow.scheduling.horizon import fill_horizon
from roadshow.scheduling.models import HolidayPolicy, RuleKind, TemplateOccurrence
from roadshow.scheduling.workdays import working_days

from ..support.concurrency import at_once

# Monday 7 December 2026, 09:00 in Wuhan: the next 14 days hold 11 working days (no holiday).
NOW = local_to_utc(datetime(2026, 12, 7, 9, 0))
TODAY = date(2026, 12, 7)


def sessions(db):
    return db.session.scalars(sa.select(RoadshowSession).order_by(RoadshowSession.starts_at)).all()


def local_days(items):
    return [to_local(s.starts_at).date() for s in items]


def test_fills_every_working_day_of_the_next_14_days(db, make_template, make_series):
    daily = make_series(name="每日路演", slug="daily", kind=SeriesKind.DAILY)
    make_template(series=daily, title_pattern="{series} · {month}{weekday}")

    result = fill_horizon(NOW, days=14)
    db.session.commit()

    expected = working_days(TODAY, TODAY + timedelta(days=14))
    assert len(expected) == 11
    made = sessions(db)
    assert local_days(made) == expected
    assert result["created"] == 11 and result["uncovered_days"] == []
    first = made[0]
    assert (to_local(first.starts_at).time(), to_local(first.ends_at).time()) == (time(14), time(16))
    assert first.venue.name == "长江路演厅" and first.capacity == 100 and first.series == daily
    assert first.title == "每日路演 · 12月周一"
    assert first.status == SessionStatus.OPEN


def test_running_twice_gives_the_same_sessions(db, make_template):
    make_template()
    fill_horizon(NOW, days=14)
    db.session.commit()
    before = [(s.id, s.starts_at) for s in sessions(db)]

    again = fill_horizon(NOW + timedelta(hours=1), days=14)
    db.session.commit()

    assert [(s.id, s.starts_at) for s in sessions(db)] == before
    assert again["created"] == 0 and again["adopted"] == 0


def test_a_later_night_extends_the_horizon_without_touching_earlier_days(db, make_template):
    make_template()
    fill_horizon(NOW, days=14)
    db.session.commit()
    fill_horizon(NOW + timedelta(days=7), days=14)
    db.session.commit()
    assert local_days(sessions(db)) == working_days(TODAY, TODAY + timedelta(days=21))


def test_concurrent_fills_from_two_threads_give_one_set(app, db, make_template):
    make_template()
    make_template(name="周四专场", rule=RuleKind.WEEKLY, weekdays=[3], start_time=time(9, 30),
                  end_time=time(11, 30))
    # A second application instance: its own engine and connections, as in another process.
    other = create_app({**app.config})
    barrier = threading.Barrier(2)
    errors = []

    def run(instance):
        try:
            with instance.app_context():
                barrier.wait()
                fill_horizon(NOW, days=14)
                instance.extensions["sqlalchemy"].session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    at_once(run, (app, other), timeout=60)
    with other.app_context():
        other.extensions["sqlalchemy"].engine.dispose()

    assert errors == []
    db.session.expire_all()
    made = sessions(db)
    thursdays = [d for d in working_days(TODAY, TODAY + timedelta(days=14)) if d.weekday() == 3]
    assert len(made) == 11 + len(thursdays)
    assert len({(s.venue_id, s.starts_at) for s in made}) == len(made)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TemplateOccurrence)) == len(made)


def test_holidays_are_skipped_and_adjusted_saturdays_get_a_roadshow(db, make_template):
    make_template()
    fill_horizon(local_to_utc(datetime(2026, 9, 28, 9, 0)), days=14)
    db.session.commit()
    days = local_days(sessions(db))
    assert not [d for d in days if date(2026, 10, 1) <= d <= date(2026, 10, 7)]  # 国庆节
    assert date(2026, 10, 10) in days  # Saturday, a working day by the 调休 arrangement
    assert date(2026, 9, 28) in days and date(2026, 10, 9) in days


def test_monthly_special_moves_past_a_holiday_and_rotates_its_chain(db, make_template, make_series):
    chain_series = make_series(name="一月一链", slug="chain-monthly")
    make_template(
        name="一月一链", series=chain_series, rule=RuleKind.MONTHLY_NTH, month_week=1, month_weekday=3,
        on_holiday=HolidayPolicy.NEXT_WORKING_DAY, start_time=time(9, 30), end_time=time(11, 30),
        title_pattern="一月一链 · {chain}专场", valid_from=date(2026, 9, 1),
        chain_rotation=[IndustryChain.OPTOELECTRONICS.value, IndustryChain.AI.value],
    )
    fill_horizon(local_to_utc(datetime(2026, 9, 1, 8, 0)), days=70)
    db.session.commit()
    made = sessions(db)
    # First Thursdays: 3 Sep; 1 Oct is 国庆节, so 8 Oct; 5 Nov.
    assert local_days(made) == [date(2026, 9, 3), date(2026, 10, 8), date(2026, 11, 5)]
    assert [s.industry_chain for s in made] == [IndustryChain.OPTOELECTRONICS, IndustryChain.AI,
                                                IndustryChain.OPTOELECTRONICS]
    assert made[1].title == "一月一链 · 人工智能专场"


def test_an_identical_existing_session_is_adopted_not_duplicated(db, make_template, make_session):
    template = make_template()
    start = local_to_utc(datetime(2026, 12, 8, 14, 0))
    existing = make_session(starts_at=start, ends_at=start + timedelta(hours=2), title="每日路演 · 人工排期")

    result = fill_horizon(NOW, days=14)
    db.session.commit()

    on_the_8th = [s for s in sessions(db) if to_local(s.starts_at).date() == date(2026, 12, 8)]
    assert on_the_8th == [existing]
    assert result["adopted"] == 1 and result["created"] == 10
    occurrence = db.session.scalars(sa.select(TemplateOccurrence).where(
        TemplateOccurrence.template_id == template.id, TemplateOccurrence.day == date(2026, 12, 8))).one()
    assert occurrence.session_id == existing.id and occurrence.adopted


def test_a_clash_in_the_venue_is_reported_and_not_overbooked(db, make_template, make_session):
    make_template()
    start = local_to_utc(datetime(2026, 12, 9, 15, 0))  # overlaps 14:00–16:00 but is not the same session
    make_session(starts_at=start, ends_at=start + timedelta(hours=2), title="投资人闭门会")

    result = fill_horizon(NOW, days=14)
    db.session.commit()

    assert result["clashes"] == 1 and result["created"] == 10
    assert len([s for s in sessions(db) if to_local(s.starts_at).date() == date(2026, 12, 9)]) == 1


def test_a_deleted_generated_session_is_not_generated_again(db, make_template):
    make_template()
    fill_horizon(NOW, days=14)
    db.session.commit()
    victim = sessions(db)[3]
    db.session.delete(victim)
    db.session.commit()

    fill_horizon(NOW, days=14)
    db.session.commit()
    assert len(sessions(db)) == 10


def test_inactive_templates_and_past_times_generate_nothing(db, make_template):
    make_template(is_active=False)
    assert fill_horizon(NOW, days=14)["created"] == 0
    active = make_template(name="上午场", start_time=time(8, 0), end_time=time(9, 0))
    fill_horizon(NOW, days=14)  # 08:00 today is already past at 09:00
    assert TODAY not in local_days(sessions(db))
    assert active.last_filled_at is not None


def test_uncovered_working_days_are_reported(db, make_template):
    make_template(rule=RuleKind.WEEKLY, weekdays=[0])  # Mondays only
    result = fill_horizon(NOW, days=7)
    assert result["uncovered_days"] == [d.isoformat() for d in working_days(TODAY + timedelta(days=1),
                                                                            TODAY + timedelta(days=7))
                                        if d.weekday() != 0]
