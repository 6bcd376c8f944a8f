"""1-rotational resolvable designs: every pair meets exactly once, for n = (g - 1) * R + 1.

People are the elements of an abelian group G of order N = (g - 1) * R (Z_N, or a product of
cyclic groups such as Z_2 x Z_10), and one more, infinity. The base round holds infinity with
a subgroup H of order g - 1, and, for each of (R - 1) / g base tables B, the g - 1 tables B + h
(h in H); round t adds t to everyone but infinity, for one t in each coset of H. When the base
tables' elements fall in different cosets other than H, the base round seats everyone once;
when their differences are all different and none in H, every pair meets exactly once over
the R rounds (a 1-rotational difference family; Buratti, "1-rotational
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
    1-rotational difference family over Z_N then the other abelian groups of order N (each
    with an equal share of the budget), or None when n has not this shape or none is found."""
    if g < 3 or n < g or (n - 1) % (g - 1):
        return None
    big_r = (n - 1) // (g - 1)
    if (big_r - 1) % g or rounds > big_r or rounds < 1:
        return None
    groups = _abelian(big_r * (g - 1))
    for i, factors in enumerate(groups):
        group = _Group(factors)
        for h in group.subgroups(g - 1):
            if budget.over():
                return None
            base = _family(group, h, g, budget.part(1 / (len(groups) - i)))
            if base is not None:
                plan = _rounds(group, h, base, rounds)
                if _meets_once(plan):  # a check that shares nothing with the search
                    return plan
    return None


def _meets_once(plan: Rounds) -> bool:
    seen: set[tuple[int, int]] = set()
    for tables in plan:
        for table in tables:
            for i, a in enumerate(table):
                for b in table[i + 1 :]:
                    pair = (a, b) if a < b else (b, a)
                    if pair in seen:
                        return False
                    seen.add(pair)
    return True


class _Group:
    """A product of cyclic groups, elements numbered in mixed radix."""

    def __init__(self, factors: list[int]) -> None:
        self.factors = factors
        self.order = 1
        for f in factors:
            self.order *= f
        digits = [self._digits(x) for x in range(self.order)]
        self.add = [[self._number(a, b) for b in digits] for a in digits]
        self.neg = [self.add[x].index(0) for x in range(self.order)]

    def _digits(self, x: int) -> list[int]:
        out = []
        for f in reversed(self.factors):
            x, d = divmod(x, f)
            out.append(d)
        return out[::-1]

    def _number(self, a: list[int], b: list[int]) -> int:
        x = 0
        for f, da, db in zip(self.factors, a, b, strict=True):
            x = x * f + (da + db) % f
        return x

    def subgroups(self, order: int) -> list[list[int]]:
        """The cyclic subgroups of this order, each as its elements from 0."""
        found: list[list[int]] = []
        for x in range(1, self.order):
            cycle = [0]
            while (y := self.add[cycle[-1]][x]) != 0:
                cycle.append(y)
            if len(cycle) == order and sorted(cycle) not in [sorted(c) for c in found]:
                found.append(cycle)
        return found


def _abelian(n: int) -> list[list[int]]:
    """The abelian groups of order n as invariant factors (each divides the next), Z_n first."""
    out: list[list[int]] = []

    def grow(left: int, factors: list[int]) -> None:
        if left == 1:
            out.append(factors)
            return
        for f in range(2, left + 1):
            if left % f == 0 and (not factors or f % factors[-1] == 0):
                grow(left // f, [*factors, f])

    grow(n, [])
    return sorted((f for f in out if len(f) <= 3), key=len)


def _rounds(group: _Group, h: list[int], base: list[list[int]], rounds: int) -> Rounds:
    add, inf = group.add, group.order
    coset = _cosets(group, h)
    shifts = sorted(set(coset))[:rounds]
    plan = []
    for t in shifts:
        tables = [[inf, *(add[x][t] for x in h)]]
        for block in base:
            for y in h:
                tables.append([add[add[x][y]][t] for x in block])
        plan.append(tables)
    return plan


def _cosets(group: _Group, h: list[int]) -> list[int]:
    """Each element's coset of h, named by its smallest element."""
    return [min(group.add[x][y] for y in h) for x in range(group.order)]


def _family(group: _Group, h: list[int], g: int, budget: Budget) -> list[list[int]] | None:
    """(R - 1) / g base tables of g elements, one in each coset other than h, with all
    differences different and none in h."""
    add, neg = group.add, group.neg
    coset = _cosets(group, h)
    names = sorted(set(coset))
    blocks_needed = (len(names) - 1) // g
    used_coset = dict.fromkeys(names, False)
    used_coset[0] = True
    used_diff = [False] * group.order
    for y in h:
        used_diff[y] = True  # differences within the subgroup are its own table's
    members = {c: [x for x in range(group.order) if coset[x] == c] for c in names}
    blocks: list[list[int]] = []
    steps = 0
    limit = budget.steps(STEPS_PER_UNIT)

    def fits(block: list[int], x: int) -> list[int] | None:
        diffs = []
        for y in block:
            for d in (add[x][neg[y]], add[y][neg[x]]):
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
        for i in range(start, len(names)):
            c = names[i]
            if used_coset[c]:
                continue
            for x in members[c]:
                diffs = fits(block, x)
                if diffs is None:
                    continue
                used_coset[c] = True
                mark(diffs, True)
                block.append(x)
                if extend(block, i + 1):
                    return True
                block.pop()
                mark(diffs, False)
                used_coset[c] = False
        return False

    def place() -> bool:
        if len(blocks) == blocks_needed:
            return True
        # each table starts at the first coset left, at its smallest element (a table and
        # its shifts by h are the same orbit)
        i = next(i for i, c in enumerate(names) if not used_coset[c])
        used_coset[names[i]] = True
        found = extend([names[i]], i + 1)
        if not found:
            used_coset[names[i]] = False
        return found

    try:
        found = place()
    except _OutOfWork:
        found = False
    budget.spend(steps / STEPS_PER_UNIT)
    return blocks if found else None


class _OutOfWork(Exception):
    pass
