"""The choice of a design: the design families as one table, walked by one budget allocator.

Each family says when it applies to an event's shape, how it builds rounds with no repeated
pair, and what share of the design budget left it may spend. `design_for` walks the table in
order: the first complete design wins, else the one with the most clean rounds, whose missing
rounds the greedy seats. The budget is work (see budget.py), so the design an event gets does
not depend on how busy the machine is.

- field: the transversal design over GF(q) (designs.py), at once;
- known: explicit constructions from the literature (known.py: Kirkman triple systems, NKTS(18),
  orthogonal Latin squares of orders 10 and 12), at once; else, for g * g people at g tables
  of g with no affine plane of order g, every round with few repeats (cut_plane.py);
- rotational: a 1-rotational resolvable design, n = (g - 1) * R + 1 (rotational.py);
- difference: a difference matrix over Z_q found by CP-SAT (difference.py), n = g * q;
- invariant: rounds invariant under Z_2^k, a cover found by CP-SAT (invariant.py), n = g * 2^k;
- developed: a base round shifted into rounds (develop.py), any n;
- padded: a few people short of full tables of g, a design for full tables less people who
  never share a table (so each round has the tables of g - 1 the event needs).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .budget import Budget
from .cut_plane import near_rounds
from .designs import Rounds, never_together, subject_rounds, transversal_rounds
from .develop import developed_rounds
from .difference import difference_rounds
from .greedy import greedy, subject_slots, subjects_first
from .invariant import invariant_rounds
from .known import known_rounds
from .layout import target_sizes
from .rotational import rotational_rounds
from .state import State

if TYPE_CHECKING:
    from .problem import Problem


@dataclass(frozen=True)
class Shape:
    """What a design must fit: n people at tables sized `sizes` for `rounds` rounds; `padded`
    when the tables hold g and g - 1 people and a design for full tables may be cut down."""

    n: int
    sizes: tuple[int, ...]
    rounds: int
    padded: bool = False

    @property
    def g(self) -> int:
        return max(self.sizes)

    @property
    def tables(self) -> int:
        return len(self.sizes)

    @property
    def equal(self) -> bool:
        return len(set(self.sizes)) == 1

    @property
    def forced(self) -> bool:
        """More meetings than pairs: repeats cannot all be avoided."""
        meetings = self.rounds * sum(s * (s - 1) // 2 for s in self.sizes)
        return meetings > self.n * (self.n - 1) // 2


@dataclass
class Found:
    clean: Rounds | None = None  # the most rounds found with no repeated pair
    near: Rounds | None = None  # every round with few repeats (developed where forced; cut plane)
    # the near start is taken when its cost times `odds` is below the clean start's: the
    # search takes about half the repeats off a finite-field start but rarely any off a
    # developed one, and off a cut plane about as many as off the clean start
    odds: int = 2


@dataclass(frozen=True)
class Family:
    name: str
    applies: Callable[[Shape], bool]
    build: Callable[[Shape, Budget, int, Found], None]  # improves `found` in place
    share: float  # of the design budget left when its turn comes


def _clean(found: Found, rounds: Rounds | None) -> None:
    if rounds and (found.clean is None or len(rounds) > len(found.clean)):
        found.clean = rounds


def _field(shape: Shape, budget: Budget, seed: int, found: Found) -> None:
    _clean(found, transversal_rounds(shape.g, shape.tables, shape.rounds))


def _known(shape: Shape, budget: Budget, seed: int, found: Found) -> None:
    _clean(found, known_rounds(shape.n, shape.g, shape.rounds))
    if found.clean is None or len(found.clean) < shape.rounds:
        near = near_rounds(shape.n, shape.g, shape.rounds)
        if near is not None:
            found.near, found.odds = near, 1


def _difference(shape: Shape, budget: Budget, seed: int, found: Found) -> None:
    _clean(found, difference_rounds(shape.g, shape.tables, shape.rounds, budget, seed))


def _invariant(shape: Shape, budget: Budget, seed: int, found: Found) -> None:
    k = (shape.n // shape.g).bit_length() - 1
    _clean(found, invariant_rounds(shape.g, k, shape.rounds, budget, seed))


def _rotational(shape: Shape, budget: Budget, seed: int, found: Found) -> None:
    _clean(found, rotational_rounds(shape.g, shape.n, shape.rounds, budget))


def _developed(shape: Shape, budget: Budget, seed: int, found: Found) -> None:
    # Partly developed plans only help where repeats are forced anyway: clean early rounds
    # then leave the fewest to the search. Elsewhere, and where a finite-field design seats
    # most rounds, only a complete developed design is worth it, and beside a finite-field
    # start (a plateau the search rarely leaves) one with a few repeats may be the better start.
    at_least = shape.rounds - 1 if found.clean or not shape.forced else 0
    want_near = bool(found.clean) and found.near is None
    developed = developed_rounds(
        shape.n, list(shape.sizes), shape.rounds, budget, seed, at_least, want_near
    )
    _clean(found, developed.clean)
    if want_near:
        found.near = developed.near


def _padded(shape: Shape, budget: Budget, seed: int, found: Found) -> None:
    full = Shape(shape.g * shape.tables, (shape.g,) * shape.tables, shape.rounds)
    design = design_for(full, budget, seed, complete=True).clean
    if design is None:
        return
    gone = never_together(design, full.n, full.n - shape.n, random.Random(seed))
    if gone is None:
        return
    index = {p: i for i, p in enumerate(p for p in range(full.n) if p not in gone)}
    _clean(found, [[[index[p] for p in grp if p in index] for grp in groups] for groups in design])


def _room(shape: Shape) -> bool:
    """No more meetings per person than other people."""
    return shape.rounds * (shape.g - 1) <= shape.n - 1


FAMILIES = (
    Family("padded", lambda s: s.padded and set(s.sizes) == {s.g - 1, s.g}, _padded, 0.6),
    Family("field", lambda s: s.equal, _field, 0.0),
    Family("known", lambda s: s.equal and s.n == s.g * s.tables, _known, 0.0),
    Family(
        "rotational",
        lambda s: s.equal and s.g >= 3 and (s.n - 1) % (s.g - 1) == 0 and _room(s),
        _rotational,
        0.5,
    ),
    Family(
        "difference",
        lambda s: s.equal and _room(s) and s.n == s.g * s.tables,
        _difference,
        0.5,
    ),
    Family(
        "invariant",
        lambda s: s.equal and _room(s) and s.n == s.g << ((s.n // s.g).bit_length() - 1),
        _invariant,
        0.9,
    ),
    Family("developed", lambda s: True, _developed, 1.0),
)


def design_for(shape: Shape, budget: Budget, seed: int = 0, complete: bool = False) -> Found:
    """Walk the families in order, each with its share of the budget left, until one gives
    every round; `complete`: only a design with every round counts."""
    found = Found()
    for family in FAMILIES:
        if found.clean is not None and len(found.clean) == shape.rounds:
            break
        if not family.applies(shape) or (family.share and budget.over()):
            continue
        part = budget.part(family.share) if family.share else budget
        family.build(shape, part, seed, found)
        if family.name == "padded" and found.clean is not None:
            break  # the tables' own sizes: no other family fits them
    if complete and (found.clean is None or len(found.clean) < shape.rounds):
        found.clean = None
    return found


def _construction_fits(st: State) -> bool:
    prob = st.problem
    if prob.fixed or prob.pins or any(len(u) > 1 for u in prob.units) or st.has_apart:
        return False
    if not all(all(row) for row in prob.present):
        return False
    return len({frozenset(target_sizes(prob, r).items()) for r in range(prob.rounds)}) == 1


def _construct_latin(st: State, rng: random.Random) -> bool:
    """Rotating subjects, q subjects (a prime power) each at h tables: every subject once for
    everyone and nobody met twice, by designs.subject_rounds, or copies of it side by side
    (each copy's people meet only among themselves), less the few people the event lacks (who
    never share a table); greedy seats rounds past the q-th."""
    prob = st.problem
    q = len(prob.sid)
    tables = prob.open_tables[0]
    if prob.mode != "rotating" or not tables or len(tables) % q:
        return False
    hosts = len(tables) // q
    if any(len(t) != len(tables) for t in prob.open_tables) or min(prob.hosts) < hosts:
        return False
    if len({(prob.cap[t], prob.lo[t]) for t in tables}) != 1:
        return False
    cap, lo = prob.cap[tables[0]], prob.lo[tables[0]]
    rounds = min(prob.rounds, q)
    for size in range(lo, cap + 1):
        for paired in (False, True):
            # paired: tables of hosts + 1 from a copy with size - 1 hosts, as many copies as
            # fill the event's hosts; else one design with every host, tables of `size`
            each = size - 1 if paired else hosts
            if each < 1 or hosts % each:
                continue
            design = subject_rounds(q, each if paired else size, each, paired, rounds)
            if design is None:
                continue
            copies = hosts // each
            people = sum(len(group) for _s, group in design[0])
            if copies * people < prob.n:
                continue
            gone = _left_out(people, copies, copies * people - prob.n, q)
            if gone is None:
                continue
            if _latin_seated(st, _side_by_side(design, copies, people), gone, rng):
                return True
    return False


def _side_by_side(
    design: list[list[tuple[int, list[int]]]], copies: int, people: int
) -> list[list[tuple[int, list[int]]]]:
    """`copies` copies of the design, copy k's people numbered from k * people; each subject's
    tables stay together (those of every copy)."""
    out = []
    for tables in design:
        by_subject: dict[int, list[tuple[int, list[int]]]] = {}
        for k in range(copies):
            for s, group in tables:
                by_subject.setdefault(s, []).append((s, [p + k * people for p in group]))
        out.append([table for s in sorted(by_subject) for table in by_subject[s]])
    return out


def _left_out(people: int, copies: int, missing: int, q: int) -> set[int] | None:
    """`missing` people of the copies who never share a table: the last q of each copy never
    do (subject_rounds), and people of different copies never meet; taken in turn from each
    copy, so that no table loses more than one. None when there are too many."""
    if missing > copies * q:
        return None
    return {(j % copies + 1) * people - 1 - j // copies for j in range(missing)}


def _latin_seated(
    st: State, design: list[list[tuple[int, list[int]]]], gone: set[int], rng: random.Random
) -> bool:
    """Seat the design less the people `gone` (who never share a table), if every table keeps
    its minimum; True if it did."""
    prob = st.problem
    lo = prob.lo[prob.open_tables[0][0]]
    for groups in design:
        for _s, people in groups:
            if sum(p not in gone for p in people) < lo:
                return False
    kept = [p for p in range(sum(len(people) for _s, people in design[0])) if p not in gone]
    order = list(range(prob.n))
    rng.shuffle(order)
    person = dict(zip(kept, order, strict=True))
    hosts = len(design[0]) // len(prob.sid)
    for r, groups in enumerate(design):
        tables = prob.open_tables[r]
        # subject s at tables s*hosts.. in round 0, moved along one table per round
        for i, (s, people) in enumerate(groups):
            t = tables[(i + r * hosts) % len(tables)]
            st.subj[r][t] = s
            for p in people:
                if p not in gone:
                    st.place(r, person[p], t)
    if len(design) < prob.rounds:
        greedy(st, rng, list(range(len(design), prob.rounds)))
    return True


def construct(st: State, rng: random.Random, budget: Budget, seed: int = 0) -> bool:
    """Seat everyone by a design if the event has its shape; True if it did. A design with
    fewer rounds than the event seats its rounds; greedy seats the rest."""
    prob = st.problem
    if not _construction_fits(st):
        return False
    if _construct_latin(st, rng):
        return True
    if subjects_first(st):
        return False  # the Latin greedy serves coverage first
    sizes = target_sizes(prob, 0)
    g = max(sizes.values())
    padded = {prob.cap[t] for t in sizes} == {g} and all(prob.lo[t] <= g - 1 for t in sizes)
    shape = Shape(prob.n, tuple(sizes.values()), prob.rounds, padded)
    found = design_for(shape, budget, seed)
    if found.clean is None:
        return False
    start = _seated(st.problem, found.clean, sizes, rng)
    if found.near is not None and len(found.clean) < prob.rounds:
        other = _seated(st.problem, found.near, sizes, rng)
        if found.odds * other.cost() < start.cost():
            start = other
    _copy(start, st)
    return True


def _copy(start: State, st: State) -> None:
    for r in range(st.rounds):
        st.subj[r] = start.subj[r][:]
        for u, t in enumerate(start.seat[r]):
            if t >= 0:
                st.place(r, u, t)


def _seated(problem: Problem, design: Rounds, sizes: dict[int, int], rng: random.Random) -> State:
    """A new seating by the design's rounds (people shuffled), greedy for the rounds it lacks."""
    st = State(problem)
    people = list(range(problem.n))
    rng.shuffle(people)
    for r, groups in enumerate(design):
        tables = _tables_for(groups, sizes)
        for t, s in subject_slots(st, r, problem.open_tables[r]).items():
            st.subj[r][t] = s
        for t, group in zip(tables, groups, strict=True):
            for i in group:
                st.place(r, people[i], t)
    if len(design) < problem.rounds:
        greedy(st, rng, list(range(len(design), problem.rounds)))
    return st


def _tables_for(groups: list[list[int]], sizes: dict[int, int]) -> list[int]:
    """A table of the right size for each group, in order."""
    free = dict(sizes)
    out = []
    for group in groups:
        t = next(t for t, s in free.items() if s == len(group))
        del free[t]
        out.append(t)
    return out
