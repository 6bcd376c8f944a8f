"""The choice of a design: the design families as one table, walked by one budget allocator.

Each family says when it applies to an event's shape, how it builds rounds with no repeated
pair, and what share of the design budget left it may spend. `design_for` walks the table in
order: the first complete design wins, else the one with the most clean rounds, whose missing
rounds the greedy seats. The budget is work (see budget.py), so the design an event gets does
not depend on how busy the machine is.

- field: the transversal design over GF(q) (designs.py), at once;
- known: explicit constructions from the literature (known.py: Kirkman triple systems, NKTS(18),
  orthogonal Latin squares of orders 10 and 12), at once; else, for g * g people at g tables
  of g with no affine plane of order g, every round with few repeats (cut_plane.py), and for
  24 people at 6 tables of 4 over 8 rounds the plan with the fewest repeats (known.py);
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
from .known import known_rounds, near_known_rounds
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
        near = near_rounds(shape.n, shape.g, shape.rounds) or near_known_rounds(
            shape.n, shape.g, shape.rounds
        )
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


def _latin_fits(st: State) -> bool:
    """The subject design's shape: rotating subjects, everyone alone, nothing fixed or
    pinned, the same number of tables in every round, all of one size (absences and people
    kept apart are placed on the design where they can be, _people_for)."""
    prob = st.problem
    if prob.mode != "rotating" or prob.fixed or prob.pins or any(len(u) > 1 for u in prob.units):
        return False
    tables = prob.open_tables[0]
    if not tables or len(tables) % len(prob.sid):
        return False
    if any(len(t) != len(tables) for t in prob.open_tables):
        return False
    used = {t for row in prob.open_tables for t in row}
    return len({(prob.cap[t], prob.lo[t]) for t in used}) == 1


def _construct_latin(st: State, rng: random.Random) -> bool:
    """Rotating subjects, q subjects (a prime power) each at h tables: every subject once for
    everyone and nobody met twice, by designs.subject_rounds, or copies of it side by side
    (each copy's people meet only among themselves), less the few people the event lacks (who
    never share a table); greedy seats rounds past the q-th."""
    prob = st.problem
    if not _latin_fits(st):
        return False
    q = len(prob.sid)
    tables = prob.open_tables[0]
    hosts = len(tables) // q
    if min(prob.hosts) < hosts:
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
            design = _side_by_side(design, copies, people)
            person = _people_for(st, [[g for _s, g in groups] for groups in design], gone, rng)
            if person is not None:
                _latin_seated(st, design, person, rng)
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


REPAIR_STEPS = 1000  # swaps at most that try to place people kept apart or absent
REPAIR_SAMPLE = 60  # swaps weighed per step
PLACEMENT_OPS = 3_000_000  # rule checks at most (about a second), then the greedy instead


class _Placement:
    """Units on the people of a design (those `gone` left out, none of whom share a table),
    with what the rules say of it: kept-apart units on people who share a table (`clashes`),
    and tables below their minimum once the people absent in a round are left out."""

    def __init__(self, st: State, design: Rounds, gone: set[int]) -> None:
        prob = st.problem
        lo = prob.lo[prob.open_tables[0][0]]
        self.points = [p for p in range(sum(len(g) for g in design[0])) if p not in gone]
        self.group = [{p: i for i, grp in enumerate(groups) for p in grp} for groups in design]
        self.met: dict[int, set[int]] = {p: set() for p in self.points}
        for groups in design:
            for grp in groups:
                for p in grp:
                    if p in self.met:
                        self.met[p].update(grp)
        # seats each (round, group) may still lose to absences, after those gone
        self.room = [
            [len(grp) - lo - sum(p in gone for p in grp) for grp in groups] for groups in design
        ]
        units = range(len(prob.units))
        self.away = {u: [r for r in range(len(design)) if not st.size_u[r][u]] for u in units}
        self.apart = {u: st.apart[u] for u in units if st.apart[u]}
        self.where: dict[int, int] = {}
        self.ops = 0  # rule checks made: a bound on the work that does not depend on time

    def clashes(self, u: int, p: int) -> int:
        near = self.met[p]
        self.ops += 1 + len(self.apart.get(u, ()))
        return sum(1 for v in self.apart.get(u, ()) if self.where.get(v, -1) in near)

    def short(self, u: int, p: int) -> int:
        """Rounds u is away in which its group, at person p, has no seat left to lose."""
        self.ops += 1 + len(self.away[u])
        return sum(self.room[r][self.group[r][p]] <= 0 for r in self.away[u])

    def overflow(self, keys: set[tuple[int, int]]) -> int:
        return sum(max(0, -self.room[r][g]) for r, g in keys)

    def seat(self, u: int, p: int) -> None:
        self.where[u] = p
        for r in self.away[u]:
            self.room[r][self.group[r][p]] -= 1

    def unseat(self, u: int) -> int:
        p = self.where.pop(u)
        for r in self.away[u]:
            self.room[r][self.group[r][p]] += 1
        return p

    def swap(self, u: int, w: int) -> None:
        pu, pw = self.unseat(u), self.unseat(w)
        self.seat(u, pw)
        self.seat(w, pu)

    def swap_delta(self, u: int, w: int) -> int:
        """What swapping u and w does to the rules broken."""
        pu, pw = self.where[u], self.where[w]
        keys = {(r, self.group[r][p]) for r in self.away[u] + self.away[w] for p in (pu, pw)}
        before = self.clashes(u, pu) + self.clashes(w, pw) + self.overflow(keys)
        self.swap(u, w)
        after = self.clashes(u, pw) + self.clashes(w, pu) + self.overflow(keys)
        self.swap(u, w)
        return after - before

    def broken(self) -> int:
        keys = {(r, g) for r, row in enumerate(self.room) for g in range(len(row))}
        return sum(self.clashes(u, self.where[u]) for u in self.apart) // 2 + self.overflow(keys)


def _people_for(
    st: State, design: Rounds, gone: set[int], rng: random.Random
) -> dict[int, int] | None:
    """{person of the design: unit} keeping every rule (_Placement): units with a rule are
    placed first, each where it breaks none if it can; when some rule still breaks, a fixed
    number of swaps try to mend it (the same result on any machine). None if they do not,
    or when the checks would take more than PLACEMENT_OPS."""
    at = _Placement(st, design, gone)
    if any(x < 0 for row in at.room for x in row):
        return None
    ruled = sorted(
        {u for u, rounds in at.away.items() if rounds} | set(at.apart),
        key=lambda u: (-len(at.apart.get(u, ())) - 2 * len(at.away[u]), rng.random()),
    )
    free = at.points[:]
    rng.shuffle(free)
    for u in ruled:
        best, fewest = 0, None
        for i, p in enumerate(free):
            if at.ops > PLACEMENT_OPS:
                return None
            bad = at.clashes(u, p) + at.short(u, p)
            if fewest is None or bad < fewest:
                best, fewest = i, bad
                if bad == 0:
                    break
        at.seat(u, free.pop(best))
    for u in range(len(st.problem.units)):
        if u not in at.where:
            at.seat(u, free.pop())
    bad = at.broken()
    everyone = list(at.where)
    for _step in range(REPAIR_STEPS):
        if bad == 0 or at.ops > PLACEMENT_OPS:
            break
        culprits = [v for v in ruled if at.clashes(v, at.where[v])] or [
            v for v in ruled if any(at.room[r][at.group[r][at.where[v]]] < 0 for r in at.away[v])
        ]
        u = rng.choice(culprits)
        best_delta, best_w = None, -1
        for w in rng.sample(everyone, min(REPAIR_SAMPLE, len(everyone))):
            if w != u:
                delta = at.swap_delta(u, w)
                if best_delta is None or delta < best_delta:
                    best_delta, best_w = delta, w
        if best_delta is None or (best_delta > 0 and rng.random() < 0.5):
            continue
        at.swap(u, best_w)
        bad += best_delta
    return {p: u for u, p in at.where.items()} if bad == 0 else None


def _latin_seated(
    st: State,
    design: list[list[tuple[int, list[int]]]],
    person: dict[int, int],
    rng: random.Random,
) -> None:
    """Seat the design, its person p as unit person[p] (people not in `person` left out);
    greedy seats the rounds past the design's."""
    prob = st.problem
    hosts = len(design[0]) // len(prob.sid)
    for r, groups in enumerate(design):
        tables = prob.open_tables[r]
        # subject s at tables s*hosts.. in round 0, moved along one table per round
        for i, (s, people) in enumerate(groups):
            t = tables[(i + r * hosts) % len(tables)]
            st.subj[r][t] = s
            for p in people:
                if p in person and st.size_u[r][person[p]]:
                    st.place(r, person[p], t)
    if len(design) < prob.rounds:
        greedy(st, rng, list(range(len(design), prob.rounds)))


def construct(st: State, rng: random.Random, budget: Budget, seed: int = 0) -> bool:
    """Seat everyone by a design if the event has its shape; True if it did. A design with
    fewer rounds than the event seats its rounds; greedy seats the rest."""
    prob = st.problem
    if _construct_latin(st, rng):
        return True
    if not _construction_fits(st):
        return False
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
