"""The current plan as the organizer reads it: who sits where, itineraries, facilitators' routes.

Names come from the instance saved with the plan; facilitators' names come from the event (the
instance only knows how many hosts a subject has). With several facilitators for one subject,
the first one takes the subject's first table in each round, the second the next, and so on.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from scheduler import Instance, Plan, Score, score

from ..i18n import _
from ..models import Event, Facilitator, SavedPlan
from .errors import NotFound
from .events import list_subjects
from .instances import current_plan, instance_of, plan_of
from .plans import locked_of


@dataclass(frozen=True)
class Person:
    code: str
    name: str


@dataclass
class Cell:
    """One table in one round."""

    round: int
    table: str
    subject: str | None  # the subject's id
    subject_name: str
    facilitators: list[str]
    people: list[Person]


@dataclass
class PlanView:
    event: Event
    saved: SavedPlan
    instance: Instance
    plan: Plan
    score: Score
    metrics: dict[str, Any]
    people: list[Person]
    tables: list[str]
    rounds: list[int]
    locked: list[int]
    cells: dict[tuple[int, str], Cell] = field(default_factory=dict)
    seats: dict[tuple[int, str], Cell] = field(default_factory=dict)  # (round, code) -> cell
    routes: dict[Any, list[Route]] = field(default_factory=dict)  # see facilitator_routes

    def name(self, code: str) -> str:
        return next((p.name for p in self.people if p.code == code), code)

    def cell(self, round: int, table: str) -> Cell | None:
        return self.cells.get((round, table))

    def seat(self, round: int, code: str) -> Cell | None:
        return self.seats.get((round, code))

    def subject_name(self, subject: str | None) -> str:
        found = next((s for s in self.instance.subjects if s.id == subject), None)
        return (found.name or found.id) if found else ""


def _names_key(names: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Facilitators' names as a dictionary key (the shared views' and the routes' caches)."""
    return tuple(sorted((k, tuple(v)) for k, v in names.items()))


def facilitator_names(session: Session, *, event: Event) -> dict[str, list[str]]:
    """Subject code -> the names of its facilitators, as the event has them now (two queries,
    whatever the number of subjects: every tablet's save asks)."""
    names: dict[int | None, list[str]] = {}
    query = select(Facilitator).where(Facilitator.event_id == event.id)
    for host in session.exec(query.order_by(col(Facilitator.id))).all():
        names.setdefault(host.subject_id, []).append(host.name)
    return {s.code: names.get(s.id, []) for s in list_subjects(session, event=event)}


def build_view(event: Event, saved: SavedPlan, names: dict[str, list[str]]) -> PlanView:
    instance, plan = instance_of(saved), plan_of(saved)
    people = [Person(p.id, p.name or p.id) for p in instance.participants]
    label = {p.code: p for p in people}
    view = PlanView(
        event=event,
        saved=saved,
        instance=instance,
        plan=plan,
        score=score(instance, plan),
        metrics=plan.metrics,
        people=people,
        tables=[t.id for t in instance.tables],
        rounds=list(range(1, instance.rounds + 1)),
        locked=locked_of(saved),
    )
    order = {t: i for i, t in enumerate(view.tables)}
    for rnd in plan.rounds:
        taken: dict[str, int] = {}
        for tab in sorted(rnd.tables, key=lambda t: order.get(t.table, len(order))):
            hosts = names.get(tab.subject or "", [])
            k = taken.get(tab.subject or "", 0)
            taken[tab.subject or ""] = k + 1
            cell = view.cells[(rnd.round, tab.table)] = Cell(
                round=rnd.round,
                table=tab.table,
                subject=tab.subject,
                subject_name=view.subject_name(tab.subject),
                facilitators=hosts[k : k + 1] if len(hosts) > 1 else hosts,
                people=[label.get(code, Person(code, code)) for code in tab.participants],
            )
            for code in tab.participants:
                view.seats[(rnd.round, code)] = cell
    return view


_VIEWS: OrderedDict[tuple[object, ...], PlanView] = OrderedDict()
_VIEWS_LOCK = threading.Lock()
_BUILD_LOCK = threading.Lock()


def shared_view(event: Event, saved: SavedPlan, names: dict[str, list[str]]) -> PlanView:
    """The view of a published plan for live pages, built once per process and version: two
    thousand phones must not each parse and check the whole plan. Read it, never change it.
    (A saved version never changes its seats; the key holds its time of creation too, since
    SQLite may give an undone version's id to the next one.)"""
    key = (saved.id, saved.created_at, _names_key(names))
    with _VIEWS_LOCK:
        found = _VIEWS.get(key)
        if found is not None:
            _VIEWS.move_to_end(key)
            return found
    # One build at a time: when a new version is published every phone asks at once, and the
    # first build serves them all.
    with _BUILD_LOCK:
        found = _VIEWS.get(key)
        if found is not None:
            return found
        view = build_view(event, saved, names)
        with _VIEWS_LOCK:
            _VIEWS[key] = view
            while len(_VIEWS) > 8:
                _VIEWS.popitem(last=False)
    return view


def plan_view(session: Session, *, event: Event) -> PlanView:
    """The current plan, ready to show; NotFound when the event has none yet."""
    saved = current_plan(session, event=event)
    return build_view(event, saved, facilitator_names(session, event=event))


@dataclass(frozen=True)
class Stop:
    """Where a participant is in one round (cell None: absent)."""

    round: int
    cell: Cell | None
    others: list[Person]


def itinerary(view: PlanView, code: str) -> list[Stop]:
    if code not in {p.code for p in view.people}:
        raise NotFound(
            _("{code!r} is not a participant of this plan; pick one from the list").format(
                code=code
            )
        )
    stops = []
    for r in view.rounds:
        cell = view.seat(r, code)
        others = [p for p in cell.people if p.code != code] if cell else []
        stops.append(Stop(round=r, cell=cell, others=others))
    return stops


@dataclass(frozen=True)
class Route:
    """A facilitator's tables, round by round (None: their subject is not running)."""

    facilitator: str
    subject: str
    subject_name: str
    tables: list[str | None]


def facilitator_routes(view: PlanView, names: dict[str, list[str]]) -> list[Route]:
    """Each facilitator's table in each round; worked out once per view and names (a shared
    view serves every tablet of the event)."""
    key = _names_key(names)
    found = view.routes.get(key)
    if found is None:
        found = view.routes[key] = _routes(view, names)
    return found


def _routes(view: PlanView, names: dict[str, list[str]]) -> list[Route]:
    routes = []
    for subject in view.instance.subjects:
        hosts = names.get(subject.id) or [""] * subject.hosts
        for k, host in enumerate(hosts):
            tables: list[str | None] = []
            for r in view.rounds:
                mine = [c for c in _cells_of(view, r) if c.subject == subject.id]
                tables.append(mine[k].table if k < len(mine) else None)
            routes.append(Route(host, subject.id, subject.name or subject.id, tables))
    return routes


def _cells_of(view: PlanView, round: int) -> list[Cell]:
    return [view.cells[(round, t)] for t in view.tables if (round, t) in view.cells]
