"""How good the plan is, in figures people read at a glance: who met whom, subjects seen, needs.

Everything is counted from the plan and its instance by the independent checker's figures
(`scheduler.validate`), so the panel shows exactly what the checker measured.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

from scheduler import ALL, unserved_needs

from .bounds_memo import bounds_of
from .plan_views import Cell, Person, PlanView

HEAT_MAP_LIMIT = 60  # beyond this a participants x participants grid is unreadable
NEEDS_SHOWN = 500


@dataclass(frozen=True)
class HeatMap:
    people: list[Person]
    rows: list[list[int | None]]  # meetings of each pair; None on the diagonal
    most: int


def heat_map(view: PlanView) -> HeatMap | None:
    """Participants x participants, each cell the meetings of that pair (None: too many)."""
    if len(view.people) > HEAT_MAP_LIMIT:
        return None
    met = view.score.meetings
    codes = [p.code for p in view.people]
    rows: list[list[int | None]] = [
        [None if a == b else met.get((min(a, b), max(a, b)), 0) for b in codes] for a in codes
    ]
    return HeatMap(people=view.people, rows=rows, most=max(met.values(), default=0))


def meeting_counts(view: PlanView) -> list[tuple[int, int]]:
    """(meetings, pairs that met that often), from 0 up; pairs kept together aside."""
    n = len(view.people)
    counts = Counter(view.score.meetings.values())
    counts[0] = max(0, n * (n - 1) // 2 - len(view.score.meetings))
    return sorted(counts.items())


def most_met(view: PlanView, limit: int = 10) -> list[tuple[Person, Person, int]]:
    """The pairs who met most often (more than once), most first."""
    label = {p.code: p for p in view.people}
    pairs = sorted(
        ((m, a, b) for (a, b), m in view.score.meetings.items() if m > 1),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    return [
        (label.get(a, Person(a, a)), label.get(b, Person(b, b)), m) for m, a, b in pairs[:limit]
    ]


@dataclass(frozen=True)
class Coverage:
    person: Person
    seen: list[str]  # names of the subjects seen
    possible: int  # min(rounds seated, subjects on offer)

    @property
    def full(self) -> bool:
        return len(self.seen) >= self.possible


def coverage(view: PlanView) -> list[Coverage]:
    if view.instance.subject_mode == "none":
        return []
    if view.instance.subject_mode == "fixed":
        offered = len(set(view.instance.table_subjects.values()))
    else:
        offered = len(view.instance.subjects)
    out = []
    for person in view.people:
        seated = sum(1 for r in view.rounds if view.seat(r, person.code))
        seen = sorted(view.score.subjects_seen.get(person.code, set()))
        out.append(
            Coverage(
                person=person,
                seen=[view.subject_name(s) for s in seen],
                possible=min(seated, offered),
            )
        )
    # The exceptions first: who sees fewest of the subjects they could, then everyone by name.
    out.sort(key=lambda c: (len(c.seen) - c.possible, c.person.name.casefold()))
    return out


def repeat_cells(view: PlanView) -> dict[tuple[int, str], list[tuple[str, str]]]:
    """(round, table) -> the pairs at that table who meet more than once in the plan."""
    met = view.score.meetings
    out: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for (r, table), cell in view.cells.items():
        people = cell.people
        pairs = [
            (a.name, b.name)
            for i, a in enumerate(people)
            for b in people[i + 1 :]
            if met.get((min(a.code, b.code), max(a.code, b.code)), 0) > 1
        ]
        if pairs:
            out[(r, table)] = pairs
    return out


def repeated_pairs(view: PlanView) -> int:
    """How many pairs met more than once (most_met shows the first few)."""
    return sum(1 for m in view.score.meetings.values() if m > 1)


@dataclass(frozen=True)
class Meeting:
    """Where a need was met: the round, the table, and who offered it there."""

    round: int
    table: str
    offerers: list[Person]


@dataclass(frozen=True)
class Need:
    topic: str
    subject: str
    requester: Person
    met: list[Meeting]
    why: str = ""  # for a need left unserved: no_offerer, offerers_full or priority


def _everyone(refs: list[str], view: PlanView) -> set[str]:
    return {p.code for p in view.people} if ALL in refs else set(refs)


def _serves(view: PlanView, cell: Cell, subject: str | None) -> bool:
    return view.instance.subject_mode == "none" or subject in (None, cell.subject)


_WHY: OrderedDict[tuple[object, ...], dict[tuple[str, str], str]] = OrderedDict()
_WHY_LOCK = threading.Lock()


def _reasons(view: PlanView) -> dict[tuple[str, str], str]:
    """(topic id, participant) -> why that need is unserved, once per saved version (the
    bounds it needs take a moment on a large event)."""
    key = (view.saved.id, view.saved.created_at)
    with _WHY_LOCK:
        if key in _WHY:
            _WHY.move_to_end(key)
            return _WHY[key]
    found = {
        (u.topic, u.participant): u.why
        for u in unserved_needs(view.instance, view.plan, bounds_of(view.instance))
    }
    with _WHY_LOCK:
        _WHY[key] = found
        while len(_WHY) > 32:
            _WHY.popitem(last=False)
    return found


def needs(view: PlanView) -> list[Need]:
    """Each need (topic, requester) with the tables where someone offering it sat with them,
    and for one left unserved, why; the unserved first."""
    label = {p.code: p for p in view.people}
    reasons = _reasons(view) if view.instance.topics else {}
    out = []
    for topic in view.instance.topics:
        offering = _everyone(topic.offering, view)
        for code in sorted(_everyone(topic.requesting, view)):
            met = []
            for r in view.rounds:
                cell = view.seat(r, code)
                if cell is None or not _serves(view, cell, topic.subject):
                    continue
                others = [p for p in cell.people if p.code in offering and p.code != code]
                if others:
                    met.append(Meeting(round=r, table=cell.table, offerers=others))
            out.append(
                Need(
                    topic=topic.name or topic.id,
                    subject=view.subject_name(topic.subject),
                    requester=label.get(code, Person(code, code)),
                    met=met,
                    why="" if met else reasons.get((topic.id, code), "priority"),
                )
            )
    out.sort(key=lambda n: bool(n.met))  # stable: the unserved first, each group in order
    return out
