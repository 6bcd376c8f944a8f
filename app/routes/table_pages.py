"""The tables page: a list, and one form that adds a table or edits one.

The Edit link opens the row in the form (with htmx, in place of the form; without JavaScript,
as the page with the form filled in). Saving is a plain form post that comes back to the page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from ..deps import AccountDep, RowId, SessionDep
from ..i18n import _
from ..models import Account, Event, EventTable, Subject, TableCreate, TableUpdate
from ..services import events
from ..services.edits import set_table_subject
from ..services.errors import Conflict, InvalidInput, NotFound, RondaError
from ..services.lookup import get_row
from .common import EventDep, FormDep, confirm, done, page
from .forms import Errors, sentence, text_values, validate

router = APIRouter(prefix="/events/{event_id}")


def _subject_options(session: Session, event: Event) -> list[tuple[str, str]]:
    subjects = events.list_subjects(session, event=event)
    return [("", _("(no subject)"))] + [
        (s.code, f"{s.code} · {s.name}" if s.name else s.code) for s in subjects
    ]


def _tables(
    request: Request,
    session: Session,
    account: Account,
    event: Event,
    *,
    editing: EventTable | None = None,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
) -> Response:
    tables = events.list_tables(session, event=event)
    codes = {s.id: s.code for s in events.list_subjects(session, event=event)}
    return page(
        request,
        "events/tables.html",
        account=account,
        event=event,
        section="tables",
        partial="events/_table_form.html",
        status_code=422 if errors else 200,
        tables=tables,
        subject_of={t.id: codes.get(t.subject_id, "") for t in tables},
        subject_options=_subject_options(session, event),
        seats=sum(t.capacity for t in tables),
        attending=len(events.list_participants(session, event=event, active_only=True)),
        editing=editing,
        values=values or {"capacity": "4", "min_size": "2"},
        errors=errors or {},
    )


def _read_table(form: FormData) -> tuple[dict[str, str], TableCreate | None, Errors]:
    values = text_values(form, ("name", "capacity", "min_size", "subject"))
    fields: dict[str, Any] = {**values, "subject_code": values["subject"] or None}
    if not values["min_size"]:
        del fields["min_size"]  # the model's default
    data, errors = validate(TableCreate, fields)
    return values, data, errors


def _table_problem(exc: RondaError) -> Errors:
    field = {Conflict: "name", InvalidInput: "min_size", NotFound: "subject"}.get(type(exc), "form")
    return {field: sentence(str(exc))}


@router.get("/tables")
def tables(request: Request, session: SessionDep, account: AccountDep, event: EventDep) -> Response:
    return _tables(request, session, account, event)


@router.post("/tables")
def add_table(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, form: FormDep
) -> Response:
    values, data, errors = _read_table(form)
    if data is not None:
        try:
            table = events.add_table(session, event=event, data=data)
        except RondaError as exc:
            errors = _table_problem(exc)
        else:
            message = _("Added {name} ({capacity} seats).")
            return done(
                request,
                f"/events/{event.id}/tables",
                message.format(name=table.name, capacity=table.capacity),
            )
    return _tables(request, session, account, event, values=values, errors=errors)


@router.get("/tables/{table_id}/edit")
def edit_table(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, table_id: RowId
) -> Response:
    table = get_row(session, event=event, model=EventTable, row_id=table_id)
    values = table.model_dump(include={"name", "capacity", "min_size"})
    subject = session.get(Subject, table.subject_id) if table.subject_id else None
    values["subject"] = subject.code if subject else ""
    return _tables(request, session, account, event, editing=table, values=values)


@router.post("/tables/{table_id}")
def save_table(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    table_id: RowId,
    form: FormDep,
) -> Response:
    table = get_row(session, event=event, model=EventTable, row_id=table_id)
    values, data, errors = _read_table(form)
    if data is not None:
        try:
            if data.subject_code:  # checked before anything is saved
                events.get_subject(session, event=event, code=data.subject_code)
            events.update_table(
                session, table=table, data=TableUpdate(**data.model_dump(exclude={"subject_code"}))
            )
            if event.subject_mode == "fixed" or data.subject_code:
                set_table_subject(session, table=table, subject_code=data.subject_code)
        except RondaError as exc:
            errors = _table_problem(exc)
        else:
            return done(
                request, f"/events/{event.id}/tables", _("Saved {name}.").format(name=table.name)
            )
    return _tables(request, session, account, event, editing=table, values=values, errors=errors)


@router.get("/tables/{table_id}/remove")
def confirm_remove_table(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, table_id: RowId
) -> Response:
    table = get_row(session, event=event, model=EventTable, row_id=table_id)
    return confirm(
        request,
        account=account,
        event=event,
        section="tables",
        question=_("Remove {name}?").format(name=table.name),
        consequence=_("Seats pinned to this table are removed too."),
        action=f"/events/{event.id}/tables/{table.id}/remove",
        cancel=f"/events/{event.id}/tables",
    )


@router.post("/tables/{table_id}/remove")
def remove_table(
    request: Request, session: SessionDep, event: EventDep, table_id: RowId
) -> Response:
    table = get_row(session, event=event, model=EventTable, row_id=table_id)
    name = table.name
    events.remove_table(session, table=table)
    return done(request, f"/events/{event.id}/tables", _("Removed {name}.").format(name=name))
