"""Large-neighbourhood search on the exact model: free a few rounds or a few participants,
keep every other seat, and let CP-SAT re-seat the freed part optimally.

Once no pair meets twice and everyone sees every subject, the tabu search's single swaps
rarely serve another need without breaking one of those: serving one usually takes several
people moving across several rounds at once. A small neighbourhood (two rounds, or a third of
the participants over every round) is solved to optimality in a fraction of a second, and
hundreds of them reach plans that neither the tabu search nor one solve of the whole model
reaches in the same time. The model is built once (with the terms at their bound locked); each
step copies it and fixes the seats that stay.

The participants freed together are chosen around a need left unserved: its requester and
offerers of its topic, then others at random. A neighbourhood grows when many in a row find
nothing better and shrinks when CP-SAT cannot finish it. Work counts CP-SAT's deterministic
time plus the reading of the model each step, so the same seed and work give the same plan.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from .budget import Budget
from .model import Model, build, read_back, seat_values
from .state import State
from .stopping import solve_step

Values = list[tuple[Any, int]]

STEP_WORK = 0.3  # CP-SAT deterministic time for one neighbourhood at most
CONSTRAINTS_PER_UNIT = 100_000  # model constraints copied and read per unit of work
GROW_AFTER = 12  # neighbourhoods in a row that find nothing better before freeing more


def _requesters(st: State) -> list[tuple[int, list[int]]]:
    """For each need left unserved: the requester's unit and the units offering its topic."""
    prob = st.problem
    return [
        (prob.unit_of[p], sorted({prob.unit_of[q] for q in prob.topics[k][2]}))
        for k, p in st.unserved_needs()
    ]


def _units_around_a_need(st: State, rng: random.Random, size: int) -> set[int]:
    units = len(st.problem.units)
    chosen: set[int] = set()
    unserved = _requesters(st)
    if unserved:
        u, offer = rng.choice(unserved)
        chosen.add(u)
        helpers = [v for v in offer if v != u]
        rng.shuffle(helpers)
        chosen.update(helpers[: max(1, size // 3)])
    rest = [u for u in range(units) if u not in chosen]
    rng.shuffle(rest)
    chosen.update(rest[: max(0, size - len(chosen))])
    return chosen


def improve(
    st: State,
    budget: Budget,
    seed: int,
    floor: int,
    locks: dict[str, int] | None = None,
    on_best: Callable[[State, int], None] | None = None,
) -> State:
    """Improve st neighbourhood by neighbourhood until its cost reaches `floor` or the budget
    is spent; returns the best state (st itself when nothing better was found)."""
    prob = st.problem
    rng = random.Random(seed)
    md = build(st, locks)
    load = len(md.m.proto.constraints) / CONSTRAINTS_PER_UNIT
    free_rounds = [r for r in range(st.rounds) if r not in prob.fixed]
    units = len(prob.units)
    size = {"rounds": min(2, len(free_rounds)), "units": max(2, units // 3)}
    most = {"rounds": len(free_rounds) - 1, "units": units - 1}
    kinds = [k for k in ("rounds", "units") if size[k] <= most[k] and size[k] > 0]
    cost = st.cost()
    stall = 0
    step = 0
    while kinds and cost > floor and not budget.over():
        kind = kinds[step % len(kinds)]
        step += 1
        values = seat_values(md, st)
        if kind == "rounds":
            rounds = set(rng.sample(free_rounds, size[kind]))
            keep = [(v, val) for v, val, r, _u in values if r not in rounds]
        else:
            chosen = _units_around_a_need(st, rng, size[kind])
            keep = [(v, val) for v, val, _r, u in values if u >= 0 and u not in chosen]
        hint = [(v, val) for v, val, _r, _u in values]
        status, fresh = _solve(md, hint, keep, budget, seed + step)
        budget.spend(load)
        if fresh is not None and fresh.cost() <= cost:
            better = fresh.cost() < cost
            st, cost = fresh, fresh.cost()
            if better:
                stall = 0
                if on_best is not None:
                    on_best(st, cost)
                continue
        stall += 1
        if status != cp_model.OPTIMAL:
            size[kind] = max(1, size[kind] - 1)
        elif stall >= GROW_AFTER and size[kind] < most[kind]:
            size[kind] += 1
            stall = 0
    return st


def _solve(
    md: Model, values: Values, keep: Values, budget: Budget, seed: int
) -> tuple[int, State | None]:
    """CP-SAT on the model with the `keep` choices fixed, hinted with the current `values`."""
    m = md.m.clone()
    m.clear_hints()  # type: ignore[no-untyped-call]
    for var, value in values:
        m.add_hint(var, value)
    for var, value in keep:
        domain = m.proto.variables[var.index].domain
        domain.clear()
        domain.extend([value, value])
    status, solver = solve_step(m, budget, seed, STEP_WORK)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, None
    return status, read_back(md, solver)
