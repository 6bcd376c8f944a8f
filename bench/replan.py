"""Re-plans of Lima when a country leaves: the subject visits the re-plan keeps against the
most the remaining rounds allow; and when a country not expected arrives late: whether the
re-plan keeps every subject for everyone, and how many seats it changes.

A country leaves before round L: rounds 1 to L-1 stay as played, it is absent from round L
on, and the rest is planned again from the first plan (`solve(..., previous=first)`). The
most subject visits a plan with no repeated pair can keep comes from an exact CP-SAT model of
the remaining rounds written here apart from the scheduler (`most_visits`: each country at one
subject a round, 3-4 at each subject, no pair meeting twice over all rounds, the most
subjects new to each country), proven optimal or the best found in its time. A country
arriving before round L was planned absent throughout; the rounds before L stay as played.

    python -m bench.replan [--work-limit 2] [--time-limit 10] [--oracle-seconds 60]
"""

from __future__ import annotations

import argparse
from itertools import combinations

from ortools.sat.python import cp_model

from bench.instances import lima
from scheduler.schema import Instance, Plan, PlanRound
from scheduler.search import solve

# (country, the first round it misses)
LEAVES = [
    ("CU", 3),
    ("CU", 2),
    ("AR", 3),
    ("MX", 4),
    ("PE", 2),
    ("BR", 4),
    ("UY", 3),
    ("CL", 5),
]


# (country, the first round it attends): planned absent throughout, it comes after all
ARRIVALS = [("AR", 2), ("PE", 3), ("CU", 4)]


def expected_absent(instance: Instance, who: str) -> Instance:
    """The event as first planned when `who` is not expected: absent from every round."""
    first = instance.model_copy(deep=True)
    person = next(p for p in first.participants if p.id == who)
    person.absent_rounds = list(range(1, instance.rounds + 1))
    return first


def _played(instance: Instance, first: Plan, who: str, from_round: int, absent: range) -> Instance:
    """The event with the rounds before `from_round` fixed as played and `who` absent from
    the rounds given."""
    later = instance.model_copy(deep=True)
    later.fixed_rounds = [
        PlanRound.model_validate(r.model_dump()) for r in first.rounds[: from_round - 1]
    ]
    person = next(p for p in later.participants if p.id == who)
    person.absent_rounds = list(absent)
    return later


def arriving(instance: Instance, first: Plan, who: str, from_round: int) -> Instance:
    """The event once `who` arrives before `from_round`: the rounds before it fixed as played."""
    return _played(instance, first, who, from_round, range(1, from_round))


def leaving(instance: Instance, first: Plan, who: str, from_round: int) -> Instance:
    """The event once `who` leaves before `from_round`: the rounds before it fixed as played."""
    return _played(instance, first, who, from_round, range(from_round, instance.rounds + 1))


def most_visits(later: Instance, seconds: float) -> tuple[int, bool]:
    """(the most subject visits with no repeated pair, proven) for a rotating event with one
    table a subject, the fixed rounds as given; every country counts the distinct subjects
    it sits at, in every round it is present."""
    fixed = later.fixed_rounds
    played = len(fixed)
    free = range(played, later.rounds)
    subjects = [s.id for s in later.subjects]
    here = {
        r: [p.id for p in later.participants if r + 1 not in p.absent_rounds]
        for r in range(later.rounds)
    }
    seen: dict[str, set[str]] = {p.id: set() for p in later.participants}
    met: set[frozenset[str]] = set()
    for rnd in fixed:
        for table in rnd.tables:
            for p in table.participants:
                seen[p].add(str(table.subject))
            met.update(frozenset(pair) for pair in combinations(table.participants, 2))
    lo = min(t.min_size for t in later.tables)
    cap = max(t.capacity for t in later.tables)
    m = cp_model.CpModel()
    x = {
        (p, s, r): m.new_bool_var(f"x_{p}_{s}_{r}") for r in free for p in here[r] for s in subjects
    }
    for r in free:
        for p in here[r]:
            m.add_exactly_one(x[p, s, r] for s in subjects)
        for s in subjects:
            size = sum(x[p, s, r] for p in here[r])
            m.add(size >= lo)
            m.add(size <= cap)
    people = sorted({p for r in free for p in here[r]})
    for a, b in combinations(people, 2):
        both = [r for r in free if a in here[r] and b in here[r]]
        if frozenset((a, b)) in met:
            for r in both:
                for s in subjects:
                    m.add_bool_or([x[a, s, r].negated(), x[b, s, r].negated()])
            continue
        meets = []
        for r in both:
            meet = m.new_bool_var(f"meet_{a}_{b}_{r}")
            for s in subjects:
                m.add_bool_or([x[a, s, r].negated(), x[b, s, r].negated(), meet])
            meets.append(meet)
        if len(meets) > 1:
            m.add_at_most_one(meets)
    new = []
    for p in people:
        for s in subjects:
            if s not in seen[p]:
                visit = m.new_bool_var(f"new_{p}_{s}")
                m.add(visit <= sum(x[p, s, r] for r in free if p in here[r]))
                new.append(visit)
    m.maximize(sum(new))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 0  # far faster to prove here than with the LP
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError("the exact model found no plan in its time")
    before = sum(len(s) for s in seen.values())
    return before + round(solver.objective_value), status == cp_model.OPTIMAL


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work-limit", type=float, default=2.0)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--oracle-seconds", type=float, default=60.0)
    args = ap.parse_args()
    event = lima()
    first = solve(event, work_limit=1, seed=0).plan
    print(
        f"| country leaves before round | subject visits at work {args.work_limit:g} "
        f"| at {args.time_limit:g} s | most possible (exact model) | bound shown |"
    )
    print("|---|---|---|---|---|")
    for who, from_round in LEAVES:
        later = leaving(event, first, who, from_round)
        by_work = solve(later, work_limit=args.work_limit, time_limit=120, previous=first)
        by_time = solve(later, time_limit=args.time_limit, previous=first)
        most, proven = most_visits(later, args.oracle_seconds)
        cells = [
            f"{who}, {from_round}",
            f"{by_work.plan.metrics['subject_visits']} ({by_work.plan.metrics['repeats']} repeats)",
            f"{by_time.plan.metrics['subject_visits']} ({by_time.plan.metrics['repeats']} repeats)",
            f"{most}" + ("" if proven else " (best found, not proven)"),
            str(by_work.plan.metrics.get("subject_visits_max")),
        ]
        print("| " + " | ".join(cells) + " |", flush=True)
    print()
    print(
        f"| country arrives before round | subject visits at work {args.work_limit:g} "
        f"| at {args.time_limit:g} s | every subject for everyone | seats changed (work "
        f"{args.work_limit:g}) |"
    )
    print("|---|---|---|---|---|")
    for who, from_round in ARRIVALS:
        before = solve(expected_absent(event, who), work_limit=1, seed=0).plan
        later = arriving(event, before, who, from_round)
        by_work = solve(later, work_limit=args.work_limit, time_limit=120, previous=before)
        by_time = solve(later, time_limit=args.time_limit, previous=before)
        m = by_work.plan.metrics
        cells = [
            f"{who}, {from_round}",
            f"{m['subject_visits']} ({m['repeats']} repeats)",
            f"{by_time.plan.metrics['subject_visits']} ({by_time.plan.metrics['repeats']} repeats)",
            str(m["subject_visits_full"]),
            str(m.get("seat_changes")),
        ]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
