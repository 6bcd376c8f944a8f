"""The plenary after the rotation ("from rotation to central moderation"): the agenda is the
subjects' topics in order; for the topic on the floor, participants ask to speak (to request,
to offer, or to comment) from their phones, the moderator gives the floor in order, moves and
removes people, and a per-speaker timer runs. Every change is announced on the event's live
stream, so the projector, the console and the phones follow."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..i18n import _
from ..models import (
    Event,
    FloorKind,
    FloorRequest,
    Initiative,
    LiveSession,
    Note,
    Participant,
    Plenary,
    Subject,
    Topic,
    aware,
    pk,
    utcnow,
)
from . import live, topics
from .errors import Conflict, InvalidInput, NotFound

ACTIVE = ("waiting", "speaking")
KINDS: tuple[FloorKind, ...] = ("request", "offer", "comment")


def state(session: Session, *, event: Event) -> Plenary:
    live.get_state(session, event=event)  # the live stream that carries the plenary's news
    found = session.get(Plenary, pk(event))
    if found is None:
        found = Plenary(event_id=pk(event))
        session.add(found)
        try:
            session.commit()
        except IntegrityError:  # made meanwhile by another request
            session.rollback()
        found = session.get(Plenary, pk(event))
        assert found is not None
    return found


def current_topic_id(session: Session, *, event_id: int) -> int | None:
    """The topic on the floor, without making the plenary (the attendee page asks each load)."""
    found = session.get(Plenary, event_id)
    return found.topic_id if found is not None else None


def _announce(session: Session, event: Event) -> None:
    """Tell every live page of the event that something changed, in this transaction: the live
    state's version grows and carries the topic on the floor (pages marked to refresh on change
    fetch their parts again; phones fetch themselves when the topic changes)."""
    topic_id = current_topic_id(session, event_id=pk(event))
    session.execute(
        update(LiveSession)
        .where(col(LiveSession.event_id) == pk(event))
        .values(
            state_version=LiveSession.state_version + 1,
            plenary_topic_id=topic_id,
            updated_at=utcnow(),
        )
    )
    version = session.exec(
        select(LiveSession.state_version).where(LiveSession.event_id == pk(event))
    ).one()
    live.announce(session, pk(event), version)


def _commit(session: Session, event: Event) -> None:
    _announce(session, event)
    session.commit()


# --- the agenda --------------------------------------------------------------------------------


def agenda(session: Session, *, event: Event) -> list[Topic]:
    """The topics in the moderator's order; topics added since come last, by subject."""
    found = topics.list_topics(session, event=event)
    codes = {
        s.id: s.code for s in session.exec(select(Subject).where(Subject.event_id == pk(event)))
    }
    order = [int(i) for i in json.loads(state(session, event=event).agenda or "[]")]
    rank = {topic_id: i for i, topic_id in enumerate(order)}

    def key(t: Topic) -> tuple[int, str, str]:
        return (rank.get(pk(t), len(rank)), str(codes.get(t.subject_id, "~")).zfill(4), t.name)

    return sorted(found, key=key)


def move_topic(session: Session, *, event: Event, topic_id: int, step: int) -> None:
    """One place earlier (step -1) or later (+1) in the agenda."""
    ids = [pk(t) for t in agenda(session, event=event)]
    if topic_id not in ids:
        raise NotFound(_("there is no topic number {number} in this event").format(number=topic_id))
    i = ids.index(topic_id)
    j = max(0, min(len(ids) - 1, i + step))
    ids[i], ids[j] = ids[j], ids[i]
    plenary = state(session, event=event)
    plenary.agenda = json.dumps(ids)
    session.add(plenary)
    _commit(session, event)


def set_topic(session: Session, *, event: Event, topic_id: int | None) -> Plenary:
    """Put a topic on the floor (None: the plenary pauses). Those still waiting to speak on
    the topic left behind are told they missed it; they may ask again when it comes back."""
    plenary = state(session, event=event)
    if topic_id is not None:
        topic = session.get(Topic, topic_id)
        if topic is None or topic.event_id != pk(event):
            raise NotFound(
                _("there is no topic number {number} in this event").format(number=topic_id)
            )
    if plenary.topic_id == topic_id:
        return plenary  # pressed twice: once
    for waiting in _active(session, event):
        waiting.state = "missed" if waiting.state == "waiting" else "done"
        session.add(waiting)
    plenary.topic_id, plenary.speaker_since = topic_id, None
    session.add(plenary)
    _commit(session, event)
    return plenary


def set_speaker_time(session: Session, *, event: Event, seconds: int) -> None:
    if not 10 <= seconds <= 3600:
        raise InvalidInput(
            _("a speaker's time is 10 s to 60 min, not {seconds} s").format(seconds=seconds)
        )
    plenary = state(session, event=event)
    plenary.speaker_seconds = seconds
    session.add(plenary)
    _commit(session, event)


# --- the queue ---------------------------------------------------------------------------------


def _active(session: Session, event: Event) -> list[FloorRequest]:
    query = select(FloorRequest).where(
        FloorRequest.event_id == pk(event), col(FloorRequest.state).in_(ACTIVE)
    )
    return list(session.exec(query.order_by(col(FloorRequest.position), col(FloorRequest.id))))


@dataclass
class Place:
    request: FloorRequest
    participant: Participant
    number: int  # 0: speaking now; 1, 2, ...: waiting


def queue(session: Session, *, event: Event) -> list[Place]:
    """Who speaks now, then who waits, in order."""
    found = _active(session, event)
    people = {
        pk(p): p
        for p in session.exec(
            select(Participant).where(
                col(Participant.id).in_([r.participant_id for r in found] or [0])
            )
        )
    }
    speaking = [r for r in found if r.state == "speaking"]
    waiting = [r for r in found if r.state == "waiting"]
    out = [Place(r, people[r.participant_id], 0) for r in speaking]
    return out + [Place(r, people[r.participant_id], i) for i, r in enumerate(waiting, start=1)]


def mine(session: Session, *, participant: Participant) -> Place | None:
    event = session.get(Event, participant.event_id)
    assert event is not None
    for place in queue(session, event=event):
        if place.participant.id == participant.id:
            return place
    return None


def ask(session: Session, *, participant: Participant, topic_id: int, kind: str) -> Place:
    """Ask for the floor on the topic on the floor; asking again keeps the place."""
    event = session.get(Event, participant.event_id)
    assert event is not None
    if kind not in KINDS:
        raise InvalidInput(_("ask to speak to request, to offer or to comment"))
    plenary = state(session, event=event)
    if plenary.topic_id is None:
        raise Conflict(_("the moderator has not opened a topic yet; wait for it on the screen"))
    if plenary.topic_id != topic_id:
        current = session.get(Topic, plenary.topic_id)
        raise Conflict(
            _("the floor is on {topic} now; ask again when your topic comes").format(
                topic=current.name if current else "?"
            )
        )
    already = mine(session, participant=participant)
    if already is not None:
        return already
    last = max((r.position for r in _active(session, event)), default=0)
    session.add(
        FloorRequest(
            event_id=pk(event),
            participant_id=pk(participant),
            topic_id=topic_id,
            kind=kind,  # type: ignore[arg-type]
            position=last + 1,
        )
    )
    try:
        _commit(session, event)
    except IntegrityError:  # the same phone twice at once: the first one counts
        session.rollback()
    place = mine(session, participant=participant)
    assert place is not None
    return place


def withdraw(session: Session, *, participant: Participant) -> None:
    event = session.get(Event, participant.event_id)
    assert event is not None
    place = mine(session, participant=participant)
    if place is None:
        return  # already out: nothing to do
    place.request.state = "withdrawn" if place.request.state == "waiting" else "done"
    session.add(place.request)
    _commit(session, event)


def _request(session: Session, event: Event, request_id: int) -> FloorRequest:
    found = session.get(FloorRequest, request_id)
    if found is None or found.event_id != pk(event) or found.state not in ACTIVE:
        raise Conflict(_("that person is no longer in the queue; the page shows it as it is now"))
    return found


def give_floor(session: Session, *, event: Event, request_id: int) -> None:
    """The person speaks now; whoever spoke before is done."""
    chosen = _request(session, event, request_id)
    if chosen.state == "speaking":
        return  # pressed twice
    for other in _active(session, event):
        if other.state == "speaking":
            other.state = "done"
            session.add(other)
    chosen.state = "speaking"
    session.add(chosen)
    plenary = state(session, event=event)
    plenary.speaker_since = utcnow()
    session.add(plenary)
    _commit(session, event)


def end_speech(session: Session, *, event: Event) -> None:
    for other in _active(session, event):
        if other.state == "speaking":
            other.state = "done"
            session.add(other)
    plenary = state(session, event=event)
    plenary.speaker_since = None
    session.add(plenary)
    _commit(session, event)


def move(session: Session, *, event: Event, request_id: int, step: int) -> None:
    """One place earlier (-1) or later (+1) among those waiting."""
    chosen = _request(session, event, request_id)
    waiting = [r for r in _active(session, event) if r.state == "waiting"]
    if chosen not in waiting:
        return
    i = waiting.index(chosen)
    j = max(0, min(len(waiting) - 1, i + step))
    if i == j:
        return
    waiting[i].position, waiting[j].position = waiting[j].position, waiting[i].position
    if waiting[i].position == waiting[j].position:  # equal positions: make them differ
        waiting[j].position += 1 if j > i else -1
    session.add_all([waiting[i], waiting[j]])
    _commit(session, event)


def remove(session: Session, *, event: Event, request_id: int) -> None:
    chosen = _request(session, event, request_id)
    chosen.state = "removed"
    session.add(chosen)
    _commit(session, event)


def speaker_ends(plenary: Plenary) -> dt.datetime | None:
    if plenary.speaker_since is None:
        return None
    return aware(plenary.speaker_since) + dt.timedelta(seconds=plenary.speaker_seconds)


# --- what the rotation found on the topic ------------------------------------------------------


@dataclass
class Found:
    notes: list[Note]
    initiatives: list[tuple[Initiative, bool]]  # with "perfect match": a request meets an offer


def found_on(session: Session, *, event: Event, topic: Topic) -> Found:
    """The rotation's notes that name the topic, and the initiatives on it."""
    notes = [
        n
        for n in session.exec(select(Note).where(Note.event_id == pk(event)))
        if topic.name in json.loads(n.topics or "[]")
    ]
    initiatives = [
        (i, bool(json.loads(i.requesting or "[]")) and bool(json.loads(i.offering or "[]")))
        for i in session.exec(
            select(Initiative).where(
                Initiative.event_id == pk(event), Initiative.topic == topic.name
            )
        )
    ]
    return Found(notes=notes, initiatives=initiatives)
