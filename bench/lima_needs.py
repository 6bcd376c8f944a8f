"""The most needs Lima's shape can serve, by an exact CP-SAT model of it.

Lima: 16 countries, 5 subjects each hosted at one table per round, 5 rounds, tables of 3-4.
With the higher priorities held (no pair meets twice, every country at every subject once) the
only freedom is who sits at which subject's table in which round. The model:

* x[p, s, r]: country p at subject s's table in round r; one table a round, each subject once;
  every table seats between the smallest min_size and the largest capacity;
* z[p, q, s] = sum_r x[p, s, r] AND x[q, s, r]: p and q share subject s's table, at most once
  over all subjects (no repeated pair);
* a need (topic k of subject s, requester p) is served when z[p, q, s] for an offerer q != p;
  maximise the needs served.

Rounds are interchangeable, so the first country sees subject r in round r (any plan can be
relabelled so). The solver's default plan is given as a hint. CP-SAT reports the best plan and
a proven upper bound; equal, the maximum is proven.

    python -m bench.lima_needs [--time-limit 300] [--workers 2] [--seed 0] [--redundant]
"""

from __future__ import annotations

import argparse
import itertools
import time

from ortools.sat.python import cp_model

from bench.instances import lima
from scheduler.problem import Problem, build_problem
from scheduler.search import solve


def build_model(
    problem: Problem,
    hint: dict[tuple[int, int, int], int] | None = None,
    redundant: bool = False,
) -> tuple[cp_model.CpModel, cp_model.LinearExpr, dict[tuple[int, int, int], cp_model.IntVar]]:
    n, rounds, subjects = problem.n, problem.rounds, len(problem.sid)
    assert problem.mode == "rotating" and all(h == 1 for h in problem.hosts)
    assert rounds == subjects and all(all(row) for row in problem.present)
    lo, hi = min(problem.lo), max(problem.cap)
    m = cp_model.CpModel()
    x = {
        (p, s, r): m.new_bool_var(f"x{p}_{s}_{r}")
        for p in range(n)
        for s in range(subjects)
        for r in range(rounds)
    }
    for p in range(n):
        for r in range(rounds):
            m.add_exactly_one(x[p, s, r] for s in range(subjects))
        for s in range(subjects):
            m.add_exactly_one(x[p, s, r] for r in range(rounds))
    for s in range(subjects):
        for r in range(rounds):
            m.add_linear_constraint(sum(x[p, s, r] for p in range(n)), lo, hi)
    for r in range(rounds):  # rounds are interchangeable: country 0 sees subject r in round r
        m.add(x[0, r, r] == 1)
    z = {}
    for p, q in itertools.combinations(range(n), 2):
        for s in range(subjects):
            both = []
            for r in range(rounds):
                y = m.new_bool_var("")
                m.add_bool_and([x[p, s, r], x[q, s, r]]).only_enforce_if(y)
                m.add_bool_or([x[p, s, r].Not(), x[q, s, r].Not(), y])
                both.append(y)
            z[p, q, s] = z[q, p, s] = m.new_bool_var(f"z{p}_{q}_{s}")
            m.add(z[p, q, s] == sum(both))
        m.add_at_most_one(z[p, q, s] for s in range(subjects))
    if redundant:  # implied, but they may help propagation: sharing a table is transitive
        for s in range(subjects):
            for trio in itertools.combinations(range(n), 3):
                for a, b, c in (trio, trio[1:] + trio[:1], trio[2:] + trio[:2]):
                    m.add_bool_or([z[a, b, s].Not(), z[b, c, s].Not(), z[a, c, s]])
            for p in range(n):
                others = sum(z[p, q, s] for q in range(n) if q != p)
                m.add_linear_constraint(others, lo - 1, hi - 1)
    served = []
    for s, asking, offering in problem.topics:
        for p in sorted(asking):
            with_ = [z[p, q, s] for q in sorted(offering) if q != p]
            if not with_ or s < 0:
                continue
            v = m.new_bool_var("")
            m.add_bool_or(with_).only_enforce_if(v)
            served.append(v)
    objective = sum(served)
    m.maximize(objective)
    if hint:
        for key, var in x.items():
            m.add_hint(var, hint.get(key, 0))
    return m, objective, x


def default_plan_hint(problem: Problem, seconds: float, seed: int) -> tuple[dict, int]:
    """The default solve's plan as x values (rounds relabelled as the model's symmetry wants),
    and the needs it serves."""
    result = solve(problem.instance, time_limit=seconds, seed=seed)
    plan = result.plan
    sid = {s: i for i, s in enumerate(problem.sid)}
    pid = {p: i for i, p in enumerate(problem.pid)}
    seat: dict[tuple[int, int], int] = {}  # (country, round) -> subject
    for r, plan_round in enumerate(plan.rounds):
        for table in plan_round.tables:
            for p in table.participants:
                seat[pid[p], r] = sid[table.subject]
    # the model's round for plan round r is the subject country 0 sees in r
    hint = {(p, s, seat[0, r]): 1 for (p, r), s in seat.items()}
    return hint, int(plan.metrics["needs_served"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hint-seconds", type=float, default=10.0, help="the default solve's time")
    ap.add_argument("--redundant", action="store_true", help="add implied pair constraints")
    args = ap.parse_args()
    problem = build_problem(lima())
    hint, hinted = default_plan_hint(problem, args.hint_seconds, args.seed)
    print(f"default solve ({args.hint_seconds:g} s, seed {args.seed}): {hinted} needs served")
    model, _objective, _x = build_model(problem, hint, args.redundant)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = args.time_limit
    solver.parameters.num_workers = args.workers
    solver.parameters.random_seed = args.seed
    start = time.monotonic()

    class Log(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            print(
                f"  {time.monotonic() - start:7.1f} s: {self.objective_value:.0f} needs "
                f"(bound {self.best_objective_bound:.0f})",
                flush=True,
            )

    status = solver.solve(model, Log())
    print(
        f"{solver.status_name(status)}: best {solver.objective_value:.0f} needs, proven at most "
        f"{solver.best_objective_bound:.0f}, in {time.monotonic() - start:.0f} s "
        f"({args.workers} workers)"
    )


if __name__ == "__main__":
    main()
