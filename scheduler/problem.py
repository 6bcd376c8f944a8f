"""An instance turned into integer indices, with the hard rules checked before any search.

Participants who must sit together become one *unit*; the search moves units. Each round gets
a seating layout: which tables are in use and how many seats each takes, balanced so that
groups are as even as the tables allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .messages import _
from .schema import ALL, Instance, InstanceError, Plan


class Infeasible(InstanceError):
    """The hard constraints cannot all hold; the message names the ones in conflict."""


@dataclass
class Problem:
    instance: Instance
    pid: list[str]
    tid: list[str]
    sid: list[str]
    cap: list[int]
    lo: list[int]
    present: list[list[bool]]  # [round][participant]
    units: list[list[int]]  # participant indices sitting together
    unit_of: list[int]
    apart: list[set[int]]  # per unit: units it must not sit with
    pins: dict[tuple[int, int], int]  # (unit, round) -> table
    fixed: dict[int, dict[int, int]]  # round -> participant -> table
    fixed_subjects: dict[int, dict[int, int]]  # round -> table -> subject
    table_subject: list[int]  # fixed mode: subject of each table, else -1
    hosts: list[int]
    topics: list[tuple[int, frozenset[int], frozenset[int]]]  # (subject, requesting, offering)
    previous: dict[tuple[int, int], int] = field(default_factory=dict)  # (participant, round)
    previous_subjects: dict[tuple[int, int], int] = field(default_factory=dict)  # (round, table)
    open_tables: list[list[int]] = field(default_factory=list)  # per round: tables in use

    @property
    def n(self) -> int:
        return len(self.pid)

    @property
    def rounds(self) -> int:
        return len(self.present)

    @property
    def seats(self) -> int:
        """Seats taken over all rounds: each participant once a round present."""
        return sum(sum(row) for row in self.present)

    @property
    def mode(self) -> str:
        return self.instance.subject_mode

    def unit_members(self, u: int, r: int) -> list[int]:
        return [p for p in self.units[u] if self.present[r][p]]

    def together_pair(self, p: int, q: int) -> bool:
        return self.unit_of[p] == self.unit_of[q]


def _union_find(n: int, groups: list[list[int]]) -> list[int]:
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for group in groups:
        for other in group[1:]:
            parent[find(other)] = find(group[0])
    return [find(a) for a in range(n)]


def build_problem(instance: Instance, previous: Plan | None = None) -> Problem:
    inst = instance
    pid = [p.id for p in inst.participants]
    pix = {p: i for i, p in enumerate(pid)}
    tid = [t.id for t in inst.tables]
    tix = {t: i for i, t in enumerate(tid)}
    sid = [s.id for s in inst.subjects] if inst.subject_mode != "none" else []
    six = {s: i for i, s in enumerate(sid)}
    n, rounds = len(pid), inst.rounds

    present = [[True] * n for _ in range(rounds)]
    for i, p in enumerate(inst.participants):
        for r in p.absent_rounds:
            present[r - 1][i] = False
    fixed, fixed_subjects = _fixed_rounds(inst, pix, tix, six, present)

    roots = _union_find(n, [[pix[a] for a in g] for g in inst.keep_together])
    unit_ix: dict[int, int] = {}
    units: list[list[int]] = []
    unit_of = [0] * n
    for person in range(n):
        u = unit_ix.setdefault(roots[person], len(units))
        if u == len(units):
            units.append([])
        units[u].append(person)
        unit_of[person] = u
    biggest = max(t.capacity for t in inst.tables)
    for members in units:
        if len(members) > biggest:
            names = ", ".join(pid[p] for p in members)
            raise Infeasible(
                _(
                    "keep_together group ({names}) has {count} people but the largest table "
                    "seats {biggest}; split the group or add a bigger table"
                ).format(names=names, count=len(members), biggest=biggest)
            )

    apart: list[set[int]] = [set() for _ in units]
    for group in inst.keep_apart:
        idx = [pix[a] for a in group]
        for a in idx:
            for b in idx:
                if a != b and unit_of[a] == unit_of[b]:
                    raise Infeasible(
                        _(
                            "{first!r} and {second!r} are both kept apart and kept together; "
                            "remove one of the two constraints"
                        ).format(first=pid[a], second=pid[b])
                    )
                if a != b:
                    apart[unit_of[a]].add(unit_of[b])

    pins = _pins(inst, pix, tix, unit_of, present, fixed)
    table_subject = [-1] * len(tid)
    if inst.subject_mode == "fixed":
        for t, s in inst.table_subjects.items():
            table_subject[tix[t]] = six[s]
    topics = _topics(inst, pix, six, n)
    prev: dict[tuple[int, int], int] = {}
    prev_subjects: dict[tuple[int, int], int] = {}
    if previous is not None:
        for (who, r), where in previous.seats().items():
            if who in pix and where in tix and 1 <= r <= rounds:
                prev[(pix[who], r - 1)] = tix[where]
        for rnd in previous.rounds:
            for tab in rnd.tables:
                if tab.table in tix and tab.subject in six and 1 <= rnd.round <= rounds:
                    prev_subjects[(rnd.round - 1, tix[tab.table])] = six[tab.subject]
    problem = Problem(
        instance=inst,
        pid=pid,
        tid=tid,
        sid=sid,
        cap=[t.capacity for t in inst.tables],
        lo=[t.min_size for t in inst.tables],
        present=present,
        units=units,
        unit_of=unit_of,
        apart=apart,
        pins=pins,
        fixed=fixed,
        fixed_subjects=fixed_subjects,
        table_subject=table_subject,
        hosts=[s.hosts for s in inst.subjects] if sid else [],
        topics=topics,
        previous=prev,
        previous_subjects=prev_subjects,
    )
    from .layout import choose_open_tables  # local import: layout needs Problem

    problem.open_tables = [choose_open_tables(problem, r) for r in range(rounds)]
    _check_apart_fits(problem)
    return problem


def _check_apart_fits(problem: Problem) -> None:
    """A group of people kept pairwise apart needs a table each in every round."""
    for group in problem.instance.keep_apart:
        idx = [problem.pid.index(a) for a in group]
        for r, tables in enumerate(problem.open_tables):
            here = [p for p in idx if problem.present[r][p]]
            if len(here) > len(tables):
                raise Infeasible(
                    _(
                        "keep_apart {group} needs {needed} tables but round {round} uses "
                        "{used}; add tables or drop the constraint"
                    ).format(group=group, needed=len(here), round=r + 1, used=len(tables))
                )


def _fixed_rounds(
    inst: Instance,
    pix: dict[str, int],
    tix: dict[str, int],
    six: dict[str, int],
    present: list[list[bool]],
) -> tuple[dict[int, dict[int, int]], dict[int, dict[int, int]]]:
    """A fixed round is taken as given; whoever it does not seat is absent that round."""
    fixed: dict[int, dict[int, int]] = {}
    subjects: dict[int, dict[int, int]] = {}
    for rnd in inst.fixed_rounds:
        r = rnd.round - 1
        seats: dict[int, int] = {}
        subjects[r] = {}
        for tab in rnd.tables:
            if tab.subject is not None and six:
                subjects[r][tix[tab.table]] = six[tab.subject]
            for ref in tab.participants:
                p = pix[ref]
                if p in seats:
                    raise Infeasible(
                        _("fixed round {round} seats {participant!r} twice; keep one seat").format(
                            round=rnd.round, participant=ref
                        )
                    )
                if not present[r][p]:
                    raise Infeasible(
                        _(
                            "fixed round {round} seats {participant!r}, who is absent in that "
                            "round; remove the seat or the absence"
                        ).format(round=rnd.round, participant=ref)
                    )
                seats[p] = tix[tab.table]
        for p in range(len(present[r])):
            present[r][p] = p in seats
        fixed[r] = seats
    return fixed, subjects


def _pins(
    inst: Instance,
    pix: dict[str, int],
    tix: dict[str, int],
    unit_of: list[int],
    present: list[list[bool]],
    fixed: dict[int, dict[int, int]],
) -> dict[tuple[int, int], int]:
    pins: dict[tuple[int, int], int] = {}
    for pin in inst.pins:
        p, r, t = pix[pin.participant], pin.round - 1, tix[pin.table]
        if not present[r][p]:
            raise Infeasible(
                _(
                    "{participant!r} is pinned to {table!r} in round {round} but is absent that "
                    "round; remove the pin or the absence"
                ).format(participant=pin.participant, table=pin.table, round=pin.round)
            )
        if r in fixed and fixed[r].get(p) != t:
            raise Infeasible(
                _(
                    "the pin of {participant!r} in round {round} contradicts fixed round "
                    "{round}; remove the pin or change the fixed round"
                ).format(participant=pin.participant, round=pin.round)
            )
        key = (unit_of[p], r)
        if pins.get(key, t) != t:
            raise Infeasible(
                _(
                    "{participant!r} is pinned to two tables in round {round} (directly or "
                    "through keep_together); keep one pin"
                ).format(participant=pin.participant, round=pin.round)
            )
        pins[key] = t
    return pins


def _topics(
    inst: Instance, pix: dict[str, int], six: dict[str, int], n: int
) -> list[tuple[int, frozenset[int], frozenset[int]]]:
    everyone = frozenset(range(n))

    def people(refs: list[str]) -> frozenset[int]:
        return everyone if ALL in refs else frozenset(pix[a] for a in refs)

    out = []
    for topic in inst.topics:
        s = six.get(topic.subject, -1) if topic.subject is not None else -1
        out.append((s, people(topic.requesting), people(topic.offering)))
    return out
