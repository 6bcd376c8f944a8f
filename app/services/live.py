"""The live session: where the event stands (round, phase, end time) and the commands that move it.

The state is one `LiveSession` row per event. Every command names the state it expects (the round
and phase it moves on from, or the state version the page showed) and is applied by an UPDATE
that matches only the version it read: a double click, a retried request or two organizers
pressing at once change the state once, and the others get `StaleState` with the state as it is.
On PostgreSQL the change is announced with NOTIFY in the same transaction (the payload is only
`event_id:state_version`), so every worker process learns of it when, and only if, it commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from ..i18n import _
from ..models import Event, LiveSession, SavedPlan, pk, utcnow
from ..models import aware as utc_aware
from .errors import Conflict, InvalidInput, NotFound
from .instances import current_plan

CHANNEL = "ronda_live"
Command = Literal["start", "next", "back", "pause", "resume", "extend", "finish"]
MAX_EXTEND = 120  # minutes one press may add


class StaleState(Conflict):
    """The command expected another state; `state` is the state as it is now."""

    def __init__(self, message: str, state: LiveSession) -> None:
        super().__init__(message)
        self.state = state


@dataclass(frozen=True)
class Expect:
    """What the page showed when the person pressed: any of these that is given must hold."""

    from_round: int | None = None
    from_phase: str | None = None
    state_version: int | None = None


def get_state(session: Session, *, event: Event) -> LiveSession:
    """The event's live state (created, not started, on first use)."""
    state = session.get(LiveSession, pk(event))
    if state is not None:
        return state
    state = LiveSession(event_id=pk(event))
    session.add(state)
    try:
        session.commit()
    except IntegrityError:  # another request created it at the same moment
        session.rollback()
    found = session.get(LiveSession, pk(event))
    assert found is not None
    return found


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return utc_aware(moment).astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else utc_aware(moment)


def as_json(state: LiveSession, *, rounds: int) -> dict[str, Any]:
    """The JSON of `GET /api/events/{id}/session` and of every live message."""
    return {
        "status": state.status,
        "round": state.round or None,
        "rounds": rounds,
        "phase": state.phase,
        "phase_ends_at": _iso(state.phase_ends_at),
        "remaining_seconds": state.remaining_seconds,
        "plan_version": state.plan_id,
        "state_version": state.state_version,
        "plenary_topic": state.plenary_topic_id,
    }


def announce(session: Session, event_id: int, version: int) -> None:
    """Tell every worker's streams, when this transaction commits, that the state changed."""
    _announce(session, event_id, version)


def _announce(session: Session, event_id: int, version: int) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": f"{event_id}:{version}"},
        )


def _save(session: Session, state: LiveSession, changes: dict[str, Any]) -> LiveSession:
    """Apply `changes` if the row is still at the version read; else StaleState."""
    version, event_id = state.state_version, state.event_id
    result = session.execute(
        update(LiveSession)
        .where(col(LiveSession.event_id) == event_id, col(LiveSession.state_version) == version)
        .values(**changes, state_version=version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise _stale(session, event_id)
    _announce(session, event_id, version + 1)
    session.commit()
    fresh = session.get(LiveSession, event_id, populate_existing=True)
    assert fresh is not None
    return fresh


def _stale(session: Session, event_id: int) -> StaleState:
    state = session.get(LiveSession, event_id, populate_existing=True)
    assert state is not None
    return StaleState(
        _(
            "the session has moved on since this page was shown (now: {where}); nothing was changed"
        ).format(where=describe(state)),
        state,
    )


def describe(state: LiveSession) -> str:
    """The state in a few words: "round 2, conversation"."""
    if state.status == "not_started":
        return _("not started")
    if state.status == "finished":
        return _("finished")
    phase = _("conversation") if state.phase == "conversation" else _("change of tables")
    where = _("round {round}, {phase}").format(round=state.round, phase=phase)
    return _("{where}, paused").format(where=where) if state.status == "paused" else where


def _check(session: Session, state: LiveSession, expect: Expect) -> None:
    if expect.state_version is not None and expect.state_version != state.state_version:
        raise _stale(session, state.event_id)
    if expect.from_round is not None and expect.from_round != state.round:
        raise _stale(session, state.event_id)
    if expect.from_phase is not None and expect.from_phase != state.phase:
        raise _stale(session, state.event_id)


def _minutes(value: int) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def _conversation(event: Event, round: int, now: dt.datetime) -> dict[str, Any]:
    return {
        "status": "running",
        "round": round,
        "phase": "conversation",
        "phase_ends_at": now + _minutes(event.round_minutes),
        "remaining_seconds": None,
    }


def _publishable(session: Session, event: Event) -> int:
    try:
        return pk(current_plan(session, event=event))
    except NotFound:
        raise InvalidInput(
            _("{event!r} has no plan to run yet; generate a plan first, then start").format(
                event=event.name
            )
        ) from None


def command(
    session: Session,
    *,
    event: Event,
    action: Command,
    expect: Expect = Expect(),
    minutes: int | None = None,
    now: dt.datetime | None = None,
) -> LiveSession:
    """Apply one organizer command; InvalidInput when it makes no sense in this state."""
    now = now or utcnow()
    state = get_state(session, event=event)
    _check(session, state, expect)
    status = state.status
    if status == "finished" and action not in ("finish", "back"):
        raise InvalidInput(_("the session is finished; go back one round first to run it again"))
    if action == "start":
        if status != "not_started":
            raise _stale(session, state.event_id)
        changes = _conversation(event, 1, now)
        if state.plan_id is None:
            changes["plan_id"] = _publishable(session, event)
        return _save(session, state, changes)
    if status == "not_started":
        raise InvalidInput(_("the session has not started yet; start it first"))
    if action == "finish":
        if status == "finished":
            return state  # asked twice: finished once
        return _save(
            session,
            state,
            {"status": "finished", "phase_ends_at": None, "remaining_seconds": None},
        )
    if action == "pause":
        if status == "paused":
            return state
        left = (aware(state.phase_ends_at) or now) - now
        return _save(
            session,
            state,
            {
                "status": "paused",
                "phase_ends_at": None,
                "remaining_seconds": max(0.0, left.total_seconds()),
            },
        )
    if action == "resume":
        if status == "running":
            return state
        left = dt.timedelta(seconds=state.remaining_seconds or 0)
        return _save(
            session,
            state,
            {"status": "running", "phase_ends_at": now + left, "remaining_seconds": None},
        )
    if action == "extend":
        return _extend(session, state, minutes, now)
    if action == "next":
        return _next(session, event, state, expect, now)
    return _back(session, event, state, expect, now)


def _extend(
    session: Session, state: LiveSession, minutes: int | None, now: dt.datetime
) -> LiveSession:
    if minutes is None or not 1 <= minutes <= MAX_EXTEND:
        raise InvalidInput(
            _("extend by 1 to {most} minutes; {minutes} cannot be added").format(
                most=MAX_EXTEND, minutes=minutes
            )
        )
    if state.status == "paused":
        left = (state.remaining_seconds or 0) + minutes * 60
        return _save(session, state, {"remaining_seconds": left})
    # A round already over time gets its minutes from now, not from the end that has passed.
    ends = max(aware(state.phase_ends_at) or now, now) + _minutes(minutes)
    return _save(session, state, {"phase_ends_at": ends})


def _next(
    session: Session, event: Event, state: LiveSession, expect: Expect, now: dt.datetime
) -> LiveSession:
    if expect.from_round is None and expect.state_version is None:
        raise InvalidInput(_("say which round to move on from (from_round)"))
    phase = expect.from_phase or "conversation"
    if phase != state.phase:
        raise _stale(session, state.event_id)
    if state.phase == "change":  # people are seated: the conversation starts now
        return _save(session, state, _conversation(event, state.round, now))
    if state.round >= event.rounds:
        raise InvalidInput(
            _("round {round} is the last round; finish the session instead").format(
                round=state.round
            )
        )
    if event.transition_minutes == 0:
        return _save(session, state, _conversation(event, state.round + 1, now))
    return _save(
        session,
        state,
        {
            "status": "running",
            "round": state.round + 1,
            "phase": "change",
            "phase_ends_at": now + _minutes(event.transition_minutes),
            "remaining_seconds": None,
        },
    )


def _back(
    session: Session, event: Event, state: LiveSession, expect: Expect, now: dt.datetime
) -> LiveSession:
    if expect.from_round is None and expect.state_version is None:
        raise InvalidInput(_("say which round to go back from (from_round)"))
    if state.status == "finished":  # finished by mistake: the last round again
        return _save(session, state, _conversation(event, state.round, now))
    if state.round <= 1:
        raise InvalidInput(_("round 1 is the first round; there is no round before it"))
    return _save(session, state, _conversation(event, state.round - 1, now))


def tick(session: Session, *, event_id: int, now: dt.datetime | None = None) -> bool:
    """End a change of tables whose time is up (the conversation starts by itself)."""
    now = now or utcnow()
    state = session.get(LiveSession, event_id, populate_existing=True)
    event = session.get(Event, event_id)
    if state is None or event is None or state.status != "running" or state.phase != "change":
        return False
    ends = aware(state.phase_ends_at)
    if ends is None or ends > now:
        return False
    try:
        # The conversation is timed from when the change was due to end, on every worker alike.
        _save(session, state, _conversation(event, state.round, ends))
    except StaleState:
        return False  # another worker did it
    return True


def due_changes(session: Session, *, now: dt.datetime | None = None) -> list[int]:
    """Events whose change of tables is over (the ticker ends them)."""
    now = now or utcnow()
    query = select(LiveSession.event_id).where(
        LiveSession.status == "running",
        LiveSession.phase == "change",
        col(LiveSession.phase_ends_at) <= now,
    )
    return list(session.exec(query).all())


def publish(session: Session, *, event: Event, expect: Expect = Expect()) -> LiveSession:
    """Make the current plan version the one every live page follows."""
    state = get_state(session, event=event)
    _check(session, state, expect)
    plan_id = _publishable(session, event)
    if state.plan_id == plan_id:
        return state
    return _save(session, state, {"plan_id": plan_id})


def published_plan(session: Session, *, event: Event) -> SavedPlan | None:
    """The published version. Its plan, instance and metrics (megabytes for 2,000 people) are
    read only when used: every phone asks for this row, and the live pages' shared view of a
    version is built once per process (see plan_views.shared_view)."""
    state = get_state(session, event=event)
    if not state.plan_id:
        return None
    heavy = (SavedPlan.plan_json, SavedPlan.instance_json, SavedPlan.metrics_json)
    return session.get(SavedPlan, state.plan_id, options=[defer(column) for column in heavy])
