"""24 people at 6 tables of 4 for 8 rounds with the counting bound of 12 repeats.

A plan with 12 repeats (288 meetings for 276 pairs) meets every pair, and each person meets
exactly one other twice: the pairs met twice are a perfect matching. Such a plan exists (a
resolvable minimum covering of pairs by quadruples on 24 points, Handbook of Combinatorial
Designs, Colbourn and Dinitz eds., 1996, Example 8.28; Lamken, Mills and Rees, J. Combin.
Des. 1998). `python -m bench.cover_24 layers` finds one, the plan scheduler/known.py holds:

- layers: the people are three layers of 8 ((j, a) is 8 j + a), every table holds two people
  of one layer and two of another (so each layer's pairs, round by round, are 8 perfect
  matchings: every pair once and those of the matching {a, a xor 1} twice, and across two
  layers each table meets a pair with a pair), and moving every person to the next layer
  ((j, a) -> (j + 1 mod 3, a)) keeps rounds 0 and 1 and moves 2 -> 3 -> 4 and 5 -> 6 -> 7.
  CP-SAT, one worker, finds it in 2.5 s (seed 0; 3-10 s on other seeds) on the 2-core
  machine of docs/benchmarks.md.

Two searches with no result, kept for the record: `z8` and `q8` take the people as
G x {0, 1, 2} for a group G of order 8 and the 8 rounds as one base round moved by each
element of G ((a, j) -> (h a, j)). A pair's orbit under G is fixed by its layers and
a^-1 b (up to inverse in one layer): 33 orbits of 8 pairs and, for each involution d of G,
one of 4 pairs {a, a d} in each layer. The base round holds 36 pairs, and an orbit of 4 met
once in it is met twice over the plan, so 12 repeats need exactly one involution (G = Z_8 or
the quaternion group Q_8; the other groups of order 8 have 3 or more) and the base round
meeting each of the 36 orbits once. CP-SAT, one worker, reports INFEASIBLE for both groups
(27 s for Z_8, 8 s for Q_8): no such plan is developed from one base round.
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


ROUNDS = 8
PAIRS = list(combinations(range(8), 2))
TWICE = {(a, a ^ 1) for a in range(0, 8, 2)}
# the next layer's image of each round: 0 and 1 kept, 2 -> 3 -> 4 -> 2, 5 -> 6 -> 7 -> 5
NEXT = {0: 0, 1: 1, 2: 3, 3: 4, 4: 2, 5: 6, 6: 7, 7: 5}


def layered(seconds: float, seed: int = 0) -> list[list[list[int]]] | None:
    """8 rounds of 24 at 6 tables of 4 with 12 repeats, each table two people of one layer
    and two of another, the same plan when every person moves to the next layer; None when
    none is found in `seconds`."""
    m = cp_model.CpModel()
    layers = range(3)
    others = [(j, k) for j in layers for k in layers if j != k]
    # pair P of layer j sits in round r at a table with a pair of layer k
    sent = {
        (r, j, k, pq): m.new_bool_var("") for r in range(ROUNDS) for j, k in others for pq in PAIRS
    }
    # the table of round r where pair P of layer j meets pair Q of layer k (j < k)
    table = {
        (r, j, k, pq, st): m.new_bool_var("")
        for r in range(ROUNDS)
        for j, k in others
        if j < k
        for pq in PAIRS
        for st in PAIRS
    }
    for r in range(ROUNDS):
        for j in layers:
            for a in range(8):  # everyone at one table a round
                m.add_exactly_one(
                    sent[r, j, k, pq] for k in layers if k != j for pq in PAIRS if a in pq
                )
        for j, k in others:
            m.add(sum(sent[r, j, k, pq] for pq in PAIRS) == 2)
            if j < k:
                for pq in PAIRS:
                    m.add(sum(table[r, j, k, pq, st] for st in PAIRS) == sent[r, j, k, pq])
                    m.add(sum(table[r, j, k, st, pq] for st in PAIRS) == sent[r, k, j, pq])
    for j in layers:  # within a layer: every pair once, the matching's twice
        for pq in PAIRS:
            times = sum(sent[r, j, k, pq] for r in range(ROUNDS) for k in layers if k != j)
            m.add(times == (2 if pq in TWICE else 1))
    for j, k in others:  # across two layers: every pair once
        if j < k:
            for a in range(8):
                for b in range(8):
                    m.add_exactly_one(
                        table[r, j, k, pq, st]
                        for r in range(ROUNDS)
                        for pq in PAIRS
                        if a in pq
                        for st in PAIRS
                        if b in st
                    )
    for (r, j, k, pq), v in sent.items():  # the next layer's image
        m.add(sent[NEXT[r], (j + 1) % 3, (k + 1) % 3, pq] == v)
    for (r, j, k, pq, st), v in table.items():
        j2, k2, pq2, st2 = (j + 1) % 3, (k + 1) % 3, pq, st
        if j2 > k2:
            j2, k2, pq2, st2 = k2, j2, st2, pq2
        m.add(table[NEXT[r], j2, k2, pq2, st2] == v)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(m)
    print(f"layers: {solver.status_name(status)}")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [
        [
            [8 * j + pq[0], 8 * j + pq[1], 8 * k + st[0], 8 * k + st[1]]
            for (r2, j, k, pq, st), v in table.items()
            if r2 == r and solver.value(v)
        ]
        for r in range(ROUNDS)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("search", choices=["layers", "z8", "q8"])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    if args.search == "layers":
        plan = layered(args.seconds, args.seed)
        print(f"in {time.perf_counter() - start:.1f} s")
        for r, tables in enumerate(plan or []):
            print(f"round {r}: {tables}")
        return
    found = base_round(args.search, args.seconds)
    print(f"base round: {found} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
