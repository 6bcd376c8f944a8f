"""Pages for events: create, overview, edit, delete; each section has its own module."""

from __future__ import annotations

from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from ..deps import AccountDep, OrganizerOnly, SessionDep
from ..i18n import _
from ..models import Event, EventCreate, EventUpdate
from ..services import access, events
from ..services.edits import change_event
from ..services.errors import Conflict, RondaError
from ..services.readiness import summarize
from . import (
    constraint_pages,
    import_pages,
    participant_pages,
    subject_pages,
    table_pages,
    topic_pages,
)
from .common import EventDep, FormDep, done, page
from .forms import Errors, sentence, text_values, validate

# Pages are HTML: the OpenAPI document (/docs) is for the JSON API under /api.
router = APIRouter(dependencies=OrganizerOnly, include_in_schema=False)

FIELDS = (
    "name",
    "date",
    "start_time",
    "time_zone",
    "venue",
    "rounds",
    "round_minutes",
    "transition_minutes",
    "subject_mode",
)
NEW = {"round_minutes": "35", "transition_minutes": "5", "subject_mode": "rotating"}


def _values(event: Event) -> dict[str, str]:
    values = {
        name: "" if getattr(event, name) is None else str(getattr(event, name)) for name in FIELDS
    }
    if event.start_time is not None:
        values["start_time"] = event.start_time.strftime("%H:%M")
    return values


def _read(form: FormData) -> tuple[dict[str, str], EventCreate | None, Errors]:
    values = text_values(form, FIELDS)
    data, errors = validate(
        EventCreate,
        {
            **values,
            "date": values["date"] or None,
            "start_time": values["start_time"] or None,
            "time_zone": values["time_zone"] or "UTC",
        },
    )
    return values, data, errors


def _problem(exc: RondaError) -> Errors:
    # A clash is about the name; anything else the event form can cause is about the rounds.
    return {"name" if isinstance(exc, Conflict) else "rounds": sentence(str(exc))}


def _form(
    request: Request,
    account: AccountDep,
    values: dict[str, str],
    errors: Errors,
    event: Event | None = None,
) -> Response:
    return page(
        request,
        "events/event_form.html",
        account=account,
        event=event,
        section="overview" if event else None,
        values=values,
        time_zones=sorted(available_timezones()),
        errors=errors,
        status_code=422 if errors else 200,
    )


@router.get("/events/new")
def new_event(request: Request, account: AccountDep) -> Response:
    return _form(request, account, NEW, {})


@router.post("/events/new")
def create_event(
    request: Request, session: SessionDep, account: AccountDep, form: FormDep
) -> Response:
    values, data, errors = _read(form)
    if data is not None:
        try:
            event = events.create_event(session, data=data, account=account)
            access.add_owner(session, event=event, account=account)
        except RondaError as exc:
            errors = _problem(exc)
        else:
            message = _("Created {name}. Next: add or import participants, tables and subjects.")
            return done(request, f"/events/{event.id}", message.format(name=event.name))
    return _form(request, account, values, errors)


@router.get("/events/{event_id}")
def overview(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    summary = summarize(session, event=event)
    return page(
        request,
        "events/overview.html",
        account=account,
        event=event,
        section="overview",
        summary=summary,
        missing=[sentence(item) for item in summary.missing],
    )


@router.get("/events/{event_id}/edit")
def edit_event(request: Request, account: AccountDep, event: EventDep) -> Response:
    return _form(request, account, _values(event), {}, event)


@router.post("/events/{event_id}/edit")
def save_event(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, form: FormDep
) -> Response:
    values, data, errors = _read(form)
    if data is not None:
        try:
            change_event(session, event=event, data=EventUpdate(**data.model_dump()))
        except RondaError as exc:
            session.refresh(event)
            errors = _problem(exc)
        else:
            return done(request, f"/events/{event.id}", _("Saved the event's details."))
    return _form(request, account, values, errors, event)


@router.get("/events/{event_id}/delete")
def confirm_delete(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    access.require(session, account=account, event=event, owner=True)
    return page(
        request,
        "events/delete.html",
        account=account,
        event=event,
        section="overview",
        typed="",
        error=None,
    )


@router.post("/events/{event_id}/delete")
def delete_event(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, form: FormDep
) -> Response:
    access.require(session, account=account, event=event, owner=True)
    typed = str(form.get("confirm_name") or "").strip()
    if typed != event.name:
        error = _("Type the event's name exactly as shown, {name}, to delete it.").format(
            name=event.name
        )
        return page(
            request,
            "events/delete.html",
            account=account,
            event=event,
            section="overview",
            typed=typed,
            error=error,
            status_code=422,
        )
    events.delete_event(session, event=event)
    # The list of events no longer shows it: that is the confirmation.
    return RedirectResponse("/", status_code=303)


for _section in (
    participant_pages,
    table_pages,
    subject_pages,
    topic_pages,
    constraint_pages,
    import_pages,
):
    router.include_router(_section.router)
