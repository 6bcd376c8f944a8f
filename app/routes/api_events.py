"""The JSON API for events: list, create, read, change, delete, and what is missing."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Response

from ..deps import AccountDep, SessionDep
from ..models import Event, EventCreate, EventPublic, EventUpdate
from ..services import access, events
from ..services.edits import change_event
from ..services.readiness import summarize
from .api_models import ERRORS, SummaryPublic, without_nulls
from .common import EventDep

router = APIRouter(prefix="/events", tags=["events"], responses=ERRORS)


@router.get("", response_model=list[EventPublic])
def list_events(session: SessionDep, account: AccountDep) -> list[Event]:
    """The events you organize (every event for an admin), by name."""
    return access.visible_events(session, account=account)


@router.post("", response_model=EventPublic, status_code=201)
def create_event(session: SessionDep, account: AccountDep, data: EventCreate) -> Event:
    """Create an event (you are its owner); none of your events may have its name yet."""
    event = events.create_event(session, data=data, account=account)
    access.add_owner(session, event=event, account=account)
    return event


@router.get("/{event_id}", response_model=EventPublic)
def read_event(event: EventDep) -> Event:
    return event


@router.patch("/{event_id}", response_model=EventPublic)
def update_event(session: SessionDep, event: EventDep, data: EventUpdate) -> Event:
    """Change the fields given; fewer rounds than pins or absences use is refused."""
    return change_event(session, event=event, data=without_nulls(data, nullable=("date",)))


@router.delete("/{event_id}", status_code=204, response_class=Response)
def delete_event(session: SessionDep, account: AccountDep, event: EventDep) -> Response:
    """Delete the event and everything in it (its owners only)."""
    access.require(session, account=account, event=event, owner=True)
    events.delete_event(session, event=event)
    return Response(status_code=204)


@router.get("/{event_id}/summary", response_model=SummaryPublic)
def event_summary(session: SessionDep, event: EventDep) -> SummaryPublic:
    """What the event holds, and what is missing before it can be planned."""
    summary = summarize(session, event=event)
    return SummaryPublic(**asdict(summary), ready=summary.ready)
