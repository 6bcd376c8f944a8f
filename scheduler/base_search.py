"""Tabu search for a developed design's base round (see develop.py).

The base round is one partition of the points into tables. Its cost counts each difference
class used more than once (each such use repeats a pair in every shifted round) and, far
heavier, pairs that may never share a table. A step swaps two points at different tables,
one of them in conflict, taking the best swap that is not tabu. Fixed points keep the table
they start at (one each), so they never meet.
"""

from __future__ import annotations

import random
from itertools import combinations

from .budget import DELTAS_PER_UNIT, Budget

FORBIDDEN = 1000  # cost of a pair that may never sit together in the base round
SAMPLE = 12  # conflicted points looked at per step


class _Base:
    def __init__(self, n: int, orbit: int, classes: list[list[int]], tables: list[list[int]]):
        self.orbit = orbit
        self.cls = classes
        self.tables = tables
        self.where = [0] * n
        for k, group in enumerate(tables):
            for p in group:
                self.where[p] = k
        self.count = [0] * (max(max(row) for row in classes) + 1)
        self.forbidden = 0
        for group in tables:
            for a, b in combinations(group, 2):
                self._add(classes[a][b], 1)

    def _add(self, c: int, d: int) -> None:
        if c < 0:
            self.forbidden += d
        else:
            self.count[c] += d

    def cost(self) -> int:
        return sum(x - 1 for x in self.count if x > 1) + FORBIDDEN * self.forbidden

    def conflicted(self) -> list[int]:
        out = []
        for group in self.tables:
            for a in group:
                if a < self.orbit:
                    row = self.cls[a]
                    if any(x != a and (row[x] < 0 or self.count[row[x]] > 1) for x in group):
                        out.append(a)
        return out

    def _changes(self, a: int, b: int) -> dict[int, int]:
        """Class count changes when a and b trade tables (-1 stands for forbidden pairs)."""
        ca, cb = self.cls[a], self.cls[b]
        net: dict[int, int] = {}
        get = net.get
        for x in self.tables[self.where[a]]:
            if x != a:
                c = ca[x]
                net[c] = get(c, 0) - 1
                c = cb[x]
                net[c] = get(c, 0) + 1
        for y in self.tables[self.where[b]]:
            if y != b:
                c = cb[y]
                net[c] = get(c, 0) - 1
                c = ca[y]
                net[c] = get(c, 0) + 1
        return net

    def delta(self, a: int, b: int) -> int:
        count = self.count
        d = 0
        for c, change in self._changes(a, b).items():
            if not change:
                continue
            if c < 0:
                d += FORBIDDEN * change
            else:
                old = count[c]
                new = old + change
                d += (new - 1 if new > 1 else 0) - (old - 1 if old > 1 else 0)
        return d

    def swap(self, a: int, b: int) -> None:
        for c, change in self._changes(a, b).items():
            self._add(c, change)
        ka, kb = self.where[a], self.where[b]
        self.tables[ka].remove(a)
        self.tables[kb].remove(b)
        self.tables[ka].append(b)
        self.tables[kb].append(a)
        self.where[a], self.where[b] = kb, ka


def search_base(
    n: int,
    orbit: int,
    classes: list[list[int]],
    sizes: list[int],
    budget: Budget,
    rng: random.Random,
) -> tuple[list[list[int]], int]:
    """The best base round found within the budget (tables sized as `sizes`, fixed points
    orbit..n-1 at the first tables) and its cost; the search ends early at cost 0. Each swap
    weighed counts as work, so a budget of work gives the same base round on any machine."""
    points = list(range(orbit))
    rng.shuffle(points)
    tables: list[list[int]] = [[orbit + k] if orbit + k < n else [] for k in range(len(sizes))]
    for group, size in zip(tables, sizes, strict=True):
        while len(group) < size:
            group.append(points.pop())
    base = _Base(n, orbit, classes, tables)
    cost = best = base.cost()
    best_tables = [g[:] for g in base.tables]
    tabu: dict[tuple[int, int], int] = {}
    it = stall = 0
    while cost > 0 and not budget.over():
        it += 1
        pool = base.conflicted()
        if len(pool) > SAMPLE:
            pool = rng.sample(pool, SAMPLE)
        budget.spend(len(pool) * orbit / DELTAS_PER_UNIT)
        found = _best_swap(base, pool, tabu, it, best - cost, rng)
        if found is None:
            continue
        d, a, b = found
        tabu[a, base.where[a]] = it + 5 + rng.randrange(10)
        tabu[b, base.where[b]] = it + 5 + rng.randrange(10)
        base.swap(a, b)
        cost += d
        if cost < best:
            best, best_tables, stall = cost, [g[:] for g in base.tables], 0
        else:
            stall += 1
        if stall > 20 * n:  # start afresh from the best, shaken
            base = _Base(n, orbit, classes, [g[:] for g in best_tables])
            _shake(base, rng)
            cost, stall = base.cost(), 0
            tabu.clear()
    return best_tables, best


def _best_swap(
    base: _Base,
    pool: list[int],
    tabu: dict[tuple[int, int], int],
    it: int,
    aspiration: int,
    rng: random.Random,
) -> tuple[int, int, int] | None:
    best_d, moves = 0, list[tuple[int, int]]()
    for a in pool:
        ka = base.where[a]
        for b in range(base.orbit):
            kb = base.where[b]
            if kb == ka:
                continue
            d = base.delta(a, b)
            if moves and d > best_d:
                continue
            if d >= aspiration and (tabu.get((a, kb), 0) > it or tabu.get((b, ka), 0) > it):
                continue
            if not moves or d < best_d:
                best_d, moves = d, [(a, b)]
            else:
                moves.append((a, b))
    if not moves:
        return None
    a, b = rng.choice(moves)
    return best_d, a, b


def _shake(base: _Base, rng: random.Random) -> None:
    for _ in range(3):
        a, b = rng.sample(range(base.orbit), 2)
        if base.where[a] != base.where[b]:
            base.swap(a, b)
