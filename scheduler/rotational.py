"""1-rotational resolvable designs: every pair meets exactly once, for n = (g - 1) * R + 1.

People are the elements of Z_N, N = (g - 1) * R, and one more, infinity. The base round holds
{infinity, 0, R, 2R, ...} (the subgroup of order g - 1, with infinity) and, for each of
(R - 1) / g base tables B, the g - 1 tables B + jR; round i adds i to everyone but infinity.
When the base tables' elements fall in different nonzero classes mod R, the base round seats
everyone once; when their differences are all different and none a multiple of R, every pair
meets exactly once over the R rounds (a 1-rotational difference family; Buratti, "1-rotational
resolvable designs", and the cyclic constructions of Kirkman triple systems in the Handbook of
Combinatorial Designs, ch. II.2 and VII.6). A short backtracking search finds the base tables:

- 21 people at 7 tables of 3 for 10 rounds: a Kirkman triple system KTS(21);
- 40 people at 10 tables of 4 for 13 rounds: a resolvable (40, 4, 1) design;
- also KTS(9), KTS(15), KTS(27), (28, 4, 1), (45, 5, 1), ... wherever such a family exists.
"""

from __future__ import annotations

from .budget import Budget

STEPS_PER_UNIT = 300_000  # backtracking steps per unit of work

Rounds = list[list[list[int]]]


def rotational_rounds(g: int, n: int, rounds: int, budget: Budget) -> Rounds | None:
    """`rounds` rounds of n people at tables of g where nobody meets twice, from a
    1-rotational difference family, or None when n has not this shape or none is found
    within the budget."""
    if g < 3 or n < g or (n - 1) % (g - 1):
        return None
    big_r = (n - 1) // (g - 1)
    if (big_r - 1) % g or rounds > big_r or rounds < 1:
        return None
    base = _family(g, big_r, budget)
    if base is None:
        return None
    n_z = (g - 1) * big_r
    inf = n_z
    plan = []
    for i in range(rounds):
        tables = [[inf, *((i + j * big_r) % n_z for j in range(g - 1))]]
        for block in base:
            for j in range(g - 1):
                tables.append([(x + j * big_r + i) % n_z for x in block])
        plan.append(tables)
    return plan


def _family(g: int, big_r: int, budget: Budget) -> list[list[int]] | None:
    """(R - 1) / g base tables of g elements of Z_N, one of each nonzero class mod R, with
    all differences different and none a multiple of R."""
    n_z = (g - 1) * big_r
    blocks_needed = (big_r - 1) // g
    used_residue = [False] * big_r
    used_residue[0] = True
    used_diff = [False] * n_z
    for j in range(g - 1):
        used_diff[j * big_r] = True  # multiples of R: the subgroup's own differences
    blocks: list[list[int]] = []
    steps = 0
    limit = budget.steps(STEPS_PER_UNIT)

    def fits(block: list[int], x: int) -> list[int] | None:
        diffs = []
        for y in block:
            for d in ((x - y) % n_z, (y - x) % n_z):
                if used_diff[d] or d in diffs:
                    return None
                diffs.append(d)
        return diffs

    def mark(diffs: list[int], value: bool) -> None:
        for d in diffs:
            used_diff[d] = value

    def extend(block: list[int], start: int) -> bool:
        nonlocal steps
        steps += 1
        if steps > limit or (steps % 4096 == 0 and budget.over()):
            raise _OutOfWork
        if len(block) == g:
            blocks.append(block[:])
            if place():
                return True
            blocks.pop()
            return False
        for residue in range(start, big_r):
            if used_residue[residue]:
                continue
            for j in range(g - 1):
                x = residue + j * big_r
                diffs = fits(block, x)
                if diffs is None:
                    continue
                used_residue[residue] = True
                mark(diffs, True)
                block.append(x)
                if extend(block, residue + 1):
                    return True
                block.pop()
                mark(diffs, False)
                used_residue[residue] = False
        return False

    def place() -> bool:
        if len(blocks) == blocks_needed:
            return True
        # each table starts at the smallest class left (a table and its shifts by jR are
        # the same orbit, so its first element may have quotient 0)
        first = used_residue.index(False)
        used_residue[first] = True
        found = extend([first], first + 1)
        if not found:
            used_residue[first] = False
        return found

    try:
        found = place()
    except _OutOfWork:
        found = False
    budget.spend(steps / STEPS_PER_UNIT)
    return blocks if found else None


class _OutOfWork(Exception):
    pass
