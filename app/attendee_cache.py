"""The attendees' pages from memory: what every phone of an event shows, kept per process.

On the day up to 2,000 phones load `/attend` in the same minute. Each page is one participant
plus what the whole event shows (its live state, published plan, facilitators, confirmed
initiatives), so a process reads the event's part once (`Snapshot`, with every participant by
their badge's secret) and answers each phone from memory, on the event loop, with no database
query and no worker thread. Under load the threads were the cost: each request's hops between
the event loop and a worker thread, fighting for the interpreter lock, cost more than its work.

The live state is kept apart, since it changes every few minutes on the day while the rest does
not: `LiveHub` hands over each new state it reads (on PostgreSQL, each worker's hub hears of
every change through LISTEN), and a command answered by this process marks the state unknown
before its answer is sent, so that the next page reads that one row again. A new published plan
or a change of the plenary's topic drops the whole snapshot, as does any other change request on
the event that this process answers (`AuditLog` tells us: a renamed participant, a revoked
badge). Changes made through another worker that leave the live state alone (a renamed table,
say) reach this process's phones within `FRESH_SECONDS`, when the snapshot is read again.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

import anyio
from sqlalchemy import select as select_rows
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from .models import Event, LiveSession, Participant
from .services import attendance, live, plenary, questionnaire

T = TypeVar("T")

FRESH_SECONDS = 2.0  # how long a snapshot is trusted without news of a change
IDLE_SECONDS = 600.0  # an event no phone asked for in this long is let go (its memory freed)
TOKEN_LENGTHS = range(20, 65)  # as attendance.holder_of: anything else is no badge


@dataclass(frozen=True, slots=True)
class Badge:
    """A participant as their page shows them: read as plain rows, since building 2,000 ORM
    objects every few seconds cost the event loop more than the pages themselves."""

    id: int
    event_id: int
    code: str
    name: str
    organization: str
    language: str


BADGE_COLUMNS = (
    Participant.token,
    Participant.id,
    Participant.event_id,
    Participant.code,
    Participant.name,
    Participant.organization,
    Participant.language,
)


@dataclass(frozen=True)
class Snapshot:
    facts: attendance.EventFacts  # its state: the one read with it (see `find` for the newest)
    people: dict[str, Badge]  # by badge secret
    questionnaire_open: bool
    plenary_topic: int | None
    made: float  # time.monotonic() when read
    # Pages rendered from it, without their live state (app/attend_page.py); shared by the
    # copies `find` makes with a newer state, dropped with the snapshot.
    pages: dict[object, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def same_as(self, other: Snapshot) -> bool:
        """Whether the two hold the same pages (the live state apart): a read that finds
        nothing changed keeps the pages already rendered."""
        mine, theirs = self.facts, other.facts
        return (
            self.people == other.people
            and self.questionnaire_open == other.questionnaire_open
            and self.plenary_topic == other.plenary_topic
            and mine.event.model_dump() == theirs.event.model_dump()
            and (mine.saved.id if mine.saved else None)
            == (theirs.saved.id if theirs.saved else None)
            and mine.facilitators == theirs.facilitators
            and [i.model_dump() for i in mine.initiatives]
            == [i.model_dump() for i in theirs.initiatives]
        )

    def follows(self, state: LiveSession) -> bool:
        """Whether this snapshot still holds what the state points to (plan, plenary topic)."""
        saved = self.facts.saved.id if self.facts.saved is not None else None
        return saved == state.plan_id and self.plenary_topic == state.plenary_topic_id


class AttendeeCache:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._snapshots: dict[int, Snapshot] = {}
        self._states: dict[int, LiveSession] = {}  # the newest live state known, by event
        self._events_of: dict[str, int] = {}  # badge secret → event, from the snapshots read
        self._owned: dict[int, frozenset[str]] = {}  # each event's secrets in _events_of
        self._reading: dict[tuple[str, int], asyncio.Task[object]] = {}
        # Bumped by each change: a read that started before one must not be kept.
        self._changes: dict[int, int] = {}
        self._state_changes: dict[int, int] = {}
        self._lock = threading.Lock()  # the hub and the routes' threads call in too
        self._used: dict[int, float] = {}  # when a phone last asked, by event

    # --- news of changes (from any thread) ----------------------------------------------------

    def forget(self, event_id: int) -> None:
        """The event changed: the next phone reads it again."""
        with self._lock:
            self._drop(event_id)

    def _drop(self, event_id: int) -> None:
        self._changes[event_id] = self._changes.get(event_id, 0) + 1
        self._state_changes[event_id] = self._state_changes.get(event_id, 0) + 1
        self._snapshots.pop(event_id, None)
        self._states.pop(event_id, None)
        self._reading.pop(("event", event_id), None)
        self._reading.pop(("state", event_id), None)

    def state_changed(self, event_id: int, state: LiveSession | None) -> None:
        """The hub's news: the event's new live state, or None when it changed and is not read
        yet. A state that points to another plan or plenary topic drops the snapshot."""
        with self._lock:
            snapshot = self._snapshots.get(event_id)
            if state is not None and snapshot is not None and not snapshot.follows(state):
                self._drop(event_id)
                return
            self._state_changes[event_id] = self._state_changes.get(event_id, 0) + 1
            self._reading.pop(("state", event_id), None)
            known = self._states.get(event_id)
            if state is None:
                self._states.pop(event_id, None)
            elif known is None or state.state_version >= known.state_version:
                self._states[event_id] = state

    # --- a phone's page -----------------------------------------------------------------------

    async def find(self, token: str) -> tuple[Snapshot, Badge] | None:
        """The snapshot of the badge's event, with the newest live state, and its participant;
        None when the secret opens nothing (unknown, revoked, or of a deleted event)."""
        if len(token) not in TOKEN_LENGTHS:
            return None
        event_id = self._events_of.get(token)
        if event_id is None:
            event_id = await anyio.to_thread.run_sync(self._event_of, token)
            if event_id is None:
                return None
        self._used[event_id] = time.monotonic()
        snapshot = self._snapshots.get(event_id)
        if snapshot is None:  # never read, or changed since: wait for the new read
            snapshot = await self._snapshot(event_id)
        elif time.monotonic() - snapshot.made > FRESH_SECONDS:
            # Only old, with no news of a change: read it again, and answer from it meanwhile.
            self._start("event", event_id, self._read_event)
        if snapshot is None:
            return None
        state = self._states.get(event_id)
        if state is None:  # it changed a moment ago: read the one row
            state = await self._shared("state", event_id, self._read_state)
            if state is None:
                return None
            if not snapshot.follows(state):
                self.forget(event_id)
                snapshot = await self._snapshot(event_id)
                if snapshot is None:
                    return None
                state = snapshot.facts.state
        person = snapshot.people.get(token)
        if person is None:
            return None
        return replace(snapshot, facts=replace(snapshot.facts, state=state)), person

    async def _snapshot(self, event_id: int) -> Snapshot | None:
        return await self._shared("event", event_id, self._read_event)

    # --- reads, one per event and kind at a time ------------------------------------------------

    def _start(
        self, kind: str, event_id: int, read: Callable[[int], Awaitable[T]]
    ) -> asyncio.Task[T]:
        """The phones that ask while a read runs share it."""
        with self._lock:
            task = self._reading.get((kind, event_id))
            if task is None:
                task = asyncio.ensure_future(self._run(kind, event_id, read))
                self._reading[(kind, event_id)] = task
            return task  # type: ignore[return-value]

    async def _shared(self, kind: str, event_id: int, read: Callable[[int], Awaitable[T]]) -> T:
        # A phone that hangs up must not cancel the read that the others wait for.
        return await asyncio.shield(self._start(kind, event_id, read))

    async def _run(self, kind: str, event_id: int, read: Callable[[int], Awaitable[T]]) -> T:
        try:
            return await read(event_id)
        finally:
            with self._lock:
                if self._reading.get((kind, event_id)) is asyncio.current_task():
                    del self._reading[(kind, event_id)]

    async def _read_event(self, event_id: int) -> Snapshot | None:
        with self._lock:
            change = self._changes.get(event_id, 0)
            state_change = self._state_changes.get(event_id, 0)
        snapshot = await anyio.to_thread.run_sync(self._load, event_id)
        with self._lock:
            for token in self._owned.pop(event_id, frozenset()):
                self._events_of.pop(token, None)
            if snapshot is None:
                self._snapshots.pop(event_id, None)
                return None
            self._let_go_of_idle_events()
            self._owned[event_id] = frozenset(snapshot.people)
            self._events_of.update(dict.fromkeys(snapshot.people, event_id))
            if self._changes.get(event_id, 0) == change:  # else it changed while being read
                kept = self._snapshots.get(event_id)
                if kept is not None and snapshot.same_as(kept):
                    snapshot = replace(snapshot, pages=kept.pages)
                self._snapshots[event_id] = snapshot
                if self._state_changes.get(event_id, 0) == state_change:
                    self._states[event_id] = snapshot.facts.state
        return snapshot

    def _let_go_of_idle_events(self) -> None:
        """Events over (no phone asked for them lately) leave memory; called with the lock."""
        now = time.monotonic()
        for idle in [e for e, used in self._used.items() if now - used > IDLE_SECONDS]:
            self._drop(idle)
            del self._used[idle]
            for token in self._owned.pop(idle, frozenset()):
                self._events_of.pop(token, None)

    def events_held(self) -> int:
        """How many events' snapshots this process holds."""
        return len(self._snapshots)

    async def _read_state(self, event_id: int) -> LiveSession | None:
        with self._lock:
            state_change = self._state_changes.get(event_id, 0)
        state = await anyio.to_thread.run_sync(self._load_state, event_id)
        with self._lock:
            if state is not None and self._state_changes.get(event_id, 0) == state_change:
                self._states[event_id] = state
        return state

    # --- in a worker thread -------------------------------------------------------------------

    def _event_of(self, token: str) -> int | None:
        with Session(self.engine) as session:
            return session.exec(
                select(Participant.event_id).where(Participant.token == token)
            ).first()

    def _load_state(self, event_id: int) -> LiveSession | None:
        with Session(self.engine, expire_on_commit=False) as session:
            event = session.get(Event, event_id)
            return live.get_state(session, event=event) if event is not None else None

    def _load(self, event_id: int) -> Snapshot | None:
        made = time.monotonic()
        # Kept after the session ends: a first read of the live state may commit its row.
        with Session(self.engine, expire_on_commit=False) as session:
            event = session.get(Event, event_id)
            if event is None:
                return None
            query = select_rows(*BADGE_COLUMNS).where(Participant.event_id == event_id)
            rows = session.execute(query).all()
            return Snapshot(
                facts=attendance.event_facts(session, event=event),
                people={token: Badge(*rest) for token, *rest in rows},
                questionnaire_open=questionnaire.status_of(session, event_id=event_id) == "open",
                plenary_topic=plenary.current_topic_id(session, event_id=event_id),
                made=made,
            )
