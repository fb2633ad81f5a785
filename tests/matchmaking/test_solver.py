"""The schedule's rules hold on random days, whichever method made it (CP-SAT, its greedy fallback)."""
import random
from collections import Counter

import pytest

from roadshow.matchmaking import solver as S


def random_day(seed: int, investors=24, startups=6, slots=6, rooms=None, unavailable_share=0.15):
    """A random day with the marks kept, so that a "no" can be checked against what each side said."""
    rng = random.Random(seed)
    marks = {}
    for i in range(1, investors + 1):
        for s in range(1001, 1001 + startups):
            marks[(i, s)] = tuple(rng.choice(["must", "like", "no", None, None]) for _ in range(2))
    values = {pair: S.pair_value(*m) for pair, m in marks.items() if S.pair_value(*m) > 0}
    unavailable = {}
    for side, keys in (("i", range(1, investors + 1)), ("s", range(1001, 1001 + startups))):
        for key in keys:
            unavailable[(side, key)] = {t for t in range(slots) if rng.random() < unavailable_share}
    problem = S.Problem(slots, list(range(1, investors + 1)), list(range(1001, 1001 + startups)), values,
                        unavailable, rooms)
    return problem, marks


def check_rules(problem, marks, meetings):
    assert S.violations(problem, meetings) == []
    for i, s, t in meetings:
        assert "no" not in marks[(i, s)], "a pair with a 'no' was scheduled"
        assert t not in problem.busy("i", i) and t not in problem.busy("s", s)
    assert max(Counter((i, t) for i, _s, t in meetings).values(), default=0) <= 1
    assert max(Counter((s, t) for _i, s, t in meetings).values(), default=0) <= 1
    if problem.rooms is not None:
        assert max(Counter(t for _i, _s, t in meetings).values(), default=0) <= problem.rooms


SEEDS = range(8)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("rooms", [None, 3])
def test_the_solver_keeps_every_rule(seed, rooms):
    problem, marks = random_day(seed, rooms=rooms)
    found = S.solve(problem, time_limit=5)
    check_rules(problem, marks, found.meetings)
    assert found.meetings, "there is mutual interest to schedule"
    assert found.bound is not None and found.objective <= found.bound
    assert found.objective >= S.greedy(problem).objective


@pytest.mark.parametrize("seed", SEEDS)
def test_pins_stay_where_they_are(seed):
    problem, marks = random_day(seed)
    first = S.solve(problem, time_limit=5)
    rng = random.Random(seed)
    # pin a few meetings each into another slot both sides have free (and nobody else needs)
    pins = []
    for i, s, t in rng.sample(first.meetings, 3):
        free = [u for u in problem.open_slots(i, s) if all(
            (p[0] != i and p[1] != s) or p[2] != u for p in pins)]
        if free:
            pins.append((i, s, rng.choice(free)))
    problem.pins = pins
    again = S.solve(problem, time_limit=5)
    check_rules(problem, marks, again.meetings)
    assert set(pins) <= set(again.meetings)
    assert len({(i, s) for i, s, _t in again.meetings}) == len(again.meetings)  # a pinned pair is not met twice


def test_pins_that_break_a_rule_are_refused():
    problem, _marks = random_day(1)
    i, s = next(iter(problem.values))
    problem.pins = [(i, s, 0), (i, next(x for x in problem.startups if x != s), 0)]  # the investor twice in slot 0
    problem.values[problem.pins[1][:2]] = 1
    with pytest.raises(S.InvalidPins):
        S.solve(problem, time_limit=1)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_startup_is_left_far_behind_when_a_meeting_could_move_to_it(seed):
    """Fairness: in an optimal schedule no meeting of a startup with b meetings could be handed to a
    startup with a <= b - 7 (same investor, same slot, the other startup free then and wanted): the
    bonus gained (b - 1 - a >= 6) beats any loss of interest (at most 5), so the optimum would have done it."""
    problem, _marks = random_day(seed, investors=30, startups=5, slots=8, unavailable_share=0.05)
    # one startup everyone wants: the objective would otherwise give it every table
    star = problem.startups[0]
    for i in problem.investors:
        problem.values[(i, star)] = 6
    found = S.solve(problem, time_limit=10)
    assert found.method == "optimal"
    counts = Counter(s for _i, s, _t in found.meetings)
    busy = {(s, t) for _i, s, t in found.meetings}
    met = {(i, s) for i, s, _t in found.meetings}
    for i, b_startup, t in found.meetings:
        for a_startup in problem.startups:
            if counts[a_startup] <= counts[b_startup] - 7 and (i, a_startup) in problem.values \
                    and (i, a_startup) not in met and (a_startup, t) not in busy \
                    and t not in problem.busy("s", a_startup):
                pytest.fail(f"{a_startup} ({counts[a_startup]}) could take {i}'s meeting from {b_startup}")
    assert min(counts[s] for s in problem.startups) >= 1


def test_a_popular_startup_does_not_take_every_room_from_the_others():
    """One shared room, six slots: twelve investors and startup 101 must meet, two investors and 102 would
    like to. First come gives 101 every slot; the solver gives 102 both of its meetings."""
    problem = S.Problem(slots=6, investors=list(range(1, 13)), startups=[101, 102], rooms=1,
                        values={**{(i, 101): S.pair_value("must", "must") for i in range(1, 13)},
                                **{(i, 102): S.pair_value("like", "like") for i in range(1, 3)}})
    first_come = S.first_come(problem, sorted(problem.values, key=lambda p: (p[1], p[0])))
    assert Counter(s for _i, s, _t in first_come.meetings) == {101: 6}
    found = S.solve(problem, time_limit=5)
    assert Counter(s for _i, s, _t in found.meetings) == {101: 4, 102: 2}


def test_a_tiny_time_limit_falls_back_to_the_greedy_schedule():
    problem = S.random_problem(random.Random(3), 200, 40, 12)[0]
    found = S.solve(problem, time_limit=0.001)
    assert found.method == "greedy"
    assert S.violations(problem, found.meetings) == []
    assert len(found.meetings) > 300


def test_mutual_interest_comes_first_and_must_counts_more_than_like():
    assert S.pair_value("must", "no") == 0 == S.pair_value("no", "must") == S.pair_value(None, None)
    one_slot = [
        ({(1, 101): S.pair_value("like", "like"), (1, 102): S.pair_value("must", None)}, (1, 101, 0)),
        ({(1, 101): S.pair_value("like", "like"), (1, 102): S.pair_value("must", "like")}, (1, 102, 0)),
        ({(1, 101): S.pair_value(None, "like"), (1, 102): S.pair_value(None, "must")}, (1, 102, 0)),
    ]
    for values, best in one_slot:
        problem = S.Problem(slots=1, investors=[1], startups=[101, 102], values=values)
        assert S.solve(problem, time_limit=5).meetings == [best]
