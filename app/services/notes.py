"""Facilitators' notes and cooperation initiatives: written on a device, sent, never lost.

A note's id is made on the device that wrote it, so sending it again (after a dropped answer, or
when the network returns) finds the note already there: a write that repeats the stored text
returns the stored note. Every write names the version it was based on; one based on an older
version than the stored one is never applied: the caller gets `StaleNote` with the stored note
and shows both texts so that a person merges them. Writes are conditional UPDATEs on the version,
so two writes at the same moment cannot both win.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, col, select

from ..i18n import _
from ..models import Event, EventTable, Initiative, Note, Participant, Topic, pk, utcnow
from .errors import Conflict, InvalidInput, NotFound

MAX_TEXT = 20_000  # characters in a note or an initiative's text field
MAX_ID = 64


class StaleNote(Conflict):
    """The write was based on an older version; `current` is what is stored."""

    def __init__(self, message: str, current: Note | Initiative) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class NoteIn:
    round: int
    table: str
    text: str
    participants: list[str]
    topics: list[str]
    base_version: int = 0


def _check_id(note_id: str) -> None:
    if not note_id or len(note_id) > MAX_ID or not all(c.isalnum() or c in "-_" for c in note_id):
        raise InvalidInput(
            _("a note's id has 1 to {most} letters, digits, - or _; {id!r} does not").format(
                most=MAX_ID, id=note_id[:80]
            )
        )


def _check_text(text: str, what: str) -> None:
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("{what} has {length} characters; the limit is {most}: split it in two").format(
                what=what, length=len(text), most=MAX_TEXT
            )
        )


def codes_of(session: Session, event: Event) -> set[str]:
    return set(
        session.exec(select(Participant.code).where(Participant.event_id == pk(event))).all()
    )


def topic_names(session: Session, event: Event) -> set[str]:
    return set(session.exec(select(Topic.name).where(Topic.event_id == pk(event))).all())


def _check_note(session: Session, event: Event, data: NoteIn, seated: set[str] | None) -> None:
    if not 1 <= data.round <= event.rounds:
        raise InvalidInput(
            _("round {round} is outside rounds 1..{rounds}").format(
                round=data.round, rounds=event.rounds
            )
        )
    tables = set(
        session.exec(select(EventTable.name).where(EventTable.event_id == pk(event))).all()
    )
    if data.table not in tables:
        raise InvalidInput(_("there is no table {table!r} in this event").format(table=data.table))
    if not data.text.strip() and not data.participants and not data.topics:
        raise InvalidInput(_("the note is empty; write something first"))
    _check_text(data.text, _("the note"))
    unknown = [c for c in data.participants if c not in codes_of(session, event)]
    if unknown:
        raise InvalidInput(
            _("{codes} are not participants of this event; tag people from the list").format(
                codes=", ".join(unknown[:10])
            )
        )
    if seated is not None:
        away = [c for c in data.participants if c not in seated]
        if away:
            raise InvalidInput(
                _(
                    "{codes} did not sit at {table} in round {round}; tag people of this table"
                ).format(codes=", ".join(away[:10]), table=data.table, round=data.round)
            )
    missing = [t for t in data.topics if t not in topic_names(session, event)]
    if missing:
        raise InvalidInput(
            _("{topics} are not topics of this event; tag topics from the list").format(
                topics=", ".join(missing[:10])
            )
        )


def _same(note: Note, data: NoteIn) -> bool:
    return (
        note.round,
        note.table,
        note.text,
        json.loads(note.participants),
        json.loads(note.topics),
    ) == (
        data.round,
        data.table,
        data.text,
        data.participants,
        data.topics,
    )


def save_note(
    session: Session,
    *,
    event: Event,
    note_id: str,
    data: NoteIn,
    author: str,
    seated: set[str] | None = None,
) -> Note:
    """Create or change a note; a repeat of the stored write returns the stored note."""
    _check_id(note_id)
    _check_note(session, event, data, seated)
    stored = session.get(Note, note_id)
    if stored is not None and stored.event_id != pk(event):
        raise NotFound(_("note {id!r} belongs to another event").format(id=note_id))
    if stored is not None and _same(stored, data):
        return stored  # sent again (a retry, or two devices with the same words)
    fields: dict[str, Any] = {
        "round": data.round,
        "table": data.table,
        "text": data.text,
        "participants": json.dumps(data.participants),
        "topics": json.dumps(data.topics),
        "author": author[:200],
        "updated_at": utcnow(),
    }
    if stored is None:
        if data.base_version:
            raise NotFound(_("note {id!r} does not exist (any more)").format(id=note_id))
        note = Note(id=note_id, event_id=pk(event), version=1, **fields)
        session.add(note)
        session.commit()
        session.refresh(note)
        return note
    return _bump(
        session,
        Note,
        note_id,
        data.base_version,
        fields,
        lambda current: _(
            "this note was changed elsewhere (version {stored}) since version {base} that "
            "this change was based on; both texts are kept: merge them"
        ).format(stored=current.version, base=data.base_version),
    )


Versioned = TypeVar("Versioned", Note, Initiative)


def _bump(
    session: Session,
    model: type[Versioned],
    row_id: str,
    base: int,
    fields: dict[str, Any],
    stale: Callable[[Versioned], str],
) -> Versioned:
    """Write `fields` as version `base + 1` if the row is still at `base`; else StaleNote with
    the stored row (and `stale(row)` as the message)."""
    result = session.execute(
        update(model)
        .where(col(model.id) == row_id, col(model.version) == base)
        .values(**fields, version=base + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        current = session.get(model, row_id, populate_existing=True)
        assert current is not None
        raise StaleNote(stale(current), current)
    session.commit()
    found = session.get(model, row_id, populate_existing=True)
    assert found is not None
    return found


def list_notes(session: Session, *, event: Event) -> list[Note]:
    query = select(Note).where(Note.event_id == pk(event))
    return list(
        session.exec(query.order_by(col(Note.round), col(Note.table), col(Note.created_at))).all()
    )


def note_json(note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "round": note.round,
        "table": note.table,
        "text": note.text,
        "participants": json.loads(note.participants),
        "topics": json.loads(note.topics),
        "author": note.author,
        "version": note.version,
        "updated_at": note.updated_at.isoformat(),
    }


# --- initiatives ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeIn:
    subject: str
    topic: str
    request: str = ""
    requesting: tuple[str, ...] = ()
    offering: tuple[str, ...] = ()
    offer: str = ""
    contact: str = ""
    confirmed: bool = False
    base_version: int = 0


def save_initiative(
    session: Session,
    *,
    event: Event,
    initiative_id: str,
    data: InitiativeIn,
    author: str,
    may_confirm: bool,
) -> Initiative:
    """Record or change a cooperation initiative; facilitators propose, organizers confirm."""
    _check_id(initiative_id)
    if not data.topic.strip():
        raise InvalidInput(_("name the initiative's topic (an existing one or a new one)"))
    for text in (data.request, data.offer, data.contact):
        _check_text(text, _("the initiative"))
    codes = codes_of(session, event)
    unknown = [c for c in (*data.requesting, *data.offering) if c not in codes]
    if unknown:
        raise InvalidInput(
            _("{codes} are not participants of this event; pick people from the list").format(
                codes=", ".join(unknown[:10])
            )
        )
    if data.confirmed and not may_confirm:
        raise InvalidInput(_("only the organizer confirms initiatives; propose it instead"))
    fields: dict[str, Any] = {
        "subject": data.subject[:20],
        "topic": data.topic.strip()[:200],
        "request": data.request,
        "requesting": json.dumps(list(data.requesting)),
        "offering": json.dumps(list(data.offering)),
        "offer": data.offer,
        "contact": data.contact[:300],
        "status": "confirmed" if data.confirmed else "proposed",
        "author": author[:200],
        "updated_at": utcnow(),
    }
    stored = session.get(Initiative, initiative_id)
    if stored is not None and stored.event_id != pk(event):
        raise NotFound(_("initiative {id!r} belongs to another event").format(id=initiative_id))
    if stored is None:
        found = Initiative(id=initiative_id, event_id=pk(event), version=1, **fields)
        session.add(found)
        session.commit()
        session.refresh(found)
        return found
    same = all(getattr(stored, k) == v for k, v in fields.items() if k != "updated_at")
    if same:
        return stored
    return _bump(
        session,
        Initiative,
        initiative_id,
        data.base_version,
        fields,
        lambda _current: _(
            "this initiative was changed elsewhere since this change was based on it"
        ),
    )


def list_initiatives(session: Session, *, event: Event) -> list[Initiative]:
    query = select(Initiative).where(Initiative.event_id == pk(event))
    return list(session.exec(query.order_by(col(Initiative.subject), col(Initiative.topic))).all())


def initiative_json(item: Initiative) -> dict[str, Any]:
    return {
        "id": item.id,
        "subject": item.subject,
        "topic": item.topic,
        "request": item.request,
        "requesting": json.loads(item.requesting),
        "offering": json.loads(item.offering),
        "offer": item.offer,
        "contact": item.contact,
        "status": item.status,
        "author": item.author,
        "version": item.version,
    }
