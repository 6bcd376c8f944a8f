"""The JSON API for tables and subjects (with their facilitators)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ..deps import RowId, SessionDep
from ..models import EventTable, Subject, SubjectCreate, SubjectUpdate, TableCreate, TableUpdate
from ..services import events
from ..services.edits import set_table_subject
from ..services.lookup import get_row
from .api_models import ERRORS, SubjectPublic, TablePatch, TablePublic, without_nulls
from .common import EventDep

router = APIRouter(prefix="/events/{event_id}", responses=ERRORS)


@router.get("/tables", response_model=list[TablePublic], tags=["tables"])
def list_tables(session: SessionDep, event: EventDep) -> list[TablePublic]:
    return [TablePublic.of(session, t) for t in events.list_tables(session, event=event)]


@router.post("/tables", response_model=TablePublic, status_code=201, tags=["tables"])
def add_table(session: SessionDep, event: EventDep, data: TableCreate) -> TablePublic:
    """Add a table; `subject_code` gives it its subject in subject mode `fixed`."""
    return TablePublic.of(session, events.add_table(session, event=event, data=data))


@router.get("/tables/{table_id}", response_model=TablePublic, tags=["tables"])
def read_table(session: SessionDep, event: EventDep, table_id: RowId) -> TablePublic:
    return TablePublic.of(session, get_row(session, event=event, model=EventTable, row_id=table_id))


@router.patch("/tables/{table_id}", response_model=TablePublic, tags=["tables"])
def update_table(
    session: SessionDep, event: EventDep, table_id: RowId, data: TablePatch
) -> TablePublic:
    """Change the fields given; `subject_code: null` takes its subject away."""
    table = get_row(session, event=event, model=EventTable, row_id=table_id)
    data = without_nulls(data, nullable=("subject_code",))
    if data.subject_code:  # checked before anything is saved
        events.get_subject(session, event=event, code=data.subject_code)
    changes = TableUpdate.model_validate(
        data.model_dump(exclude_unset=True, exclude={"subject_code"})
    )
    table = events.update_table(session, table=table, data=changes)
    if "subject_code" in data.model_fields_set:
        table = set_table_subject(session, table=table, subject_code=data.subject_code)
    return TablePublic.of(session, table)


@router.delete("/tables/{table_id}", status_code=204, response_class=Response, tags=["tables"])
def remove_table(session: SessionDep, event: EventDep, table_id: RowId) -> Response:
    """Remove the table and the seats pinned to it."""
    table = get_row(session, event=event, model=EventTable, row_id=table_id)
    events.remove_table(session, table=table)
    return Response(status_code=204)


@router.get("/subjects", response_model=list[SubjectPublic], tags=["subjects"])
def list_subjects(session: SessionDep, event: EventDep) -> list[SubjectPublic]:
    return [SubjectPublic.of(session, s) for s in events.list_subjects(session, event=event)]


@router.post("/subjects", response_model=SubjectPublic, status_code=201, tags=["subjects"])
def add_subject(session: SessionDep, event: EventDep, data: SubjectCreate) -> SubjectPublic:
    """Add a subject with its facilitators (each runs one table at a time)."""
    return SubjectPublic.of(session, events.add_subject(session, event=event, data=data))


@router.get("/subjects/{subject_id}", response_model=SubjectPublic, tags=["subjects"])
def read_subject(session: SessionDep, event: EventDep, subject_id: RowId) -> SubjectPublic:
    return SubjectPublic.of(
        session, get_row(session, event=event, model=Subject, row_id=subject_id)
    )


@router.patch("/subjects/{subject_id}", response_model=SubjectPublic, tags=["subjects"])
def update_subject(
    session: SessionDep, event: EventDep, subject_id: RowId, data: SubjectUpdate
) -> SubjectPublic:
    """Change the fields given; `facilitators` replaces the whole list."""
    subject = get_row(session, event=event, model=Subject, row_id=subject_id)
    subject = events.update_subject(session, subject=subject, data=without_nulls(data))
    return SubjectPublic.of(session, subject)


@router.delete(
    "/subjects/{subject_id}", status_code=204, response_class=Response, tags=["subjects"]
)
def remove_subject(session: SessionDep, event: EventDep, subject_id: RowId) -> Response:
    """Remove the subject; refused (409) while topics belong to it."""
    subject = get_row(session, event=event, model=Subject, row_id=subject_id)
    events.remove_subject(session, subject=subject)
    return Response(status_code=204)
