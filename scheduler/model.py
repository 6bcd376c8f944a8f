"""The exact CP-SAT model, for events small enough to prove a plan optimal.

One Boolean per (unit, table, round) seat. Each constraint and each objective term has its own
function; a term returns (expressions, coefficients) so the objective is their weighted sum.
The model uses the same table layout and weights as the tabu search, so a proof of
optimality here is a proof for the plan the search returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from ortools.sat.python import cp_model

from .budget import Budget
from .state import State
from .stopping import run_cp_sat

Seat = dict[tuple[int, int, int], Any]
Terms = tuple[list[Any], list[int]]


def small_enough(problem: Any) -> bool:
    units = len(problem.units)
    pairs = units * (units - 1) // 2
    tables = max((len(t) for t in problem.open_tables), default=0)
    return units <= 24 and pairs * problem.rounds * tables <= 20_000


@dataclass
class Slot:
    """A place to sit in one round: a table, or (rotating subjects) a facilitator's group."""

    table: int  # the table, or -1 for a facilitator whose table is chosen afterwards
    subject: int  # -1: none; -2: chosen by the model (variables y)
    cap: int
    lo: int
    used: Any = 1  # 1, or a BoolVar for a facilitator who may sit out the round


def _facilitator_slots(prob: Any, r: int) -> bool:
    """Rotating subjects on identical tables: seat people by facilitator, not by table."""
    tables = prob.open_tables[r]
    return (
        prob.mode == "rotating"
        and r not in prob.fixed
        and not any(rr == r for (_u, rr) in prob.pins)
        and len({(prob.cap[t], prob.lo[t]) for t in tables}) == 1
    )


class Model:
    def __init__(self, st: State) -> None:
        self.st = st
        self.prob = st.problem
        self.m = cp_model.CpModel()
        self.slots: list[list[Slot]] = []
        self.x: Seat = {}  # (unit, slot, round) -> BoolVar
        self.y: dict[tuple[int, int, int], Any] = {}  # (slot, subject, round) -> BoolVar
        self.here = [
            [u for u in range(len(self.prob.units)) if st.size_u[r][u]] for r in range(st.rounds)
        ]


def add_slots(md: Model) -> None:
    """The places of each round; facilitators in use match the tables in use."""
    prob, st = md.prob, md.st
    for r in range(st.rounds):
        tables = prob.open_tables[r]
        if _facilitator_slots(prob, r) and tables:
            t0 = tables[0]
            slots = [
                Slot(-1, s, prob.cap[t0], prob.lo[t0], md.m.new_bool_var(f"used_s{s}_h{h}_r{r}"))
                for s, hosts in enumerate(prob.hosts)
                for h in range(hosts)
            ]
            md.m.add(sum(slot.used for slot in slots) == len(tables))
        else:
            variable = prob.mode == "rotating" and r not in prob.fixed
            slots = [
                Slot(t, -2 if variable else st.subj[r][t], prob.cap[t], prob.lo[t]) for t in tables
            ]
        md.slots.append(slots)


def add_seats(md: Model) -> None:
    """Every unit present sits in exactly one place; pinned and fixed seats hold."""
    st = md.st
    for r in range(st.rounds):
        for u in md.here[r]:
            options = []
            for k, slot in enumerate(md.slots[r]):
                v = md.m.new_bool_var(f"x_u{u}_k{k}_r{r}")
                md.x[(u, k, r)] = v
                options.append(v)
                if st.frozen[r][u] and slot.table >= 0:
                    md.m.add(v == int(st.seat[r][u] == slot.table))
            md.m.add_exactly_one(options)


def add_same_groups(md: Model) -> None:
    """Whoever sits together now sits together in the new plan (a subjects-only neighbourhood)."""
    st = md.st
    for r, units in enumerate(md.here):
        by_table: dict[int, list[int]] = {}
        for u in units:
            by_table.setdefault(st.seat[r][u], []).append(u)
        for group in by_table.values():
            for u in group[1:]:
                for k in range(len(md.slots[r])):
                    md.m.add(md.x[(u, k, r)] == md.x[(group[0], k, r)])


def add_table_sizes(md: Model) -> None:
    st = md.st
    for r in range(st.rounds):
        for k, slot in enumerate(md.slots[r]):
            size = sum(st.size_u[r][u] * md.x[(u, k, r)] for u in md.here[r])
            md.m.add(size >= slot.lo * slot.used)
            md.m.add(size <= slot.cap * slot.used)


def add_subjects(md: Model) -> None:
    """Tables that choose a subject take one, and a subject runs at most at `hosts` tables."""
    prob = md.prob
    for r, slots in enumerate(md.slots):
        open_ = [k for k, slot in enumerate(slots) if slot.subject == -2]
        for k in open_:
            for s in range(len(prob.sid)):
                md.y[(k, s, r)] = md.m.new_bool_var(f"y_k{k}_s{s}_r{r}")
            md.m.add_exactly_one(md.y[(k, s, r)] for s in range(len(prob.sid)))
        if open_:
            for s, hosts in enumerate(prob.hosts):
                md.m.add(sum(md.y[(k, s, r)] for k in open_) <= hosts)


def add_keep_apart(md: Model) -> None:
    st = md.st
    for u, others in enumerate(st.apart):
        for v in others:
            if v > u:
                for r, slots in enumerate(md.slots):
                    for k in range(len(slots)):
                        if (u, k, r) in md.x and (v, k, r) in md.x:
                            md.m.add_bool_or([md.x[(u, k, r)].negated(), md.x[(v, k, r)].negated()])


def _meetings(md: Model, u: int, v: int, present: list[set[int]]) -> list[Any]:
    """For each round both units are present, a Bool that is true when they share a place."""
    met = []
    for r, slots in enumerate(md.slots):
        if u not in present[r] or v not in present[r]:
            continue
        meet = md.m.new_bool_var(f"meet_{u}_{v}_{r}")
        for k in range(len(slots)):
            md.m.add_bool_or([md.x[(u, k, r)].negated(), md.x[(v, k, r)].negated(), meet])
        met.append(meet)
    return met


def repeat_terms(md: Model) -> Terms:
    """Convex cost of each pair's meetings, as in the search (repeats, then spreading them)."""
    prob, st = md.prob, md.st
    exprs, coefs = [], []
    present = [set(units) for units in md.here]
    for u, v in combinations(range(len(prob.units)), 2):
        met = _meetings(md, u, v, present)
        if len(met) < 2:
            continue
        cost = md.m.new_int_var(0, st.pair_cost[len(met)], f"paircost_{u}_{v}")
        count = sum(met)
        for k in range(1, len(met)):
            slope = st.pair_cost[k + 1] - st.pair_cost[k]
            md.m.add(cost >= st.pair_cost[k] + slope * (count - k))
        exprs.append(cost)
        coefs.append(st.weight_u[u] * st.weight_u[v])
    return exprs, coefs


def add_no_repeat(md: Model) -> None:
    """No pair meets twice (the repeat term locked at 0, and not minimised): at most one
    meeting a pair, which CP-SAT propagates at once, instead of a cost capped at 0."""
    present = [set(units) for units in md.here]
    for u, v in combinations(range(len(md.prob.units)), 2):
        met = _meetings(md, u, v, present)
        if len(met) > 1:
            md.m.add_at_most_one(met)


def _at_subject(md: Model, u: int, s: int, r: int, exact: bool) -> Any:
    """Unit u sits at a table of subject s in round r: a sum of seats, or a forced Bool."""
    slots = md.slots[r]
    fixed = [md.x[(u, k, r)] for k, slot in enumerate(slots) if slot.subject == s]
    chosen = [k for k, slot in enumerate(slots) if slot.subject == -2]
    if not chosen:
        return sum(fixed)
    z = md.m.new_bool_var(f"at_u{u}_s{s}_r{r}")
    for x in fixed:
        md.m.add_implication(x, z)
    for k in chosen:
        x, y = md.x[(u, k, r)], md.y[(k, s, r)]
        md.m.add_bool_or([x.negated(), y.negated(), z])
        if exact:
            md.m.add_bool_or([x.negated(), y, z.negated()])
    if exact:
        md.m.add_bool_or([z.negated()] + fixed + [md.x[(u, k, r)] for k in chosen])
    return z


def subject_terms(md: Model) -> Terms:
    """Each visit to a subject already seen costs one."""
    prob, st = md.prob, md.st
    exprs: list[Any] = []
    coefs: list[int] = []
    if prob.mode == "none":
        return exprs, coefs
    for u in range(len(prob.units)):
        rounds = [r for r in range(st.rounds) if st.size_u[r][u]]
        if len(rounds) < 2:
            continue
        for s in range(len(prob.sid)):
            visits = sum(_at_subject(md, u, s, r, exact=False) for r in rounds)
            extra = md.m.new_int_var(0, len(rounds), f"again_u{u}_s{s}")
            md.m.add(extra >= visits - 1)
            exprs.append(extra)
            coefs.append(st.weight_u[u])
    return exprs, coefs


def need_terms(md: Model) -> Terms:
    """A need left unserved costs one: served needs an offerer at a table of its subject."""
    prob, st = md.prob, md.st
    exprs: list[Any] = []
    if not st.track_needs:
        return exprs, []
    together: dict[tuple[int, int, int], Any] = {}

    def sits_with(u: int, v: int, r: int) -> Any:
        key = (min(u, v), max(u, v), r)
        if key not in together:
            b = md.m.new_bool_var(f"with_{key}")
            for k in range(len(md.slots[r])):
                md.m.add_bool_or([b.negated(), md.x[(v, k, r)].negated(), md.x[(u, k, r)]])
            together[key] = b
        return together[key]

    for s, asking, offering in prob.topics:
        for p in sorted(asking):
            u = prob.unit_of[p]
            ways = []
            for r in range(st.rounds):
                if not prob.present[r][p]:
                    continue
                partners = {prob.unit_of[q] for q in offering if q != p and prob.present[r][q]}
                if not partners:
                    continue
                way = md.m.new_bool_var(f"serve_{p}_{r}_{len(exprs)}")
                if s >= 0 and prob.mode != "none":
                    at = _at_subject(md, u, s, r, exact=True)
                    md.m.add(at >= 1).only_enforce_if(way)
                if u not in partners:
                    md.m.add_bool_or([sits_with(u, v, r) for v in partners] + [way.negated()])
                ways.append(way)
            unserved = md.m.new_bool_var(f"unserved_{p}_{len(exprs)}")
            md.m.add_bool_or([*ways, unserved])
            exprs.append(unserved)
    return exprs, [1] * len(exprs)


def change_terms(md: Model) -> Terms:
    exprs, coefs = [], []
    for (u, r), t in md.st.prev.items():
        for k, slot in enumerate(md.slots[r]):
            if slot.table == t and (u, k, r) in md.x and not md.st.frozen[r][u]:
                exprs.append(1 - md.x[(u, k, r)])
                coefs.append(md.st.weight_u[u])
    return exprs, coefs


def seat_values(md: Model, st: State) -> list[tuple[Any, int, int, int]]:
    """The model's seat, subject and facilitator choices that give st's seating, as
    (variable, value, round, unit); unit -1 for a choice that is not a seat."""
    out: list[tuple[Any, int, int, int]] = []
    for r, slots in enumerate(md.slots):
        where: dict[int, int] = {}  # table -> slot
        if any(slot.table < 0 for slot in slots):
            free = list(range(len(slots)))
            for t in md.prob.open_tables[r]:
                k = next(k for k in free if slots[k].subject == st.subj[r][t])
                free.remove(k)
                where[t] = k
            for k, slot in enumerate(slots):
                out.append((slot.used, int(k in where.values()), r, -1))
        else:
            where = {slot.table: k for k, slot in enumerate(slots)}
        for u in md.here[r]:
            for k in range(len(slots)):
                out.append((md.x[(u, k, r)], int(where.get(st.seat[r][u]) == k), r, u))
        for (k, s, rr), v in md.y.items():
            if rr == r:
                out.append((v, int(st.subj[r][slots[k].table] == s), r, -1))
    return out


def _hint(md: Model) -> None:
    """Start CP-SAT from the seating the search found."""
    for var, value, _r, _u in seat_values(md, md.st):
        md.m.add_hint(var, value)


TERMS = ("repeat", "subject", "need", "change")


def build(
    st: State,
    locks: dict[str, int] | None = None,
    keep_groups: bool = False,
    terms: tuple[str, ...] = TERMS,
) -> Model:
    """The model; `locks` caps terms (by name) that must not get worse than they are;
    `keep_groups` keeps every group as it is and lets only the subjects change; `terms` are
    the ones minimised (the others are left out of the model unless locked)."""
    md = Model(st)
    add_slots(md)
    add_seats(md)
    if keep_groups:
        add_same_groups(md)
    add_table_sizes(md)
    add_subjects(md)
    add_keep_apart(md)
    w = st.problem.instance.weights
    makers: dict[str, tuple[Callable[[Model], Terms], int]] = {
        "repeat": (repeat_terms, 1),
        "subject": (subject_terms, w.subject_repeat),
        "need": (need_terms, w.need),
        "change": (change_terms, w.change),
    }
    locks = dict(locks or {})
    if locks.get("repeat") == 0 and "repeat" not in terms:
        add_no_repeat(md)
        del locks["repeat"]
    named = {
        name: (make(md), weight)
        for name, (make, weight) in makers.items()
        if name in terms or name in locks
    }
    for name, cap in locks.items():
        (exprs, coefs), _weight = named[name]
        md.m.add(sum(c * e for e, c in zip(exprs, coefs, strict=True)) <= cap)
    md.m.minimize(
        sum(
            weight * c * e
            for name, ((exprs, coefs), weight) in named.items()
            if name in terms
            for e, c in zip(exprs, coefs, strict=True)
        )
    )
    _hint(md)
    return md


def read_back(md: Model, solver: cp_model.CpSolver) -> State:
    """The solver's seats as a State; facilitators in use take the tables in use in turn."""
    st, prob = md.st, md.prob
    fresh = State(prob)
    for r, slots in enumerate(md.slots):
        table_of: dict[int, int] = {}
        if any(slot.table < 0 for slot in slots):
            used = [k for k, slot in enumerate(slots) if solver.value(slot.used)]
            tables = prob.open_tables[r]
            shift = r % len(tables) if tables else 0
            for i, k in enumerate(used):
                table_of[k] = tables[(i + shift) % len(tables)]
        else:
            table_of = {k: slot.table for k, slot in enumerate(slots)}
        for k, slot in enumerate(slots):
            if k not in table_of:
                continue
            t = table_of[k]
            if slot.subject == -2:
                fresh.subj[r][t] = next(
                    s for s in range(len(prob.sid)) if solver.value(md.y[(k, s, r)])
                )
            else:
                fresh.subj[r][t] = slot.subject if slot.table < 0 else st.subj[r][t]
        for u in md.here[r]:
            k = next(k for k in range(len(slots)) if solver.value(md.x[(u, k, r)]))
            fresh.place(r, u, table_of[k])
    return fresh


def solve_exact(
    st: State,
    budget: Budget,
    seed: int,
    on_best: Callable[[State, int], None] | None = None,
    locks: dict[str, int] | None = None,
    keep_groups: bool = False,
    terms: tuple[str, ...] = TERMS,
) -> tuple[State, bool]:
    """Improve st with CP-SAT within the budget; (best state, proven optimal). With fewer
    `terms`, better means better on those terms (the state's own cost decides the rest)."""
    md = build(st, locks, keep_groups, terms)
    solver = cp_model.CpSolver()
    budget.configure(solver, seed)
    if terms == ("subject",):
        # visits alone: without the linear relaxation CP-SAT reached more of them in the same
        # work on re-plans of Lima (python -m bench.replan)
        solver.parameters.linearization_level = 0
    code = run_cp_sat(solver, md.m, budget)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return st, False
    fresh = read_back(md, solver)
    if fresh.cost() > st.cost():
        return st, False
    if on_best is not None:
        on_best(fresh, fresh.cost())
    proven = code == cp_model.OPTIMAL and not locks and not keep_groups and terms == TERMS
    return fresh, proven
