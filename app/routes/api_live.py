"""The live session's JSON API: its state, the organizer's commands, the stream of changes,
and the attendee's own page as JSON.

Commands say which state they expect (`from_round`, and `from_phase` or `state_version` where a
page knows them); one that no longer matches answers 409 with the state as it is now.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlmodel import Session
from sse_starlette import EventSourceResponse

from ..deps import OrganizerOnly, RowId, SessionDep
from ..i18n import _
from ..live import LiveHub, now_iso, version_of
from ..models import Event, Participant
from ..services import attendance, live
from ..services.lookup import get_row
from ..viewers import attendee, may_watch
from .api_models import ERRORS, ParticipantPublic
from .common import EventDep
from .links import participant_out

HEARTBEAT_SECONDS = 15

router = APIRouter(prefix="/api", responses=ERRORS, tags=["live session"])
organizers = APIRouter(prefix="/api", responses=ERRORS, dependencies=OrganizerOnly)


class SessionOut(BaseModel):
    status: Literal["not_started", "running", "paused", "finished"]
    round: int | None = Field(description="the round being played, or moved to; null before")
    rounds: int
    phase: Literal["conversation", "change"]
    phase_ends_at: str | None = Field(description="server time (UTC, ISO 8601) the phase ends")
    remaining_seconds: float | None = Field(description="time left while paused")
    plan_version: int | None = Field(description="the published plan version")
    state_version: int
    plenary_topic: int | None = Field(
        default=None, description="the topic on the plenary's floor (its id), or null"
    )


class CommandIn(BaseModel):
    from_round: int | None = Field(default=None, description="the round the page showed")
    from_phase: Literal["conversation", "change"] | None = None
    state_version: int | None = Field(default=None, description="the state the page showed")
    minutes: int | None = Field(default=None, description="extend only: 1 to 120")


def hub_of(request: Request) -> LiveHub:
    hub: LiveHub = request.app.state.live
    return hub


def _state_json(session: Session, event: Event) -> dict[str, Any]:
    return live.as_json(live.get_state(session, event=event), rounds=event.rounds)


def _watched_event(request: Request, session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None or not may_watch(request, session, event_id):
        # The same answer for an unknown event and one the caller may not see.
        raise HTTPException(404, _("no live session here; open the link from your badge again"))
    return event


@router.get("/events/{event_id}/session", response_model=SessionOut)
def get_session_state(request: Request, session: SessionDep, event_id: RowId) -> dict[str, Any]:
    """Where the session stands; for organizers and the event's attendee and screen links."""
    return _state_json(session, _watched_event(request, session, event_id))


@router.get("/events/{event_id}/session/stream", response_class=EventSourceResponse)
async def stream(request: Request, event_id: RowId) -> EventSourceResponse:
    """Server-sent events: the state now, then each new state (`event: state`, `data` the JSON
    of GET `.../session`), and every 15 s an `event: ping` with the server's time, which keeps
    proxies from closing the stream."""
    hub = hub_of(request)

    def check() -> None:
        with Session(hub.engine) as session:
            _watched_event(request, session, event_id)

    await asyncio.to_thread(check)
    queue = hub.subscribe(event_id)

    async def messages() -> AsyncIterator[dict[str, str]]:
        try:
            first = await hub.current(event_id)
            sent = version_of(first)
            yield {"event": "state", "data": first}
            while True:
                try:
                    async with asyncio.timeout(HEARTBEAT_SECONDS):
                        version, message = await queue.get()
                except TimeoutError:
                    # A real event, not a comment line: pages see it, know the stream is
                    # alive, and set their clock by the server's. Sent from here rather than
                    # by sse-starlette's own ping task, whose lock and cancel scopes, once per
                    # stream, cost a quarter of a core with 2,000 phones connected.
                    yield {"event": "ping", "data": now_iso()}
                    continue
                # A change announced while this stream was opening may arrive after the state
                # it already sent: never send a state twice, nor an older one.
                if version > sent:
                    sent = version
                    yield {"event": "state", "data": message}
        finally:
            hub.unsubscribe(event_id, queue)

    return EventSourceResponse(
        messages(),
        ping=0,  # the heartbeat is the `ping` event above
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _stale(exc: live.StaleState, event: Event) -> JSONResponse:
    return JSONResponse(
        {"detail": str(exc), "state": live.as_json(exc.state, rounds=event.rounds)},
        status_code=409,
    )


@organizers.post(
    "/events/{event_id}/session/{action}",
    response_model=SessionOut,
    tags=["live session"],
    responses={409: {"description": "The session is no longer in the state the command expects"}},
)
def run_command(
    request: Request,
    session: SessionDep,
    event: EventDep,
    action: live.Command | Literal["publish"],
    body: CommandIn | None = None,
) -> Any:
    """Move the session: `start`, `next` and `back` (with `from_round`), `pause`, `resume`,
    `extend` (with `minutes`), `finish`, and `publish` (the current plan version becomes the
    one every live page follows). A retried or doubled command changes the state once."""
    body = body or CommandIn()
    expect = live.Expect(body.from_round, body.from_phase, body.state_version)
    try:
        if action == "publish":
            state = live.publish(session, event=event, expect=expect)
        else:
            state = live.command(
                session, event=event, action=action, expect=expect, minutes=body.minutes
            )
    except live.StaleState as exc:
        return _stale(exc, event)
    hub_of(request).after_commit_from_thread(int(event.id or 0))
    return live.as_json(state, rounds=event.rounds)


@organizers.post(
    "/events/{event_id}/participants/{participant_id}/token",
    response_model=ParticipantPublic,
    tags=["participants"],
)
def reissue_token(
    request: Request, session: SessionDep, event: EventDep, participant_id: RowId
) -> ParticipantPublic:
    """A new secret link for this participant: reprint their badge; the old one stops working."""
    person = get_row(session, event=event, model=Participant, row_id=participant_id)
    return participant_out(request, attendance.reissue_token(session, participant=person))


AttendeeOut = dict[str, Any]


def _attendee(request: Request, session: SessionDep) -> Participant:
    person = attendee(request, session)
    if person is None:
        raise HTTPException(
            401, _("this phone is not signed in to an event; scan the QR code on your badge")
        )
    return person


@router.get("/attendee")
def attendee_json(
    session: SessionDep, person: Annotated[Participant, Depends(_attendee)]
) -> AttendeeOut:
    """The attendee page as JSON (attendee cookie): `participant`, `round` (null before the
    start), `table` (its name in the plan), `subject`, `now`, `next` and the `itinerary`."""
    return attendance.as_json(attendance.attendee_view(session, participant=person))
