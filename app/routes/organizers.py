"""Who organizes an event and what they changed: `/events/{id}/organizers` (owners add, change
and remove organizers; everyone who organizes it reads the history), and the same in JSON."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from ..audit import history
from ..audit_words import describe
from ..auth import AccountDep
from ..deps import OrganizerOnly, SessionDep
from ..models import aware, pk
from ..services import access
from ..services.errors import RondaError
from .api_models import ERRORS, Moment
from .common import EventDep, flash, page
from .forms import sentence

pages = APIRouter(dependencies=OrganizerOnly, include_in_schema=False)
api = APIRouter(prefix="/api", dependencies=OrganizerOnly, tags=["organizers"], responses=ERRORS)


@pages.get("/events/{event_id}/organizers")
def organizers_page(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    role = access.role_of(session, account=account, event=event)
    zone = ZoneInfo(event.time_zone or "UTC")
    return page(
        request,
        "events/organizers.html",
        account=account,
        event=event,
        section="overview",
        members=access.members(session, event=event),
        may_manage=role == "owner" or account.is_admin,
        entries=[
            (aware(e.at).astimezone(zone), e.actor, describe(e.action), e.action)
            for e in history(session, event_id=pk(event))
        ],
        zone=zone.key,
    )


@pages.post("/events/{event_id}/organizers")
def set_organizer(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    username: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form()] = "co-organizer",
    remove: Annotated[bool, Form()] = False,
) -> Response:
    try:
        access.require(session, account=account, event=event, owner=True)
        if remove:
            access.remove_member(session, event=event, username=username)
        else:
            access.set_member(session, event=event, username=username, role=role)
    except RondaError as exc:
        flash(request, sentence(str(exc)))
    return RedirectResponse(f"/events/{event.id}/organizers", status_code=303)


class OrganizerOut(BaseModel):
    username: str
    role: Literal["owner", "co-organizer"]


class OrganizerIn(BaseModel):
    role: Literal["owner", "co-organizer"]


class AuditOut(BaseModel):
    at: Moment
    actor: str
    action: str  # the request, as it was sent: "POST /api/events/7/session/next"
    summary: str  # the same in words, in the reader's language: "moved on to the next round"


@api.get("/events/{event_id}/organizers", response_model=list[OrganizerOut])
def list_organizers(session: SessionDep, event: EventDep) -> list[OrganizerOut]:
    return [OrganizerOut(username=u, role=r) for u, r in access.members(session, event=event)]


@api.put("/events/{event_id}/organizers/{username}", response_model=list[OrganizerOut])
def put_organizer(
    session: SessionDep, account: AccountDep, event: EventDep, username: str, data: OrganizerIn
) -> list[OrganizerOut]:
    """Add an organizer to the event or change their role (the event's owners only)."""
    access.require(session, account=account, event=event, owner=True)
    access.set_member(session, event=event, username=username, role=data.role)
    return list_organizers(session, event)


@api.delete("/events/{event_id}/organizers/{username}", status_code=204, response_class=Response)
def delete_organizer(
    session: SessionDep, account: AccountDep, event: EventDep, username: str
) -> Response:
    access.require(session, account=account, event=event, owner=True)
    access.remove_member(session, event=event, username=username)
    return Response(status_code=204)


@api.get("/events/{event_id}/audit", response_model=list[AuditOut])
def audit_log(session: SessionDep, event: EventDep) -> list[AuditOut]:
    """The event's last 500 changes, newest first: when, who, what."""
    return [
        AuditOut(at=aware(e.at), actor=e.actor, action=e.action, summary=describe(e.action))
        for e in history(session, event_id=pk(event))
    ]
