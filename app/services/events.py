"""Events and what they are made of: participants, tables, subjects (with their facilitators).

Topics (needs and offers) are in `topics.py`; keep-apart/together groups, pins and absences in
`seating.py`. Every function that changes data commits, so one call is one unit of work.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from ..i18n import _, ngettext
from ..models import (
    Account,
    Event,
    EventCreate,
    EventMember,
    EventTable,
    EventUpdate,
    Facilitator,
    Participant,
    ParticipantCreate,
    ParticipantUpdate,
    Subject,
    SubjectCreate,
    SubjectUpdate,
    TableCreate,
    TableUpdate,
    Topic,
    pk,
    utcnow,
)
from .errors import Conflict, InvalidInput, NotFound

# The rows that belong to an event and are looked up by a name or code.
Owned = TypeVar("Owned", Participant, EventTable, Subject)


def commit(session: Session, *, event: Event | None = None) -> None:
    """Commit one unit of work; a unique constraint lost to a concurrent edit is a Conflict."""
    if event is not None:
        event.updated_at = utcnow()
        session.add(event)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(
            _("someone saved a clashing name or code meanwhile; reload the event and try again")
        ) from exc


def hint(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return _(" (did you mean {name!r}?)").format(name=close[0]) if close else ""


def _find(
    session: Session, model: type[Owned], event: Event, field: str, value: str
) -> Owned | None:
    query = select(model).where(model.event_id == event.id, getattr(model, field) == value)
    return session.exec(query).first()


def _all(session: Session, model: type[Owned], event: Event) -> list[Owned]:
    query = select(model).where(model.event_id == event.id).order_by(col(model.id))
    return list(session.exec(query).all())


# What each kind of row is called in messages (translated when a message is made, in the
# language of the request), and the field that names it within an event.
_LABELS: dict[type[SQLModel], tuple[Callable[[], str], str]] = {
    Participant: (lambda: _("participant code"), "code"),
    EventTable: (lambda: _("table"), "name"),
    Subject: (lambda: _("subject"), "code"),
}


def _get(session: Session, model: type[Owned], event: Event, value: str) -> Owned:
    label, field = _LABELS[model]
    found = _find(session, model, event, field, value)
    if found is None:
        known = [getattr(row, field) for row in _all(session, model, event)]
        raise NotFound(
            _("{event!r} has no {what} {value!r}{hint}; check the spelling").format(
                event=event.name, what=label(), value=value, hint=hint(value, known)
            )
        )
    return found


def _unique(
    session: Session, model: type[Owned], event: Event, value: str | None, current: str | None
) -> None:
    label, field = _LABELS[model]
    if value not in (None, current) and _find(session, model, event, field, str(value)):
        raise Conflict(
            _("{what} {value!r} is already used in {event!r}; give each one its own").format(
                what=label(), value=value, event=event.name
            )
        )


def _apply(row: SQLModel, changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        setattr(row, key, value)


def _event_of(session: Session, row: Any) -> Event:
    event = session.get(Event, row.event_id)
    assert event is not None  # the foreign key guarantees it
    return event


# --- events ----------------------------------------------------------------------------------


def _free_event_name(
    session: Session, name: str, *, organizers: list[int] | None = None, event: Event | None = None
) -> None:
    """Names are told apart per organizer: one organizer never has two events of one name, and
    another organizer's events are never named (so a taken name says nothing about them).
    `organizers` None (the command line, an admin): every event counts."""
    query = select(Event).where(Event.name == name)
    if event is not None:
        query = query.where(Event.id != event.id)
    if organizers is not None:
        shared = select(EventMember.event_id).where(col(EventMember.account_id).in_(organizers))
        query = query.where(col(Event.id).in_(shared))
    if session.exec(query).first():
        raise Conflict(
            _("an event named {name!r} already exists; choose another name").format(name=name)
            if organizers is None
            else _("you already have an event named {name!r}; choose another name").format(
                name=name
            )
            if event is None
            else _(
                "an organizer of this event already has another event named {name!r}; choose "
                "another name"
            ).format(name=name)
        )


def create_event(session: Session, *, data: EventCreate, account: Account | None = None) -> Event:
    """A new event; `account` (who will own it) must not have one of the same name yet."""
    mine = None if account is None or account.is_admin else [pk(account)]
    _free_event_name(session, data.name, organizers=mine)
    event = Event.model_validate(data)
    session.add(event)
    commit(session)
    session.refresh(event)
    return event


def list_events(session: Session) -> list[Event]:
    return list(session.exec(select(Event).order_by(col(Event.name))).all())


def get_event(session: Session, *, name: str) -> Event:
    """The event of this name (the command line names events)."""
    found = list(session.exec(select(Event).where(Event.name == name).order_by(col(Event.id))))
    if not found:
        names = [e.name for e in list_events(session)]
        raise NotFound(
            _(
                "there is no event named {name!r}{hint}; check the name in the list of events"
            ).format(name=name, hint=hint(name, names))
        )
    if len(found) > 1:
        raise Conflict(
            _(
                "{count} events are named {name!r} (numbers {ids}); rename all but one on its "
                "page first"
            ).format(count=len(found), name=name, ids=", ".join(str(e.id) for e in found))
        )
    return found[0]


def update_event(session: Session, *, event: Event, data: EventUpdate) -> Event:
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name") not in (None, event.name):
        members = select(EventMember.account_id).where(EventMember.event_id == pk(event))
        _free_event_name(
            session, changes["name"], organizers=list(session.exec(members)) or None, event=event
        )
    _apply(event, changes)
    commit(session, event=event)
    session.refresh(event)
    return event


def delete_event(session: Session, *, event: Event) -> None:
    """Delete the event; the database cascades to everything that belongs to it."""
    session.delete(event)
    commit(session)


# --- participants ----------------------------------------------------------------------------


def list_participants(
    session: Session, *, event: Event, active_only: bool = False
) -> list[Participant]:
    people = _all(session, Participant, event)
    return [p for p in people if p.active] if active_only else people


def get_participant(session: Session, *, event: Event, code: str) -> Participant:
    return _get(session, Participant, event, code)


def participants_by_code(session: Session, *, event: Event, codes: list[str]) -> list[Participant]:
    return [get_participant(session, event=event, code=code) for code in codes]


def add_participant(session: Session, *, event: Event, data: ParticipantCreate) -> Participant:
    _unique(session, Participant, event, data.code, None)
    participant = Participant.model_validate(data, update={"event_id": event.id})
    session.add(participant)
    commit(session, event=event)
    session.refresh(participant)
    return participant


def update_participant(
    session: Session, *, participant: Participant, data: ParticipantUpdate
) -> Participant:
    event = _event_of(session, participant)
    changes = data.model_dump(exclude_unset=True)
    _unique(session, Participant, event, changes.get("code"), participant.code)
    _apply(participant, changes)
    commit(session, event=event)
    session.refresh(participant)
    return participant


def remove_participant(session: Session, *, participant: Participant) -> None:
    """Remove them and, by cascade, their pins, absences, needs, offers and group places."""
    event = _event_of(session, participant)
    session.delete(participant)
    commit(session, event=event)


# --- tables ----------------------------------------------------------------------------------


def _check_sizes(name: str, capacity: int, min_size: int) -> None:
    if min_size > capacity:
        raise InvalidInput(
            _(
                "table {name!r}: at least {min_size} people cannot fit {capacity} seats; "
                "lower the minimum or raise the capacity"
            ).format(name=name, min_size=min_size, capacity=capacity)
        )


def list_tables(session: Session, *, event: Event) -> list[EventTable]:
    return _all(session, EventTable, event)


def get_table(session: Session, *, event: Event, name: str) -> EventTable:
    return _get(session, EventTable, event, name)


def add_table(session: Session, *, event: Event, data: TableCreate) -> EventTable:
    _check_sizes(data.name, data.capacity, data.min_size)
    _unique(session, EventTable, event, data.name, None)
    subject = (
        get_subject(session, event=event, code=data.subject_code) if data.subject_code else None
    )
    table = EventTable.model_validate(
        data, update={"event_id": event.id, "subject_id": subject.id if subject else None}
    )
    session.add(table)
    commit(session, event=event)
    session.refresh(table)
    return table


def update_table(session: Session, *, table: EventTable, data: TableUpdate) -> EventTable:
    event = _event_of(session, table)
    changes = data.model_dump(exclude_unset=True)
    _check_sizes(
        changes.get("name", table.name),
        changes.get("capacity", table.capacity),
        changes.get("min_size", table.min_size),
    )
    _unique(session, EventTable, event, changes.get("name"), table.name)
    _apply(table, changes)
    commit(session, event=event)
    session.refresh(table)
    return table


def remove_table(session: Session, *, table: EventTable) -> None:
    """Remove the table and, by cascade, the pins to it."""
    event = _event_of(session, table)
    session.delete(table)
    commit(session, event=event)


# --- subjects and facilitators ---------------------------------------------------------------


def list_subjects(session: Session, *, event: Event) -> list[Subject]:
    return _all(session, Subject, event)


def get_subject(session: Session, *, event: Event, code: str) -> Subject:
    return _get(session, Subject, event, code)


def list_facilitators(session: Session, *, subject: Subject) -> list[Facilitator]:
    query = select(Facilitator).where(Facilitator.subject_id == subject.id)
    return list(session.exec(query.order_by(col(Facilitator.id))).all())


def set_facilitators(session: Session, *, subject: Subject, names: list[str]) -> None:
    """Replace the subject's facilitators (without committing: part of a larger change).
    Those who stay keep their row, and so the secret link printed on their card."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    kept = set()
    for old in list_facilitators(session, subject=subject):
        if old.name in wanted and old.name not in kept:
            kept.add(old.name)
        else:
            session.delete(old)
    for name in wanted:
        if name not in kept:
            session.add(Facilitator(event_id=subject.event_id, subject_id=subject.id, name=name))


def add_subject(session: Session, *, event: Event, data: SubjectCreate) -> Subject:
    _unique(session, Subject, event, data.code, None)
    subject = Subject.model_validate(data, update={"event_id": event.id})
    session.add(subject)
    session.flush()
    set_facilitators(session, subject=subject, names=data.facilitators)
    commit(session, event=event)
    session.refresh(subject)
    return subject


def update_subject(session: Session, *, subject: Subject, data: SubjectUpdate) -> Subject:
    event = _event_of(session, subject)
    changes = data.model_dump(exclude_unset=True)
    facilitators = changes.pop("facilitators", None)
    _unique(session, Subject, event, changes.get("code"), subject.code)
    _apply(subject, changes)
    if facilitators is not None:
        set_facilitators(session, subject=subject, names=facilitators)
    commit(session, event=event)
    session.refresh(subject)
    return subject


def remove_subject(session: Session, *, subject: Subject) -> None:
    event = _event_of(session, subject)
    topics = session.exec(select(Topic).where(Topic.subject_id == subject.id)).all()
    if topics:
        raise Conflict(
            ngettext(
                "subject {code!r} has {count} topic, {topic!r}; move it to another "
                "subject or remove it first",
                "subject {code!r} has {count} topics, e.g. {topic!r}; move them to another "
                "subject or remove them first",
                len(topics),
            ).format(code=subject.code, count=len(topics), topic=topics[0].name)
        )
    session.delete(subject)
    commit(session, event=event)
