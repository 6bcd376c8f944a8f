"""Developed designs: one base round turned into many by shifting.

People are points: orbit points (c, x) with c in Z_q and x < m, and f fixed points. Round i
seats (c + i, x) where the base round seats (c, x); fixed points keep their table. Two orbit
points with the same difference (x, x', c' - c) meet at most once over the shifts when the base
round puts at most one pair of each difference class at a table; a fixed point meets a whole
orbit through one base partner. So a base round with no class used twice gives min(q, rounds)
rounds with no repeated pair, and the search for it is q times smaller than the plan's
(the "1-rotational" constructions of design theory; with f = 0, a cyclic one). A tabu search
(base_search.py) looks for the base round; CP-SAT takes over when the model is small.

This reaches sizes the finite-field designs cannot: 30 people at 6 tables of 5 for 6 rounds
(q = 6), 32 at 8 tables of 4 for 9 rounds (q = 9 with 5 fixed points), 24 at 6 tables of 4 for
7 rounds (q = 7 with 3 fixed points).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import combinations

from ortools.sat.python import cp_model

from .base_search import search_base
from .budget import Budget
from .stopping import find_solution

MODEL_LIMIT = 5_000  # pair-at-table literals beyond which CP-SAT rarely answers in seconds
SEARCH_LIMIT = 400  # people beyond which no developed design is sought
TRIES = 3  # shapes tried at most: past the first few, a shape rarely succeeds in the time

Rounds = list[list[list[int]]]


def candidates(n: int, sizes: list[int], rounds: int) -> list[tuple[int, int, int]]:
    """Shapes (q, m, f) with n = q*m + f whose difference classes can hold the base round,
    best first: those giving every round, then those giving the most rounds."""
    tables = len(sizes)
    needed = sum(s * (s - 1) // 2 for s in sizes)
    out = []
    for q in range(2, n + 1):
        for f in range(0, min(tables, n) + 1):
            if (n - f) % q or n - f < q:
                continue
            m = (n - f) // q
            # a fixed point's partners come from distinct orbits; fixed points never share
            if f and sorted(sizes)[f - 1] - 1 > m:
                continue
            orbit_classes = q * m * (m - 1) // 2 + m * ((q - 1) // 2)
            if needed - _fixed_pairs(sizes, f) > orbit_classes:
                continue
            out.append((q, m, f))
    # more shifts than rounds only over-constrain the base round: q near the rounds first
    return sorted(out, key=lambda c: (-min(c[0], rounds), c[0] < rounds, c[0], c[2]))


def _fixed_pairs(sizes: list[int], f: int) -> int:
    """Pairs between a fixed point and its table, at the f smallest tables."""
    return sum(s - 1 for s in sorted(sizes)[:f])


@dataclass
class Developed:
    clean: Rounds | None = None  # the most rounds found with no repeated pair
    near: Rounds | None = None  # every round, with the fewest repeats found (when asked for)
    near_repeats: int = 0


def developed_rounds(
    n: int,
    sizes: list[int],
    rounds: int,
    budget: Budget,
    seed: int = 0,
    more_than: int = 0,
    near: bool = False,
) -> Developed:
    """Developed designs for groups of people 0..n-1 sized as `sizes`, sought within the
    budget: rounds with no repeated pair (all `rounds` if found, else the most found, if
    more than `more_than`) and, with `near`, the complete plan with the fewest repeats."""
    found = Developed()
    if sum(sizes) != n or rounds < 2 or n > SEARCH_LIMIT:
        return found
    sizes = sorted(sizes)  # fixed points go to the smallest tables
    small = len(sizes) * n * (n - 1) // 2 <= MODEL_LIMIT
    rng = random.Random(seed)
    shapes = [c for c in candidates(n, sizes, rounds)[:TRIES] if min(c[0], rounds) > more_than]
    for i, (q, m, f) in enumerate(shapes):
        done = len(found.clean) if found.clean else 0
        if min(q, rounds) <= done:
            break
        if budget.over():
            break
        classes = _class_matrix(q, m, f)
        share = 1 / (len(shapes) - i) if near else 0.15  # near: one try, all its share
        base, cost = search_base(n, q * m, classes, sizes, budget.part(share), rng)
        if cost and near and q >= rounds:
            plan = _develop(base, q, m, rounds)
            repeats = _repeats(plan)
            if found.near is None or repeats < found.near_repeats:
                found.near, found.near_repeats = plan, repeats
        if cost and small and not budget.over():
            exact = _base_round(q, m, f, classes, sizes, budget.part(0.4), seed)
            base, cost = (exact, 0) if exact is not None else (base, cost)
        if not cost:
            plan = _develop(base, q, m, min(q, rounds))
            if not _repeats(plan):
                found.clean = plan
    return found


def _class_matrix(q: int, m: int, f: int) -> list[list[int]]:
    """Each pair's difference class as a number, -1 for a pair that may never sit together."""
    n = q * m + f
    ids: dict[tuple[int, int, int], int] = {}
    out = [[-1] * n for _ in range(n)]
    for a, b in combinations(range(n), 2):
        cls = _difference_class(a, b, q, m)
        if cls is not None:
            out[a][b] = out[b][a] = ids.setdefault(cls, len(ids))
    return out


def _base_round(
    q: int,
    m: int,
    f: int,
    classes: list[list[int]],
    sizes: list[int],
    budget: Budget,
    seed: int,
) -> list[list[int]] | None:
    """The base round's tables (point indices: orbit point (c, x) is x*q + c, fixed point j
    is q*m + j), or None when CP-SAT finds none in time."""
    n = q * m + f
    tables = range(len(sizes))
    model = cp_model.CpModel()
    seat = {(p, k): model.new_bool_var(f"seat_{p}_{k}") for p in range(n) for k in tables}
    for p in range(n):
        model.add_exactly_one(seat[p, k] for k in tables)
    for k in tables:
        model.add(sum(seat[p, k] for p in range(n)) == sizes[k])
    by_class: dict[int, list[cp_model.IntVar]] = {}
    for a, b in combinations(range(n), 2):
        cls = classes[a][b]
        for k in tables:
            if cls < 0:
                model.add_bool_or([~seat[a, k], ~seat[b, k]])
            else:
                both = model.new_bool_var(f"both_{a}_{b}_{k}")
                model.add_bool_or([~seat[a, k], ~seat[b, k], both])
                by_class.setdefault(cls, []).append(both)
    for literals in by_class.values():
        model.add_at_most_one(literals)
    _break_symmetry(model, seat, q, m, f, sizes)

    solver = find_solution(model, budget, seed)
    if solver is None:
        return None
    return [[p for p in range(n) if solver.value(seat[p, k])] for k in tables]


def _difference_class(a: int, b: int, q: int, m: int) -> tuple[int, int, int] | None:
    """What a base pair (a < b) repeats over the shifts; None for a pair that may never sit
    together (two fixed points, or an orbit pair half a turn apart, met twice per turn)."""
    orbit = q * m
    if a >= orbit:
        return None
    if b >= orbit:
        return (-1, b - orbit, a // q)
    (xa, ca), (xb, cb) = divmod(a, q), divmod(b, q)
    d = (cb - ca) % q
    if xa == xb:
        d = min(d, q - d)
        if 2 * d == q:
            return None
    return (xa, xb, d)


def _break_symmetry(
    model: cp_model.CpModel,
    seat: dict[tuple[int, int], cp_model.IntVar],
    q: int,
    m: int,
    f: int,
    sizes: list[int],
) -> None:
    """Tables of one size are interchangeable, and so are the shifts of an orbit: fixed point
    j takes the j-th table, and orbit 0's point 0 the next one (when orbit 0 must reach it)."""
    if len(set(sizes)) != 1:
        return
    for j in range(f):
        model.add(seat[q * m + j, j] == 1)
    if f < len(sizes) and f * (sizes[0] - 1) < q:
        model.add(seat[0, f] == 1)


def _develop(base: list[list[int]], q: int, m: int, rounds: int) -> Rounds:
    orbit = q * m

    def shifted(p: int, i: int) -> int:
        if p >= orbit:
            return p
        x, c = divmod(p, q)
        return x * q + (c + i) % q

    return [[[shifted(p, i) for p in table] for table in base] for i in range(rounds)]


def _repeats(plan: Rounds) -> int:
    seen: set[tuple[int, int]] = set()
    repeats = 0
    for groups in plan:
        for group in groups:
            for pair in combinations(sorted(group), 2):
                repeats += pair in seen
                seen.add(pair)
    return repeats
