"""The harvest's JSON API: notes and initiatives (organizers, and facilitators for their own
tables), facilitators' links, the harvest as files."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from ..deps import OrganizerOnly, RowId, SessionDep
from ..i18n import _
from ..models import Event, Facilitator
from ..services import facilitation, harvest, notes
from ..viewers import facilitator, organizer
from .api_models import ERRORS
from .common import EventDep
from .links import public_url

router = APIRouter(prefix="/api", responses=ERRORS, tags=["harvest"])
organizers = APIRouter(
    prefix="/api", responses=ERRORS, dependencies=OrganizerOnly, tags=["harvest"]
)


class NoteIn(BaseModel):
    round: int
    table: str = Field(max_length=100)
    text: str = ""
    participants: list[str] = Field(default=[], max_length=200)
    topics: list[str] = Field(default=[], max_length=200)
    base_version: int = Field(default=0, description="the version this write was based on (0: new)")


class InitiativeIn(BaseModel):
    subject: str = Field(default="", max_length=20)
    topic: str = Field(max_length=200)
    request: str = ""
    requesting: list[str] = Field(default=[], max_length=2000)
    offering: list[str] = Field(default=[], max_length=2000)
    offer: str = ""
    contact: str = ""
    status: str = Field(default="proposed", pattern="^(proposed|confirmed)$")
    base_version: int = 0


def _writer(request: Request, session: Session, event_id: int) -> tuple[Event, Facilitator | None]:
    """The event, and the facilitator writing (None: an organizer)."""
    event = session.get(Event, event_id)
    if event is not None:
        host = facilitator(request, session)
        if host is not None and host.event_id == event_id:
            request.state.actor = _("{name} (facilitator)").format(name=host.name)
            return event, host
        if (account := organizer(request, session, event_id)) is not None:
            request.state.actor = account.username
            return event, None
    raise HTTPException(404, _("no such event here; open the link from your card again"))


def _stale(exc: notes.StaleNote) -> JSONResponse:
    current = exc.current
    body = (
        notes.note_json(current)
        if isinstance(current, notes.Note)
        else notes.initiative_json(current)
    )
    return JSONResponse({"detail": str(exc), "current": body}, status_code=409)


@router.put("/events/{event_id}/notes/{note_id}")
def put_note(
    request: Request, session: SessionDep, event_id: RowId, note_id: str, body: NoteIn
) -> Any:
    """Write a note (id made on the device): a repeat returns the same note; a stale
    `base_version` answers 409 with the stored note."""
    event, host = _writer(request, session, event_id)
    seated = None
    if host is not None:
        seated = facilitation.seated(session, facilitator=host, round=body.round, table=body.table)
    data = notes.NoteIn(
        body.round, body.table, body.text, body.participants, body.topics, body.base_version
    )
    try:
        note = notes.save_note(
            session,
            event=event,
            note_id=note_id,
            data=data,
            author=host.name if host else _("organizer"),
            seated=seated,
        )
    except notes.StaleNote as exc:
        return _stale(exc)
    return notes.note_json(note)


@router.get("/events/{event_id}/notes")
def get_notes(request: Request, session: SessionDep, event_id: RowId) -> list[dict[str, Any]]:
    """Every note of the event (a facilitator: their own)."""
    event, host = _writer(request, session, event_id)
    found = notes.list_notes(session, event=event)
    if host is not None:
        found = [n for n in found if n.author == host.name]
    return [notes.note_json(n) for n in found]


@router.put("/events/{event_id}/initiatives/{initiative_id}")
def put_initiative(
    request: Request, session: SessionDep, event_id: RowId, initiative_id: str, body: InitiativeIn
) -> Any:
    """Record a cooperation initiative; facilitators propose, organizers also confirm."""
    event, host = _writer(request, session, event_id)
    data = notes.InitiativeIn(
        subject=body.subject,
        topic=body.topic,
        request=body.request,
        requesting=tuple(body.requesting),
        offering=tuple(body.offering),
        offer=body.offer,
        contact=body.contact,
        confirmed=body.status == "confirmed",
        base_version=body.base_version,
    )
    try:
        item = notes.save_initiative(
            session,
            event=event,
            initiative_id=initiative_id,
            data=data,
            author=host.name if host else _("organizer"),
            may_confirm=host is None,
        )
    except notes.StaleNote as exc:
        return _stale(exc)
    return notes.initiative_json(item)


@router.get("/events/{event_id}/initiatives")
def get_initiatives(request: Request, session: SessionDep, event_id: RowId) -> list[dict[str, Any]]:
    event, _host = _writer(request, session, event_id)
    return [notes.initiative_json(i) for i in notes.list_initiatives(session, event=event)]


def facilitator_out(request: Request, host: Facilitator, subject: Any) -> dict[str, Any]:
    return {
        "id": host.id,
        "name": host.name,
        "subject": subject.code if subject else None,
        "facilitator_url": f"{public_url(request)}/f/{host.token}",
    }


@organizers.get("/events/{event_id}/facilitators")
def get_facilitators(
    request: Request, session: SessionDep, event: EventDep
) -> list[dict[str, Any]]:
    """Each facilitator with the secret link of their card (`facilitator_url`)."""
    return [
        facilitator_out(request, host, subject)
        for host, subject in facilitation.list_facilitators(session, event=event)
    ]


@organizers.post("/events/{event_id}/facilitators/{facilitator_id}/token")
def reissue_facilitator_token(
    request: Request, session: SessionDep, event: EventDep, facilitator_id: RowId
) -> dict[str, Any]:
    """A new secret link for this facilitator; the old card and tablet stop working."""
    host = facilitation.get_facilitator(session, event=event, facilitator_id=facilitator_id)
    facilitation.reissue_token(session, facilitator=host)
    subject = session.get(facilitation.Subject, host.subject_id) if host.subject_id else None
    return facilitator_out(request, host, subject)


@organizers.get("/events/{event_id}/harvest.{fmt}")
def harvest_file(session: SessionDep, event: EventDep, fmt: str) -> Response:
    """The harvest as `md`, `csv` (UTF-8 with a byte-order mark) or `xlsx`."""
    file = harvest.export(session, event=event, fmt=fmt)
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )
