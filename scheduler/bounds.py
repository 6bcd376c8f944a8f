"""Counting bounds: the best any plan could score, and what is provably impossible.

The bounds assume the table layout Ronda uses (as many tables in use as can be filled, groups
as even as the capacities allow), which is also the layout that needs the fewest meetings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil, isqrt

from .layout import target_sizes
from .messages import _, ngettext
from .need_bounds import need_bound
from .problem import Problem


@dataclass
class Bounds:
    pair_meetings: int  # meetings the layout creates, pairs kept together aside
    pairs_possible: int  # pairs that can meet at all
    repeats: int  # lower bound on Σ max(0, meetings - 1)
    max_meetings: int  # lower bound on the most meetings of any pair
    subject_visits: int  # upper bound on Σ_participant distinct subjects seen
    subject_visits_full: int  # every participant sees min(rounds, subjects) subjects
    needs_possible: int
    needs_total: int
    impossible: list[str] = field(default_factory=list)
    # upper bound on subject visits in a plan with no repeated pair, where it is lower
    subject_visits_without_repeats: int | None = None
    # upper bound on needs served by a plan that keeps full subject coverage (need_bounds.py),
    # per topic id too; needs_possible when that does not apply
    needs_most: int | None = None
    needs_by_topic: dict[str, int] = field(default_factory=dict)
    # (topic id, participant id) of the needs nobody the participant can meet offers
    needs_unreachable: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


class _Partners:
    """Who can meet whom: present together in some round, not kept apart nor together."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.rounds_of = [
            frozenset(r for r in range(problem.rounds) if problem.present[r][p])
            for p in range(problem.n)
        ]
        by_pattern: dict[frozenset[int], int] = {}
        for pattern in self.rounds_of:
            by_pattern[pattern] = by_pattern.get(pattern, 0) + 1
        self.count = []
        for p in range(problem.n):
            mine = self.rounds_of[p]
            total = sum(k for pattern, k in by_pattern.items() if pattern & mine)
            u = problem.unit_of[p]
            blocked = [q for q in problem.units[u] if q != p]
            for v in problem.apart[u]:
                blocked.extend(problem.units[v])
            total -= 1 + sum(1 for q in blocked if self.rounds_of[q] & mine)
            self.count.append(max(0, total))

    def can_meet(self, p: int, q: int) -> bool:
        prob = self.problem
        if p == q or prob.unit_of[q] in prob.apart[prob.unit_of[p]]:
            return False
        return bool(self.rounds_of[p] & self.rounds_of[q])


def _pair_bounds(problem: Problem, partners: _Partners) -> tuple[int, int, int, int]:
    meetings = 0
    least = [0] * problem.n
    for r in range(problem.rounds):
        sizes = target_sizes(problem, r)
        meetings += sum(s * (s - 1) // 2 for s in sizes.values())
        smallest = min(sizes.values(), default=0)
        for u in range(len(problem.units)):
            here = problem.unit_members(u, r)
            meetings -= len(here) * (len(here) - 1) // 2
            for p in here:
                least[p] += max(0, smallest - len(here))
    pairs = sum(partners.count) // 2
    per_person = ceil(sum(max(0, least[p] - partners.count[p]) for p in range(problem.n)) / 2)
    repeats = max(0, meetings - pairs, per_person)
    most = 0 if meetings == 0 else max(1, ceil(meetings / pairs) if pairs else 1)
    if repeats > 0:
        most = max(most, 2)
    return meetings, pairs, repeats, most


def _spread(people: int, tables: int) -> int:
    """The fewest pairs sharing a table when `people` sit at `tables` tables: as even as can be."""
    if tables <= 0:
        return 0
    q, rest = divmod(people, tables)
    return rest * (q + 1) * q // 2 + (tables - rest) * q * (q - 1) // 2


def round_pairs_bound(problem: Problem) -> int:
    """Repeats forced by pigeonholes over pairs of rounds.

    The people of a table in round b sat at the k tables of round a; with more of them than k,
    some sat together in round a too (the fewest such pairs when they come as evenly as can be
    from the k tables). Summed over the tables of b, and the other way round, that is c(a, b)
    pairs that meet in both rounds. A pair meeting m times is counted in m(m - 1)/2 pairs of
    rounds and makes m - 1 repeats, at least 2/R of the former over R rounds, so at least
    2 * sum c(a, b) / R repeats, and at least c(a, b) for any one pair of rounds. 12 people at
    3 tables of 4 for 3 rounds: 3 common pairs per pair of rounds, at least 6 repeats.
    Only where everyone sits alone (no group kept together) and the same people are present
    in both rounds."""
    if problem.rounds < 2 or any(len(u) > 1 for u in problem.units):
        return 0
    sizes = [list(target_sizes(problem, r).values()) for r in range(problem.rounds)]
    total = most = 0
    for a in range(problem.rounds):
        for b in range(a + 1, problem.rounds):
            if problem.present[a] != problem.present[b]:
                continue
            common = max(
                sum(_spread(s, len(sizes[a])) for s in sizes[b]),
                sum(_spread(s, len(sizes[b])) for s in sizes[a]),
            )
            total += common
            most = max(most, common)
    return max(most, ceil(2 * total / problem.rounds))


def _subject_bounds(problem: Problem) -> tuple[int, int]:
    if problem.mode == "none" or not problem.sid:
        return 0, 0
    if problem.mode == "fixed":
        offered = {s for s in problem.table_subject if s >= 0}
    else:
        offered = set(range(len(problem.sid)))
    rounds_of = [
        sum(problem.present[r][p] for r in range(problem.rounds)) for p in range(problem.n)
    ]
    full = sum(min(k, len(problem.sid)) for k in rounds_of)
    reachable = sum(min(k, len(offered)) for k in rounds_of)
    # A subject reaches at most the seats of its tables over all rounds.
    by_subject = 0
    people = sum(1 for k in rounds_of if k)
    for s in offered:
        seats = 0
        for r in range(problem.rounds):
            tables = problem.open_tables[r]
            if problem.mode == "fixed":
                seats += sum(problem.cap[t] for t in tables if problem.table_subject[t] == s)
            else:
                best = sorted((problem.cap[t] for t in tables), reverse=True)
                seats += sum(best[: problem.hosts[s]])
        by_subject += min(people, seats)
    return min(reachable, by_subject), full


def _affine_bound(problem: Problem) -> tuple[int, int] | None:
    """(g, most subject visits) when every plan without repeats is an affine plane of order g.

    n = g*g people at g tables of exactly g for g + 1 rounds meet every pair exactly once
    without a repeat, and that design is an affine plane: two tables of different rounds share
    exactly one person. A subject's tables are then in different rounds (one host), each new one
    shares a person with every earlier one, so k tables reach at most k(g - 1) + 1 people."""
    g = _square(problem)
    if (
        g is None
        or problem.mode != "rotating"
        or problem.rounds != g + 1
        or any(h != 1 for h in problem.hosts)
    ):
        return None
    subjects = len(problem.sid)
    if (g, subjects) in AFFINE_MAXIMA:
        return g, AFFINE_MAXIMA[g, subjects]
    slots = (g + 1) * min(subjects, g)  # each subject at most once per round
    return g, (g - 1) * slots + min(subjects, slots)


# The exact most subject visits without repeats where the affine plane is unique (orders up
# to 8 are), found by exhaustive search: (order, subjects) -> visits. AG(2,4) with 5 subjects
# of one host: 61, not the 65 of the counting argument (bench/affine_subjects.py proves it by
# branch and bound, tests/scheduler/test_affine_subjects.py checks it).
AFFINE_MAXIMA = {(4, 5): 61}


def _square(problem: Problem) -> int | None:
    """g when every round seats the g*g participants, each alone, in g groups of g."""
    if problem.n < 4 or any(len(u) > 1 for u in problem.units):
        return None
    if not all(all(row) for row in problem.present):
        return None
    g = isqrt(problem.n)
    if g * g != problem.n:
        return None
    for r in range(problem.rounds):
        if sorted(target_sizes(problem, r).values()) != [g] * g:
            return None
    return g


def _uniform(problem: Problem) -> int | None:
    """g when every round seats all participants, each alone, in groups of exactly g."""
    if any(len(u) > 1 for u in problem.units) or not all(all(row) for row in problem.present):
        return None
    sizes = {s for r in range(problem.rounds) for s in target_sizes(problem, r).values()}
    return sizes.pop() if len(sizes) == 1 else None


def _known_bound(problem: Problem) -> tuple[int, int, str] | None:
    """(g, most rounds, reason) for the shapes the literature proves short of the counting
    bound's rounds (beyond the nets of `_net_bound`)."""
    g = _uniform(problem)
    if g is None:
        return None
    if (problem.n, g) == (12, 3) and problem.rounds > 4:
        # 12 people meet 2 others a round, 11 in all: 5 rounds would be a nearly Kirkman
        # triple system NKTS(12), which does not exist (Kotzig and Rosa, 1974; Baker and
        # Wilson, 1977; Handbook of Combinatorial Designs, II.2.73)
        reason = _("there is no nearly Kirkman triple system of order 12 (Kotzig and Rosa, 1974)")
        return g, 4, reason
    return None


# A plan of g*g people at g tables of g (everyone present, each alone) never has exactly one
# repeat over 4 rounds or more. Proof (written for this project): if only the pair {p, q}
# meets twice, in rounds i and j, take two other rounds k and l. Two rounds without a common
# pair put the g people of a table of one at g different tables of the other, so every table
# of k meets every table of l in exactly one person: each person is a cell (row = table in k,
# column = table in l) of a g x g grid, and likewise rounds i and j, which share no pair with
# k nor l, are Latin squares A and B on that grid (the symbol of a cell is its table). Two
# people meet in both i and j when their cells show the same pair (A, B); only p and q do,
# so the g*g cells show g*g - 1 distinct ordered pairs: (a, b) twice and one pair (c, d)
# never. Symbol c of A sits in g cells, which show only g - 1 symbols of B (d is missing), so
# two of them show the same pair: a = c. Likewise, by symbol d of B, b = d: the pair shown
# twice is the one never shown, a contradiction. Hence, where `_net_bound` rules out a plan
# without repeats over 4 rounds or more (36 at 6 tables of 6 for 4 rounds: Tarry), at least
# 2 repeats; Ronda's search finds plans with 2 for that shape (bench/classic.py), so 2 is its
# exact minimum.


# The fewest repeats of uniform shapes (everyone present, each alone, tables of exactly g),
# proven by an exhaustive CP-SAT search for this project: (n, g, rounds) -> repeats. Each holds
# for more rounds too, since a plan's first rounds repeat no more than the whole plan.
# 12 at 4 tables of 3 for 5 rounds: 3. A plan with at most 2 repeats has 3 rounds sharing no
# pair (leave out one round of each repeated pair, or two of the three where one pair meets 3
# times), and `python -m bench.classic_exact 12 3 5 --clean 3 --at-most 2` finds no such plan
# (INFEASIBLE, about 100 s on 2 workers; with 4 such rounds and at most 1 repeat: under 1 s);
# Ronda's search finds plans with 3 (bench/classic.py).
PROVEN_REPEATS: dict[tuple[int, int, int], int] = {(12, 3, 5): 3}


def _proven_bound(problem: Problem) -> tuple[int, int, int] | None:
    """(g, rounds, repeats) of the PROVEN_REPEATS entry that bounds this shape, if any."""
    g = _uniform(problem)
    if g is None:
        return None
    best = None
    for (n, size, rounds), repeats in PROVEN_REPEATS.items():
        fits = (n, size) == (problem.n, g) and rounds <= problem.rounds
        if fits and (best is None or repeats > best[2]):
            best = (g, rounds, repeats)
    return best


def _net_bound(problem: Problem) -> tuple[int, int, str] | None:
    """(g, most rounds, reason) when g*g people at g tables of exactly g cannot go this many
    rounds without a repeat because no design of that order exists.

    Such rounds with no repeated pair are a net of order g: r rounds need r - 2 mutually
    orthogonal Latin squares of order g, and g + 1 rounds an affine plane. There are no two
    orthogonal Latin squares of order 6 (Tarry), and no plane of order 10 (Lam, Thiel and
    Swiercz) nor of any order 1 or 2 mod 4 that is not a sum of two squares (Bruck-Ryser)."""
    g = _square(problem)
    if g is None:
        return None
    if g == 6 and problem.rounds > 3:
        return g, 3, _("there are no two orthogonal Latin squares of order 6 (Tarry, 1900)")
    if problem.rounds > g:
        if g == 10:
            return g, g, _("there is no affine plane of order 10 (Lam, Thiel and Swiercz, 1989)")
        squares = any(round((g - a * a) ** 0.5) ** 2 == g - a * a for a in range(int(g**0.5) + 1))
        if g % 4 in (1, 2) and not squares:
            return (
                g,
                g,
                _(
                    "there is no affine plane of order {g}, which is 1 or 2 more than a multiple of "
                    "4 and not a sum of two squares (Bruck-Ryser)"
                ).format(g=g),
            )
    return None


def _need_bounds(
    problem: Problem, partners: _Partners
) -> tuple[int, int, list[str], set[tuple[int, int]]]:
    offered = set(range(len(problem.sid)))
    if problem.mode == "fixed":
        offered = {s for s in problem.table_subject if s >= 0}
    possible = total = 0
    missing: list[str] = []
    reachable: set[tuple[int, int]] = set()
    for k, (s, asking, offering) in enumerate(problem.topics):
        topic = problem.instance.topics[k].id
        for p in sorted(asking):
            total += 1
            if problem.mode != "none" and s >= 0 and s not in offered:
                missing.append(
                    _("need {topic!r} of {participant!r}: no table has its subject").format(
                        topic=topic, participant=problem.pid[p]
                    )
                )
            elif not any(partners.can_meet(p, q) for q in offering):
                missing.append(
                    _("need {topic!r} of {participant!r}: nobody it can meet offers it").format(
                        topic=topic, participant=problem.pid[p]
                    )
                )
            else:
                possible += 1
                reachable.add((k, p))
    return possible, total, missing, reachable


def compute_bounds(problem: Problem) -> Bounds:
    partners = _Partners(problem)
    meetings, pairs, repeats, most = _pair_bounds(problem, partners)
    visits, full = _subject_bounds(problem)
    possible, total, missing, reachable = _need_bounds(problem, partners)
    needs = need_bound(problem, reachable, visits >= full)
    impossible: list[str] = []
    counted, pigeonholes = repeats, round_pairs_bound(problem)
    if pigeonholes > counted:
        repeats, most = pigeonholes, max(most, 2)
        impossible.append(
            ngettext(
                "no plan without repeats: a table holds more people than there are tables in "
                "another round, so some of them sat together there too; over every pair of "
                "rounds, at least {repeats} repeated encounter",
                "no plan without repeats: a table holds more people than there are tables in "
                "another round, so some of them sat together there too; over every pair of "
                "rounds, at least {repeats} repeated encounters",
                repeats,
            ).format(repeats=repeats)
        )
    net = _net_bound(problem) if repeats == 0 else None
    if net is not None:
        g, most_rounds, reason = net
        repeats, most = 1, max(most, 2)
        impossible.append(
            _(
                "no plan without repeats: {n} participants at {g} tables of {g} can go at most "
                "{rounds} rounds without a repeated pair, because {reason}"
            ).format(n=problem.n, g=g, rounds=most_rounds, reason=reason)
        )
        if problem.rounds >= 4:
            repeats = 2
            impossible.append(
                _(
                    "nor with a single repeated encounter: with one pair meeting twice, two "
                    "other rounds set the participants on a {g} x {g} grid, the two rounds of "
                    "the repeat are then Latin squares on it whose superposition shows exactly "
                    "{cells} distinct pairs of tables, and no two Latin squares of order {g} "
                    "do; so at least 2 repeated encounters"
                ).format(g=g, cells=g * g - 1)
            )
    known = _known_bound(problem) if repeats == 0 else None
    if known is not None:
        g, most_rounds, reason = known
        repeats, most = 1, max(most, 2)
        impossible.append(
            _(
                "no plan without repeats: {n} participants at tables of {g} can go at most "
                "{rounds} rounds without a repeated pair, because {reason}"
            ).format(n=problem.n, g=g, rounds=most_rounds, reason=reason)
        )
    proven = _proven_bound(problem)
    if proven is not None and proven[2] <= repeats:
        proven = None
    if proven is not None:
        g, proven_rounds, repeats = proven
        most = max(most, 2)
        impossible.append(
            ngettext(
                "at least {repeats} repeated encounter: an exhaustive search shows that {n} "
                "participants at tables of {g} cannot have fewer over {rounds} rounds "
                "(bench/classic_exact.py)",
                "at least {repeats} repeated encounters: an exhaustive search shows that {n} "
                "participants at tables of {g} cannot have fewer over {rounds} rounds "
                "(bench/classic_exact.py)",
                repeats,
            ).format(repeats=repeats, n=problem.n, g=g, rounds=proven_rounds)
        )
    if known is None and proven is None and counted and counted == repeats:
        impossible.append(
            ngettext(
                "no plan without repeats: the tables create {meetings} pair meetings but only "
                "{pairs} pairs can meet, so at least {repeats} repeated encounter",
                "no plan without repeats: the tables create {meetings} pair meetings but only "
                "{pairs} pairs can meet, so at least {repeats} repeated encounters",
                repeats,
            ).format(meetings=meetings, pairs=pairs, repeats=repeats)
        )
    if visits < full:
        impossible.append(
            _(
                "full subject coverage: at most {visits} of {full} subject visits are possible "
                "(not enough subjects, rounds or seats for some participants)"
            ).format(visits=visits, full=full)
        )
    affine = _affine_bound(problem) if repeats == 0 else None
    without_repeats = None
    if affine is not None and affine[1] < visits:
        g, without_repeats = affine
        if (g, len(problem.sid)) in AFFINE_MAXIMA:
            reason = _(
                "no repeats and {visits} subject visits cannot both hold: without a repeated "
                "pair the {n} participants sit as the affine plane of order {g} (there is only "
                "one), and an exhaustive search of its subject assignments finds at most "
                "{bound} subject visits"
            )
        else:
            reason = _(
                "no repeats and {visits} subject visits cannot both hold: without a repeated "
                "pair the {n} participants sit as an affine plane of order {g}, where two tables "
                "of different rounds share one participant, so a subject at k tables reaches at "
                "most {step}k + 1 people and at most {bound} subject visits are possible"
            )
        impossible.append(
            reason.format(visits=visits, n=problem.n, g=g, step=g - 1, bound=without_repeats)
        )
    if missing:
        shown = "; ".join(missing[:5])
        if len(missing) > 5:
            shown = _("{shown}; and {count} more").format(shown=shown, count=len(missing) - 5)
        unserved = total - possible
        impossible.append(
            ngettext(
                "{unserved} of {total} needs cannot be served: {shown}",
                "{unserved} of {total} needs cannot be served: {shown}",
                unserved,
            ).format(unserved=unserved, total=total, shown=shown)
        )
    return Bounds(
        pair_meetings=meetings,
        pairs_possible=pairs,
        repeats=repeats,
        max_meetings=most,
        subject_visits=visits,
        subject_visits_full=full,
        needs_possible=possible,
        needs_total=total,
        impossible=impossible,
        subject_visits_without_repeats=without_repeats,
        needs_most=needs.most,
        needs_by_topic={problem.instance.topics[k].id: v for k, v in needs.by_topic.items()},
        needs_unreachable=[
            (problem.instance.topics[k].id, problem.pid[p])
            for k, (_s, asking, _o) in enumerate(problem.topics)
            for p in sorted(asking)
            if (k, p) not in reachable
        ],
    )
