"""The harvest as the organizer reads it: notes and initiatives together, grouped by round,
subject, topic or participant, and kept to those that hold the words searched for."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from ..i18n import _
from ..models import Event, Initiative, Subject, pk
from .harvest import NoteRow, names_of, note_rows, subjects_by_seat
from .notes import list_initiatives

GROUPS = ("round", "subject", "topic", "participant")


@dataclass(frozen=True)
class InitiativeRow:
    """An initiative as read: names for codes, its subject's name."""

    id: str
    subject: str
    topic: str
    request: str
    requesting: list[str]
    offering: list[str]
    offer: str
    contact: str
    confirmed: bool

    @classmethod
    def of(cls, item: Initiative, names: dict[str, str], subject: str) -> InitiativeRow:
        return cls(
            id=item.id,
            subject=subject,
            topic=item.topic,
            request=item.request,
            requesting=[names.get(c, c) for c in json.loads(item.requesting)],
            offering=[names.get(c, c) for c in json.loads(item.offering)],
            offer=item.offer,
            contact=item.contact,
            confirmed=item.status == "confirmed",
        )


@dataclass
class Group:
    name: str
    notes: list[NoteRow] = field(default_factory=list)
    initiatives: list[InitiativeRow] = field(default_factory=list)


def _holds(query: str, *texts: str) -> bool:
    return query.lower() in " ".join(texts).lower()


def grouped(session: Session, *, event: Event, by: str, query: str = "") -> list[Group]:
    """Groups in order (rounds by number, the rest by name); an item tagged with two topics or
    two participants is shown under each."""
    names = names_of(session, event=event)
    seats = subjects_by_seat(session, event=event)
    subjects = subject_names(session, event=event)
    groups: dict[tuple[int, str], Group] = {}

    def put(keys: list[tuple[int, str]], item: NoteRow | InitiativeRow) -> None:
        for key in keys:
            group = groups.setdefault(key, Group(key[1]))
            if isinstance(item, NoteRow):
                group.notes.append(item)
            else:
                group.initiatives.append(item)

    for note in note_rows(session, event=event, query=query):
        if by == "round":
            keys = [(note.round, _("Round {number}").format(number=note.round))]
        elif by == "subject":
            keys = [(0, seats.get((note.round, note.table)) or _("No subject"))]
        elif by == "topic":
            keys = [(0, t) for t in note.topics] or [(1, _("No topic"))]
        else:
            keys = [(0, p) for p in note.participants] or [(1, _("Nobody tagged"))]
        put(keys, note)
    for initiative in list_initiatives(session, event=event):
        item = InitiativeRow.of(initiative, names, subjects.get(initiative.subject, ""))
        people = item.requesting + item.offering
        texts = (item.topic, item.request, item.offer, item.contact, item.subject, *people)
        if not _holds(query, *texts):
            continue
        if by == "round":  # an initiative belongs to no round: they close the list
            keys = [(10**6, _("Initiatives"))]
        elif by == "subject":
            keys = [(0, item.subject or _("No subject"))]
        elif by == "topic":
            keys = [(0, item.topic)]
        else:
            keys = [(0, p) for p in dict.fromkeys(people)] or [(1, _("Nobody tagged"))]
        put(keys, item)
    return [groups[k] for k in sorted(groups, key=lambda k: (k[0], k[1].casefold()))]


def subject_names(session: Session, *, event: Event) -> dict[str, str]:
    rows = session.exec(
        select(Subject).where(Subject.event_id == pk(event)).order_by(col(Subject.code))
    ).all()
    return {s.code: s.name or s.code for s in rows}
