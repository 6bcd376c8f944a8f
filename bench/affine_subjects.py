"""Exact maximum of subject visits for 16 people, 4 tables of 4, 5 rounds, 0 repeated pairs.

With no repeated pair the seating of 16 participants at 4 tables of 4 over 5 rounds is forced to
be the affine plane AG(2,4): the participants are the 16 points of GF(4)^2, the tables of round i
are the 4 lines of parallel class i.  Five subjects, one host each, so every round shows 4 of the 5
subjects (one per table) and one subject rests.  The only freedom left is which subject goes on
which line.  A subject's visits are the points covered by the union of its lines; the plan's total
is the sum over the subjects (equivalently the sum over participants of distinct subjects seen).

Key identity (checked by :func:`check_excess_lemma`).  A subject with ``k >= 1`` lines, taken
from distinct classes, has ``excess = 4k - |union| >= k - 1``, with equality iff its lines are
concurrent (a pencil).  Writing ``extra = excess - (k - 1) >= 0``::

    total = sum over used subjects of (3k + 1 - extra) = 60 + used - sum(extra) <= 65 - sum(extra)

because the ``k`` add up to 20 and ``used`` (subjects with at least one line) is 4 or 5.  Adding a
line to a non-empty subject raises its excess by ``|line & union| >= 1`` and ``k - 1`` by one, so
``extra`` never decreases as lines are added.  ``65 - sum(extra)`` of a partial assignment is
therefore a valid upper bound for all its completions, which is what the branch and bound in
:func:`best_visits` uses.  Relabelling subjects (S5) lets us fix round 1 completely: its line ``j``
carries subject ``j`` (j = 0..3) and subject 4 rests.  The case where a subject is never used is
included (the bound ``65 - extra`` exceeds the true ``64 - extra`` there).

Run ``python -m bench.affine_subjects`` for the maximum, an optimal plan and the timing.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

Q = 4  # order of the field / plane
N_POINTS = Q * Q  # 16 participants
N_CLASSES = Q + 1  # 5 parallel classes = 5 rounds
N_SUBJECTS = 5
PENCIL_CEILING = 65  # 60 + 5: every subject used and every subject's lines concurrent

Line = tuple[int, ...]  # sorted point indices
Assignment = tuple[tuple[int, ...], ...]  # [class][line in class] -> subject (0-based)


# --------------------------------------------------------------------------------------------
# GF(4) and the affine plane AG(2,4)
# --------------------------------------------------------------------------------------------


def gf4_add(a: int, b: int) -> int:
    """Addition in GF(4) = GF(2)[w]/(w^2 + w + 1), elements coded 0, 1, w=2, w+1=3."""
    return a ^ b


def gf4_mul(a: int, b: int) -> int:
    """Multiplication in GF(4): carry-less product reduced modulo w^2 + w + 1."""
    product = 0
    for bit in range(2):
        if (b >> bit) & 1:
            product ^= a << bit
    if product & 0b100:
        product ^= 0b111
    return product


def check_gf4() -> None:
    """Assert the field axioms that matter here (commutative ring, every non-zero invertible)."""
    elems = range(Q)
    for a, b, c in itertools.product(elems, repeat=3):
        assert gf4_mul(a, gf4_mul(b, c)) == gf4_mul(gf4_mul(a, b), c)
        assert gf4_mul(a, gf4_add(b, c)) == gf4_add(gf4_mul(a, b), gf4_mul(a, c))
    for a in range(1, Q):
        assert sum(gf4_mul(a, b) == 1 for b in elems) == 1


@dataclass(frozen=True)
class AffinePlane:
    """AG(2,4): ``points[i] = (x, y)``; ``classes[c][j]`` is line j of parallel class c."""

    points: tuple[tuple[int, int], ...]
    classes: tuple[tuple[Line, ...], ...]

    @property
    def masks(self) -> tuple[tuple[int, ...], ...]:
        """Each line as a 16-bit mask of its points."""
        return tuple(tuple(sum(1 << p for p in line) for line in cls) for cls in self.classes)


def build_affine_plane() -> AffinePlane:
    """Points GF(4)^2; classes 0..3 are the lines y = m*x + b (slope m), class 4 is x = c."""
    points = tuple((x, y) for x in range(Q) for y in range(Q))
    index = {p: i for i, p in enumerate(points)}
    classes: list[tuple[Line, ...]] = []
    for m in range(Q):
        classes.append(
            tuple(
                tuple(sorted(index[(x, gf4_add(gf4_mul(m, x), b))] for x in range(Q)))
                for b in range(Q)
            )
        )
    classes.append(tuple(tuple(sorted(index[(c, y)] for y in range(Q))) for c in range(Q)))
    return AffinePlane(points, tuple(classes))


def check_design(plane: AffinePlane) -> None:
    """Assert: each class partitions the 16 points, and every pair of points shares one line."""
    together = dict.fromkeys(itertools.combinations(range(N_POINTS), 2), 0)
    for cls in plane.classes:
        assert sorted(p for line in cls for p in line) == list(range(N_POINTS))
        for line in cls:
            assert len(line) == Q
            for pair in itertools.combinations(line, 2):
                together[pair] += 1
    assert set(together.values()) == {1}, "some pair meets twice or never"


def check_excess_lemma(plane: AffinePlane) -> int:
    """Check ``excess >= k - 1`` (equality iff concurrent) on every set of lines from distinct
    classes, and that lines of distinct classes meet in exactly one point.  Returns the number of
    line sets checked (5^5 - 1 = 3124)."""
    masks = plane.masks
    for c1, c2 in itertools.combinations(range(N_CLASSES), 2):
        for a in masks[c1]:
            for b in masks[c2]:
                assert (a & b).bit_count() == 1
    checked = 0
    # choice[c] = -1 (class not used) or the line index taken from class c
    for choice in itertools.product(range(-1, Q), repeat=N_CLASSES):
        lines = [masks[c][j] for c, j in enumerate(choice) if j >= 0]
        if not lines:
            continue
        union = 0
        common = (1 << N_POINTS) - 1
        for m in lines:
            union |= m
            common &= m
        k = len(lines)
        excess = Q * k - union.bit_count()
        assert excess >= k - 1
        assert (excess == k - 1) == (common != 0)
        checked += 1
    return checked


# --------------------------------------------------------------------------------------------
# Exhaustive branch and bound
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    maximum: int  # best total found (the exact maximum when the search had no target)
    assignment: Assignment | None  # an assignment reaching ``maximum``, None if none found
    nodes: int  # search nodes visited
    count: int = 0  # with ``count_all``: assignments (class 0 fixed) reaching ``maximum``


def _search(
    plane: AffinePlane, floor: int, stop_at_first: bool, count_all: bool = False
) -> SearchResult:
    """Depth-first search over classes 1..4, one line at a time, class 0 fixed by symmetry.

    Only assignments with total >= ``floor`` are looked for.  Normally a node is cut when its
    bound ``65 - extra`` cannot beat the incumbent (initially ``floor - 1``).  With ``count_all``
    the cut is ``65 - extra < floor`` and every leaf with total >= floor is counted; use it with
    ``floor`` = the maximum to count the optimal assignments.
    """
    masks = plane.masks
    union = [0] * N_SUBJECTS
    nlines = [0] * N_SUBJECTS
    for j in range(Q):  # class 0: line j -> subject j, subject 4 rests
        union[j] = masks[0][j]
        nlines[j] = 1
    current: list[list[int]] = [list(range(Q))] + [[-1] * Q for _ in range(1, N_CLASSES)]
    slots = [(c, j) for c in range(1, N_CLASSES) for j in range(Q)]
    best_total = floor - 1
    best: Assignment | None = None
    nodes = 0
    count = 0
    done = False

    def dfs(pos: int, extra: int, used_in_class: int) -> None:
        nonlocal best_total, best, nodes, count, done
        nodes += 1
        if pos == len(slots):
            total = sum(u.bit_count() for u in union)
            assert total == 60 + sum(k > 0 for k in nlines) - extra  # the identity, every leaf
            if count_all:
                if total < floor:
                    return  # only possible when a subject is unused (total = 64 - extra)
                count += 1
                best_total = max(best_total, total)
                if best is None:
                    best = tuple(tuple(row) for row in current)
            elif total > best_total:
                best_total = total
                best = tuple(tuple(row) for row in current)
                done = stop_at_first
            return
        c, j = slots[pos]
        if j == 0:
            used_in_class = 0
        line = masks[c][j]
        options = []
        for s in range(N_SUBJECTS):
            if (used_in_class >> s) & 1:
                continue  # a subject appears at most once per round
            gain = (line & union[s]).bit_count() - 1 if nlines[s] else 0  # increase of extra
            options.append((gain, s))
        options.sort()  # most promising first, so a good incumbent appears early
        for gain, s in options:
            bound = PENCIL_CEILING - extra - gain
            hopeless = bound < floor if count_all else bound <= best_total
            if hopeless:
                break  # options are sorted by gain, so the rest is no better
            saved = union[s]
            union[s] |= line
            nlines[s] += 1
            current[c][j] = s
            dfs(pos + 1, extra + gain, used_in_class | (1 << s))
            union[s] = saved
            nlines[s] -= 1
            current[c][j] = -1
            if done:
                return

    dfs(0, 0, 0)
    return SearchResult(best_total if best is not None else -1, best, nodes, count)


def best_visits(plane: AffinePlane | None = None) -> SearchResult:
    """Exact maximum of total subject visits, with one optimal assignment, by exhaustive search."""
    return _search(plane or build_affine_plane(), floor=0, stop_at_first=False)


def reachable(target: int, plane: AffinePlane | None = None) -> SearchResult:
    """Is some assignment worth at least ``target``?  ``assignment`` is None when none is."""
    return _search(plane or build_affine_plane(), floor=target, stop_at_first=True)


def count_optimal(maximum: int, plane: AffinePlane | None = None) -> int:
    """Number of assignments with class 0 fixed (line j -> subject j) reaching ``maximum``."""
    return _search(
        plane or build_affine_plane(), floor=maximum, stop_at_first=False, count_all=True
    ).count


# --------------------------------------------------------------------------------------------
# Independent check and the blocking-set lemma
# --------------------------------------------------------------------------------------------


def recount_visits(plane: AffinePlane, assignment: Assignment) -> int:
    """Validate ``assignment`` and recount its visits participant by participant (no bitmasks)."""
    assert len(assignment) == N_CLASSES
    for row in assignment:
        assert len(row) == Q and len(set(row)) == Q, "subjects in a round must be distinct"
        assert all(0 <= s < N_SUBJECTS for s in row)
    total = 0
    for person in range(N_POINTS):
        seen = set()
        for cls, row in zip(plane.classes, assignment, strict=True):
            tables = [j for j, line in enumerate(cls) if person in line]
            assert len(tables) == 1, "each participant sits at exactly one table per round"
            seen.add(row[tables[0]])
        total += len(seen)
    return total


def smallest_blocking_set(plane: AffinePlane) -> int:
    """Fewest points meeting all 20 lines (brute force; 7 = 2q - 1 by Jamison's theorem)."""
    masks = [m for cls in plane.masks for m in cls]
    for size in range(1, N_POINTS + 1):
        for pts in itertools.combinations(range(N_POINTS), size):
            chosen = sum(1 << p for p in pts)
            if all(m & chosen for m in masks):
                return size
    raise AssertionError("unreachable")


WHY_NOT_65 = """\
Why 65 is impossible: total = 60 + (subjects used) - (sum of extras), so 65 needs all 5 subjects
used and every subject's lines concurrent, i.e. subject s owns only lines through one point p_s.
Every one of the 20 lines carries a subject, so the at most 5 points p_s would meet all 20 lines
(a blocking set).  They cannot: 5 points lie on at most 5*5 = 25 lines counted with multiplicity,
and a line holding m of them is counted m times, so they meet 25 - sum(m - 1) distinct lines.
The 10 pairs of points each lie on one line, so sum C(m, 2) = 10; as m <= 4, C(m, 2) <= 2(m - 1),
hence sum(m - 1) >= 5, with equality only if every line with two or more of the points holds all
four, which would make 10 a multiple of C(4, 2) = 6.  So at most 19 lines are met (fewer for fewer
points); in fact AG(2,4) needs 7 points to block every line (Jamison).  The exhaustive search
(bound 65 - extra, which never decreases) then shows 62, 63 and 64 are unreachable too."""


def format_plan(plane: AffinePlane, assignment: Assignment) -> str:
    """Five rounds x four tables, participants 1..16, subjects 1..5."""
    out = []
    for r, (cls, row) in enumerate(zip(plane.classes, assignment, strict=True), start=1):
        rest = (set(range(N_SUBJECTS)) - set(row)).pop() + 1
        tables = "  ".join(
            f"T{t + 1}[S{s + 1}]: " + " ".join(f"{p + 1:>2}" for p in line)
            for t, (line, s) in enumerate(zip(cls, row, strict=True))
        )
        out.append(f"Round {r}: {tables}   (S{rest} rests)")
    return "\n".join(out)


def main() -> None:
    start = time.perf_counter()
    plane = build_affine_plane()
    check_gf4()
    check_design(plane)
    check_excess_lemma(plane)
    result = best_visits(plane)
    elapsed = time.perf_counter() - start
    assert result.assignment is not None
    recount = recount_visits(plane, result.assignment)
    assert recount == result.maximum
    print(f"Maximum total subject visits: {result.maximum} / 80 (exhaustive, class 0 fixed by S5)")
    print(f"Independent recount of the plan below: {recount}")
    print(f"Search nodes: {result.nodes}; time incl. checks: {elapsed:.2f} s")
    print(format_plan(plane, result.assignment))
    per_subject = [0] * N_SUBJECTS
    for cls, row in zip(plane.classes, result.assignment, strict=True):
        for line, s in zip(cls, row, strict=True):
            per_subject[s] |= sum(1 << p for p in line)
    print(
        "Visits per subject:",
        ", ".join(f"S{s + 1}={u.bit_count()}" for s, u in enumerate(per_subject)),
    )
    print()
    print(WHY_NOT_65)


if __name__ == "__main__":
    main()
