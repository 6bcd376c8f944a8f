"""The solve strategy: construct or greedily seat, then improve within the budget.

1. A design (construct.py walks the design families with a budget of work, a share of the
   time limit) when the event has its shape: zero repeats at once.
2. Otherwise a randomised greedy seating.
3. Small events go to CP-SAT (exact model, hinted with the seating so far), which can prove
   a plan optimal; everything else is improved by tabu search until the bounds are reached or
   the budget is spent. The best plan found so far is always what comes back.

With `work_limit`, every part counts work instead of seconds (budget.py): the same seed and
work limit give the same plan on any machine, however busy, unless the time limit comes first.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import itineraries, reseat
from .bounds import Bounds, compute_bounds
from .budget import Budget
from .construct import construct
from .greedy import greedy, latin_preferences, subjects_first
from .lns import improve
from .local_search import tabu_search
from .messages import _
from .model import small_enough, solve_exact
from .problem import Infeasible, Problem, build_problem
from .schema import Instance, Plan, PlanRound, PlanTable
from .state import State
from .subjects import assign_subjects
from .validate import score_plan

Progress = Callable[[float, dict[str, int]], None]

# Work for the designs, per second of time limit (or share of the work limit): small enough
# that a machine four times slower than the reference one still ends the designs in time.
DESIGN_SHARE = 0.25
DESIGN_CAP = 600.0  # seconds of time limit beyond which the designs get no more work


@dataclass
class SolveResult:
    plan: Plan
    status: str  # "optimal" (meets every bound or proven) or "feasible"
    bounds: Bounds
    seconds: float
    history: list[tuple[float, dict[str, int]]] = field(default_factory=list)
    cost: int = 0  # the search's own objective of the plan (objective.plan_cost recounts it)


def cost_floor(problem: Problem, bounds: Bounds) -> int:
    """No plan costs less: every term at its bound at once."""
    w = problem.instance.weights
    floor = w.repeat * bounds.repeats
    if bounds.max_meetings > 2:
        floor += w.max_meetings * (bounds.max_meetings - 2)
    every_table_has_subject = problem.mode == "rotating" or (
        problem.mode == "fixed" and all(s >= 0 for s in problem.table_subject)
    )
    if every_table_has_subject:
        floor += w.subject_repeat * max(0, problem.seats - bounds.subject_visits)
    most = bounds.needs_possible if bounds.needs_most is None else bounds.needs_most
    floor += w.need * (bounds.needs_total - most)
    return floor


def state_to_plan(st: State) -> Plan:
    prob = st.problem
    rounds = []
    for r in range(prob.rounds):
        tables = []
        for t in range(len(prob.tid)):
            people = sorted(p for u in st.at[r][t] for p in prob.unit_members(u, r))
            if people:
                s = st.subj[r][t]
                tables.append(
                    PlanTable(
                        table=prob.tid[t],
                        subject=prob.sid[s] if s >= 0 else None,
                        participants=[prob.pid[p] for p in people],
                    )
                )
        rounds.append(PlanRound(round=r + 1, tables=tables))
    return Plan(rounds=rounds)


def subject_visits(st: State) -> int:
    """Subjects seen, each person's distinct subjects counted (units weighted by size)."""
    wu = st.weight_u
    return sum(wu[u] * sum(1 for v in vis if v) for u, vis in enumerate(st.visits))


def summary(st: State) -> dict[str, int]:
    """Quick figures of a state under search, for progress reports."""
    wu = st.weight_u
    tops = [max(row, default=0) for row in st.meet]  # rows read in C; most meet at most once
    repeats = sum(
        wu[u] * wu[v] * (m - 1)
        for u, row in enumerate(st.meet)
        if tops[u] > 1
        for v, m in enumerate(row)
        if v > u and m > 1
    )
    visits = subject_visits(st)
    most = max(tops, default=0)
    return {
        "repeats": repeats,
        "max_meetings": most,
        "subject_visits": visits,
        "needs_unserved": st.unserved(),
    }


def solve(
    instance: Instance,
    *,
    time_limit: float = 10.0,
    work_limit: float | None = None,
    seed: int = 0,
    previous: Plan | None = None,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> SolveResult:
    """The best plan found within `time_limit` seconds (or until `stop` is set) and, when
    given, `work_limit` units of work (about seconds of the reference machine, budget.py)."""
    start = time.monotonic()
    deadline = start + max(0.0, time_limit)
    budget = Budget(deadline, work_limit, stop)
    if work_limit is None:
        designs = Budget(deadline, DESIGN_SHARE * min(time_limit, DESIGN_CAP), stop)
    else:
        designs = budget.part(DESIGN_SHARE)
    problem = build_problem(instance, previous)
    bounds = compute_bounds(problem)
    floor = cost_floor(problem, bounds)
    rng = random.Random(seed)
    history: list[tuple[float, dict[str, int]]] = []

    def report(st: State, _cost: int) -> None:
        figures = summary(st)
        elapsed = time.monotonic() - start
        history.append((elapsed, figures))
        if progress is not None:
            progress(elapsed, figures)

    st = State(problem)
    if not construct(st, rng, designs, seed):
        prefs = latin_preferences(st, rng) if subjects_first(st) else None
        greedy(st, rng, list(range(problem.rounds)), prefs)
    report(st, 0)
    proven = False
    exact = small_enough(problem)
    rotating = problem.mode == "rotating"
    # once only needs are left, neighbourhoods solved by CP-SAT serve more of them than the
    # tabu search: of the exact model on small events (lns.py), else a few units re-seated
    # (reseat.py)
    neighbourhoods = st.track_needs

    def settled(st: State) -> bool:
        if neighbourhoods and _only_needs_left(_locks(st, problem, bounds), problem):
            return True
        # only visits left: on small rotating events CP-SAT takes them back (solve_exact's
        # visits phase below), on others the re-seating does
        return (rotating or not exact) and _only_visits_left(st, bounds)

    if st.cost() > floor and not settled(st):
        fraction = 0.3 if exact else (0.5 if rotating else 1.0)
        st = tabu_search(st, rng, budget.part(fraction), floor, report, settled)
    if st.cost() > floor and not neighbourhoods and settled(st):
        # no pair meets twice and only subject visits are missing: a few units re-seated by
        # CP-SAT take them back (with needs, the re-seating below does it too); then the
        # subjects' model and the tabu search have the rest
        st = reseat.improve(st, budget.part(0.5), seed, floor, report)
    trades = neighbourhoods and not exact
    if st.cost() > floor and rotating and not (trades and settled(st)):
        # (with only needs left on a larger event, the trades below serve more in that time)
        share = 0.4 if exact else (0.15 if neighbourhoods else 0.8)
        better = assign_subjects(st, budget.part(share), seed)
        if better is not None:
            st = better
            report(st, 0)
    if st.cost() > floor and exact and not budget.over():
        locks = _locks(st, problem, bounds)
        if rotating and "repeat" in locks and "subject" not in locks:
            # the visits missing weigh more than any number of needs, and CP-SAT finds them
            # far sooner without the needs and seat changes in its objective (a re-plan that
            # loses someone); then they stay while the needs phase works
            st = solve_exact(st, budget.part(0.5), seed, report, locks, terms=("subject",))[0]
            locks["subject"] = problem.seats - subject_visits(st)
        if neighbourhoods and _only_needs_left(locks, problem):
            # trades of whole itineraries serve most needs in a fraction of a second (Lima:
            # about 126 of the 133 possible in 0.3 s); parts of the exact model re-solved
            # take the rest
            st = itineraries.improve(st, budget.part(0.5), seed, floor, report)
            st = improve(st, budget.part(1.0), seed, floor, locks, report)
        else:
            st, proven = solve_exact(st, budget.part(1.0), seed, report, locks)
    if st.cost() > floor and trades and not budget.over():
        # trades of whole itineraries first (hundreds in the time of one CP-SAT step), then
        # the re-seating, which can change the itineraries themselves
        st = itineraries.improve(st, budget.part(0.7), seed, floor, report)
        st = reseat.improve(st, budget.part(1.0), seed, floor, report)
    if st.cost() > floor and not proven and not budget.over():
        st = tabu_search(st, rng, budget, floor, report)
    status = "optimal" if proven or st.cost() <= floor else "feasible"
    plan = state_to_plan(st)
    plan.metrics = plan_metrics(instance, plan, bounds, previous)
    broken = plan.metrics.get("violations", [])
    if len(broken) == 1:
        raise Infeasible(
            _(
                "no plan keeps every hard rule: the best found breaks one, {violation}; "
                "relax that constraint (or the fixed round), or give the search more time"
            ).format(violation=broken[0])
        )
    if broken:
        raise Infeasible(
            _(
                "no plan keeps every hard rule: the best found breaks one, {violation} (and "
                "{count} more); relax that constraint (or the fixed round), or give the search "
                "more time"
            ).format(violation=broken[0], count=len(broken) - 1)
        )
    plan.metrics["status"] = status
    plan.metrics["seconds"] = round(time.monotonic() - start, 3)
    return SolveResult(
        plan=plan,
        status=status,
        bounds=bounds,
        seconds=time.monotonic() - start,
        history=history,
        cost=st.cost(),
    )


def _locks(st: State, problem: Problem, bounds: Bounds) -> dict[str, int]:
    """Terms already at their bound, most weighted first, stay there while CP-SAT works on
    the rest: the model is then much tighter and finds the lesser gains quickly."""
    w = problem.instance.weights
    figures = summary(st)
    most_visits = bounds.subject_visits
    if figures["repeats"] == 0 and bounds.subject_visits_without_repeats is not None:
        most_visits = min(most_visits, bounds.subject_visits_without_repeats)
    at_bound = {
        "repeat": (
            w.repeat,
            figures["repeats"] <= bounds.repeats and figures["max_meetings"] <= 2,
            0,
        ),
        "subject": (
            w.subject_repeat,
            problem.mode != "none" and figures["subject_visits"] >= most_visits,
            problem.seats - most_visits,
        ),
    }
    locks = {}
    for name, (_w, done, cap) in sorted(at_bound.items(), key=lambda kv: -kv[1][0]):
        if not done:
            break
        locks[name] = cap * (1 if name == "subject" else 0)
    return locks


def _only_visits_left(st: State, bounds: Bounds) -> bool:
    """No pair meets twice and someone misses a subject: what re-seating a few units with
    CP-SAT takes back (reseat.py) when the tabu search's swaps did not."""
    if any(max(row, default=0) > 1 for row in st.meet) or not reseat.short_of_subjects(st):
        return False  # (cheap enough to ask at each best of the tabu search)
    return subject_visits(st) < bounds.subject_visits


def _only_needs_left(locks: dict[str, int], problem: Problem) -> bool:
    """Repeats (and subject visits, when tables have subjects) are at their bounds."""
    return "repeat" in locks and ("subject" in locks or problem.mode == "none")


def plan_metrics(
    instance: Instance, plan: Plan, bounds: Bounds, previous: Plan | None = None
) -> dict[str, Any]:
    score = score_plan(instance, plan, previous)
    metrics: dict[str, Any] = {
        "valid": score.valid,
        "repeats": score.repeats,
        "repeats_lower_bound": bounds.repeats,
        "repeats_gap": score.repeats - bounds.repeats,
        "max_meetings": score.max_meetings,
        "max_meetings_lower_bound": bounds.max_meetings,
        "pairs_met": score.pairs_met,
        "subject_visits": score.subject_visits,
        "subject_visits_max": bounds.subject_visits,
        "subject_visits_full": bounds.subject_visits_full,
        "needs_served": score.needs_served,
        "needs_possible": bounds.needs_possible,
        "needs_total": bounds.needs_total,
    }
    if bounds.needs_most is not None:  # the most a plan with every subject for everyone serves
        metrics["needs_most"] = bounds.needs_most
    if score.seat_changes is not None:
        metrics["seat_changes"] = score.seat_changes
    if score.violations:
        metrics["violations"] = score.violations
    return metrics
