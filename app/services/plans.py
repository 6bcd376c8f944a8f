"""The plan's versions and the organizer's hand edits: move, swap, undo, restore, lock rounds.

Every change saves a new version (a SavedPlan) re-scored by the independent checker against the
instance the plan was made for. A change that breaks a hard rule is kept, with its violations
listed (organizers sometimes need it); a change that cannot be made at all (an unknown table, a
locked round) is refused with a message. Versions form a stack: undo drops the current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from scheduler import Bounds, Instance, InstanceError, Plan, PlanRound, PlanTable
from scheduler import metrics as plan_metrics

from ..i18n import _
from ..models import Event, SavedPlan, pk
from . import bounds_memo
from .errors import Conflict, InvalidInput, NotFound
from .instances import current_plan, instance_of, plan_of, save_plan


@dataclass(frozen=True)
class Change:
    """A saved hand edit: the new version and the hard rules it breaks (none when all hold)."""

    saved: SavedPlan
    note: str
    violations: list[str]


def locked_of(saved: SavedPlan) -> list[int]:
    return sorted({int(r) for r in saved.locked_rounds.split(",") if r.strip().isdigit()})


def list_versions(session: Session, *, event: Event) -> list[SavedPlan]:
    """Every saved version of the event's plan, newest first."""
    query = select(SavedPlan).where(SavedPlan.event_id == event.id)
    return list(session.exec(query.order_by(col(SavedPlan.id).desc())).all())


def at_bounds(metrics: dict[str, Any]) -> bool:
    """Every figure at its bound: no plan can do better on any of them."""

    def figure(key: str) -> int:
        return int(metrics.get(key, 0))

    return (
        figure("repeats") <= figure("repeats_lower_bound")
        and figure("subject_visits") >= figure("subject_visits_max")
        and figure("needs_served") >= figure("needs_possible")
    )


def _bounds(instance: Instance, fallback: dict[str, Any], key: str) -> Bounds:
    found = bounds_memo.kept(instance, fallback, key)  # the version edited had them already
    if found is not None:
        return found
    try:
        return bounds_memo.bounds_of(instance, key)
    except InstanceError:  # the instance no longer solves as it is: keep the bounds it had
        return Bounds(
            pair_meetings=0,
            pairs_possible=0,
            repeats=int(fallback.get("repeats_lower_bound", 0)),
            max_meetings=int(fallback.get("max_meetings_lower_bound", 0)),
            subject_visits=int(fallback.get("subject_visits_max", 0)),
            subject_visits_full=int(fallback.get("subject_visits_full", 0)),
            needs_possible=int(fallback.get("needs_possible", 0)),
            needs_total=int(fallback.get("needs_total", 0)),
        )


def measure(instance: Instance, plan: Plan, *, fallback: dict[str, Any]) -> dict[str, Any]:
    """The plan's metrics as the checker counts them; status `invalid` when a rule breaks."""
    key = bounds_memo.digest(instance)  # once: the instance is written out in full for it
    found = _bounds(instance, fallback, key)
    metrics = plan_metrics(instance, plan, found)
    metrics[bounds_memo.KEPT_KEY] = bounds_memo.keep(instance, found, key)
    if metrics.get("violations"):
        metrics["status"] = "invalid"
    else:
        metrics["status"] = "optimal" if at_bounds(metrics) else "feasible"
    return metrics


def _round_of(plan: Plan, round: int) -> PlanRound:
    for rnd in plan.rounds:
        if rnd.round == round:
            return rnd
    rnd = PlanRound(round=round, tables=[])
    plan.rounds.append(rnd)
    plan.rounds.sort(key=lambda r: r.round)
    return rnd


def _seat_of(rnd: PlanRound, code: str) -> PlanTable | None:
    return next((tab for tab in rnd.tables if code in tab.participants), None)


def _editable(saved: SavedPlan, instance: Instance, round: int) -> None:
    if not 1 <= round <= instance.rounds:
        raise InvalidInput(
            _("round {round} is outside rounds 1..{rounds}; pick a round of the plan").format(
                round=round, rounds=instance.rounds
            )
        )
    if round in locked_of(saved):
        raise Conflict(
            _("round {round} is locked; unlock it first to change its seats").format(round=round)
        )


def _known_participant(instance: Instance, rnd: PlanRound, code: str) -> PlanTable:
    if code not in {p.id for p in instance.participants}:
        raise NotFound(
            _("{code!r} is not a participant of this plan; pick one from the list").format(
                code=code
            )
        )
    seat = _seat_of(rnd, code)
    if seat is None:
        raise InvalidInput(
            _("{code!r} has no seat in round {round} (absent); pick someone who is seated").format(
                code=code, round=rnd.round
            )
        )
    return seat


def _subject_for(instance: Instance, rnd: PlanRound, table: str) -> str | None:
    """The subject a table gets when a move opens it: its own in mode fixed, else a free one."""
    if instance.subject_mode == "fixed":
        return instance.table_subjects.get(table)
    if instance.subject_mode == "none":
        return None
    used = [tab.subject for tab in rnd.tables if tab.participants]
    return next((s.id for s in instance.subjects if used.count(s.id) < s.hosts), None)


def _save_edit(
    session: Session, event: Event, saved: SavedPlan, plan: Plan, round: int, note: str
) -> Change:
    instance = instance_of(saved)
    # A hand-edited round is no longer the copy of a re-planned round: stop holding it fixed.
    instance.fixed_rounds = [r for r in instance.fixed_rounds if r.round != round]
    plan.rounds = [
        PlanRound(round=r.round, tables=[t for t in r.tables if t.participants])
        for r in plan.rounds
    ]
    plan.metrics = measure(instance, plan, fallback=plan_of(saved).metrics)
    plan.metrics["edited"] = True  # by hand: the status says so, not "the best found in the time"
    new = save_plan(
        session,
        event=event,
        instance=instance,
        plan=plan,
        note=note,
        locked_rounds=locked_of(saved),
    )
    return Change(saved=new, note=note, violations=list(plan.metrics.get("violations", [])))


def move_participant(
    session: Session, *, event: Event, round: int, code: str, table: str
) -> Change:
    """Seat `code` at `table` in `round`, as a new version of the current plan."""
    saved = current_plan(session, event=event)
    instance, plan = instance_of(saved), plan_of(saved)
    _editable(saved, instance, round)
    if table not in {t.id for t in instance.tables}:
        raise NotFound(
            _("there is no table {table!r} in this plan; pick one from the list").format(
                table=table
            )
        )
    rnd = _round_of(plan, round)
    here = _known_participant(instance, rnd, code)
    if here.table == table:
        raise InvalidInput(
            _("{code!r} already sits at {table} in round {round}").format(
                code=code, table=table, round=round
            )
        )
    here.participants.remove(code)
    target = next((tab for tab in rnd.tables if tab.table == table), None)
    if target is None or not target.participants:
        if target is not None:
            rnd.tables.remove(target)
        target = PlanTable(table=table, subject=_subject_for(instance, rnd, table))
        rnd.tables.append(target)
    target.participants.append(code)
    note = _("moved {code} to {table} in round {round}").format(code=code, table=table, round=round)
    return _save_edit(session, event, saved, plan, round, note)


def swap_participants(
    session: Session, *, event: Event, round: int, first: str, second: str
) -> Change:
    """Exchange the seats of two participants in `round`, as a new version."""
    saved = current_plan(session, event=event)
    instance, plan = instance_of(saved), plan_of(saved)
    _editable(saved, instance, round)
    rnd = _round_of(plan, round)
    one, two = _known_participant(instance, rnd, first), _known_participant(instance, rnd, second)
    if first == second:
        raise InvalidInput(
            _("choose two different participants to swap ({code!r} was chosen twice)").format(
                code=first
            )
        )
    if one is two:
        raise InvalidInput(
            _("{first!r} and {second!r} already sit at the same table in round {round}").format(
                first=first, second=second, round=round
            )
        )
    one.participants[one.participants.index(first)] = second
    two.participants[two.participants.index(second)] = first
    note = _("swapped {first} and {second} in round {round}").format(
        first=first, second=second, round=round
    )
    return _save_edit(session, event, saved, plan, round, note)


def _make_current(session: Session, event: Event, saved: SavedPlan) -> SavedPlan:
    for other in list_versions(session, event=event):
        if other.is_current and other.id != saved.id:
            other.is_current = False
            session.add(other)
    session.flush()  # the one-current-plan index must hold at every statement
    saved.is_current = True
    session.add(saved)
    session.commit()
    session.refresh(saved)
    return saved


def undo(session: Session, *, event: Event) -> SavedPlan:
    """Drop the current version; the one saved before it becomes current again."""
    current = current_plan(session, event=event)
    older = [v for v in list_versions(session, event=event) if pk(v) < pk(current)]
    if not older:
        raise Conflict(_("there is nothing to undo: this is the first version of the plan"))
    locks = current.locked_rounds
    session.delete(current)
    session.flush()
    previous = older[0]
    previous.locked_rounds = locks  # locks are the organizer's, not a part of the edit undone
    return _make_current(session, event, previous)


def restore_version(session: Session, *, event: Event, version_id: int) -> SavedPlan:
    """Copy an earlier version as the newest one (so undo can go back again)."""
    old = session.get(SavedPlan, version_id)
    if old is None or old.event_id != event.id:
        raise NotFound(
            _("this plan has no version number {id}; reload the page").format(id=version_id)
        )
    current = current_plan(session, event=event)
    plan = plan_of(old)
    note = _("restored the version of {time} ({note})").format(
        time=old.created_at.strftime("%Y-%m-%d %H:%M"), note=old.note or "-"
    )
    return save_plan(
        session,
        event=event,
        instance=instance_of(old),
        plan=plan,
        note=note,
        locked_rounds=locked_of(current),
    )


def set_locked_rounds(session: Session, *, event: Event, rounds: list[int]) -> SavedPlan:
    """Lock exactly these rounds of the current plan (the lock carries to later versions)."""
    saved = current_plan(session, event=event)
    total = instance_of(saved).rounds
    wrong = [r for r in rounds if not 1 <= r <= total]
    if wrong:
        raise InvalidInput(
            _("round {round} is outside rounds 1..{rounds}; lock rounds of the plan").format(
                round=wrong[0], rounds=total
            )
        )
    saved.locked_rounds = ",".join(str(r) for r in sorted(set(rounds)))
    session.add(saved)
    session.commit()
    session.refresh(saved)
    return saved
