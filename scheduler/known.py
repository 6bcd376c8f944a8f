"""Known designs: explicit constructions from the literature, each built at once.

Each gives rounds of n people (0..n-1) at tables of g where nobody meets anyone twice, for
shapes the searching families (rotational, difference, developed) miss or reach slowly:

- Kirkman triple systems KTS(v), v = 6t + 3 people at tables of 3 for (v - 1) / 2 rounds,
  where every pair meets exactly once: KTS(9) is the affine plane of order 3, KTS(15) a base
  round developed mod 7, KTS(3q) for a prime power q = 6t + 1 a direct construction over
  GF(q) (KTS(21), KTS(39), ...), and KTS(3v) from any KTS(v) by tripling (KTS(27), KTS(45));
- the nearly Kirkman triple system NKTS(18): 18 people at tables of 3 for 8 rounds;
- 100 people at 10 tables of 10 for 4 rounds, from two orthogonal Latin squares of order 10;
- 12g people at 12 tables of g <= 12 for 6 rounds (7 when g = 12), from a difference matrix
  over Z_2 x Z_6 (five mutually orthogonal Latin squares of order 12).

Where repeats are forced, `near_known_rounds` gives the fewest known: 24 people at 6 tables of
4 for 8 rounds with 12 repeats (a resolvable minimum covering: everyone meets everyone).

Every design is checked pair by pair in tests/scheduler/test_known.py.
"""

from __future__ import annotations

from .designs import transversal_rounds
from .fields import field

Rounds = list[list[list[int]]]


def known_rounds(n: int, g: int, rounds: int) -> Rounds | None:
    """Up to `rounds` rounds of a known design for n people at tables of g (all of them when
    it has enough), or None when no known design has this shape."""
    design: Rounds | None = None
    if g == 3 and n % 6 == 3:
        design = kirkman(n)
    elif g == 3 and n == 18:
        design = _nearly_kirkman_18()
    elif g == 10 and n == 100:
        design = _latin_pair_10()
    elif n == 12 * g and 2 <= g <= 12:
        design = _matrix_12(g)
    return design[:rounds] if design and rounds >= 1 else None


def near_known_rounds(n: int, g: int, rounds: int) -> Rounds | None:
    """Every one of `rounds` rounds of a known plan with the fewest repeats possible, where
    no design without any has that many rounds, or None."""
    if n == 24 and g == 4 and rounds == 8:
        return _cover_24()
    return None


def kirkman(v: int) -> Rounds | None:
    """A Kirkman triple system of order v (a resolvable design: every pair meets once over
    (v - 1) / 2 rounds), or None when none of these constructions reaches v."""
    if v == 9:
        return transversal_rounds(3, 3, 4)  # the affine plane of order 3
    if v == 15:
        return _developed(7, 2, [_KIRKMAN_15])
    q = v // 3
    gf = field(q)
    if gf is not None and q % 6 == 1:
        return _kirkman_3q(q, gf)
    smaller = kirkman(q) if q % 6 == 3 else None
    return _tripled(smaller, q) if smaller else None


# Kirkman's fifteen schoolgirls as a base round over Z_7 x {0, 1} plus one fixed person 14
# (person i < 14 is (i mod 7, i div 7)), developed mod 7 into the 7 rounds: KTS(15) in its
# classic form with an automorphism of order 7 (Kirkman 1850; the Handbook of Combinatorial
# Designs, 2nd ed., on Kirkman triple systems); this base round was found by a short search
# for this project.
_KIRKMAN_15 = [[0, 2, 11], [1, 4, 9], [3, 14, 13], [5, 12, 6], [7, 8, 10]]

# The nearly Kirkman triple system NKTS(18) (exists by Kotzig-Rosa 1974; Baker-Wilson 1977
# for every order 6t >= 18): two base rounds over Z_4 x {0, 1, 2, 3} plus fixed people 16 and
# 17, each developed mod 4; the pairs left out are {16, 17} and those whose difference is 2.
# These base rounds were found by a short search for this project.
_NEARLY_KIRKMAN_18 = [
    [[0, 3, 15], [1, 6, 10], [2, 5, 16], [4, 9, 12], [7, 17, 14], [8, 13, 11]],
    [[0, 10, 17], [1, 14, 15], [2, 9, 6], [3, 11, 5], [4, 7, 13], [8, 12, 16]],
]


def _nearly_kirkman_18() -> Rounds:
    return _developed(4, 4, _NEARLY_KIRKMAN_18)


def _developed(m: int, orbits: int, base: Rounds) -> Rounds:
    """Each base round shifted by 0..m-1: person i < m * orbits is (i mod m) in orbit
    i div m and moves along its orbit; the people after them stay where they are."""

    def shift(p: int, s: int) -> int:
        return p if p >= m * orbits else p - p % m + (p + s) % m

    return [[[shift(p, s) for p in table] for table in tables] for tables in base for s in range(m)]


def _kirkman_3q(q: int, gf: tuple[list[list[int]], list[list[int]]]) -> Rounds:
    """KTS(3q) for a prime power q = 6t + 1. Person (x, j), x in GF(q), j < 3, is j * q + x;
    w is a primitive element and the cubes' cosets {w^i, w^(i+2t), w^(i+4t)} give the tables.
    The round C = {Z} + {B_ij} + {A_i: i div t odd}, with Z = {(0, j)}, B_ij = the coset of
    w^i in layer j (i < t), A_i = {(w^i, 0), (w^(i+2t), 1), (w^(i+4t), 2)}, shifted by every
    x in GF(q), gives q rounds; each A_i with i div t even, shifted by every x, one more round.
    This is the construction of Kirkman triple systems of order 3q for primes q = 6t + 1
    quoted in the Code Golf question "Generate a Kirkman triple system" (from a Mathematics
    Stack Exchange answer); it holds for prime powers too, as the tests check."""
    add, mul = gf
    t = (q - 1) // 6
    w = next(x for x in range(2, q) if _order(x, mul) == q - 1)
    power = [1]
    for _ in range(q - 2):
        power.append(mul[power[-1]][w])

    def cube_coset(i: int) -> list[int]:
        return [power[(i + 2 * t * k) % (q - 1)] for k in range(3)]

    def a_table(i: int) -> list[tuple[int, int]]:
        return [(x, j) for j, x in enumerate(cube_coset(i))]

    base: list[list[tuple[int, int]]] = [[(0, 0), (0, 1), (0, 2)]]
    base += [[(x, j) for x in cube_coset(i)] for i in range(t) for j in range(3)]
    base += [a_table(i) for i in range(q - 1) if (i // t) % 2 == 1]

    def shifted(table: list[tuple[int, int]], s: int) -> list[int]:
        return [j * q + add[x][s] for x, j in table]

    plan = [[shifted(table, s) for table in base] for s in range(q)]
    plan += [[shifted(a_table(i), s) for s in range(q)] for i in range(q - 1) if (i // t) % 2 == 0]
    return plan


def _order(x: int, mul: list[list[int]]) -> int:
    k, y = 1, x
    while y != 1:
        y, k = mul[y][x], k + 1
    return k


def _tripled(design: Rounds, v: int) -> Rounds:
    """KTS(3v) from KTS(v), v odd (the classic tripling of resolvable triple systems; see
    Colbourn and Rosa, Triple Systems, 1999). Person (x, j), j < 3, is j * v + x. Each round of KTS(v), in the three
    layers at once, is a round; then, for each a in Z_v, the tables {(b, 0), (b + a, 1),
    (b + 2a, 2)} for b in Z_v are one more round: two people of different layers share one
    of these tables for exactly one a (2 is invertible mod v)."""
    plan = [[[j * v + x for x in table] for j in range(3) for table in tables] for tables in design]
    plan += [[[b, v + (b + a) % v, 2 * v + (b + 2 * a) % v] for b in range(v)] for a in range(v)]
    return plan


# Two orthogonal Latin squares of order 10 (Parker 1959; Bose, Shrikhande and Parker 1960) from
# a quasi-difference matrix over Z_7 with three symbols 7, 8, 9 kept fixed, the form in which
# the Handbook of Combinatorial Designs (2nd ed., III.3, on MOLS) builds them. Each row has one fixed symbol and
# three of Z_7; with (0, 0, 0, 0), the rows developed mod 7 and an orthogonal array of order 3
# on the fixed symbols give 100 rows of 4 symbols, two of which agree in at most one place.
# These rows were found by a short search for this project.
_QUASI_DIFFERENCE_10 = [
    [7, 0, 1, 2], [8, 0, 2, 1], [9, 0, 3, 5], [0, 7, 1, 4], [0, 8, 2, 6], [0, 9, 5, 3],
    [0, 1, 7, 5], [0, 3, 8, 2], [0, 5, 9, 1], [0, 2, 6, 7], [0, 4, 3, 8], [0, 6, 4, 9],
]  # fmt: skip


def _latin_pair_10() -> Rounds:
    """4 rounds of 100 at 10 tables of 10: person = row of the orthogonal array, round j =
    its column j, table = the symbol there."""
    rows = [[0, 0, 0, 0], *_QUASI_DIFFERENCE_10]
    array = [[x if x >= 7 else (x + s) % 7 for x in row] for row in rows for s in range(7)]
    array += [
        [7 + a, 7 + b, 7 + (a + b) % 3, 7 + (a + 2 * b) % 3] for a in range(3) for b in range(3)
    ]
    plan = []
    for j in range(4):
        tables: list[list[int]] = [[] for _ in range(10)]
        for person, row in enumerate(array):
            tables[row[j]].append(person)
        plan.append(tables)
    return plan


# A (12, 6; 1) difference matrix over Z_2 x Z_6, element (a, b) written 6a + b: for any two
# rows, the differences of their entries column by column are the 12 elements once each. It
# exists by Johnson, Dulmage and Mendelsohn 1961 (five orthogonal Latin squares of order 12;
# Hanani 1975, Lemma 3.21); this one was found by CP-SAT for this project (row 0 and column 0
# are 0, row 1 lists the group).
_MATRIX_12 = [
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    [0, 9, 6, 5, 11, 2, 10, 8, 7, 3, 1, 4],
    [0, 6, 5, 4, 7, 11, 2, 9, 3, 1, 8, 10],
    [0, 3, 1, 8, 10, 6, 7, 4, 11, 5, 2, 9],
    [0, 4, 10, 7, 3, 8, 1, 11, 9, 2, 6, 5],
]


def _matrix_12(g: int) -> Rounds:
    """Person (c, x), c < g, x in Z_2 x Z_6, is c * 12 + x; in round i < 6 they sit at table
    M[i][c] + x: two people of different c meet in rounds i and k only if M[i][c] - M[k][c] =
    M[i][c'] - M[k][c'], which the matrix forbids. With g = 12, tables by c make round 7."""

    def add(u: int, v: int) -> int:
        return 6 * ((u // 6 + v // 6) % 2) + (u + v) % 6

    plan = []
    for row in _MATRIX_12:
        tables: list[list[int]] = [[] for _ in range(12)]
        for c in range(g):
            for x in range(12):
                tables[add(row[c], x)].append(c * 12 + x)
        plan.append(tables)
    if g == 12:
        plan.append([[c * 12 + x for x in range(12)] for c in range(12)])
    return plan


# 24 people at 6 tables of 4 for 8 rounds: 288 meetings for 276 pairs, so at least 12 repeats.
# A plan with exactly 12 exists, where everyone meets everyone and each person one other twice
# (a resolvable minimum covering of pairs by quadruples: Handbook of Combinatorial Designs,
# Colbourn and Dinitz eds., 1996, Example 8.28; Lamken, Mills and Rees, J. Combin. Des. 1998).
# This one was found by CP-SAT for this project (`python -m bench.cover_24 layers`): person
# 8 j + a is a of layer j, every table holds two people of one layer and two of another, the
# pairs {a, a xor 1} of each layer meet twice, and moving everyone to the next layer
# (p -> p + 8 mod 24) keeps the plan: rounds 0 and 1 are two tables each, moved 0, 1 and 2
# layers; the other six are two base rounds moved 0, 1 and 2 layers.
_COVER_24_KEPT = [[[0, 6, 9, 12], [2, 5, 11, 15]], [[0, 2, 13, 14], [1, 3, 12, 15]]]
_COVER_24_MOVED = [
    [
        [0, 4, 8, 15],
        [2, 7, 10, 12],
        [1, 6, 17, 23],
        [3, 5, 19, 20],
        [9, 13, 16, 21],
        [11, 14, 18, 22],
    ],
    [
        [4, 5, 12, 14],
        [6, 7, 13, 15],
        [0, 3, 22, 23],
        [1, 2, 20, 21],
        [8, 9, 18, 19],
        [10, 11, 16, 17],
    ],
]


def _cover_24() -> Rounds:
    def moved(table: list[int], layers: int) -> list[int]:
        return [(p + 8 * layers) % 24 for p in table]

    plan = [[moved(t, s) for s in range(3) for t in tables] for tables in _COVER_24_KEPT]
    plan += [[moved(t, s) for t in tables] for tables in _COVER_24_MOVED for s in range(3)]
    return plan
