"""The subjects page: subjects with their facilitators, and one form that adds or edits one.

Laid out as the tables page is: the Edit link fills the form (in place with htmx), saving is a
plain form post that comes back to the page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData

from ..deps import AccountDep, RowId, SessionDep
from ..i18n import _
from ..models import Account, Event, Subject, SubjectCreate, SubjectUpdate
from ..services import events
from ..services.errors import Conflict, RondaError
from ..services.lookup import get_row
from .common import EventDep, FormDep, confirm, done, page
from .forms import Errors, sentence, text_values, validate

router = APIRouter(prefix="/events/{event_id}")


def _subjects(
    request: Request,
    session: Session,
    account: Account,
    event: Event,
    *,
    editing: Subject | None = None,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
) -> Response:
    subjects = events.list_subjects(session, event=event)
    facilitators = {
        s.id: [f.name for f in events.list_facilitators(session, subject=s)] for s in subjects
    }
    return page(
        request,
        "events/subjects.html",
        account=account,
        event=event,
        section="subjects",
        partial="events/_subject_form.html",
        status_code=422 if errors else 200,
        subjects=subjects,
        facilitators=facilitators,
        editing=editing,
        values=values or {"hosts": "1"},
        errors=errors or {},
    )


def _read_subject(form: FormData) -> tuple[dict[str, str], SubjectCreate | None, Errors]:
    values = text_values(form, ("code", "name", "hosts", "facilitators"))
    names = [line.strip() for line in values["facilitators"].splitlines() if line.strip()]
    fields: dict[str, Any] = {**values, "facilitators": names}
    if not values["hosts"]:
        del fields["hosts"]
    data, errors = validate(SubjectCreate, fields)
    return values, data, errors


def _subject_problem(exc: RondaError) -> Errors:
    return {"code" if isinstance(exc, Conflict) else "form": sentence(str(exc))}


@router.get("/subjects")
def subjects(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    return _subjects(request, session, account, event)


@router.post("/subjects")
def add_subject(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, form: FormDep
) -> Response:
    values, data, errors = _read_subject(form)
    if data is not None:
        try:
            subject = events.add_subject(session, event=event, data=data)
        except RondaError as exc:
            errors = _subject_problem(exc)
        else:
            message = _("Added subject {code}.").format(code=subject.code)
            return done(request, f"/events/{event.id}/subjects", message)
    return _subjects(request, session, account, event, values=values, errors=errors)


@router.get("/subjects/{subject_id}/edit")
def edit_subject(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, subject_id: RowId
) -> Response:
    subject = get_row(session, event=event, model=Subject, row_id=subject_id)
    values = subject.model_dump(include={"code", "name", "hosts"})
    names = [f.name for f in events.list_facilitators(session, subject=subject)]
    values["facilitators"] = "\n".join(names)
    return _subjects(request, session, account, event, editing=subject, values=values)


@router.post("/subjects/{subject_id}")
def save_subject(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    subject_id: RowId,
    form: FormDep,
) -> Response:
    subject = get_row(session, event=event, model=Subject, row_id=subject_id)
    values, data, errors = _read_subject(form)
    if data is not None:
        try:
            events.update_subject(session, subject=subject, data=SubjectUpdate(**data.model_dump()))
        except RondaError as exc:
            errors = _subject_problem(exc)
        else:
            message = _("Saved subject {code}.").format(code=subject.code)
            return done(request, f"/events/{event.id}/subjects", message)
    return _subjects(
        request, session, account, event, editing=subject, values=values, errors=errors
    )


def _confirm_subject(
    request: Request, account: Account, event: Event, subject: Subject, error: str | None
) -> Response:
    return confirm(
        request,
        account=account,
        event=event,
        section="subjects",
        question=_("Remove subject {code}?").format(code=subject.code),
        consequence=_(
            "Its facilitators go with it. A subject that has topics stays until its topics are "
            "moved to another subject or removed."
        ),
        action=f"/events/{event.id}/subjects/{subject.id}/remove",
        cancel=f"/events/{event.id}/subjects",
        error=error,
        status_code=409 if error else 200,
    )


@router.get("/subjects/{subject_id}/remove")
def confirm_remove_subject(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, subject_id: RowId
) -> Response:
    subject = get_row(session, event=event, model=Subject, row_id=subject_id)
    return _confirm_subject(request, account, event, subject, None)


@router.post("/subjects/{subject_id}/remove")
def remove_subject(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, subject_id: RowId
) -> Response:
    subject = get_row(session, event=event, model=Subject, row_id=subject_id)
    code = subject.code
    try:
        events.remove_subject(session, subject=subject)
    except RondaError as exc:
        return _confirm_subject(request, account, event, subject, sentence(str(exc)))
    return done(
        request, f"/events/{event.id}/subjects", _("Removed subject {code}.").format(code=code)
    )
