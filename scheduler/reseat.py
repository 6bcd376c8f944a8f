"""Needs and subject visits on larger events: free a few participants over every round, keep
everyone else in their seat, and let CP-SAT re-seat the freed ones to see the most subjects
and serve the most needs.

The exact model of a whole event of 100 people is too large to solve in seconds, but a
neighbourhood is small: a dozen units, each to be placed at one of the seats the others left
free in each round. The model (built anew each step, only for those units) keeps what the
earlier phases reached: no pair that has met (outside the freed seats) meets again, no two
freed units meet twice, kept-apart pairs stay apart, and nobody sees a subject more often than
now. Its objective is the subject visits of the freed units and the needs served among those
they can change, weighted as the plan's cost weighs them; a step is kept when the whole plan's
cost is no worse.

While someone misses a subject the rounds would let them see, the units freed together are
(every other step when there are needs too) that one, others short of a subject it sees twice
(or seeing twice one it misses), units sitting at a subject it misses in a round where it sees
one twice, and others at random (the tabu search's swaps sometimes end a few visits short with
no pair met twice, and take them back only by chance). Otherwise they are the requester of a
need left unserved, a few offerers of its topic and others at random. Their number grows when
many steps in a row find nothing better. Work counts CP-SAT's deterministic time plus the
building of each model, so the same seed and work give the same plan. Used once no pair meets
twice (the usual case): with forced repeats the pair costs would have to be modelled too.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from .budget import Budget
from .state import State
from .stopping import solve_step

STEP_WORK = 0.2  # CP-SAT deterministic time for one neighbourhood at most
TERMS_PER_UNIT = 60_000  # variables and constraints built per unit of work
GROW_AFTER = 15  # steps in a row that find nothing better before freeing one more unit
START, MOST = 8, 24  # units freed at once


def short_of_subjects(st: State) -> list[int]:
    """Units that see fewer subjects than their rounds allow (so one of them twice), with
    rotating subjects."""
    prob = st.problem
    if prob.mode != "rotating" or not prob.sid:
        return []
    out = []
    for u, seen in enumerate(st.visits):
        rounds = sum(1 for r in range(st.rounds) if st.seat[r][u] >= 0)
        if sum(1 for v in seen if v) < min(rounds, len(prob.sid)) and max(seen, default=0) > 1:
            out.append(u)
    return out


def _units_around_a_gap(st: State, rng: random.Random, size: int, short: list[int]) -> list[int]:
    """A unit that misses a subject; others short of one that sees twice a subject it
    misses, or misses one it sees twice (two such can trade seats); units at a subject it
    misses in a round where it sees one twice; and others at random."""
    u = rng.choice(short)
    missing = {s for s, v in enumerate(st.visits[u]) if not v}
    doubled = {s for s, v in enumerate(st.visits[u]) if v > 1}

    def trades(v: int) -> bool:
        return any(st.visits[v][s] > 1 for s in missing) or any(
            not st.visits[v][s] for s in doubled
        )

    others = [v for v in short if v != u and trades(v)]
    chosen = [u, *rng.sample(others, min(len(others), max(1, size // 3)))]
    twice = [
        r
        for r in range(st.rounds)
        if st.seat[r][u] >= 0 and not st.frozen[r][u] and st.subj[r][st.seat[r][u]] in doubled
    ]
    partners = sorted(
        {
            v
            for r in twice
            for t, units in enumerate(st.at[r])
            if st.subj[r][t] in missing
            for v in units
            if v not in chosen and not st.frozen[r][v]
        }
    )
    chosen += rng.sample(partners, min(len(partners), max(1, size // 3)))
    rest = [v for v in range(len(st.problem.units)) if v not in chosen]
    chosen += rng.sample(rest, min(len(rest), size - len(chosen)))
    return sorted(chosen)


def _units_around_a_need(st: State, rng: random.Random, size: int) -> list[int]:
    prob = st.problem
    unserved = st.unserved_needs()
    chosen: list[int] = []
    if unserved:
        k, p = rng.choice(unserved)
        chosen.append(prob.unit_of[p])
        offer = sorted({prob.unit_of[q] for q in prob.topics[k][2]} - {prob.unit_of[p]})
        chosen += rng.sample(offer, min(len(offer), max(1, size // 3)))
    rest = [u for u in range(len(prob.units)) if u not in chosen]
    chosen += rng.sample(rest, min(len(rest), size - len(chosen)))
    return sorted(chosen)


def improve(
    st: State,
    budget: Budget,
    seed: int,
    floor: int,
    on_best: Callable[[State, int], None] | None = None,
) -> State:
    """Give more people every subject and serve more needs while keeping every pair term;
    st is changed in place and returned."""
    rng = random.Random(seed)
    cost = st.cost()
    size, stall, step = START, 0, 0
    while cost > floor and not budget.over():
        step += 1
        units = min(size, len(st.problem.units))
        # with needs too, every other step (a gap no re-seating closes would take them all)
        short = short_of_subjects(st) if not st.track_needs or step % 2 else []
        if short:
            free = _units_around_a_gap(st, rng, units, short)
        else:
            free = _units_around_a_need(st, rng, units)
        seats = _solve(st, free, budget, seed + step)
        if seats:
            old = {key: st.seat[key[0]][key[1]] for key in seats}
            _move(st, seats)
            new_cost = st.cost()
            if new_cost < cost:
                cost, stall = new_cost, 0
                if on_best is not None:
                    on_best(st, cost)
                continue
            if new_cost > cost:
                _move(st, old)
        stall += 1
        if stall >= GROW_AFTER and size < MOST:
            size, stall = size + 1, 0
    return st


def _move(st: State, seats: dict[tuple[int, int], int]) -> None:
    for r, u in seats:
        st.remove(r, u)
    for (r, u), t in seats.items():
        st.place(r, u, t)


def _solve(
    st: State, free: list[int], budget: Budget, seed: int
) -> dict[tuple[int, int], int] | None:
    """New tables {(round, unit): table} for the freed units, or None if none better."""
    prob = st.problem
    freed = set(free)
    rounds = [
        r
        for r in range(st.rounds)
        if r not in prob.fixed and any(st.seat[r][u] >= 0 and not st.frozen[r][u] for u in free)
    ]
    moving = {r: [u for u in free if st.seat[r][u] >= 0 and not st.frozen[r][u]] for r in rounds}
    m = cp_model.CpModel()
    x: dict[tuple[int, int, int], Any] = {}
    for r in rounds:
        moving_r = set(moving[r])
        staying = [[v for v in units if v not in moving_r] for units in st.at[r]]
        kept_at = {t: sum(st.size_u[r][v] for v in staying[t]) for t in prob.open_tables[r]}
        for u in moving[r]:
            # only where the units staying leave room (on a large event, a few tables)
            for t in prob.open_tables[r]:
                if kept_at[t] + st.size_u[r][u] <= prob.cap[t]:
                    x[u, t, r] = m.new_bool_var(f"x{u}_{t}_{r}")
                    m.add_hint(x[u, t, r], st.seat[r][u] == t)
            m.add_exactly_one(x[u, t, r] for t in prob.open_tables[r] if (u, t, r) in x)
        for t in prob.open_tables[r]:
            kept = kept_at[t]
            size = kept + sum(st.size_u[r][u] * x[u, t, r] for u in moving[r] if (u, t, r) in x)
            if kept or any((u, t, r) in x for u in moving[r]):
                m.add_linear_constraint(size, prob.lo[t], prob.cap[t])
    _pairs(st, m, x, free, rounds, moving)
    seen = _subjects(st, m, x, free, rounds, moving)
    served = _needs(st, m, x, freed, rounds, moving)
    m.maximize(st.subject_w * sum(seen) + st.need_w * sum(served))
    status, solver = solve_step(m, budget, seed, STEP_WORK)
    budget.spend((len(m.proto.variables) + len(m.proto.constraints)) / TERMS_PER_UNIT)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {
        (r, u): t for (u, t, r), var in x.items() if solver.value(var) and st.seat[r][u] != t
    } or None


def _pairs(
    st: State,
    m: cp_model.CpModel,
    x: dict[tuple[int, int, int], Any],
    free: list[int],
    rounds: list[int],
    moving: dict[int, list[int]],
) -> None:
    """No pair with a freed unit meets more often than now, or more than once if at most
    once now; kept-apart pairs never meet."""
    freed = set(free)
    moves = [set(moving.get(r, [])) for r in range(st.rounds)]
    for u in free:
        for v in range(len(st.problem.units)):
            if v == u or (v in freed and v < u):
                continue
            outside, terms = 0, []
            for r in range(st.rounds):
                mu, mv = u in moves[r], v in moves[r]
                tu, tv = st.seat[r][u], st.seat[r][v]
                if not mu and not mv:
                    outside += tu >= 0 and tu == tv
                elif mu and not mv:
                    if tv >= 0 and (u, tv, r) in x:
                        terms.append(x[u, tv, r])
                elif mv and not mu:
                    if tu >= 0 and (v, tu, r) in x:
                        terms.append(x[v, tu, r])
                else:
                    for t in st.problem.open_tables[r]:
                        if (u, t, r) in x and (v, t, r) in x:
                            both = m.new_bool_var("")
                            m.add_bool_or([x[u, t, r].negated(), x[v, t, r].negated(), both])
                            terms.append(both)
            if not terms:
                continue
            apart = st.has_apart and v in st.apart[u]
            limit = st.meet[u][v] if apart else max(1, st.meet[u][v])
            m.add(sum(terms) <= max(0, limit - outside))


def _subjects(
    st: State,
    m: cp_model.CpModel,
    x: dict[tuple[int, int, int], Any],
    free: list[int],
    rounds: list[int],
    moving: dict[int, list[int]],
) -> list[Any]:
    """Nobody sees a subject more often than now (or more than once, if at most once now);
    the subjects the freed units see, each a term weighted by the unit's people."""
    prob = st.problem
    out: list[Any] = []
    for u in free:
        seen: dict[int, list[Any]] = {}
        for r in rounds:
            if u in moving[r]:
                for t in prob.open_tables[r]:
                    s = st.subj[r][t]
                    if s >= 0 and (u, t, r) in x:
                        seen.setdefault(s, []).append(x[u, t, r])
        for s, options in seen.items():
            fixed = st.visits[u][s] - sum(
                1 for r in rounds if u in moving[r] and st.subj[r][st.seat[r][u]] == s
            )
            m.add(fixed + sum(options) <= max(1, st.visits[u][s]))
            if not fixed:
                sees = m.new_bool_var("")
                m.add(sees <= sum(options))
                out.extend([sees] * st.weight_u[u])
    return out


def _needs(
    st: State,
    m: cp_model.CpModel,
    x: dict[tuple[int, int, int], Any],
    freed: set[int],
    rounds: list[int],
    moving: dict[int, list[int]],
) -> list[Any]:
    """A Bool per need the freed units can change, true only if it is served."""
    prob = st.problem
    out = []
    for s, asking, offering in prob.topics:
        for p in sorted(asking):
            u = prob.unit_of[p]
            helpers = {prob.unit_of[q] for q in offering if q != p}
            if u not in freed and not (helpers & freed):
                continue
            ways: list[Any] = []
            for r in range(st.rounds):
                if not prob.present[r][p]:
                    continue
                # the requester's own table, or the tables it may move to
                if u in moving.get(r, ()):
                    tables = [t for t in prob.open_tables[r] if (u, t, r) in x]
                else:
                    tables = [st.seat[r][u]] if st.seat[r][u] >= 0 else []
                for t in tables:
                    if s >= 0 and prob.mode != "none" and st.subj[r][t] != s:
                        continue
                    way = _served_at(st, m, x, u, helpers, r, t, moving)
                    if way is not None:
                        ways.append(way)
            if any(isinstance(w, int) for w in ways):
                continue  # served whatever the freed units do
            served = m.new_bool_var("")
            m.add_bool_or([*[w for w in ways if not isinstance(w, int)], served.negated()])
            out.append(served)
    return out


def _served_at(
    st: State,
    m: cp_model.CpModel,
    x: dict[tuple[int, int, int], Any],
    u: int,
    helpers: set[int],
    r: int,
    t: int,
    moving: dict[int, list[int]],
) -> Any:
    """1, a Bool, or None: the requester's unit u and an offerer sit at table t in round r."""
    moving_r = set(moving.get(r, []))
    staying = [v for v in st.at[r][t] if v not in moving_r]
    if u in moving_r:
        here: Any = x.get((u, t, r))
        if here is None:
            return None
    elif st.seat[r][u] == t:
        here = 1
    else:
        return None
    if u in helpers or any(v in helpers for v in staying if v != u):
        return here
    options = [x[v, t, r] for v in moving_r if v in helpers and v != u and (v, t, r) in x]
    if not options:
        return None
    way = m.new_bool_var("")
    m.add_bool_or(options).only_enforce_if(way)
    if not isinstance(here, int):
        m.add_implication(way, here)
    return way
