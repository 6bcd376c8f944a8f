"""Seating rules an organizer sets by hand: groups kept apart or together, pins, absences."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ..i18n import _
from ..models import (
    Absence,
    Constraint,
    ConstraintKind,
    ConstraintMember,
    Event,
    EventTable,
    Participant,
    Pin,
    pk,
)
from .errors import InvalidInput, NotFound
from .events import commit, get_participant, get_table, participants_by_code

KINDS: tuple[ConstraintKind, ...] = ("keep_apart", "keep_together")


def _check_round(event: Event, round: int) -> None:
    if not 1 <= round <= event.rounds:
        raise InvalidInput(
            _(
                "round {round} is outside rounds 1..{rounds} of {event!r}; pick a round in range"
            ).format(round=round, rounds=event.rounds, event=event.name)
        )


# --- keep apart / keep together --------------------------------------------------------------


def add_constraint(
    session: Session, *, event: Event, kind: ConstraintKind, codes: list[str], note: str = ""
) -> Constraint:
    if kind not in KINDS:
        raise InvalidInput(
            _("unknown rule {kind!r}; use keep_apart or keep_together").format(kind=kind)
        )
    found = participants_by_code(session, event=event, codes=codes)
    people = list({pk(person): person for person in found}.values())
    if len(people) < 2:
        raise InvalidInput(_("a {kind} group needs at least two participants").format(kind=kind))
    constraint = Constraint(event_id=pk(event), kind=kind, note=note)
    session.add(constraint)
    session.flush()
    for person in people:
        session.add(ConstraintMember(constraint_id=pk(constraint), participant_id=pk(person)))
    commit(session, event=event)
    session.refresh(constraint)
    return constraint


def list_constraints(session: Session, *, event: Event) -> list[Constraint]:
    query = select(Constraint).where(Constraint.event_id == event.id).order_by(col(Constraint.id))
    return list(session.exec(query).all())


def constraint_codes(
    session: Session, *, constraint: Constraint, active_only: bool = False
) -> list[str]:
    query = (
        select(Participant)
        .join(ConstraintMember, col(ConstraintMember.participant_id) == Participant.id)
        .where(ConstraintMember.constraint_id == constraint.id)
        .order_by(col(ConstraintMember.id))
    )
    return [p.code for p in session.exec(query).all() if p.active or not active_only]


def remove_constraint(session: Session, *, constraint: Constraint) -> None:
    event = session.get(Event, constraint.event_id)
    session.delete(constraint)
    commit(session, event=event)


# --- pins ------------------------------------------------------------------------------------


def _pin_of(session: Session, participant: Participant, round: int) -> Pin | None:
    query = select(Pin).where(Pin.participant_id == participant.id, Pin.round == round)
    return session.exec(query).first()


def pin(session: Session, *, event: Event, code: str, round: int, table: str) -> Pin:
    """Seat the participant at the table in that round (replacing an earlier pin there)."""
    _check_round(event, round)
    participant = get_participant(session, event=event, code=code)
    where = get_table(session, event=event, name=table)
    existing = _pin_of(session, participant, round)
    seat = existing or Pin(participant_id=pk(participant), round=round, table_id=pk(where))
    seat.table_id = pk(where)
    session.add(seat)
    commit(session, event=event)
    session.refresh(seat)
    return seat


def unpin(session: Session, *, event: Event, code: str, round: int) -> None:
    seat = _pin_of(session, get_participant(session, event=event, code=code), round)
    if seat is None:
        raise NotFound(
            _("{code!r} has no pinned seat in round {round}").format(code=code, round=round)
        )
    session.delete(seat)
    commit(session, event=event)


def list_pins(session: Session, *, event: Event) -> list[tuple[Participant, int, EventTable]]:
    query = (
        select(Participant, Pin, EventTable)
        .join(Pin, col(Pin.participant_id) == Participant.id)
        .join(EventTable, col(EventTable.id) == Pin.table_id)
        .where(Participant.event_id == event.id)
        .order_by(col(Pin.round), col(Participant.id))
    )
    return [(person, seat.round, table) for person, seat, table in session.exec(query).all()]


# --- absences --------------------------------------------------------------------------------


def mark_absent(session: Session, *, event: Event, code: str, round: int) -> Absence:
    _check_round(event, round)
    participant = get_participant(session, event=event, code=code)
    query = select(Absence).where(Absence.participant_id == participant.id, Absence.round == round)
    absence = session.exec(query).first() or Absence(participant_id=pk(participant), round=round)
    session.add(absence)
    commit(session, event=event)
    session.refresh(absence)
    return absence


def mark_present(session: Session, *, event: Event, code: str, round: int) -> None:
    participant = get_participant(session, event=event, code=code)
    query = select(Absence).where(Absence.participant_id == participant.id, Absence.round == round)
    for absence in session.exec(query).all():
        session.delete(absence)
    commit(session, event=event)


def absent_rounds(session: Session, *, event: Event) -> dict[str, list[int]]:
    """Participant code -> the rounds they miss, in order."""
    query = (
        select(Participant.code, Absence.round)
        .join(Absence, col(Absence.participant_id) == Participant.id)
        .where(Participant.event_id == event.id)
        .order_by(col(Absence.round))
    )
    out: dict[str, list[int]] = {}
    for code, round in session.exec(query).all():
        out.setdefault(code, []).append(round)
    return out
