"""24 people at 6 tables of 4 for 8 rounds: is the counting bound of 12 repeats reached by a
plan developed from one base round? `python -m bench.cover_24 z8` (or q8).

A plan with 12 repeats (288 meetings for 276 pairs) meets every pair, and each person meets
exactly one other twice: the pairs met twice are a perfect matching. Here the people are
G x {0, 1, 2} for a group G of order 8, and the 8 rounds are one base round moved by each
element of G ((a, j) -> (h a, j)). A pair's orbit under G is fixed by its layers and
a^-1 b (up to inverse in one layer): 33 orbits of 8 pairs and, for each involution d of G,
one of 4 pairs {a, a d} in each layer. The base round holds 36 pairs, and an orbit of 4 met
once in it is met twice over the plan, so 12 repeats need exactly one involution (G = Z_8 or
the quaternion group Q_8; the other groups of order 8 have 3 or more) and the base round
meeting each of the 36 orbits once. CP-SAT, one worker, reports INFEASIBLE for both groups
(27 s for Z_8, 8 s for Q_8 on the 2-core machine of docs/benchmarks.md): no such plan
is developed from one base round.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from itertools import combinations

from ortools.sat.python import cp_model

Group = tuple[Callable[[int, int], int], Callable[[int], int]]  # product, inverse on 0..7

# the quaternion units 1, i, j, k as 0..3, with the sign in bit 2: u * v = sign * unit
_UNIT_PRODUCT = {
    (0, 0): (0, 0), (0, 1): (0, 1), (0, 2): (0, 2), (0, 3): (0, 3),
    (1, 0): (0, 1), (1, 1): (1, 0), (1, 2): (0, 3), (1, 3): (1, 2),
    (2, 0): (0, 2), (2, 1): (1, 3), (2, 2): (1, 0), (2, 3): (0, 1),
    (3, 0): (0, 3), (3, 1): (0, 2), (3, 2): (1, 1), (3, 3): (1, 0),
}  # fmt: skip


def _quaternion_product(a: int, b: int) -> int:
    sign, unit = _UNIT_PRODUCT[a % 4, b % 4]
    return 4 * ((a // 4 + b // 4 + sign) % 2) + unit


def group(name: str) -> Group:
    """Z_8 or Q_8 as (product, inverse) on the elements 0..7 (0 the identity)."""
    if name == "z8":
        return (lambda a, b: (a + b) % 8), (lambda a: -a % 8)
    product = _quaternion_product
    return product, (lambda a: next(b for b in range(8) if product(a, b) == 0))


def orbits(g: Group) -> dict[tuple[int, int, int], list[tuple[int, int]]]:
    """The pairs of people (person a + 8 j is (a, j)) by their orbit under G."""
    product, inverse = g
    out: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    for p, q in combinations(range(24), 2):
        (j, a), (k, b) = divmod(p, 8), divmod(q, 8)
        d = product(inverse(a), b)
        key = (j, k, min(d, inverse(d)) if j == k else d)
        out.setdefault(key, []).append((p, q))
    return out


def base_round(name: str, seconds: float) -> list[list[int]] | None:
    """A base round meeting each orbit of pairs once, or None: INFEASIBLE, or not found."""
    pair_orbits = orbits(group(name))
    m = cp_model.CpModel()
    x = {(p, t): m.new_bool_var(f"x{p}_{t}") for p in range(24) for t in range(6)}
    for p in range(24):
        m.add_exactly_one(x[p, t] for t in range(6))
    for t in range(6):
        m.add(sum(x[p, t] for p in range(24)) == 4)
    m.add(x[0, 0] == 1)
    together = {}
    for p, q in combinations(range(24), 2):
        for t in range(6):
            v = together[p, q, t] = m.new_bool_var(f"y{p}_{q}_{t}")
            m.add_implication(v, x[p, t])
            m.add_implication(v, x[q, t])
            m.add_bool_or([v, ~x[p, t], ~x[q, t]])
    for pairs in pair_orbits.values():
        m.add(sum(together[p, q, t] for p, q in pairs for t in range(6)) == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(m)
    print(f"{name}: {len(pair_orbits)} orbits, {solver.status_name(status)}")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [[p for p in range(24) if solver.value(x[p, t])] for t in range(6)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("group", choices=["z8", "q8"])
    parser.add_argument("--seconds", type=float, default=600)
    args = parser.parse_args()
    start = time.perf_counter()
    found = base_round(args.group, args.seconds)
    print(f"base round: {found} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
