"""Ronda's scheduler: instance in, plan and figures out. Nothing of the web or the database.

The public API, the only names the app uses:

- `solve(instance, time_limit=..., work_limit=..., seed=..., previous=..., progress=...,
  stop=...)`: the best plan found (`SolveResult`);
- `score(instance, plan, previous=None)`: the independent validator's figures (`Score`);
- `bounds(instance, previous=None)`: what no plan can beat, and what is provably impossible
  with its reason (`Bounds`);
- `metrics(instance, plan, bounds, previous=None)`: a plan's figures against the bounds, as
  the plan's `metrics` dict;
- `group_sizes(instance)`: the groups each round seats (tables in use and their sizes);
- `unserved_needs(instance, plan, bounds)`: each need left unserved, with why;
- `seat_changes(instance, plan, previous)`: who changes seat in a re-plan, by name;
- the schema types, and `Infeasible` (an `InstanceError` for hard rules that cannot all hold).
"""

from __future__ import annotations

from typing import Any

from .bounds import Bounds, compute_bounds
from .changes import SeatChange, seat_changes
from .layout import target_sizes
from .objective import plan_cost
from .problem import Infeasible, build_problem
from .schema import (
    ALL,
    Instance,
    InstanceError,
    Participant,
    Plan,
    PlanRound,
    PlanTable,
    Subject,
    Table,
    Topic,
    Weights,
    load_instance,
    load_plan,
    parse_instance,
    parse_plan,
)
from .search import SolveResult, plan_metrics, solve
from .unserved import UnservedNeed, unserved_needs
from .validate import Score, score_plan


def score(instance: Instance, plan: Plan, previous: Plan | None = None) -> Score:
    """The plan checked and measured by the validator (which shares no code with the search)."""
    return score_plan(instance, plan, previous)


def bounds(instance: Instance, previous: Plan | None = None) -> Bounds:
    """The counting bounds of the event; raises Infeasible when the hard rules cannot hold."""
    return compute_bounds(build_problem(instance, previous))


def metrics(
    instance: Instance, plan: Plan, bounds: Bounds, previous: Plan | None = None
) -> dict[str, Any]:
    """The plan's figures against the bounds (what `solve` stores in `plan.metrics`)."""
    return plan_metrics(instance, plan, bounds, previous)


def group_sizes(instance: Instance) -> list[tuple[int, ...]]:
    """Per round, the sizes of the groups Ronda seats, largest first."""
    problem = build_problem(instance)
    return [
        tuple(sorted(target_sizes(problem, r).values(), reverse=True))
        for r in range(problem.rounds)
    ]


__all__ = [
    "ALL",
    "Bounds",
    "Infeasible",
    "Instance",
    "InstanceError",
    "Participant",
    "Plan",
    "PlanRound",
    "PlanTable",
    "Score",
    "SeatChange",
    "SolveResult",
    "Subject",
    "Table",
    "Topic",
    "UnservedNeed",
    "Weights",
    "bounds",
    "group_sizes",
    "load_instance",
    "load_plan",
    "metrics",
    "parse_instance",
    "parse_plan",
    "plan_cost",
    "score",
    "seat_changes",
    "solve",
    "unserved_needs",
]
