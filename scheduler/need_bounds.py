"""How many needs a plan can serve at most, when the higher priorities hold.

A need (topic k of subject s, requesting participant p) is served when p sits at a table of s
with someone else who offers k. Where every participant can see every subject (coverage is a
higher priority than needs) and has no more rounds than there are subjects, p sits at a table
of s at most once, and so does every offerer. Counted per offerer: a topic with 2 offerers and
tables of 4 serves at most 2 * 3 requesting participants, whatever the plan. Counted per
requesting participant: the topics of one subject compete for that single visit, where the
best 3 others at the table offer at most so many of them together (an exact small cover).
Each subject takes the smaller of the two counts.

The bound holds "when the higher priorities hold" only while one lost subject visit costs more
than the needs it could buy (the default weights: 1,000 against 10 per need); otherwise the
needs that can be served at all are the bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .problem import Problem


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
        out.most += min(by_offerers, _by_requesters(problem, needs, cap))
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
