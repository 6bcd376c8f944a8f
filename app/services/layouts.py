"""What is possible before planning: the bounds of the event's layout and of a few others.

The counting bounds (`scheduler.bounds`) come at once for each candidate layout: the tables as
they are, every table filled to capacity, one table fewer, one table more. What the bounds
cannot tell, whether no repeats and every subject can hold *together*, a trade-off answers with
two short solves, repeats first and subjects first (as `ronda bounds --tradeoff` does).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from scheduler import Bounds, Instance, InstanceError, Table, group_sizes, solve

from ..i18n import _, ngettext
from ..models import Event
from .bounds_memo import bounds_of
from .errors import CannotPlan, NotFound
from .instances import build_instance
from .replanning import PRIORITIES, with_priority

TRADEOFF_MAX_SECONDS = 5.0


@dataclass(frozen=True)
class Layout:
    key: str  # current, at_capacity, one_fewer, one_more
    label: str
    tables: str  # the tables, e.g. "5 tables of 3-4 seats"
    seating: str  # the groups Ronda would seat, e.g. "4 groups of 4"
    bounds: Bounds | None
    problem: str  # why the layout cannot be planned ("" when it can)
    instance: Instance


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def describe_tables(tables: list[Table]) -> str:
    kinds: dict[tuple[int, int], int] = {}
    for t in tables:
        kinds[(t.min_size, t.capacity)] = kinds.get((t.min_size, t.capacity), 0) + 1
    return ", ".join(
        ngettext("{count} table of {size} seats", "{count} tables of {size} seats", n).format(
            count=n, size=_span(lo, cap)
        )
        for (lo, cap), n in kinds.items()
    )


def _seating(instance: Instance) -> tuple[str, tuple[tuple[int, ...], ...]]:
    per_round = tuple(group_sizes(instance))
    sizes = next((s for s in per_round if s), ())
    text = ngettext("{count} group of {size}", "{count} groups of {size}", len(sizes)).format(
        count=len(sizes), size=_span(min(sizes, default=0), max(sizes, default=0))
    )
    return text, per_round


def _candidates(base: Instance) -> list[tuple[str, str, Instance]]:
    full = base.model_copy(deep=True)
    for t in full.tables:
        t.min_size = t.capacity
    out = [
        ("current", _("The tables as they are"), base),
        ("at_capacity", _("Every table full (minimum = capacity)"), full),
    ]
    if len(base.tables) > 1:
        fewer = base.model_copy(deep=True)
        fewer.tables = fewer.tables[:-1]
        fewer.pins = [p for p in fewer.pins if p.table != base.tables[-1].id]
        out.append(("one_fewer", _("One table fewer"), fewer))
    more = base.model_copy(deep=True)
    taken = {t.id for t in base.tables}
    extra = next(
        f"Table {k}" for k in range(len(taken) + 1, len(taken) + 1000) if f"Table {k}" not in taken
    )
    more.tables.append(base.tables[-1].model_copy(update={"id": extra}))
    out.append(("one_more", _("One table more"), more))
    return out


def layouts(session: Session, *, event: Event) -> list[Layout]:
    """The current layout and the alternatives that seat people differently, with bounds."""
    base = build_instance(session, event=event)
    out: list[Layout] = []
    seen: set[tuple[object, ...]] = set()
    for key, label, instance in _candidates(base):
        tables = describe_tables(instance.tables)
        try:
            seating, sizes = _seating(instance)
            found: Bounds | None = bounds_of(instance)
            problem = ""
        except InstanceError as exc:
            seating, sizes, found, problem = "", (), None, str(exc)
        signature = (sizes, problem)
        if key != "current" and signature in seen:
            continue  # seats people exactly as a layout already shown
        seen.add(signature)
        out.append(Layout(key, label, tables, seating, found, problem, instance))
    return out


def event_bounds(session: Session, *, event: Event) -> Bounds:
    """The bounds of the event as it is; CannotPlan says why there are none."""
    try:
        return bounds_of(build_instance(session, event=event))
    except InstanceError as exc:  # Infeasible: the hard rules cannot all hold
        raise CannotPlan(
            _("{event!r} cannot be planned: {problem}").format(event=event.name, problem=exc)
        ) from exc


@dataclass(frozen=True)
class Tradeoff:
    """The best plan found with each priority within the time, and whether both bounds held."""

    seconds: float
    repeats_first: dict[str, object]
    subjects_first: dict[str, object]
    both: bool  # one plan reached no more repeats than the bound and every possible subject


def tradeoff_of(layout: Layout, *, seconds: float) -> Tradeoff:
    """Solve the layout twice, repeats first then subjects first, `seconds` each (capped)."""
    seconds = min(max(seconds, 0.2), TRADEOFF_MAX_SECONDS)
    figures: dict[str, dict[str, object]] = {}
    for priority in PRIORITIES:
        plan = solve(with_priority(layout.instance, priority), time_limit=seconds).plan
        keys = ("repeats", "repeats_lower_bound", "subject_visits", "subject_visits_max", "status")
        figures[priority] = {k: plan.metrics.get(k) for k in keys}
    both = any(
        f["repeats"] == f["repeats_lower_bound"] and f["subject_visits"] == f["subject_visits_max"]
        for f in figures.values()
    )
    return Tradeoff(seconds, figures["repeats"], figures["subjects"], both)


def tradeoff(session: Session, *, event: Event, key: str, seconds: float) -> Tradeoff:
    """The trade-off of the event's layout `key` (see `layouts`)."""
    found = next((lay for lay in layouts(session, event=event) if lay.key == key), None)
    if found is None or found.bounds is None:
        raise NotFound(
            _("there is no layout {key!r} that can be planned; pick one from the list").format(
                key=key
            )
        )
    return tradeoff_of(found, seconds=seconds)
