"""Edits the organizer's pages make in one step, on top of the services of each entity."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from ..i18n import _
from ..models import Absence, Event, EventTable, EventUpdate, Participant, Pin, pk
from .errors import InvalidInput
from .events import commit, get_subject, list_participants, update_event


def rounds_in_use(session: Session, *, event: Event) -> int:
    """The last round a pin or an absence of the event refers to (0: none)."""
    last = 0
    for model in (Pin, Absence):
        query = (
            select(func.max(model.round))
            .join(Participant, col(Participant.id) == model.participant_id)
            .where(Participant.event_id == event.id)
        )
        last = max(last, session.exec(query).one() or 0)
    return last


def change_event(session: Session, *, event: Event, data: EventUpdate) -> Event:
    """Update the event; fewer rounds than its pins and absences use would orphan them."""
    used = rounds_in_use(session, event=event)
    if data.rounds is not None and data.rounds < used:
        raise InvalidInput(
            _(
                "pins or absences refer to round {used}; keep at least {used} rounds, or remove "
                "them first (Constraints and Participants pages)"
            ).format(used=used)
        )
    return update_event(session, event=event, data=data)


def next_code(session: Session, *, event: Event) -> str:
    """A free code P1, P2, ... for a participant added without one (as the import does)."""
    taken = {p.code for p in list_participants(session, event=event)}
    number = len(taken) + 1
    while f"P{number}" in taken:
        number += 1
    return f"P{number}"


def absences_of(session: Session, *, participant: Participant) -> list[int]:
    query = select(Absence.round).where(Absence.participant_id == participant.id)
    return sorted(session.exec(query).all())


def set_absences(session: Session, *, participant: Participant, rounds: list[int]) -> list[int]:
    """The participant misses exactly these rounds (and attends the others)."""
    event = session.get(Event, participant.event_id)
    assert event is not None  # the foreign key guarantees it
    outside = sorted(r for r in set(rounds) if not 1 <= r <= event.rounds)
    if outside:
        raise InvalidInput(
            _(
                "round {round} is outside rounds 1..{rounds} of {event!r}; pick a round in range"
            ).format(round=outside[0], rounds=event.rounds, event=event.name)
        )
    wanted = set(rounds)
    query = select(Absence).where(Absence.participant_id == participant.id)
    for absence in session.exec(query).all():
        if absence.round in wanted:
            wanted.discard(absence.round)
        else:
            session.delete(absence)
    for round in sorted(wanted):
        session.add(Absence(participant_id=pk(participant), round=round))
    commit(session, event=event)
    return absences_of(session, participant=participant)


def set_table_subject(
    session: Session, *, table: EventTable, subject_code: str | None
) -> EventTable:
    """The subject the table keeps all day in subject mode `fixed` (None: no subject)."""
    event = session.get(Event, table.event_id)
    assert event is not None
    subject = get_subject(session, event=event, code=subject_code) if subject_code else None
    table.subject_id = subject.id if subject else None
    session.add(table)
    commit(session, event=event)
    session.refresh(table)
    return table
