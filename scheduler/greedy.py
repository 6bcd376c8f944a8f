"""Greedy seating: each unit, round by round, where it adds the least cost.

Used where no design fits the event (constraints, absences, uneven tables, subjects first),
for the rounds a design lacks, and for re-plans (seats kept where the previous plan had them).
With subjects first, units follow the rows of random Latin squares.
"""

from __future__ import annotations

import random

from .layout import target_sizes
from .messages import _
from .state import State


def subject_slots(st: State, r: int, tables: list[int]) -> dict[int, int]:
    """Subjects for the tables in use: rotating shifts them each round, within the hosts."""
    prob = st.problem
    if prob.mode == "none":
        return {t: -1 for t in tables}
    if prob.mode == "fixed":
        return {t: prob.table_subject[t] for t in tables}
    if r in prob.fixed_subjects:
        return {t: prob.fixed_subjects[r].get(t, -1) for t in tables}
    nsub = len(prob.sid)
    used = [0] * nsub
    slots: list[int] = []
    i = 0
    while len(slots) < len(tables):
        s = (r + i) % nsub
        if used[s] < prob.hosts[s]:
            slots.append(s)
            used[s] += 1
        i += 1
    return dict(zip(tables, slots, strict=True))


def subjects_first(st: State) -> bool:
    """Seat by subject first: asked for by the weights, or nearly free on a sparse event
    (each person meets under half of the others, so repeats stay easy to avoid)."""
    prob = st.problem
    if prob.mode != "rotating":
        return False
    w = prob.instance.weights
    largest = max(prob.cap[t] for t in range(len(prob.tid)))
    sparse = prob.rounds * (largest - 1) < 0.5 * max(1, prob.n - 1)
    return sparse or w.subject_repeat >= w.repeat


def latin_preferences(st: State, rng: random.Random) -> dict[tuple[int, int], int]:
    """A subject for each (unit, round): the rows of random Latin squares, so every unit meets
    each subject once (as rounds allow) and every subject gets its share of people per round;
    units of different squares mix freely, which keeps repeated encounters rare."""
    prob = st.problem
    nsub = len(prob.sid)
    units = list(range(len(prob.units)))
    rng.shuffle(units)
    prefs: dict[tuple[int, int], int] = {}
    alpha: list[int] = []
    gamma: list[int] = []
    for i, u in enumerate(units):
        row = i % nsub
        if row == 0:
            alpha = rng.sample(range(nsub), nsub)
            gamma = rng.sample(range(nsub), nsub)
        for r in range(prob.rounds):
            prefs[(u, r)] = alpha[(row + gamma[r % nsub]) % nsub]
    return prefs


def greedy(
    st: State,
    rng: random.Random,
    rounds: list[int],
    prefs: dict[tuple[int, int], int] | None = None,
) -> None:
    """Seat each unit, round by round, where it adds the least cost; pinned and fixed first.
    With `prefs`, a unit looks first at the tables of its preferred subject."""
    prob = st.problem
    for r in rounds:
        if r in prob.fixed:
            _seat_fixed(st, r)
            continue
        targets = target_sizes(prob, r)
        for t, s in subject_slots(st, r, prob.open_tables[r]).items():
            st.subj[r][t] = s
        if prob.previous:
            _previous_subjects(st, r)
        todo = [u for u in range(len(prob.units)) if st.size_u[r][u]]
        for u in todo:
            if (u, r) in prob.pins:
                st.place(r, u, prob.pins[(u, r)])
        rest = [u for u in todo if (u, r) not in prob.pins]
        if prob.previous:
            rest = _keep_previous_seats(st, r, rest)
        rng.shuffle(rest)
        rest.sort(key=lambda u: -st.size_u[r][u])
        for u in rest:
            want = prefs.get((u, r), -1) if prefs else -1
            st.place(r, u, _best_table(st, r, u, targets, rng, want))
        _fill_to_minimum(st, r)


def _fill_to_minimum(st: State, r: int) -> None:
    """Move people from tables with some to spare into tables below their minimum size
    (seats kept from a previous plan can leave a table short)."""
    prob = st.problem
    for t in prob.open_tables[r]:
        while st.count[r][t] < prob.lo[t]:
            options = [
                (sum(st.add_pair[st.meet[u][x]] for x in st.at[r][t]), u)
                for d in prob.open_tables[r]
                if d != t
                for u in st.at[r][d]
                if not st.frozen[r][u]
                and st.count[r][d] - st.size_u[r][u] >= prob.lo[d]
                and st.count[r][t] + st.size_u[r][u] <= prob.cap[t]
            ]
            if not options:
                break  # the layout leaves no way; the plan will show the short table
            st.remove(r, min(options)[1])
            st.place(r, min(options)[1], t)


def _previous_subjects(st: State, r: int) -> None:
    """Re-planning: tables keep the subjects they had, within the hosts."""
    prob = st.problem
    if prob.mode != "rotating":
        return
    tables = prob.open_tables[r]
    wanted = {t: prob.previous_subjects[(r, t)] for t in tables if (r, t) in prob.previous_subjects}
    used = [0] * len(prob.sid)
    for t, s in wanted.items():
        if used[s] < prob.hosts[s]:
            st.subj[r][t] = s
            used[s] += 1
        else:
            st.subj[r][t] = -1
    for t in tables:
        if t not in wanted or st.subj[r][t] < 0:
            free = [s for s in range(len(prob.sid)) if used[s] < prob.hosts[s]]
            st.subj[r][t] = free[0]
            used[free[0]] += 1


def _keep_previous_seats(st: State, r: int, units: list[int]) -> list[int]:
    """Re-planning: seat each unit where the previous plan had it, while there is room;
    returns the units still to seat."""
    prob = st.problem
    rest = []
    for u in units:
        t = prob.previous.get((prob.unit_members(u, r)[0], r), -1)
        if t in prob.open_tables[r] and st.count[r][t] + st.size_u[r][u] <= prob.cap[t]:
            st.place(r, u, t)
        else:
            rest.append(u)
    return rest


def _seat_fixed(st: State, r: int) -> None:
    prob = st.problem
    for t, s in prob.fixed_subjects.get(r, {}).items():
        st.subj[r][t] = s
    for t in set(prob.fixed[r].values()):
        if st.subj[r][t] < 0 and prob.mode == "fixed":
            st.subj[r][t] = prob.table_subject[t]
    for u in range(len(prob.units)):
        members = prob.unit_members(u, r)
        if members:
            st.place(r, u, prob.fixed[r][members[0]])


def _best_table(
    st: State, r: int, u: int, targets: dict[int, int], rng: random.Random, want: int = -1
) -> int:
    from .problem import Infeasible

    size = st.size_u[r][u]
    room = [t for t, cap in targets.items() if st.count[r][t] + size <= cap]
    if want >= 0:
        room = [t for t in room if st.subj[r][t] == want] or room
    if not room:
        room = [t for t in targets if st.count[r][t] + size <= st.problem.cap[t]]
    if not room:
        names = ", ".join(st.problem.pid[p] for p in st.problem.units[u])
        raise Infeasible(
            _("round {round}: no table has room for ({names}); add capacity").format(
                round=r + 1, names=names
            )
        )
    if len(room) > 24:
        room = rng.sample(room, 24)
    row, add = st.meet[u], st.add_pair
    best, best_cost = room[0], None
    for t in room:
        c = sum(add[row[x]] for x in st.at[r][t])
        s = st.subj[r][t]
        if s >= 0 and st.visits[u][s]:
            c += st.subject_w
        if st.has_apart and st.apart[u] & set(st.at[r][t]):
            c += 10**12
        c = c * 4 + rng.randrange(4)
        if best_cost is None or c < best_cost:
            best, best_cost = t, c
    return best
