"""What the organizer's console shows besides the clock: the plan checked against the event as
it is now, who moves when a draft is published, and the check-in counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from scheduler import Instance, Plan, score

from ..i18n import _, join_and, ngettext
from ..models import Absence, Event, Participant, SavedPlan, pk
from .errors import RondaError
from .instances import build_instance, instance_of, plan_of
from .live import get_state


@dataclass
class Drift:
    """How the event differs from what the plan was made for, and what that breaks."""

    people: list[str] = field(default_factory=list)  # "Peru (left)", "Chile (absent round 3)"
    tables: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    problem: str = ""  # the event cannot be planned as it is (no tables left, ...)

    @property
    def changed(self) -> bool:
        return bool(self.people or self.tables or self.violations or self.problem)


def _absences(instance: Instance) -> dict[str, set[int]]:
    return {p.id: set(p.absent_rounds) for p in instance.participants}


def drift(session: Session, *, event: Event, saved: SavedPlan) -> Drift:
    """The plan `saved` against the event now (participants, absences, tables)."""
    out = Drift()
    old = instance_of(saved)
    try:
        now = build_instance(session, event=event)
    except RondaError as exc:
        out.problem = str(exc)
        return out
    names = {p.id: p.name or p.id for p in [*old.participants, *now.participants]}
    before, after = _absences(old), _absences(now)
    for code in sorted(set(before) | set(after), key=lambda c: names[c]):
        if code not in after:
            out.people.append(_("{name} (no longer attending)").format(name=names[code]))
        elif code not in before:
            out.people.append(_("{name} (new)").format(name=names[code]))
        elif before[code] != after[code]:
            rounds = ", ".join(str(r) for r in sorted(after[code])) or _("none")
            out.people.append(
                _("{name} (absent rounds now: {rounds})").format(name=names[code], rounds=rounds)
            )
    old_tables = {t.id: t for t in old.tables}
    new_tables = {t.id: t for t in now.tables}
    for name in sorted(set(old_tables) | set(new_tables)):
        if name not in new_tables:
            out.tables.append(_("{table} (removed)").format(table=name))
        elif name not in old_tables:
            out.tables.append(_("{table} (new)").format(table=name))
        elif (old_tables[name].capacity, old_tables[name].min_size) != (
            new_tables[name].capacity,
            new_tables[name].min_size,
        ):
            out.tables.append(
                _("{table} (now {low} to {high} seats)").format(
                    table=name, low=new_tables[name].min_size, high=new_tables[name].capacity
                )
            )
    if out.people or out.tables:
        plan = plan_of(saved)
        out.violations = score(now, _only_known(plan, now)).violations
    return out


def _only_known(plan: Plan, instance: Instance) -> Plan:
    """The plan without the seats of people the event no longer has (they are listed apart)."""
    known = {p.id for p in instance.participants}
    copy = plan.model_copy(deep=True)
    for rnd in copy.rounds:
        for table in rnd.tables:
            table.participants = [c for c in table.participants if c in known]
    return copy


@dataclass(frozen=True)
class Move:
    name: str
    round: int
    before: str  # the table in the published plan ("" when not seated)
    after: str
    code: str = ""

    def __str__(self) -> str:
        return _("{name}: round {round}, {before} → {after}").format(
            name=self.name,
            round=self.round,
            before=self.before or _("no table"),
            after=self.after or _("no table"),
        )


def _seats(plan: Plan) -> dict[tuple[int, str], str]:
    return {
        (rnd.round, code): table.table
        for rnd in plan.rounds
        for table in rnd.tables
        for code in table.participants
    }


def moves(published: SavedPlan, draft: SavedPlan, *, from_round: int = 1) -> list[Move]:
    """Everyone whose table changes, round by round, if `draft` replaces `published`."""
    old, new = _seats(plan_of(published)), _seats(plan_of(draft))
    names = {
        p.id: p.name or p.id
        for p in [*instance_of(published).participants, *instance_of(draft).participants]
    }
    out = [
        Move(names.get(code, code), r, old.get((r, code), ""), new.get((r, code), ""), code)
        for (r, code) in sorted(set(old) | set(new), key=lambda k: (k[0], names.get(k[1], k[1])))
        if r >= from_round and old.get((r, code), "") != new.get((r, code), "")
    ]
    return out


@dataclass(frozen=True)
class TableCount:
    table: str
    seated: int
    arrived: int


@dataclass
class CheckIn:
    expected: int
    arrived: int
    people: list[Participant]
    by_table: list[TableCount]
    round: int  # the round `by_table` is about

    @property
    def missing(self) -> int:
        return self.expected - self.arrived


def check_in(session: Session, *, event: Event, saved: SavedPlan | None, round: int) -> CheckIn:
    people = list(
        session.exec(
            select(Participant)
            .where(Participant.event_id == pk(event), col(Participant.active))
            .order_by(col(Participant.name))
        ).all()
    )
    arrived = {p.code for p in people if p.arrived_at is not None}
    by_table: list[TableCount] = []
    if saved is not None:
        plan = plan_of(saved)
        for rnd in plan.rounds:
            if rnd.round == round:
                by_table = [
                    TableCount(t.table, len(t.participants), len(set(t.participants) & arrived))
                    for t in rnd.tables
                ]
    return CheckIn(
        expected=len(people), arrived=len(arrived), people=people, by_table=by_table, round=round
    )


def mark_missing_absent(session: Session, *, event: Event, from_round: int) -> list[str]:
    """Everyone expected who has not arrived misses the rounds from `from_round` on; their names."""
    people = session.exec(
        select(Participant).where(
            Participant.event_id == pk(event),
            col(Participant.active),
            col(Participant.arrived_at).is_(None),
        )
    ).all()
    for person in people:
        have = set(
            session.exec(select(Absence.round).where(Absence.participant_id == pk(person))).all()
        )
        for r in range(from_round, event.rounds + 1):
            if r not in have:
                session.add(Absence(participant_id=pk(person), round=r))
    session.commit()
    return [p.name for p in people]


def drift_summary(value: Drift) -> str:
    """One sentence: "3 people changed since this plan was made: A, B and C"."""
    if not value.people:
        return ""
    return ngettext(
        "{count} person changed since this plan was made: {who}",
        "{count} people changed since this plan was made: {who}",
        len(value.people),
    ).format(count=len(value.people), who=join_and(value.people))


def drift_context(session: Session, *, event: Event, saved: SavedPlan | None) -> dict[str, object]:
    """What `plans/_drift.html` needs: the drift of `saved`, its sentence, where to re-plan from."""
    if saved is None:
        return {"drift": None, "drift_summary": "", "replan_from": 1}
    found = drift(session, event=event, saved=saved)
    state = get_state(session, event=event)
    played = state.round if state.status in ("running", "paused") else 0
    if state.status == "running" and state.phase == "change":
        played -= 1  # the round people are moving to has not been played yet
    return {
        "drift": found,
        "drift_summary": drift_summary(found),
        "replan_from": min(max(1, played + 1), event.rounds),
    }
