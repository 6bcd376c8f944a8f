"""The fewest repeats of a small classic social golfer instance, proven by CP-SAT:
`python -m bench.classic_exact 12 3 5` (n people at tables of g for w rounds).

The model is independent of Ronda's search: one Boolean per (person, round, table), the
meetings of each pair in each round, and the repeats Ronda's validator counts, the sum over
pairs of max(0, meetings - 1), minimized. Symmetries removed, none of which changes the optimum:
round 1 is fixed (people relabelled), and in every other round the tables are numbered in
order of their smallest member (a table's number is no part of the plan), and rounds 2..w
come in order of person 0's first partner (the rounds after the first are interchangeable).
With `--clean C`, the first C rounds share no pair, and with C >= 2 and g + 1 tables the
second round is fixed too (second_round). A plan with a single repeat has w - 1 such rounds
(leave out one of the two rounds where the pair meets), and any plan with at most 2 has w - 2
(one of the two rounds of each repeated pair, or two of the three where a pair meets 3
times): in that order, the rounds are a plan of this model with `--clean w-1` or `--clean
w-2`. With `--at-most K` the model asks for a plan of at most K repeats instead: INFEASIBLE
proves the fewest repeats is more than K.
"""

from __future__ import annotations

import argparse
import time
from itertools import combinations

from ortools.sat.python import cp_model

Seats = dict[tuple[int, int, int], cp_model.IntVar]


def build(
    n: int, g: int, w: int, clean: int = 0
) -> tuple[cp_model.CpModel, Seats, list[cp_model.IntVar]]:
    tables = n // g
    m = cp_model.CpModel()
    x = {
        (p, r, t): m.new_bool_var(f"x{p}_{r}_{t}")
        for p in range(n)
        for r in range(w)
        for t in range(tables)
    }
    for r in range(w):
        for p in range(n):
            m.add_exactly_one(x[p, r, t] for t in range(tables))
        for t in range(tables):
            m.add(sum(x[p, r, t] for p in range(n)) == g)
    for p in range(n):
        for t in range(tables):
            m.add(x[p, 0, t] == int(p // g == t))
    for r in range(1, w):
        for t in range(tables):
            for p in range(n):
                if t == 0:
                    if p == 0:
                        m.add(x[p, r, t] == 1)
                    continue
                earlier = [x[q, r, t - 1] for q in range(p)]
                if not earlier:
                    m.add(x[p, r, t] == 0)
                else:
                    m.add_bool_or(earlier).only_enforce_if(x[p, r, t])
    fixed = second_round(n, g) if clean >= 2 else None
    if fixed is not None:
        for t, table in enumerate(fixed):
            for p in table:
                m.add(x[p, 1, t] == 1)
    for r in range(1, w - 1):
        if r == clean - 1 or (fixed is not None and r == 1):
            continue  # the fixed rounds, the other clean rounds and the rest are ordered apart
        for q in range(1, n):
            partner = [x[k, r, 0] for k in range(1, q + 1)]
            m.add_bool_or(partner).only_enforce_if(x[q, r + 1, 0])
    meet = {}
    for r in range(w):
        for p, q in combinations(range(n), 2):
            v = m.new_bool_var(f"m{p}_{q}_{r}")
            meet[p, q, r] = meet[q, p, r] = v
            for t in range(tables):
                m.add_bool_or([x[p, r, t].Not(), x[q, r, t].Not(), v])
        for p in range(n):
            m.add(sum(meet[p, q, r] for q in range(n) if q != p) == g - 1)
    reps = []
    for p, q in combinations(range(n), 2):
        if clean:
            m.add(sum(meet[p, q, r] for r in range(clean)) <= 1)
        rep = m.new_int_var(0, w - 1, f"rep{p}_{q}")
        m.add(rep >= sum(meet[p, q, r] for r in range(w)) - 1)
        reps.append(rep)
    m.minimize(sum(reps))
    return m, x, reps


def second_round(n: int, g: int) -> list[list[int]] | None:
    """A second round sharing no pair with the first, where every such round is the same up to
    relabelling people: with g + 1 tables of g, each table of a round without a common pair
    with round 1 takes one person from each of g tables of round 1, so it misses one of them,
    and each table of round 1 is missed by exactly one (g people spread over g + 1 tables):
    number the tables by the one they miss and the people of each table of round 1 in that
    order. Tables in order of their smallest member, as the model numbers them."""
    tables = n // g
    if tables != g + 1:
        return None
    second: list[list[int]] = [[] for _ in range(tables)]
    for j in range(tables):
        for k, i in enumerate(i for i in range(tables) if i != j):
            second[i].append(j * g + k)
    return sorted(sorted(table) for table in second)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("g", type=int)
    parser.add_argument("rounds", type=int)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--at-most", type=int, help="ask for a plan of at most this many repeats")
    parser.add_argument(
        "--clean", type=int, default=0, help="the first CLEAN rounds share no pair (a case split)"
    )
    args = parser.parse_args()
    m, x, reps = build(args.n, args.g, args.rounds, args.clean)
    if args.at_most is not None:
        m.clear_objective()
        m.add(sum(reps) <= args.at_most)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = args.time_limit
    solver.parameters.num_workers = args.workers
    solver.parameters.log_search_progress = True
    started = time.monotonic()
    status = solver.solve(m)
    print(
        solver.status_name(status),
        solver.objective_value,
        solver.best_objective_bound,
        f"{time.monotonic() - started:.1f} s",
    )
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        tables = args.n // args.g
        for r in range(args.rounds):
            print([[p for p in range(args.n) if solver.value(x[p, r, t])] for t in range(tables)])


if __name__ == "__main__":
    main()
