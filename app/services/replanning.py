"""What a solve works on: the event as it is now, with the rounds to keep held fixed.

Generating keeps the rounds the organizer locked; re-planning from round k also keeps every
round before k, exactly as played, passes the previous plan so that later rounds change as
little as possible, and uses the event's current data (who left, who arrived) for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session

from scheduler import Instance, Participant, Plan, PlanRound

from ..i18n import _
from ..models import Event, SavedPlan
from .errors import InvalidInput, NotFound
from .instances import build_instance, current_plan, instance_of, plan_of
from .plans import locked_of

Priority = Literal["repeats", "subjects"]
PRIORITIES: tuple[Priority, ...] = ("repeats", "subjects")


@dataclass(frozen=True)
class SolveRequest:
    """An instance to solve and how to save its plan."""

    instance: Instance
    previous: Plan | None
    note: str
    locked_rounds: tuple[int, ...] = ()


def with_priority(instance: Instance, priority: Priority) -> Instance:
    """Subjects first: a subject visit that is not new costs more than a repeated encounter."""
    if priority not in PRIORITIES:
        raise InvalidInput(
            _("unknown priority {priority!r}; use repeats or subjects").format(priority=priority)
        )
    if priority == "repeats":
        return instance
    variant = instance.model_copy(deep=True)
    variant.weights.subject_repeat = instance.weights.repeat * 10
    return variant


def _current_or_none(session: Session, event: Event) -> SavedPlan | None:
    try:
        return current_plan(session, event=event)
    except NotFound:
        return None


def keep_rounds(base: Instance, old: Instance, previous: Plan, kept: list[int]) -> Instance:
    """`base` with the `kept` rounds of `previous` fixed exactly.

    Whoever sat in a kept round stays in the instance for it (even if they no longer attend),
    and whoever did not sit there (someone who arrived since) is absent from it.
    """
    by_round = {rnd.round: rnd for rnd in previous.rounds}
    fixed = [by_round.get(r) or PlanRound(round=r, tables=[]) for r in kept]
    seated = {rnd.round: {p for tab in rnd.tables for p in tab.participants} for rnd in fixed}
    kept_set = set(kept)

    def absences(code: str, before: list[int]) -> list[int]:
        later = [r for r in before if r not in kept_set]
        return sorted(later + [r for r in kept if code not in seated[r]])

    people = [
        p.model_copy(update={"absent_rounds": absences(p.id, p.absent_rounds)})
        for p in base.participants
    ]
    known = {p.id for p in people}
    everyone_then = {p.id: p for p in old.participants}
    gone = sorted({code for codes in seated.values() for code in codes} - known)
    for code in gone:  # left since: seated in the kept rounds only
        then = everyone_then.get(code) or Participant(id=code)
        rest = [r for r in range(1, base.rounds + 1) if r not in kept_set]
        people.append(then.model_copy(update={"absent_rounds": absences(code, rest)}))
    # In the order of the plan being replaced, so that kept rounds read exactly as before.
    order = {p.id: i for i, p in enumerate(old.participants)}
    people.sort(key=lambda p: order.get(p.id, len(order)))
    instance = base.model_copy(deep=True)
    instance.participants = people
    tables = {t.id for t in base.tables}
    used = {tab.table for rnd in fixed for tab in rnd.tables}
    instance.tables += [t for t in old.tables if t.id in used - tables]
    subjects = {s.id for s in base.subjects}
    topics = {tab.subject for rnd in fixed for tab in rnd.tables if tab.subject}
    instance.subjects += [s for s in old.subjects if s.id in topics - subjects]
    instance.pins = [pin for pin in base.pins if pin.round not in kept_set]
    instance.fixed_rounds = fixed
    return instance


def generation_request(
    session: Session, *, event: Event, priority: Priority = "repeats"
) -> SolveRequest:
    """A new plan for the event; the current plan's locked rounds stay as they are."""
    base = with_priority(build_instance(session, event=event), priority)
    saved = _current_or_none(session, event)
    locked = locked_of(saved) if saved else []
    locked = [r for r in locked if r <= base.rounds]
    if saved is None or not locked:
        return SolveRequest(instance=base, previous=None, note=_("generated"))
    instance = keep_rounds(base, instance_of(saved), plan_of(saved), locked)
    return SolveRequest(
        instance=instance, previous=None, note=_("generated"), locked_rounds=tuple(locked)
    )


def replan_request(
    session: Session, *, event: Event, from_round: int, priority: Priority | None = None
) -> SolveRequest:
    """Re-plan rounds from `from_round` on, keeping earlier and locked rounds exactly; with the
    priority the plan was made with, or the one given."""
    saved = current_plan(session, event=event)
    base = build_instance(session, event=event)
    if not 1 <= from_round <= base.rounds:
        raise InvalidInput(
            _(
                "round {round} is outside rounds 1..{rounds}; re-plan from a round of the event"
            ).format(round=from_round, rounds=base.rounds)
        )
    locked = [r for r in locked_of(saved) if r <= base.rounds]
    kept = sorted(set(range(1, from_round)) | set(locked))
    previous, old = plan_of(saved), instance_of(saved)
    instance = keep_rounds(base, old, previous, kept)
    instance.weights = old.weights  # the priority chosen when the plan was made
    if priority is not None:
        instance.weights = with_priority(base, priority).weights
    return SolveRequest(
        instance=instance,
        previous=previous,
        note=_("re-planned from round {round}").format(round=from_round),
        locked_rounds=tuple(locked),
    )
