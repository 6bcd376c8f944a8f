"""From the organizer's rows to the scheduler's instance, and solved plans back to the database.

Only active participants are planned; inactive ones drop out of topics and groups too. A saved
plan keeps the instance it was solved for, so it can be shown and exported as it was even after
the event changes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select, update

from scheduler import Instance, InstanceError, Plan, parse_instance, parse_plan, solve

from ..i18n import _
from ..models import Event, SavedPlan, Subject, pk, utcnow
from . import bounds_memo
from .errors import CannotPlan, NotFound
from .events import list_facilitators, list_participants, list_subjects, list_tables
from .seating import absent_rounds, constraint_codes, list_constraints, list_pins
from .topics import list_topics, topic_people


def _hosts(session: Session, subject: Subject) -> int:
    # Each facilitator runs one table; without named facilitators the hosts field says how many.
    return len(list_facilitators(session, subject=subject)) or subject.hosts


def _check_plannable(session: Session, event: Event, people: int, tables: int) -> None:
    if not people:
        raise CannotPlan(
            _("{event!r} has no attending participants; import or add participants first").format(
                event=event.name
            )
        )
    if not tables:
        raise CannotPlan(
            _("{event!r} has no tables; import or add tables first").format(event=event.name)
        )
    if event.subject_mode != "none" and not list_subjects(session, event=event):
        raise CannotPlan(
            _(
                "{event!r} has subject mode {mode!r} but no subjects; add subjects or set the "
                "subject mode to none"
            ).format(event=event.name, mode=event.subject_mode)
        )


def _topics(session: Session, event: Event, subject_codes: dict[int, str]) -> list[dict[str, Any]]:
    topics = []
    for number, topic in enumerate(list_topics(session, event=event), start=1):
        requesting, offering = topic_people(session, topic=topic, active_only=True)
        topics.append(
            {
                "id": f"t{number}",
                "subject": subject_codes.get(topic.subject_id) if topic.subject_id else None,
                "name": topic.name,
                "requesting": requesting,
                "offering": offering,
            }
        )
    return topics


def build_instance(session: Session, *, event: Event) -> Instance:
    """The event as the scheduler sees it; CannotPlan says what to fix when it cannot be."""
    people = list_participants(session, event=event, active_only=True)
    tables = list_tables(session, event=event)
    _check_plannable(session, event, len(people), len(tables))
    absent = absent_rounds(session, event=event)
    subjects = list_subjects(session, event=event)
    subject_codes = {pk(s): s.code for s in subjects}
    groups: dict[str, list[list[str]]] = {"keep_apart": [], "keep_together": []}
    for constraint in list_constraints(session, event=event):
        codes = constraint_codes(session, constraint=constraint, active_only=True)
        if len(codes) >= 2:  # a group whose other members do not attend binds no one
            groups[constraint.kind].append(codes)
    data = {
        "name": event.name,
        "rounds": event.rounds,
        "participants": [
            {
                "id": p.code,
                "name": p.name,
                "organization": p.organization or None,
                "absent_rounds": absent.get(p.code, []),
            }
            for p in people
        ],
        "tables": [{"id": t.name, "capacity": t.capacity, "min_size": t.min_size} for t in tables],
        "subject_mode": event.subject_mode,
        "subjects": [{"id": s.code, "name": s.name, "hosts": _hosts(session, s)} for s in subjects],
        "table_subjects": {
            t.name: subject_codes[t.subject_id]
            for t in tables
            if event.subject_mode == "fixed" and t.subject_id is not None
        },
        "topics": _topics(session, event, subject_codes),
        **groups,
        "pins": [
            {"participant": person.code, "round": round, "table": table.name}
            for person, round, table in list_pins(session, event=event)
            if person.active
        ],
    }
    try:
        return parse_instance(data)
    except InstanceError as exc:
        raise CannotPlan(
            _("{event!r} cannot be planned yet: {problem}").format(event=event.name, problem=exc)
        ) from exc


def save_plan(
    session: Session,
    *,
    event: Event,
    instance: Instance,
    plan: Plan,
    note: str = "",
    locked_rounds: Sequence[int] = (),
) -> SavedPlan:
    """Save the plan as the event's current one (earlier plans are kept, no longer current).

    `note` says what made this version; `locked_rounds` carries the organizer's locks over.
    """
    # An UPDATE statement runs before the INSERT, so the one-current-plan index always holds.
    session.exec(
        update(SavedPlan).where(col(SavedPlan.event_id) == pk(event)).values(is_current=False)
    )
    saved = SavedPlan(
        event_id=pk(event),
        status=str(plan.metrics.get("status", "feasible")),
        is_current=True,
        plan_json=plan.model_dump_json(exclude={"metrics"}),
        metrics_json=json.dumps(plan.metrics),
        instance_json=instance.model_dump_json(),
        note=note[:300],
        locked_rounds=",".join(str(r) for r in sorted(set(locked_rounds))),
    )
    event.updated_at = utcnow()
    session.add_all([saved, event])
    session.commit()
    session.refresh(saved)
    return saved


def current_plan(session: Session, *, event: Event) -> SavedPlan:
    query = select(SavedPlan).where(SavedPlan.event_id == event.id, col(SavedPlan.is_current))
    saved = session.exec(query).first()
    if saved is None:
        raise NotFound(
            _("{event!r} has no plan yet; plan the event first").format(event=event.name)
        )
    return saved


def plan_of(saved: SavedPlan) -> Plan:
    plan = parse_plan(json.loads(saved.plan_json))
    plan.metrics = json.loads(saved.metrics_json)
    return plan


def instance_of(saved: SavedPlan) -> Instance:
    return parse_instance(json.loads(saved.instance_json))


def plan_event(
    session: Session,
    *,
    event: Event,
    time_limit: float,
    seed: int = 0,
    work_limit: float | None = None,
) -> SavedPlan:
    """Solve the event within the time limit (and the work limit, which gives the same plan on
    any machine) and save the plan as current."""
    instance = build_instance(session, event=event)
    try:
        result = solve(instance, time_limit=time_limit, work_limit=work_limit, seed=seed)
    except InstanceError as exc:  # includes Infeasible: the hard rules cannot all hold
        raise CannotPlan(
            _("{event!r} cannot be planned: {problem}").format(event=event.name, problem=exc)
        ) from exc
    bounds_memo.keep_in(result.plan.metrics, instance, result.bounds)
    return save_plan(session, event=event, instance=instance, plan=result.plan, note=_("generated"))
