"""Rows found by their id, as the pages and the API address them, always within one event.

Names and codes are what an organizer types, but they change (and a code may hold a `/`), so
URLs carry ids. A row of another event is not found, whatever its id.
"""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import Select

from ..i18n import _
from ..models import Absence, Constraint, Event, EventTable, Participant, Pin, Subject, Topic
from .errors import NotFound

Row = TypeVar("Row", Participant, EventTable, Subject, Topic, Constraint)


def _what(model: type[SQLModel]) -> str:
    labels: dict[type[SQLModel], str] = {
        Participant: _("participant"),
        EventTable: _("table"),
        Subject: _("subject"),
        Topic: _("topic"),
        Constraint: _("group"),
        Pin: _("pinned seat"),
        Absence: _("absence"),
    }
    return labels.get(model, model.__name__)


def _missing(event: Event, model: type[SQLModel], row_id: int) -> NotFound:
    return NotFound(
        _(
            "{event!r} has no {what} number {id}; it may have been removed meanwhile, "
            "reload the page"
        ).format(event=event.name, what=_what(model), id=row_id)
    )


def no_event(event_id: int | None) -> NotFound:
    """An event that does not exist, or that is not the reader's: the same words for both."""
    return NotFound(
        _(
            "there is no event number {id}; it may have been deleted, pick one from the "
            "list of events"
        ).format(id=event_id)
    )


def get_event_by_id(session: Session, *, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise no_event(event_id)
    return event


def get_row(session: Session, *, event: Event, model: type[Row], row_id: int) -> Row:
    row = session.get(model, row_id)
    if row is None or row.event_id != event.id:
        raise _missing(event, model, row_id)
    return row


def _pins(event: Event) -> Select[Pin, Participant, EventTable]:
    return (
        select(Pin, Participant, EventTable)
        .join(Participant, col(Participant.id) == Pin.participant_id)
        .join(EventTable, col(EventTable.id) == Pin.table_id)
        .where(Participant.event_id == event.id)
    )


def list_pin_rows(session: Session, *, event: Event) -> list[tuple[Pin, Participant, EventTable]]:
    query = _pins(event).order_by(col(Pin.round), col(Participant.id))
    return [(pin, person, table) for pin, person, table in session.exec(query).all()]


def get_pin(session: Session, *, event: Event, pin_id: int) -> tuple[Pin, Participant, EventTable]:
    found = session.exec(_pins(event).where(Pin.id == pin_id)).first()
    if found is None:
        raise _missing(event, Pin, pin_id)
    pin, person, table = found
    return pin, person, table


def list_absence_rows(session: Session, *, event: Event) -> list[tuple[Absence, Participant]]:
    query = (
        select(Absence, Participant)
        .join(Participant, col(Participant.id) == Absence.participant_id)
        .where(Participant.event_id == event.id)
        .order_by(col(Participant.id), col(Absence.round))
    )
    return [(absence, person) for absence, person in session.exec(query).all()]


def get_absence(session: Session, *, event: Event, absence_id: int) -> tuple[Absence, Participant]:
    absence = session.get(Absence, absence_id)
    person = session.get(Participant, absence.participant_id) if absence else None
    if absence is None or person is None or person.event_id != event.id:
        raise _missing(event, Absence, absence_id)
    return absence, person
