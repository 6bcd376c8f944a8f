"""The JSON API for participants and their absences from single rounds."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ..deps import RowId, SessionDep
from ..models import Participant, ParticipantCreate, ParticipantUpdate, pk
from ..services import events, seating
from ..services.lookup import get_absence, get_row, list_absence_rows
from .api_models import ERRORS, AbsenceCreate, AbsencePublic, ParticipantPublic, without_nulls
from .common import EventDep
from .links import participant_out

router = APIRouter(prefix="/events/{event_id}", responses=ERRORS)


@router.get("/participants", response_model=list[ParticipantPublic], tags=["participants"])
def list_participants(
    request: Request, session: SessionDep, event: EventDep
) -> list[ParticipantPublic]:
    """Every participant, with the secret link of their badge (`attendee_url`)."""
    return [participant_out(request, p) for p in events.list_participants(session, event=event)]


@router.post(
    "/participants", response_model=ParticipantPublic, status_code=201, tags=["participants"]
)
def add_participant(session: SessionDep, event: EventDep, data: ParticipantCreate) -> Participant:
    """Add a participant; the code must be new in the event."""
    return events.add_participant(session, event=event, data=data)


@router.get(
    "/participants/{participant_id}", response_model=ParticipantPublic, tags=["participants"]
)
def read_participant(
    request: Request, session: SessionDep, event: EventDep, participant_id: RowId
) -> ParticipantPublic:
    person = get_row(session, event=event, model=Participant, row_id=participant_id)
    return participant_out(request, person)


@router.patch(
    "/participants/{participant_id}", response_model=ParticipantPublic, tags=["participants"]
)
def update_participant(
    session: SessionDep, event: EventDep, participant_id: RowId, data: ParticipantUpdate
) -> Participant:
    """Change the fields given (`active: false`: registered but not attending)."""
    person = get_row(session, event=event, model=Participant, row_id=participant_id)
    return events.update_participant(session, participant=person, data=without_nulls(data))


@router.delete(
    "/participants/{participant_id}",
    status_code=204,
    response_class=Response,
    tags=["participants"],
)
def remove_participant(session: SessionDep, event: EventDep, participant_id: RowId) -> Response:
    """Remove the participant with their pins, absences, needs, offers and group places."""
    person = get_row(session, event=event, model=Participant, row_id=participant_id)
    events.remove_participant(session, participant=person)
    return Response(status_code=204)


@router.get("/absences", response_model=list[AbsencePublic], tags=["absences"])
def list_absences(session: SessionDep, event: EventDep) -> list[AbsencePublic]:
    return [
        AbsencePublic(id=pk(absence), participant_code=person.code, round=absence.round)
        for absence, person in list_absence_rows(session, event=event)
    ]


@router.post("/absences", response_model=AbsencePublic, status_code=201, tags=["absences"])
def add_absence(session: SessionDep, event: EventDep, data: AbsenceCreate) -> AbsencePublic:
    """The participant misses this round (marking it twice changes nothing)."""
    absence = seating.mark_absent(
        session, event=event, code=data.participant_code, round=data.round
    )
    return AbsencePublic(id=pk(absence), participant_code=data.participant_code, round=data.round)


@router.delete(
    "/absences/{absence_id}", status_code=204, response_class=Response, tags=["absences"]
)
def remove_absence(session: SessionDep, event: EventDep, absence_id: RowId) -> Response:
    """The participant attends that round after all."""
    absence, person = get_absence(session, event=event, absence_id=absence_id)
    seating.mark_present(session, event=event, code=person.code, round=absence.round)
    return Response(status_code=204)
