"""What an attendee's phone shows, and the badge links and check-in behind it.

Everything comes from the published plan (the version the session runs), never from a draft the
organizer is still editing. A participant the published plan does not know (added since) gets
their page with no table yet.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlmodel import Session, col, select

from ..i18n import _, join_and, ngettext
from ..models import (
    Event,
    Facilitator,
    Initiative,
    LiveSession,
    Participant,
    SavedPlan,
    new_token,
    pk,
    utcnow,
)
from . import clock
from .live import as_json as state_json
from .live import get_state, published_plan
from .notes import list_initiatives
from .plan_views import Cell, Person, PlanView, facilitator_names, shared_view

LANGUAGE_WORDS = {
    "es": ("es", "spa", "spanish", "español", "espanol", "castellano"),
    "pt": ("pt", "pt-br", "pt_br", "por", "portuguese", "português", "portugues"),
    "en": ("en", "eng", "english", "inglés", "ingles", "inglês"),
}


class Attendee(Protocol):
    """What an attendee's page needs of a participant (a row, or a cache's lighter copy)."""

    @property
    def event_id(self) -> int | None: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def organization(self) -> str: ...
    @property
    def language(self) -> str: ...


def language_of(participant: Attendee) -> str | None:
    """The participant's `language` field as es, pt or en (None when it says none of them)."""
    word = participant.language.strip().lower()
    for code, words in LANGUAGE_WORDS.items():
        if word in words or word.startswith(code + "-"):
            return code
    return None


Holder = TypeVar("Holder", Participant, Event, Facilitator)


def holder_of(session: Session, column: Any, token: str, model: type[Holder]) -> Holder | None:
    """The row whose secret link holds `token` (None for anything else, at one lookup)."""
    if not 20 <= len(token) <= 64:
        return None
    return session.exec(select(model).where(column == token)).first()


def by_token(session: Session, *, token: str) -> Participant | None:
    return holder_of(session, Participant.token, token, Participant)


def by_screen_token(session: Session, *, token: str) -> Event | None:
    return holder_of(session, Event.screen_token, token, Event)


def renew_token(session: Session, row: Holder) -> Holder:
    """A new secret for a participant's badge or a facilitator's card: the old link and every
    device signed in with it stop working."""
    row.token = new_token()  # type: ignore[union-attr]
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def reissue_token(session: Session, *, participant: Participant) -> Participant:
    return renew_token(session, participant)


def reissue_all_tokens(session: Session, *, event: Event) -> int:
    people = session.exec(select(Participant).where(Participant.event_id == pk(event))).all()
    for person in people:
        person.token = new_token()
        session.add(person)
    session.commit()
    return len(people)


def screen_token(session: Session, *, event: Event, renew: bool = False) -> str:
    """The projector's secret (made on first use; `renew` revokes the old one)."""
    if event.screen_token is None or renew:
        event.screen_token = new_token()
        session.add(event)
        session.commit()
        session.refresh(event)
    assert event.screen_token is not None
    return event.screen_token


def check_in_by_scan(session: Session, *, participant: Participant, event: Event) -> None:
    """The first scan of a badge on the day (or once the session runs) checks the person in."""
    if participant.arrived_at is not None:
        return
    state = get_state(session, event=event)
    today = dt.datetime.now(clock.zone(event)).date()
    if state.status in ("running", "paused") or event.date in (None, today):
        participant.arrived_at = utcnow()
        session.add(participant)
        session.commit()


def set_arrived(session: Session, *, event: Event, codes: list[str], arrived: bool) -> int:
    """Mark these participants arrived (or not); how many changed."""
    people = session.exec(
        select(Participant).where(
            Participant.event_id == pk(event), col(Participant.code).in_(codes)
        )
    ).all()
    changed = 0
    for person in people:
        if (person.arrived_at is not None) != arrived:
            person.arrived_at = utcnow() if arrived else None
            session.add(person)
            changed += 1
    session.commit()
    return changed


# --- the attendee's page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A topic that meets at this table: who asked for it, who offers it."""

    topic: str
    requesters: list[str]
    offerers: list[str]
    mine: str  # "asked" when the attendee asked for it, "offer" when they offer it


@dataclass
class Stop:
    round: int
    start: str
    end: str
    cell: Cell | None  # None: not seated in this round (absent)
    others: list[Person]
    matches: list[Match] = field(default_factory=list)


@dataclass
class AttendeeView:
    event: Event
    participant: Attendee
    state: LiveSession
    stops: list[Stop]
    time_zone: str
    starts_at: str  # the session's start as a clock time ("" when not set)
    initiatives: list[Initiative] = field(default_factory=list)  # confirmed, with them in it

    def met(self) -> list[str]:
        """Everyone they sat with, once each, by name."""
        return sorted({p.name for stop in self.stops for p in stop.others})

    def stop(self, round: int) -> Stop | None:
        return next((s for s in self.stops if s.round == round), None)


def _matches(view: PlanView, code: str, cell: Cell) -> list[Match]:
    here = {p.code for p in cell.people}
    out = []
    for topic in view.instance.topics:
        if view.instance.subject_mode != "none" and topic.subject not in (None, cell.subject):
            continue
        everyone = {p.code for p in view.people}
        requesting = (everyone if "*" in topic.requesting else set(topic.requesting)) & here
        offering = (everyone if "*" in topic.offering else set(topic.offering)) & here
        name = topic.name or topic.id
        if code in requesting and offering - {code}:
            out.append(
                Match(
                    name,
                    [view.name(code)],
                    sorted(view.name(c) for c in offering - {code}),
                    "asked",
                )
            )
        elif code in offering and requesting - {code}:
            out.append(
                Match(
                    name,
                    sorted(view.name(c) for c in requesting - {code}),
                    [view.name(code)],
                    "offer",
                )
            )
    return out


def match_sentence(match: Match) -> str:
    if match.mine == "asked":
        return ngettext(
            "{offerers} offers {topic}, which you asked for",
            "{offerers} offer {topic}, which you asked for",
            len(match.offerers),
        ).format(offerers=join_and(match.offerers), topic=match.topic)
    return _("{requesters} asked for {topic}, which you offer").format(
        requesters=join_and(match.requesters), topic=match.topic
    )


@dataclass(frozen=True)
class EventFacts:
    """What every attendee page of an event shows, read at once: a phone's page is these plus
    the participant (`view_of`), so a process may keep them for many phones."""

    event: Event
    state: LiveSession
    saved: SavedPlan | None
    facilitators: dict[str, list[str]]
    initiatives: list[Initiative]  # confirmed ones


def event_facts(session: Session, *, event: Event) -> EventFacts:
    saved = published_plan(session, event=event)
    facilitators = facilitator_names(session, event=event)
    if saved is not None:
        shared_view(event, saved, facilitators)  # built now, in the reader's thread
    return EventFacts(
        event=event,
        state=get_state(session, event=event),
        saved=saved,
        facilitators=facilitators,
        initiatives=[i for i in list_initiatives(session, event=event) if i.status == "confirmed"],
    )


def attendee_view(session: Session, *, participant: Participant) -> AttendeeView:
    event = session.get(Event, participant.event_id)
    assert event is not None
    return view_of(event_facts(session, event=event), participant)


def view_of(facts: EventFacts, participant: Attendee) -> AttendeeView:
    """One participant's page from their event's facts (no database)."""
    event, state = facts.event, facts.state
    times = clock.projected(event, state)
    stops: list[Stop] = []
    if facts.saved is not None:
        view = shared_view(event, facts.saved, facts.facilitators)
        for r in view.rounds:
            cell = view.seat(r, participant.code)
            slot = times.get(r)
            stops.append(
                Stop(
                    round=r,
                    start=clock.hm(slot.start) if slot else "",
                    end=clock.hm(slot.end) if slot else "",
                    cell=cell,
                    others=[p for p in cell.people if p.code != participant.code] if cell else [],
                    matches=_matches(view, participant.code, cell) if cell else [],
                )
            )
    start = clock.event_start(event)
    mine = [
        i
        for i in facts.initiatives
        if participant.code in json.loads(i.requesting) + json.loads(i.offering)
    ]
    return AttendeeView(
        event=event,
        participant=participant,
        state=state,
        stops=stops,
        time_zone=clock.zone(event).key,
        starts_at=clock.hm(start),
        initiatives=mine,
    )


def as_json(view: AttendeeView) -> dict[str, object]:
    """The JSON twin of the page (`GET /api/attendee`)."""
    state = view.state
    current = state.round if state.status in ("running", "paused") else None

    def stop_json(stop: Stop | None) -> dict[str, object] | None:
        if stop is None:
            return None
        return {
            "round": stop.round,
            "start": stop.start,
            "end": stop.end,
            "table": stop.cell.table if stop.cell else None,
            "subject": stop.cell.subject_name if stop.cell else None,
            "facilitators": stop.cell.facilitators if stop.cell else [],
            "with": [p.name for p in stop.others],
            "matches": [match_sentence(m) for m in stop.matches],
        }

    now = view.stop(current) if current else None
    upcoming = (current or 0) + 1
    if state.status == "running" and state.phase == "change":
        upcoming = current or 1
    return {
        "participant": {
            "name": view.participant.name,
            "code": view.participant.code,
            "organization": view.participant.organization,
        },
        "event": {"id": view.event.id, "name": view.event.name, "time_zone": view.time_zone},
        "status": state.status,
        "phase": state.phase,
        "phase_ends_at": _iso(state),
        "plan_version": state.plan_id,
        "round": current,
        "table": now.cell.table if now and now.cell else None,
        "subject": now.cell.subject_name if now and now.cell else None,
        "now": stop_json(now),
        "next": stop_json(view.stop(upcoming)) if state.status != "finished" else None,
        "itinerary": [stop_json(s) for s in view.stops],
    }


def _iso(state: LiveSession) -> str | None:
    value = state_json(state, rounds=0)["phase_ends_at"]
    return value if isinstance(value, str) else None
