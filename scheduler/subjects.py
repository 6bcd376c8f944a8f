"""CP-SAT neighbourhood: keep every group as it is, choose the subjects of the tables anew.

With the groups fixed, where each participant sits is known, so "participant p sees subject s"
and "need (topic, p) is served" are plain sums of the table-subject choices: a compact model
that CP-SAT solves to optimality for hundreds of tables.
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from .budget import Budget
from .state import State
from .stopping import run_cp_sat


def _serving_tables(st: State) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """For each need (topic, participant): the (round, table) where an offerer sits with them."""
    prob = st.problem
    out: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r in range(st.rounds):
        for t, units in enumerate(st.at[r]):
            people = [p for u in units for p in prob.unit_members(u, r)]
            for k, (_s, asking, offering) in enumerate(prob.topics):
                offer = [q for q in people if q in offering]
                for p in people:
                    if p in asking and any(q != p for q in offer):
                        out.setdefault((k, p), []).append((r, t))
    return out


def assign_subjects(st: State, budget: Budget, seed: int) -> State | None:
    """Best subjects for the current groups (rotating mode); None if nothing better was found."""
    prob = st.problem
    if prob.mode != "rotating":
        return None
    m = cp_model.CpModel()
    nsub = len(prob.sid)
    y: dict[tuple[int, int, int], Any] = {}
    for r in range(st.rounds):
        if r in prob.fixed:
            continue
        tables = [t for t in prob.open_tables[r] if st.at[r][t]]
        for t in tables:
            for s in range(nsub):
                y[(r, t, s)] = m.new_bool_var(f"y_r{r}_t{t}_s{s}")
                m.add_hint(y[(r, t, s)], st.subj[r][t] == s)
            m.add_exactly_one(y[(r, t, s)] for s in range(nsub))
        for s, hosts in enumerate(prob.hosts):
            m.add(sum(y[(r, t, s)] for t in tables) <= hosts)

    def subject_at(r: int, t: int, s: int) -> Any:
        return y[(r, t, s)] if (r, t, s) in y else int(st.subj[r][t] == s)

    gains = []
    for u in range(len(prob.units)):
        for s in range(nsub):
            options = [
                subject_at(r, st.seat[r][u], s) for r in range(st.rounds) if st.seat[r][u] >= 0
            ]
            seen = m.new_bool_var(f"seen_u{u}_s{s}")
            m.add(seen <= sum(options))
            gains.append(st.subject_w * st.weight_u[u] * seen)
    if st.track_needs:
        for (k, _p), places in _serving_tables(st).items():
            s = prob.topics[k][0]
            if s < 0:
                continue
            served = m.new_bool_var(f"served_{k}_{_p}")
            m.add(served <= sum(subject_at(r, t, s) for r, t in places))
            gains.append(st.need_w * served)
    m.maximize(sum(gains))
    solver = cp_model.CpSolver()
    budget.configure(solver, seed)
    status = run_cp_sat(solver, m, budget)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    fresh = State(prob)
    fresh.subj = [row[:] for row in st.subj]
    for (r, t, s), var in y.items():
        if solver.value(var):
            fresh.subj[r][t] = s
    for r in range(st.rounds):
        for u, t in enumerate(st.seat[r]):
            if t >= 0:
                fresh.place(r, u, t)
    return fresh if fresh.cost() < st.cost() else None
