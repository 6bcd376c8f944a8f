"""A near design: every round with few repeats where no design without any is known.

q * q people at q tables of q need q + 1 rounds of an affine plane of order q for no pair to
meet twice, and none exists for q = 6 (Tarry 1900) nor q = 10 (Lam, Thiel and Swiercz 1989);
only 2 (order 10) or 1 (order 6) orthogonal Latin squares are known, that is 4 or 3 rounds.
The affine plane of order q + 1, when q + 1 is a prime power, less two crossing lines, holds
q * q people in q + 2 parallel classes whose tables are only one person short here and there;
seating the people of one short table at the others gives every round, with repeats only
for the people moved: 583 for 100 people at 10 tables of 10 over 11 rounds, which the search
then lowers (it gets stuck near 830 from the 4 clean rounds of the Latin squares).
"""

from __future__ import annotations

from .designs import transversal_rounds
from .fields import field

Rounds = list[list[list[int]]]


def near_rounds(n: int, g: int, rounds: int) -> Rounds | None:
    """Every round, with a few repeats, where no design without any is known: n = g * g at g
    tables of g with no affine plane of order g but one of order g + 1 (g = 6, 10, 22, ...)."""
    if n != g * g or g < 3 or field(g) is not None or field(g + 1) is None:
        return None
    return _cut_plane(g, rounds) if 1 <= rounds <= g + 2 else None


def _cut_plane(q: int, rounds: int) -> Rounds:
    """`rounds` rounds of q * q people at q tables of q from the affine plane of order q + 1
    less two crossing lines L and M: each round is a parallel class, L's and M's first. In
    those two every other line has lost one point (q people); in the others the line through
    L and M's common point keeps q and the q others q - 1: one of these is dissolved, its
    people seated one at each other table, choosing the line and the seats that add the least
    (a repeat 10, each meeting past the second 1 more). Only moved people meet twice."""
    p = q + 1
    plane = transversal_rounds(p, p, p + 1)
    assert plane is not None
    gone = set(plane[-1][0]) | set(plane[0][0])  # L: the last class's first line; M: through 0
    number = {x: i for i, x in enumerate(x for x in range(p * p) if x not in gone)}
    classes = [plane[-1], *plane[:p]][:rounds]
    tables = [[[number[x] for x in line if x in number] for line in lines] for lines in classes]
    met: dict[tuple[int, int], int] = {}
    for lines in tables:
        for line in lines:
            _meet(met, line, line, 1)
    plan = []
    for lines in tables:
        full = [line for line in lines if len(line) == q]
        short = [line for line in lines if len(line) == q - 1]
        if short:
            choices = [_spread(met, short, d) for d in range(len(short))]
            d = min(range(len(short)), key=lambda i: choices[i][0])
            gone_line, rest = short[d], [line[:] for i, line in enumerate(short) if i != d]
            _meet(met, gone_line, gone_line, -1)
            for person, k in zip(gone_line, choices[d][1], strict=True):
                _meet(met, [person], rest[k], 1)
                rest[k].append(person)
            full += rest
        plan.append(full)
    return plan


def _cost(m: int) -> int:
    """What a pair meeting m times costs, in the proportions of the default weights."""
    return 10 * (m - 1) + (m - 1) * (m - 2) // 2 if m else 0


def _meet(met: dict[tuple[int, int], int], some: list[int], others: list[int], by: int) -> None:
    for a in some:
        for b in others:
            if a < b or (a > b and some is not others):
                key = (min(a, b), max(a, b))
                met[key] = met.get(key, 0) + by


def _spread(
    met: dict[tuple[int, int], int], short: list[list[int]], d: int
) -> tuple[int, list[int]]:
    """The cost of dissolving table d of `short`, its people seated one at each other table
    (greedy, then improved by swapping two people's tables), and those tables."""
    movers = short[d]
    rest = [line for i, line in enumerate(short) if i != d]
    _meet(met, movers, movers, -1)

    def added(x: int, table: list[int]) -> int:
        pairs = [met.get((min(x, y), max(x, y)), 0) for y in table]
        return sum(_cost(m + 1) - _cost(m) for m in pairs)

    gain = sum(
        _cost(met.get((a, b), 0)) - _cost(met.get((a, b), 0) + 1)
        for i, a in enumerate(sorted(movers))
        for b in sorted(movers)[i + 1 :]
    )
    cost = [[added(x, table) for table in rest] for x in movers]
    _meet(met, movers, movers, 1)
    free = list(range(len(rest)))
    seats = [0] * len(movers)
    for i in sorted(range(len(movers)), key=lambda i: -max(cost[i])):
        seats[i] = min(free, key=lambda k: cost[i][k])
        free.remove(seats[i])
    better = True
    while better:
        better = False
        for i in range(len(movers)):
            for j in range(i + 1, len(movers)):
                a, b = seats[i], seats[j]
                if cost[i][b] + cost[j][a] < cost[i][a] + cost[j][b]:
                    seats[i], seats[j], better = b, a, True
    return gain + sum(cost[i][seats[i]] for i in range(len(movers))), seats
