"""Rounds that translations leave unchanged: g orbits of H = Z_2^k, tables of g.

People are (i, x) with orbit i < g and x in H (bit vectors, added by XOR), so n = g * 2^k.
A round is invariant when adding any h in H to everyone's x maps its tables onto its tables.
Such a round is made of table orbits: a base table holds one coset of a subgroup K of H in each
of g/|K| orbits, and its translates seat those orbits completely. Two people then meet through
a difference class, (i, j, d) across orbits or (i, s) within one, and every pair of a class
meets in the same rounds. So rounds that share no class repeat no pair.

Every invariant round is listed (13,497 for 32 people at tables of 4), and CP-SAT picks
`rounds` of them with no class used twice: a packing far smaller than the plan's own model,
made smaller still by first assuming one more symmetry (see `_twist`). This gives 10 rounds of
32 people at 8 tables of 4 with no repeated pair (the social golfer problem's 8-4-10) in about
half a second, which neither the finite-field designs (8 rounds) nor the developed designs
(develop.py) reach.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from itertools import combinations, product

from ortools.sat.python import cp_model

from .budget import CANDIDATES_PER_UNIT, Budget
from .fields import field
from .stopping import find_solution

CANDIDATE_LIMIT = 20_000  # invariant rounds beyond which the cover is not attempted

Item = tuple[int, ...]  # (i, j, d) across orbits i < j, or (i, s) within orbit i
Block = tuple[tuple[int, ...], frozenset[int], tuple[int, ...]]  # orbits, K, offsets
Rounds = list[list[list[int]]]


def invariant_rounds(
    g: int,
    k: int,
    rounds: int,
    budget: Budget,
    seed: int = 0,
) -> Rounds | None:
    """`rounds` rounds of g * 2**k people (orbit i, element x is person i * 2**k + x) at
    tables of g with no pair twice, or None if none is found within the budget (listing,
    grouping and modelling the candidates count as work, then CP-SAT's).

    A plan that is also unchanged by squaring every x in GF(2^k) while turning k of the
    orbits round is sought first: that symmetry cuts the cover k-fold and often exists
    (32 people: well under a second instead of several); then any plan."""
    if g < 2 or k < 1 or rounds < 1:
        return None
    limit = min(CANDIDATE_LIMIT, budget.steps(CANDIDATES_PER_UNIT))
    candidates = _candidates(g, k, limit, budget.deadline)
    if candidates is None:
        return None  # no time to build the cover, let alone solve it
    budget.spend(len(candidates) / CANDIDATES_PER_UNIT)
    uses = [set(_items(blocks)) for blocks in candidates]
    usable = set().union(*uses)
    if rounds * min(len(items) for items in uses) > len(usable):
        return None  # too few classes for that many rounds
    twist = _twist(g, k)
    if twist is not None and not budget.over():
        classes = _classes(candidates, twist)
        part = budget.part(1 / 2)
        picked = _cover(classes, uses, candidates, rounds, part, seed, twisted=True)
        if picked is not None:
            return [_tables(candidates[i], k) for i in picked]
    if budget.over():
        return None
    singles = [[i] for i in range(len(uses))]
    picked = _cover(singles, uses, candidates, rounds, budget, seed, twisted=False)
    return None if picked is None else [_tables(candidates[i], k) for i in picked]


def _cover(
    classes: list[list[int]],
    uses: list[set[Item]],
    candidates: list[list[Block]],
    rounds: int,
    budget: Budget,
    seed: int,
    twisted: bool,
) -> list[int] | None:
    """Candidates, whole classes at a time, `rounds` in all, no item used twice."""
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"class_{i}") for i in range(len(classes))]
    users: dict[Item, list[cp_model.IntVar]] = {}
    for var, members in zip(chosen, classes, strict=True):
        items = [item for i in members for item in uses[i]]
        if len(set(items)) < len(items):
            model.add(var == 0)  # the class's own rounds share a class of pairs
            continue
        for item in items:
            users.setdefault(item, []).append(var)
    for literals in users.values():
        if len(literals) > 1:
            model.add_at_most_one(literals)
    model.add(sum(len(m) * var for var, m in zip(chosen, classes, strict=True)) == rounds)
    if not twisted:  # shifting an orbit would not keep the twist: no such argument there
        _break_symmetry(model, chosen, classes, candidates)
    if budget.over():
        return None
    solver = find_solution(model, budget, seed)
    if solver is None:
        return None
    return [i for var, m in zip(chosen, classes, strict=True) if solver.value(var) for i in m]


def _break_symmetry(
    model: cp_model.CpModel,
    chosen: list[cp_model.IntVar],
    classes: list[list[int]],
    candidates: list[list[Block]],
) -> None:
    """Adding a constant to one orbit's x maps a plan to a plan, and can bring any round of
    one transversal table orbit (K = {0}) to offsets all 0: so if the plan has such rounds,
    it may as well have that one."""

    def transversal(i: int) -> bool:
        blocks = candidates[i]
        return len(blocks) == 1 and len(blocks[0][1]) == 1

    with_one = [(var, m) for var, m in zip(chosen, classes, strict=True) if transversal(m[0])]
    zero = next((var for var, m in with_one if not any(candidates[m[0]][0][2])), None)
    if zero is not None:
        model.add(sum(var for var, _m in with_one) == 0).only_enforce_if(~zero)


def _twist(g: int, k: int) -> tuple[list[int], list[int]] | None:
    """A symmetry to assume: squaring in GF(2^k) (a linear map of Z_2^k of order k) with
    orbits 1..k turned one step; None when there are too few orbits or nothing to square."""
    gf = field(1 << k)
    if k < 2 or g < k + 1 or gf is None:
        return None
    _add, mul = gf
    square = [mul[x][x] for x in range(1 << k)]
    turn = list(range(g))
    for i in range(1, k + 1):
        turn[i] = i % k + 1
    return square, turn


def _classes(candidates: list[list[Block]], twist: tuple[list[int], list[int]]) -> list[list[int]]:
    """The candidates grouped by the twist: each group maps onto itself."""
    square, turn = twist
    index = {_key(blocks): i for i, blocks in enumerate(candidates)}
    seen: set[int] = set()
    out = []
    for i, blocks in enumerate(candidates):
        if i in seen:
            continue
        group = [i]
        image = _moved(blocks, square, turn)
        while (j := index[_key(image)]) != i:
            group.append(j)
            image = _moved(image, square, turn)
        seen.update(group)
        out.append(group)
    return out


def _moved(blocks: list[Block], square: list[int], turn: list[int]) -> list[Block]:
    out = []
    for orbits, group, offsets in blocks:
        pairs = sorted((turn[i], square[c]) for i, c in zip(orbits, offsets, strict=True))
        base = pairs[0][1]
        out.append(
            (
                tuple(i for i, _c in pairs),
                frozenset(square[w] for w in group),
                tuple(c ^ base for _i, c in pairs),
            )
        )
    return out


def _key(blocks: list[Block]) -> tuple[Block, ...]:
    """One spelling per round: offsets as their coset's smallest element, blocks sorted."""
    out = []
    for orbits, group, offsets in blocks:
        shift = offsets[0]  # the whole table orbit moved so that the first offset is 0
        out.append((orbits, group, tuple(min(c ^ shift ^ w for w in group) for c in offsets)))
    return tuple(sorted(out, key=lambda b: b[0]))


def subgroups(k: int, order: int) -> list[frozenset[int]]:
    """The subgroups of Z_2^k with `order` elements."""
    if order & (order - 1) or order > 1 << k:
        return []
    dim = order.bit_length() - 1
    found: set[frozenset[int]] = set()
    for gens in combinations(range(1, 1 << k), dim):
        group = {0}
        for gen in gens:
            group |= {x ^ gen for x in group}
        if len(group) == order:
            found.add(frozenset(group))
    return sorted(found, key=sorted)


def _reps(k: int, group: frozenset[int]) -> list[int]:
    """One element of each coset of the subgroup: the smallest."""
    return sorted({min(x ^ w for w in group) for x in range(1 << k)})


def _block_options(orbits: tuple[int, ...], g: int, k: int) -> list[Block]:
    """Table orbits over these orbits: a subgroup K with |K| * len(orbits) == g, and the
    offset of each orbit's coset after the first (one per coset of K)."""
    order = g // len(orbits)
    out: list[Block] = []
    for group in subgroups(k, order):
        reps = _reps(k, group)
        for offsets in product(reps, repeat=len(orbits) - 1):
            out.append((orbits, group, (0, *offsets)))
    return out


def _partitions(items: tuple[int, ...], g: int, k: int) -> Iterator[list[tuple[int, ...]]]:
    """Set partitions of the orbits into blocks whose size divides g by a power of two of at
    most 2^k (the order of a subgroup that can fill the rest of a table)."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for size in range(1, len(items) + 1):
        order = g // size
        if g % size or order & (order - 1) or order > 1 << k:
            continue
        for others in combinations(rest, size - 1):
            block = (first, *others)
            left = tuple(x for x in rest if x not in others)
            for tail in _partitions(left, g, k):
                yield [block, *tail]


def _candidates(
    g: int, k: int, limit: float = CANDIDATE_LIMIT, deadline: float | None = None
) -> list[list[Block]] | None:
    """Every invariant round, as its table orbits; None past `limit` of them or the
    deadline (a safety cap: the limit is what decides)."""
    shapes = []
    total = 0
    for number, parts in enumerate(_partitions(tuple(range(g)), g, k)):
        if deadline is not None and number % 1000 == 999 and time.monotonic() > deadline:
            return None
        count = 1
        for block in parts:
            count *= _option_count(len(block), g, k)
        if count:
            shapes.append(parts)
            total += count
        if total > limit:
            return None
    options: dict[tuple[int, ...], list[Block]] = {}
    for parts in shapes:
        for block in parts:
            if block not in options:
                options[block] = _block_options(block, g, k)
    return [list(combo) for parts in shapes for combo in product(*(options[b] for b in parts))]


def _option_count(size: int, g: int, k: int) -> int:
    """How many table orbits `_block_options` gives for a block of `size` orbits: the
    subgroups of order g/size (a Gaussian binomial) times the offsets."""
    order = g // size
    dim = order.bit_length() - 1
    if order & (order - 1) or dim > k:
        return 0
    groups = 1
    for i in range(dim):
        groups = groups * ((1 << (k - i)) - 1) // ((1 << (i + 1)) - 1)
    offsets: int = (1 << (k - dim)) ** (size - 1)
    return groups * offsets


def _items(blocks: list[Block]) -> Iterator[Item]:
    for orbits, group, offsets in blocks:
        for i in orbits:
            for w in group:
                if w:
                    yield (i, w)
        for (a, ca), (b, cb) in combinations(zip(orbits, offsets, strict=True), 2):
            for w in group:
                yield (a, b, ca ^ cb ^ w)


def _tables(blocks: list[Block], k: int) -> list[list[int]]:
    h = 1 << k
    tables = []
    for orbits, group, offsets in blocks:
        for t in _reps(k, group):
            tables.append(
                [i * h + (c ^ t ^ w) for i, c in zip(orbits, offsets, strict=True) for w in group]
            )
    return tables
