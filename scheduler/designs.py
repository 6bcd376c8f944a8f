"""Algebraic designs: rounds with no repeated pair, built at once.

The transversal design over a finite field GF(q): participant (i, x) with i < g and x in GF(q)
sits in round a at group x - a*e_i. Two participants meet in exactly one round, so q rounds of
q groups of g (g <= q) have no repeated pair; when g == q the groups of equal i give one more
round (the affine plane). Copies of the design side by side serve any multiple of g*q
participants. With rotating subjects, the affine maps x -> a*x + b seat q subjects at q
tables so that nobody sees a subject twice nor meets anyone twice.
"""

from __future__ import annotations

import random

from .fields import field, prime_power

Rounds = list[list[list[int]]]


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


def never_together(
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


def subject_rounds(
    q: int, groups: int, hosts: int, paired: bool, rounds: int
) -> list[list[tuple[int, list[int]]]] | None:
    """Rounds of q subjects, each at `hosts` tables, where nobody meets anyone twice nor sees a
    subject twice: per round, (subject, people) for each table, subject s's tables together.

    Person (a, b, c), a in 1..groups (at most q - 1), b in GF(q), c < m, sits at subject
    a*x + b in round x: an affine map, so every subject once, and two people with different a
    share a subject in exactly one round (with equal a and different b, never). The m people
    of a group (a, b) share their subject every round, so they sit at different tables of it:
    m = hosts (tables of `groups` people), or, `paired`, m = hosts + 1 with one pair together
    per round, the pair {x, x + 1 mod m} in round x, a new one each round (groups == hosts:
    tables of hosts + 1). Copies of Lima's design side by side are the case hosts = copies.
    Person (a, b, c) is number ((a - 1) * m + c) * q + b: the last q never share a table."""
    gf = field(q)
    m = hosts + 1 if paired else hosts
    if gf is None or not 1 <= groups <= q - 1 or hosts < 1 or rounds > q:
        return None
    if paired and (groups != hosts or m < 3 or rounds > m):
        return None
    add, mul = gf
    neg = [next(y for y in range(q) if add[x][y] == 0) for x in range(q)]
    plan = []
    for x in range(rounds):
        tables: list[tuple[int, list[int]]] = []
        for s in range(q):
            seats: list[list[int]] = [[] for _ in range(hosts)]
            for a in range(1, groups + 1):
                b = add[s][neg[mul[a][x]]]  # a*x + b = s
                members = [((a - 1) * m + c) * q + b for c in range(m)]
                if paired:
                    pair = {x % m, (x + 1) % m}
                    seats[a - 1].extend(members[c] for c in sorted(pair))
                    others = [k for k in range(hosts) if k != a - 1]
                    singles = [members[c] for c in range(m) if c not in pair]
                    for k, person in zip(others, singles, strict=True):
                        seats[k].append(person)
                else:
                    for k in range(hosts):
                        seats[k].append(members[k])
            tables.extend((s, seat) for seat in seats)
        plan.append(tables)
    return plan
