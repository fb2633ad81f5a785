"""The matchmaking day's schedule: who meets whom in which slot, from both sides' preferences.

Pure computation, no database: services.py builds a `Problem` from the stored preferences and
writes the `Solution` back. The rules every schedule keeps, whichever method made it:

- a pair is scheduled at most once, and only when it is *eligible*: neither side said "no" and at
  least one side marked it; pairs both sides marked come first, "must" before "like" (`pair_value`);
- at most one meeting per party per slot, never in a slot either party marked unavailable;
- with shared rooms, at most `rooms` meetings in one slot (with one table per startup the
  startup's own one-meeting-per-slot rule is the table's);
- pinned meetings stay exactly where an admin put them.

What it maximises (`objective`): the interest of the scheduled pairs plus a fairness bonus per
startup that shrinks with every meeting it already has (the k-th meeting of a startup earns
`slots - k + 1`). The bonus is concave, so taking a meeting away from a startup with a meetings
and giving one to a startup with b gains a - b - 1 in bonus: a startup with ten meetings gives
one to a startup with none (gain 9) even at the cost of the largest difference in interest (5),
while small imbalances are left where interest is stronger.

CP-SAT (OR-Tools) solves it within a time limit; its best solution and proven upper bound are
reported. When it finds no solution in time (or is not asked to run) the greedy fallback builds one:
round after round, each startup, fewest meetings first, gets its best remaining pair in the earliest
slot both sides have free.
"""
from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# How much one side's mark is worth; "no" is not a weight, it forbids the pair. A pair both sides marked
# earns MUTUAL on top, so any mutual pair (4–6) is worth more than any one-sided one (1–2).
MUST, LIKE, MUTUAL = 2, 1, 2
WEIGHTS = {"must": MUST, "like": LIKE}

Pair = tuple[int, int]          # (investor key, startup key)
Meeting = tuple[int, int, int]  # (investor key, startup key, slot index)


def pair_value(investor_mark: str | None, startup_mark: str | None) -> int:
    """0: never scheduled (a "no" from either side, or neither side marked the pair).

    one side like 1, one side must 2; both like 4, like and must 5, both must 6.
    """
    if investor_mark == "no" or startup_mark == "no":
        return 0
    mine, theirs = WEIGHTS.get(investor_mark, 0), WEIGHTS.get(startup_mark, 0)
    return mine + theirs + (MUTUAL if mine and theirs else 0)


@dataclass
class Problem:
    slots: int
    investors: list[int]
    startups: list[int]
    values: dict[Pair, int]  # eligible pairs only (value > 0)
    unavailable: dict[int | tuple[str, int], set[int]] = field(default_factory=dict)
    rooms: int | None = None  # None: one table per startup
    pins: list[Meeting] = field(default_factory=list)

    def busy(self, side: str, key: int) -> set[int]:
        return self.unavailable.get((side, key), set())

    def open_slots(self, investor: int, startup: int) -> list[int]:
        blocked = self.busy("i", investor) | self.busy("s", startup)
        return [t for t in range(self.slots) if t not in blocked]


@dataclass
class Solution:
    meetings: list[Meeting]
    method: str           # "optimal", "feasible" (CP-SAT stopped at the limit), "greedy"
    objective: int
    bound: int | None     # the solver's proven upper bound on the objective (None for greedy)
    seconds: float = 0.0  # wall time of solve(), the greedy start included

    @property
    def gap(self) -> float | None:
        """How far the objective may be from the best possible, as a share of the bound."""
        if self.bound is None or self.bound <= 0:
            return None
        return max(self.bound - self.objective, 0) / self.bound


class InvalidPins(ValueError):
    """The pinned meetings themselves break a rule (two in one slot for a party, a "no" pair…)."""


def fairness_bonus(count: int, slots: int) -> int:
    """The bonus a startup earns for `count` meetings: slots + (slots-1) + … for the first `count`."""
    count = min(count, slots)
    return count * slots - count * (count - 1) // 2


def objective(problem: Problem, meetings: Iterable[Meeting]) -> int:
    """What every method is judged by (CP-SAT maximises exactly this)."""
    per_startup: dict[int, int] = defaultdict(int)
    interest = 0
    for investor, startup, _slot in meetings:
        interest += problem.values[(investor, startup)]
        per_startup[startup] += 1
    return interest + sum(fairness_bonus(n, problem.slots) for n in per_startup.values())


def violations(problem: Problem, meetings: Iterable[Meeting]) -> list[str]:
    """Every broken rule of a schedule, in words (empty for a valid one); tests and checks use it."""
    found = []
    seen_pair, seen_inv, seen_st, per_slot = set(), set(), set(), defaultdict(int)
    for investor, startup, slot in meetings:
        if problem.values.get((investor, startup), 0) <= 0:
            found.append(f"pair {investor}-{startup} is not eligible")
        if not 0 <= slot < problem.slots:
            found.append(f"slot {slot} does not exist")
        if slot in problem.busy("i", investor) or slot in problem.busy("s", startup):
            found.append(f"pair {investor}-{startup} in unavailable slot {slot}")
        for seen, key in ((seen_pair, (investor, startup)), (seen_inv, (investor, slot)), (seen_st, (startup, slot))):
            if key in seen:
                found.append(f"{key} twice")
            seen.add(key)
        per_slot[slot] += 1
    if problem.rooms is not None:
        found += [f"slot {t}: {n} meetings in {problem.rooms} rooms" for t, n in per_slot.items() if n > problem.rooms]
    return found


def solve(problem: Problem, time_limit: float = 10.0, workers: int = 2, seed: int = 0) -> Solution:
    """The best schedule CP-SAT finds within the time limit; the greedy one when it finds none."""
    problems = violations(problem, problem.pins)
    if problems:
        raise InvalidPins("; ".join(problems))
    if time_limit > 0:
        try:
            load_cp_sat()  # once per process, seconds on a busy machine: not the solver's time
        except ImportError:  # a deployment without OR-Tools still gets a valid schedule
            time_limit = 0
    started = time.perf_counter()
    deadline = started + time_limit
    start = greedy(problem)
    found = _cp_sat(problem, start, deadline, workers, seed) if time_limit > 0 else None
    found = found or start
    found.seconds = time.perf_counter() - started
    return found


def load_cp_sat():
    """OR-Tools is imported on first use only: it pulls in pandas, which every other request can do without."""
    from ortools.sat.python import cp_model

    return cp_model


def _cp_sat(problem: Problem, start: Solution, deadline: float, workers: int, seed: int) -> Solution | None:
    """Two CP-SAT models sharing the time left until `deadline`.

    1. Which pairs meet: each party at most as many meetings as it has open slots (and the rooms'
       capacity over the day). This drops only the slot structure, so its proven bound is an upper
       bound for the whole schedule, and it is small (one variable per pair) and solved quickly.
    2. When they meet: the chosen pairs are placed into slots, one meeting per party per slot, with
       the same objective; then any cell still free is topped up greedily from the other pairs.
    By König's theorem a bipartite choice always fits into as many slots as its busiest party has
    meetings, so without unavailability step 2 places everything step 1 chose; usually a greedy
    placement (busiest parties first) already does, and CP-SAT is only asked when it does not.
    """
    from ortools.sat.python import cp_model

    pinned = {(i, s): t for i, s, t in problem.pins}
    open_slots = {pair: ([pinned[pair]] if pair in pinned else problem.open_slots(*pair))
                  for pair, value in problem.values.items() if value > 0}
    open_slots = {pair: slots for pair, slots in open_slots.items() if slots}
    started = set(start.meetings)

    # ---- 1. which pairs
    choose = cp_model.CpModel()
    y = {pair: choose.new_bool_var(f"y_{pair[0]}_{pair[1]}") for pair in open_slots}
    for side, index in (("i", 0), ("s", 1)):
        edges = defaultdict(list)
        for pair, var in y.items():
            edges[pair[index]].append(var)
        for key, variables in edges.items():
            capacity = problem.slots - len(problem.busy(side, key))
            if len(variables) > capacity:
                choose.add(cp_model.LinearExpr.sum(variables) <= capacity)
    if problem.rooms is not None:
        choose.add(cp_model.LinearExpr.sum(list(y.values())) <= problem.rooms * problem.slots)
    for pair in pinned:
        choose.add(y[pair] == 1)
    hinted = {(i, s) for i, s, _t in started}
    _maximise(choose, problem, {pair: [var] for pair, var in y.items()}, hinted)
    for pair, var in y.items():
        choose.add_hint(var, 1 if pair in hinted else 0)
    if time.perf_counter() >= deadline:  # the time went on the greedy start: it is the answer
        return None
    first = _run(choose, (deadline - time.perf_counter()) * 0.6, workers, seed)
    if first is None:
        return None
    solver, status = first
    bound = int(solver.best_objective_bound + 1e-6)
    chosen = {pair for pair, var in y.items() if solver.value(var)}

    # ---- 2. when: only the chosen pairs (a small model); what does not fit is left to the greedy top-up
    degree = Counter(("i", i) for i, _s in chosen) + Counter(("s", s) for _i, s in chosen)
    busiest_first = sorted(chosen - pinned.keys(), key=lambda p: (-degree["i", p[0]] - degree["s", p[1]], p))
    placed = _place(problem, busiest_first, "placed").meetings
    if len(placed) < len(chosen):
        placed = _repair(problem, placed, chosen - {(i, s) for i, s, _t in placed})
    if len(placed) < len(chosen):
        placed = _place_exactly(problem, chosen, open_slots, placed, deadline, workers, seed) or placed
    meetings = _place(problem, _fair_rounds(problem), "top-up", fixed=placed).meetings
    value = objective(problem, meetings)
    if value < start.objective:  # stopped before it caught up with its own start
        return Solution(start.meetings, "greedy", start.objective, bound)
    proven = status == cp_model.OPTIMAL and value >= bound
    return Solution(meetings, "optimal" if proven else "feasible", value, bound)


def _repair(problem: Problem, meetings: list[Meeting], missing: set[Pair]) -> list[Meeting]:
    """Fit in pairs the greedy placement left out by moving one meeting that blocks them to another slot."""
    busy = {}
    for meeting in meetings:
        busy["i", meeting[0], meeting[2]] = busy["s", meeting[1], meeting[2]] = meeting
    per_slot = Counter(t for _i, _s, t in meetings)
    pinned = set(problem.pins)

    def free(i: int, s: int, t: int) -> bool:
        return ("i", i, t) not in busy and ("s", s, t) not in busy

    def put(meeting: Meeting, add: bool) -> None:
        i, s, t = meeting
        for key in (("i", i, t), ("s", s, t)):
            if add:
                busy[key] = meeting
            else:
                del busy[key]
        per_slot[t] += 1 if add else -1

    for i, s in sorted(missing):
        for t in problem.open_slots(i, s):
            blockers = {busy.get(("i", i, t)), busy.get(("s", s, t))} - {None}
            if len(blockers) != 1 or (problem.rooms is not None and per_slot[t] - 1 >= problem.rooms):
                continue
            blocker = blockers.pop()
            if blocker in pinned:
                continue
            put(blocker, False)
            elsewhere = next((u for u in problem.open_slots(*blocker[:2]) if u != t and free(*blocker[:2], u)
                              and (problem.rooms is None or per_slot[u] < problem.rooms)), None)
            if elsewhere is None:
                put(blocker, True)
                continue
            put((*blocker[:2], elsewhere), True)
            put((i, s, t), True)
            break
    return sorted({meeting for meeting in busy.values()})


def _place_exactly(problem: Problem, chosen: set[Pair], open_slots: dict, hint: list[Meeting], deadline: float,
                   workers: int, seed: int) -> list[Meeting] | None:
    from ortools.sat.python import cp_model

    place = cp_model.CpModel()
    x = {(i, s, t): place.new_bool_var(f"x_{i}_{s}_{t}") for (i, s) in chosen for t in open_slots[(i, s)]}
    groups = defaultdict(list)
    for (i, s, t), var in x.items():
        groups["pair", i, s].append(var)
        groups["inv", i, t].append(var)
        groups["st", s, t].append(var)
        groups["slot", t].append(var)
    for key, variables in groups.items():
        if key[0] == "slot":
            if problem.rooms is not None and len(variables) > problem.rooms:
                place.add(cp_model.LinearExpr.sum(variables) <= problem.rooms)
        elif len(variables) > 1:
            place.add_at_most_one(variables)
    for meeting in problem.pins:
        place.add(x[meeting] == 1)
    by_pair = defaultdict(list)
    for (i, s, _t), var in x.items():
        by_pair[(i, s)].append(var)
    _maximise(place, problem, by_pair, {(i, s) for i, s, _t in hint})
    hinted = set(hint)
    for key, var in x.items():
        place.add_hint(var, 1 if key in hinted else 0)
    found = _run(place, deadline - time.perf_counter(), workers, seed)
    if found is None:
        return None
    solver, _status = found
    return [key for key, var in x.items() if solver.value(var)]


def _maximise(model, problem: Problem, by_pair: dict[Pair, list], hinted_pairs: set[Pair]) -> None:
    """Interest of the scheduled pairs plus each startup's shrinking fairness bonus (see the module text);
    the bonus variables are hinted to match `hinted_pairs` (the callers hint the pairs' own variables)."""
    from ortools.sat.python.cp_model import LinearExpr

    variables, weights, per_startup, partners = [], [], defaultdict(list), defaultdict(int)
    for pair, pair_vars in by_pair.items():
        variables += pair_vars
        weights += [problem.values[pair]] * len(pair_vars)
        per_startup[pair[1]] += pair_vars
        partners[pair[1]] += 1
    hinted = Counter(s for _i, s in hinted_pairs)
    for s, startup_vars in per_startup.items():
        reach = [model.new_bool_var(f"r_{s}_{k}") for k in range(min(problem.slots, partners[s]))]
        model.add(LinearExpr.sum(reach) <= LinearExpr.sum(startup_vars))
        for k in range(1, len(reach)):
            model.add_implication(reach[k], reach[k - 1])  # symmetry: fill from the first
        variables += reach
        weights += [problem.slots - k for k in range(len(reach))]
        for k, var in enumerate(reach):
            model.add_hint(var, 1 if k < hinted[s] else 0)
    model.maximize(LinearExpr.weighted_sum(variables, weights))


def _run(model, seconds: float, workers: int, seed: int):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    return (solver, status) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None

def greedy(problem: Problem) -> Solution:
    """The fallback: pins first, then rounds in which each startup (fewest meetings first) gets its best
    remaining pair in the earliest slot both sides have free."""
    return _place(problem, _fair_rounds(problem), method="greedy")


def first_come(problem: Problem, order: list[Pair]) -> Solution:
    """The baseline a booking system would give: pairs in the order asked, each in the first free slot."""
    return _place(problem, iter(order), method="first-come")


def _place(problem: Problem, candidates, method: str, fixed: Iterable[Meeting] | None = None) -> Solution:
    used_inv, used_st, per_slot = set(), set(), defaultdict(int)
    placed: dict[Pair, int] = {}

    def take(i: int, s: int, t: int) -> None:
        placed[(i, s)] = t
        used_inv.add((i, t))
        used_st.add((s, t))
        per_slot[t] += 1

    for i, s, t in problem.pins if fixed is None else fixed:
        take(i, s, t)

    def try_place(pair: Pair) -> bool:
        i, s = pair
        if pair in placed or problem.values.get(pair, 0) <= 0:
            return False
        for t in problem.open_slots(i, s):
            if (i, t) not in used_inv and (s, t) not in used_st and (
                    problem.rooms is None or per_slot[t] < problem.rooms):
                take(i, s, t)
                return True
        return False

    if callable(candidates):
        candidates(try_place, lambda: placed)
    else:
        for pair in candidates:
            try_place(pair)
    meetings = sorted((i, s, t) for (i, s), t in placed.items())
    return Solution(meetings=meetings, method=method, objective=objective(problem, meetings), bound=None)


def _fair_rounds(problem: Problem):
    wanted: dict[int, list[Pair]] = defaultdict(list)
    for pair, value in problem.values.items():
        if value > 0:
            wanted[pair[1]].append(pair)
    for pairs in wanted.values():
        pairs.sort(key=lambda p: (-problem.values[p], p))

    def run(try_place, placed) -> None:
        while any(wanted.values()):
            counts = defaultdict(int)
            for _i, s in placed():
                counts[s] += 1
            for s in sorted(wanted, key=lambda s: (counts[s], s)):
                while wanted[s]:
                    if try_place(wanted[s].pop(0)):
                        break
    return run


def random_problem(rng: random.Random, investors: int, startups: int, slots: int, *, rooms: int | None = None,
                   marks: dict[str, float] | None = None, unavailable_share: float = 0.0) -> tuple[Problem, list[Pair]]:
    """A random day (tests and the benchmark), with the order in which the interest arrived."""
    marks = marks or {"must": 0.05, "like": 0.15, "no": 0.10}

    def mark() -> str | None:
        roll = rng.random()
        for name, share in marks.items():
            if roll < share:
                return name
            roll -= share
        return None

    inv_keys, st_keys = list(range(1, investors + 1)), list(range(1001, 1001 + startups))
    values = {}
    for i in inv_keys:
        for s in st_keys:
            value = pair_value(mark(), mark())
            if value > 0:
                values[(i, s)] = value
    unavailable = {}
    for side, keys in (("i", inv_keys), ("s", st_keys)):
        for key in keys:
            busy = {t for t in range(slots) if rng.random() < unavailable_share}
            if busy:
                unavailable[(side, key)] = busy
    order = list(values)
    rng.shuffle(order)
    return Problem(slots, inv_keys, st_keys, values, unavailable, rooms), order
