"""Starting seatings: an algebraic construction where one fits, else a randomised greedy.

The construction is the transversal design over a finite field GF(q): participant (i, x) with
i < g and x in GF(q) sits in round a at group x - a*e_i. Two participants meet in exactly one
round, so q rounds of q groups of g (g <= q) have no repeated pair; when g == q the groups of
equal i give one more round (the affine plane). Copies of the design side by side serve any
multiple of g*q participants. Where they lack rounds, difference-matrix designs
(difference.py), translation-invariant designs (invariant.py) and developed designs
(develop.py) are tried. An event a few people short of full tables takes a design for full
tables less people who never share a table.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .develop import developed_rounds
from .difference import difference_rounds
from .fields import field, prime_power
from .invariant import invariant_rounds
from .layout import target_sizes
from .messages import _
from .state import State
from .stopping import share, stopped

if TYPE_CHECKING:
    from .problem import Problem


def transversal_rounds(g: int, groups: int, rounds: int) -> list[list[list[int]]] | None:
    """Up to `rounds` rounds of `groups` groups of g people (0..g*groups-1), no pair twice:
    all of them when a field fits, else as many as the best field gives; None if none fits."""
    fits = [
        q for q in range(max(g, 2), groups + 1) if groups % q == 0 and prime_power(q) is not None
    ]
    if not fits:
        return None
    enough = [q for q in fits if rounds <= q + (g == q)]
    for q in enough[:1] or [max(fits)]:
        gf = field(q)
        assert gf is not None
        add, mul = gf
        copies = groups // q
        plan: list[list[list[int]]] = []
        for a in range(min(rounds, q)):
            groups_r = []
            for c in range(copies):
                base = c * g * q
                for b in range(q):
                    # member i of group b holds x = a*e_i + b, with e_i = i
                    groups_r.append([base + i * q + add[mul[a][i]][b] for i in range(g)])
            plan.append(groups_r)
        if rounds > q and g == q:
            plan.append(
                [[c * g * q + i * q + x for x in range(q)] for c in range(copies) for i in range(g)]
            )
        return plan
    return None


def affine_latin_rounds(q: int, n: int, rounds: int) -> list[list[list[int]]] | None:
    """Rounds of q groups (group s = subject s) for n <= q(q-1) people, no pair twice and
    nobody at a subject twice: person (a, b), a != 0, sits at subject a*x + b in round x.
    Two affine maps agree in at most one point, hence no repeated pair."""
    if n > q * (q - 1) or rounds > q:
        return None
    gf = field(q)
    if gf is None:
        return None
    add, mul = gf
    people = [(a, b) for a in range(1, q) for b in range(q)][:n]
    plan = []
    for x in range(rounds):
        groups: list[list[int]] = [[] for _ in range(q)]
        for i, (a, b) in enumerate(people):
            groups[add[mul[a][x]][b]].append(i)
        plan.append(groups)
    return plan


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


def _construction_fits(st: State) -> bool:
    prob = st.problem
    if prob.fixed or prob.pins or any(len(u) > 1 for u in prob.units) or st.has_apart:
        return False
    if not all(all(row) for row in prob.present):
        return False
    return len({frozenset(target_sizes(prob, r).items()) for r in range(prob.rounds)}) == 1


def _construct_latin(st: State, rng: random.Random) -> bool:
    """Rotating subjects, q subjects at q tables: every subject once, nobody met twice."""
    prob = st.problem
    q = len(prob.sid)
    tables = prob.open_tables[0]
    if prob.mode != "rotating" or any(len(t) != q for t in prob.open_tables):
        return False
    if len({(prob.cap[t], prob.lo[t]) for t in tables}) != 1:
        return False
    design = affine_latin_rounds(q, prob.n, prob.rounds)
    if design is None:
        return False
    sizes = sorted(len(g) for g in design[0])
    if sizes != sorted(target_sizes(prob, 0).values()):
        return False
    people = list(range(prob.n))
    rng.shuffle(people)
    for r, groups in enumerate(design):
        tables = prob.open_tables[r]
        for s, group in enumerate(groups):
            t = tables[(s + r) % q]
            st.subj[r][t] = s
            for i in group:
                st.place(r, people[i], t)
    if len(design) < prob.rounds:
        greedy(st, rng, list(range(len(design), prob.rounds)))
    return True


def construct(
    st: State,
    rng: random.Random,
    deadline: float | None = None,
    stop: threading.Event | None = None,
) -> bool:
    """Seat everyone by an algebraic design if the event has its shape; True if it did.
    A design with fewer rounds than the event seats its rounds; greedy seats the rest. When
    the finite-field design misses rounds, designs over groups get most of the time until
    the deadline (see `_group_design`), then developed designs the rest, and whichever gives
    more rounds with no repeat is used. A few people short of full tables first try a
    design for full tables (`_padded`)."""
    prob = st.problem
    if not _construction_fits(st):
        return False
    if _construct_latin(st, rng):
        return True
    if subjects_first(st):
        return False  # the Latin greedy serves coverage first
    sizes = target_sizes(prob, 0)
    equal = len(set(sizes.values())) == 1
    if not equal and deadline is not None:
        padded = _padded(prob, sizes, rng, share(time.monotonic(), deadline, 0.6), stop)
        if padded is not None:
            _copy(_seated(prob, padded, sizes, rng), st)
            return True
    design = None
    if equal:
        g = next(iter(sizes.values()))
        design = transversal_rounds(g, len(sizes), prob.rounds)
        if (design is None or len(design) < prob.rounds) and deadline is not None:
            design = _group_design(prob.n, g, len(sizes), prob.rounds, deadline, stop) or design
    near = None
    if (design is None or len(design) < prob.rounds) and deadline is not None:
        # Partly developed plans only help where repeats are forced anyway (more meetings than
        # pairs): clean early rounds then leave the fewest to the search. Elsewhere, and where a
        # finite-field design seats most rounds, only a complete developed design is worth it,
        # and, beside a finite-field start (a plateau the search rarely leaves), one with a few
        # repeats may still be the better start.
        meetings = prob.rounds * sum(s * (s - 1) // 2 for s in sizes.values())
        forced = meetings > prob.n * (prob.n - 1) // 2
        at_least = prob.rounds - 1 if design or not forced else 0
        found = developed_rounds(
            prob.n, list(sizes.values()), prob.rounds, deadline, 0, stop, at_least, bool(design)
        )
        design, near = found.clean or design, found.near
    if design is None:
        return False
    start = _seated(st.problem, design, sizes, rng)
    if near is not None and len(design) < prob.rounds:
        # the search takes about half the repeats off a finite-field start but rarely any
        # off a developed one
        other = _seated(st.problem, near, sizes, rng)
        if 2 * other.cost() < start.cost():
            start = other
    _copy(start, st)
    return True


def _copy(start: State, st: State) -> None:
    for r in range(st.rounds):
        st.subj[r] = start.subj[r][:]
        for u, t in enumerate(start.seat[r]):
            if t >= 0:
                st.place(r, u, t)


def _padded(
    prob: Problem,
    sizes: dict[int, int],
    rng: random.Random,
    deadline: float,
    stop: threading.Event | None,
) -> list[list[list[int]]] | None:
    """A few people short of full tables of g: a design for full tables with no repeated
    pair, less as many of its people as are missing, chosen so that no two of them ever share
    a table (so each round has the tables of g - 1 the event needs); None if there is none."""
    caps = {prob.cap[t] for t in sizes}
    g = max(sizes.values())
    if caps != {g} or set(sizes.values()) != {g - 1, g} or any(prob.lo[t] > g - 1 for t in sizes):
        return None
    tables, full = len(sizes), g * len(sizes)
    design = _clean_design(full, g, tables, prob.rounds, deadline, stop)
    if design is None:
        return None
    gone = _never_together(design, full, full - prob.n, rng)
    if gone is None:
        return None
    index = {p: i for i, p in enumerate(p for p in range(full) if p not in gone)}
    return [[[index[p] for p in group if p in index] for group in groups] for groups in design]


def _clean_design(
    n: int, g: int, tables: int, rounds: int, deadline: float, stop: threading.Event | None
) -> list[list[list[int]]] | None:
    """Every round of n = g * tables people at tables of g with no repeated pair, or None."""
    design = transversal_rounds(g, tables, rounds)
    if design is not None and len(design) == rounds:
        return design
    found = _group_design(n, g, tables, rounds, deadline, stop)
    if found is not None:
        return found
    developed = developed_rounds(n, [g] * tables, rounds, deadline, 0, stop, rounds - 1)
    return developed.clean if developed.clean and len(developed.clean) == rounds else None


def _never_together(
    design: list[list[list[int]]], n: int, k: int, rng: random.Random
) -> set[int] | None:
    """k of the design's n people no two of whom ever share a table (randomised greedy)."""
    met: list[set[int]] = [set() for _ in range(n)]
    for groups in design:
        for group in groups:
            for p in group:
                met[p].update(group)
    people = list(range(n))
    for _attempt in range(200):
        rng.shuffle(people)
        chosen: set[int] = set()
        for p in people:
            if not met[p] & chosen:
                chosen.add(p)
                if len(chosen) == k:
                    return chosen
    return None


def _group_design(
    n: int, g: int, tables: int, rounds: int, deadline: float, stop: threading.Event | None
) -> list[list[list[int]]] | None:
    """Every round with no repeated pair from a design over a group, where the finite fields
    give too few: a difference matrix over Z_q (n = g * q), else rounds invariant under
    Z_2^k (n = g * 2^k). Each try leaves a fifth of the time to the next and to the
    developed designs."""
    if rounds * (g - 1) > n - 1:
        return None  # more meetings per person than other people
    k = (n // g).bit_length() - 1
    tries: list[Callable[[float], list[list[list[int]]] | None]] = []
    if n == g * tables:
        tries.append(lambda until: difference_rounds(g, tables, rounds, until, 0, stop))
    if n == g << k:
        tries.append(lambda until: invariant_rounds(g, k, rounds, until, 0, stop))
    for attempt in tries:
        if time.monotonic() >= deadline or stopped(stop):
            return None
        found = attempt(share(time.monotonic(), deadline, 0.8))
        if found is not None:
            return found
    return None


def _seated(
    prob: Problem, design: list[list[list[int]]], sizes: dict[int, int], rng: random.Random
) -> State:
    """A new seating by the design's rounds (people shuffled), greedy for the rounds it lacks."""
    st = State(prob)
    people = list(range(prob.n))
    rng.shuffle(people)
    for r, groups in enumerate(design):
        tables = _tables_for(groups, sizes)
        for t, s in subject_slots(st, r, prob.open_tables[r]).items():
            st.subj[r][t] = s
        for t, group in zip(tables, groups, strict=True):
            for i in group:
                st.place(r, people[i], t)
    if len(design) < prob.rounds:
        greedy(st, rng, list(range(len(design), prob.rounds)))
    return st


def _tables_for(groups: list[list[int]], sizes: dict[int, int]) -> list[int]:
    """A table of the right size for each group, in order."""
    free = dict(sizes)
    out = []
    for group in groups:
        t = next(t for t, s in free.items() if s == len(group))
        del free[t]
        out.append(t)
    return out


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
