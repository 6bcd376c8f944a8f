"""How many needs a plan can serve at most, when the higher priorities hold.

A need (topic k of subject s, requesting participant p) is served when p sits at a table of s
with someone else who offers k. Where every participant can see every subject (coverage is a
higher priority than needs) and has no more rounds than there are subjects, p sits at a table
of s at most once, and so does every offerer. Counted per offerer: a topic with 2 offerers and
tables of 4 serves at most 2 * 3 requesting participants, whatever the plan. Counted per
requesting participant: the topics of one subject compete for that single visit, where the
best 3 others at the table offer at most so many of them together (an exact small cover).
Each subject takes the smaller of the two counts.

Both counts forget that one table seats the offerers and the requesters together. Each
subject's tables are then grouped (`_by_groups`): every plan keeping coverage seats a subject's
participants in groups (its tables over all rounds) of at most the largest capacity, each
participant in one of them at most (the single visit). Every group that serves a need is
listed with the needs it serves, and the linear relaxation of packing them (each participant
in one chosen group at most) bounds what any grouping serves: the relaxation allows fractions
of groups, so it is at least the best packing. The rounds and the no-repeat rule, which couple
the subjects, are left out, so the bound may stay above the best plan. It is used for events
small enough to list the groups (up to GROUPS_MAX per subject: tables of 4 and about 25
people). The groups also hold no more people than the subject's tables: each round opens the
same tables in every plan, so a subject's tables seat at most so many people beyond their
minimum (`_spare_seats`). Lima: the counts give 147 of 154, the groups 142, with the seats
133; the best plan a long exact solve of the whole event found serves 127
(bench/lima_needs.py, docs/benchmarks.md).

The bound holds "when the higher priorities hold" only while one lost subject visit costs more
than the needs it could buy (the default weights: 1,000 against 10 per need); otherwise the
needs that can be served at all are the bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from math import comb, floor

from ortools.linear_solver import pywraplp

from .problem import Problem

GROUPS_MAX = 20_000  # the exact grouping lists at most this many groups of one subject


@dataclass
class NeedBound:
    most: int  # no plan keeping coverage full serves more (the reachable needs otherwise)
    by_topic: dict[int, int] = field(default_factory=dict)  # topic index -> most served
    once: bool = False  # whether each participant sits at each subject's tables at most once


def need_bound(
    problem: Problem,
    reachable: set[tuple[int, int]],
    coverage_full: bool,
) -> NeedBound:
    """The bound, from the needs (topic index, participant) some offerer can meet at all and
    whether full subject coverage is possible."""
    by_topic = {k: 0 for k in range(len(problem.topics))}
    for k, _p in reachable:
        by_topic[k] += 1
    if not _once(problem, coverage_full):
        return NeedBound(len(reachable), by_topic)
    out = NeedBound(0, dict(by_topic), once=True)
    subjects = {s for s, _a, _o in problem.topics if s >= 0}
    for s in sorted(subjects):
        topics = [k for k, (ks, _a, _o) in enumerate(problem.topics) if ks == s]
        needs = [
            (k, p) for k in topics for p in sorted(problem.topics[k][1]) if (k, p) in reachable
        ]
        tables, cap = _tables_of(problem, s)
        for k in topics:
            offerers = len(problem.topics[k][2])
            out.by_topic[k] = min(by_topic[k], offerers * (cap - 1), tables * cap)
        by_offerers = sum(out.by_topic[k] for k in topics)
        most = min(by_offerers, _by_requesters(problem, needs, cap))
        grouped = _by_groups(problem, needs, cap, _spare_seats(problem, s)) if needs else None
        if grouped is not None:
            most = min(most, grouped)
        out.most += most
    out.most += sum(by_topic[k] for k, (s, _a, _o) in enumerate(problem.topics) if s < 0)
    return out


def _offered(problem: Problem) -> int:
    if problem.mode == "fixed":
        return len({s for s in problem.table_subject if s >= 0})
    return len(problem.sid)


def _once(problem: Problem, coverage_full: bool) -> bool:
    """Each participant at each subject's tables at most once in every plan that keeps full
    coverage, and full coverage worth more than any needs one lost visit could serve."""
    if problem.mode == "none" or not problem.sid or not coverage_full:
        return False
    offered = _offered(problem)
    if any(sum(row[p] for row in problem.present) > offered for p in range(problem.n)):
        return False
    w = problem.instance.weights
    largest = max(problem.cap, default=0)
    topics_per_subject: dict[int, int] = {}
    for s, _a, _o in problem.topics:
        topics_per_subject[s] = topics_per_subject.get(s, 0) + 1
    most_topics = max(topics_per_subject.values(), default=0)
    # one more visit to a subject serves its visitor's needs there and, through them, at most
    # the others at the table: largest * topics of the subject
    return w.subject_repeat > w.need * largest * most_topics


def _by_requesters(problem: Problem, needs: list[tuple[int, int]], cap: int) -> int:
    """Each requesting participant's needs of one subject, served at the one table of it they
    sit at: at most as many as the best cap - 1 others there can offer together."""
    total = 0
    wants: dict[int, list[int]] = {}
    for k, p in needs:
        wants.setdefault(p, []).append(k)
    for p, topics in wants.items():
        offers: dict[int, set[int]] = {}
        for k in topics:
            for o in problem.topics[k][2]:
                if o != p:
                    offers.setdefault(o, set()).add(k)
        total += _best_cover(list(offers.values()), cap - 1, len(topics))
    return total


def _spare_seats(problem: Problem, s: int) -> tuple[int, int] | None:
    """(low, spare): every table of subject s seats at least `low`, and its tables over all
    rounds seat at most `spare` people beyond `low` each; None with rounds already fixed.

    Each round opens the same tables in every plan (problem.open_tables), each seating its
    minimum or more, and the subjects' hosts share them: subject s has at least the tables the
    other subjects cannot take. Its visitors, each at most once, number at most everyone."""
    if problem.fixed or not any(problem.open_tables):
        return None
    low = min(problem.lo[t] for tables in problem.open_tables for t in tables)
    others = sum(problem.hosts) - problem.hosts[s] if problem.hosts else 0
    count = 0
    for tables in problem.open_tables:
        if problem.mode == "fixed":
            count += sum(1 for t in tables if problem.table_subject[t] == s)
        else:
            count += max(0, len(tables) - others)
    visitors = sum(1 for p in range(problem.n) if any(row[p] for row in problem.present))
    return low, visitors - low * count


def _by_groups(
    problem: Problem,
    needs: list[tuple[int, int]],
    cap: int,
    spare: tuple[int, int] | None = None,
) -> int | None:
    """The most of one subject's needs served when its participants sit in groups of at most
    `cap`, each participant in one group at most: a set packing over every group that serves a
    need, bounded by its linear relaxation (None when there are too many groups to list).
    With `spare` = (low, seats), the groups together hold at most `seats` people beyond `low`
    each (a group is part of a table, and the subject's tables hold no more): Lima's subjects
    sit at 5 tables of 3-4 for 16 countries, so at most one group of 4."""
    people = sorted({p for _k, p in needs} | {q for k, _p in needs for q in problem.topics[k][2]})
    wants: dict[int, list[frozenset[int]]] = {}
    for k, p in needs:
        wants.setdefault(p, []).append(problem.topics[k][2] - {p})
    groups: list[tuple[tuple[int, ...], int]] = []
    for size in range(2, min(cap, len(people)) + 1):
        if comb(len(people), size) > GROUPS_MAX:
            return None
        for group in combinations(people, size):
            here = set(group)
            value = sum(1 for p in group for offerers in wants.get(p, ()) if offerers & here)
            if value:
                groups.append((group, value))
        if len(groups) > GROUPS_MAX:
            return None
    if not groups:
        return 0
    # the linear relaxation (GLOP, deterministic) is a valid upper bound: a packing chooses
    # each group 0 or 1 times, the relaxation anywhere between
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    chosen = [lp.NumVar(0.0, 1.0, "") for _g in groups]
    member: dict[int, list[pywraplp.Variable]] = {}
    for var, (group, _value) in zip(chosen, groups, strict=True):
        for p in group:
            member.setdefault(p, []).append(var)
    for vars_ in member.values():
        lp.Add(lp.Sum(vars_) <= 1)
    if spare is not None and spare[1] >= 0:
        low, seats = spare
        beyond = [
            (len(group) - low) * var
            for var, (group, _value) in zip(chosen, groups, strict=True)
            if len(group) > low
        ]
        if beyond:
            lp.Add(lp.Sum(beyond) <= seats)
    lp.Maximize(lp.Sum([value * var for var, (_g, value) in zip(chosen, groups, strict=True)]))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return int(floor(float(lp.Objective().Value()) + 1e-3))


def _best_cover(sets: list[set[int]], picks: int, ceiling: int) -> int:
    """The most elements `picks` of the sets cover together (exactly, by branch and bound)."""
    sets = sorted(sets, key=len, reverse=True)
    best = 0

    def grow(start: int, left: int, covered: set[int]) -> None:
        nonlocal best
        best = max(best, len(covered))
        if best >= ceiling or left == 0:
            return
        for i in range(start, len(sets)):
            if len(covered) + left * len(sets[i]) <= best:
                return  # sorted by size: no later set can lift the cover above the best
            grow(i + 1, left - 1, covered | sets[i])
            if best >= ceiling:
                return

    grow(0, picks, set())
    return best


def _tables_of(problem: Problem, s: int) -> tuple[int, int]:
    """How many tables of subject s all rounds can hold, and the largest of them."""
    count, cap = 0, 0
    for r in range(problem.rounds):
        tables = problem.open_tables[r]
        if problem.mode == "fixed":
            mine = [t for t in tables if problem.table_subject[t] == s]
        else:
            mine = sorted(tables, key=lambda t: -problem.cap[t])[: problem.hosts[s]]
        count += len(mine)
        cap = max([cap, *(problem.cap[t] for t in mine)])
    return count, cap
