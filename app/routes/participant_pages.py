"""The participants page: list, add, edit a row in place, attendance, absences, remove.

With htmx a row turns into its edit form (or its removal question) where it stands, and a
change answers with the whole list, so the counts in its caption stay true; without JavaScript
the same links and forms work as plain pages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.datastructures import FormData, QueryParams

from ..deps import AccountDep, RowId, SessionDep
from ..i18n import _
from ..models import Account, Event, Participant, ParticipantCreate, ParticipantUpdate
from ..services import events
from ..services.edits import absences_of, next_code, set_absences
from ..services.errors import Conflict, RondaError
from ..services.listing import matching, page_of
from ..services.lookup import get_row
from ..services.seating import absent_rounds
from ..web import is_htmx
from .common import EventDep, FormDep, confirm, done, page
from .forms import Errors, checked, chosen, numbers, sentence, text_values, validate

router = APIRouter(prefix="/events/{event_id}/participants")

FIELDS = ("name", "code", "organization", "country", "language")
LIST = "events/_participants.html"
ROW = "events/_participant_row.html"


def _url(event: Event, person: Participant | None = None) -> str:
    base = f"/events/{event.id}/participants"
    return f"{base}?at={person.id}#participant-{person.id}" if person else base


def _list_query(request: Request) -> dict[str, str]:
    """The filter and page the list is showing: from the URL, or for a change made with
    htmx, from the page it was made on."""
    query = request.query_params
    if request.method != "GET" and is_htmx(request):
        current = urlsplit(request.headers.get("HX-Current-URL", "")).query
        query = QueryParams(current)
    return {
        "q": query.get("q", "").strip(),
        "page": query.get("page", ""),
        "at": query.get("at", ""),
    }


def _number(text: str) -> int | None:
    """A page or row number from the address; None for anything else."""
    return int(text) if text.isdecimal() and text.isascii() and len(text) <= 9 else None


def _list_url(event: Event, query: str, number: int) -> str:
    params = {key: value for key, value in (("q", query), ("page", number)) if value}
    return f"/events/{event.id}/participants" + (f"?{urlencode(params)}" if params else "")


def _fields(person: Participant) -> tuple[str, ...]:
    return (person.name, person.code, person.organization, person.country, person.language)


def _show(
    request: Request,
    session: Session,
    account: Account,
    event: Event,
    *,
    partial: str | None = LIST,
    status_code: int = 200,
    **state: Any,
) -> Response:
    people = events.list_participants(session, event=event)
    wanted = _list_query(request)
    shown = matching(people, wanted["q"], _fields)
    anchor = state.get("editing") or state.get("confirming") or state.get("focus")
    if anchor is None:
        anchor = _number(wanted["at"])
    ids = [p.id for p in shown]
    if anchor is not None and anchor not in ids and any(p.id == anchor for p in people):
        wanted["q"], shown = "", people  # the row asked for is filtered out: show all
        ids = [p.id for p in people]
    listed = page_of(
        shown, _number(wanted["page"]) or 1, holding=ids.index(anchor) if anchor in ids else None
    )
    context = {
        "participants": listed.items,
        "listing": listed,
        "query": wanted["q"],
        "total": len(people),
        "attending": sum(p.active for p in people),
        "absent": absent_rounds(session, event=event),
        "round_options": [
            (r, _("Round {round}").format(round=r)) for r in range(1, event.rounds + 1)
        ],
        "focus": None,
        "editing": None,
        "confirming": None,
        "values": {"active": True},
        "errors": {},
        "row_values": {},
        "row_errors": {},
        # an htmx answer not asked for by the filter box puts the box in step with the list
        "sync_filter": request.headers.get("HX-Trigger") != "participant-search",
        **state,
    }
    response = page(
        request,
        "events/participants.html",
        account=account,
        event=event,
        section="participants",
        partial=partial,
        status_code=status_code,
        **context,
    )
    if is_htmx(request) and request.method != "GET" and partial == LIST:
        # after a change the address shows the filter and page the list now has
        response.headers["HX-Replace-Url"] = _list_url(event, wanted["q"], listed.number)
    return response


def _changed(
    request: Request,
    session: Session,
    account: Account,
    event: Event,
    message: str,
    person: Participant | None = None,
) -> Response:
    """After a change: htmx gets the fresh list (with the message), a browser a redirect."""
    if is_htmx(request):
        focus = person.id if person else None  # back on the row's Edit link
        return _show(request, session, account, event, notices=[message], focus=focus)
    return done(request, _url(event, person), message)


def _read(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = text_values(form, FIELDS)
    values["active"] = checked(form, "active")
    return values


def _problem(exc: RondaError) -> Errors:
    return {"code" if isinstance(exc, Conflict) else "form": sentence(str(exc))}


@router.get("")
def participants(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep
) -> Response:
    return _show(request, session, account, event)


@router.post("")
def add_participant(
    request: Request, session: SessionDep, account: AccountDep, event: EventDep, form: FormDep
) -> Response:
    values = _read(form)
    code = values["code"] or next_code(session, event=event)
    data, errors = validate(ParticipantCreate, {**values, "code": code})
    if data is not None:
        try:
            person = events.add_participant(session, event=event, data=data)
        except RondaError as exc:
            errors = _problem(exc)
        else:
            message = _("Added {name} ({code}).").format(name=person.name, code=person.code)
            return done(request, _url(event, person), message)
    return _show(
        request,
        session,
        account,
        event,
        partial=None,
        status_code=422,
        values=values,
        errors=errors,
    )


@router.get("/{participant_id}")
def participant_row(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    participant_id: RowId,
) -> Response:
    person = get_row(session, event=event, model=Participant, row_id=participant_id)
    return _show(request, session, account, event, partial=ROW, p=person)


@router.get("/{participant_id}/edit")
def edit_participant(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    participant_id: RowId,
) -> Response:
    person = get_row(session, event=event, model=Participant, row_id=participant_id)
    values = person.model_dump(include={*FIELDS, "active"})
    values["absent"] = absences_of(session, participant=person)
    return _show(
        request,
        session,
        account,
        event,
        partial=ROW,
        p=person,
        editing=person.id,
        row_values=values,
    )


@router.post("/{participant_id}")
def save_participant(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    participant_id: RowId,
    form: FormDep,
) -> Response:
    person = get_row(session, event=event, model=Participant, row_id=participant_id)
    values = _read(form)
    values["absent"] = absent = numbers(chosen(form, "absent"))
    data, errors = validate(ParticipantCreate, values)
    if any(not 1 <= r <= event.rounds for r in absent):
        errors["absent"] = _("Choose rounds between 1 and {rounds}.").format(rounds=event.rounds)
    if data is not None and not errors:
        try:
            events.update_participant(
                session, participant=person, data=ParticipantUpdate(**data.model_dump())
            )
            set_absences(session, participant=person, rounds=absent)
        except RondaError as exc:
            errors = _problem(exc)
        else:
            message = _("Saved {name} ({code}).").format(name=person.name, code=person.code)
            return _changed(request, session, account, event, message, person)
    return _show(
        request,
        session,
        account,
        event,
        status_code=422,
        editing=person.id,
        row_values=values,
        row_errors=errors,
    )


@router.post("/{participant_id}/attending")
def mark_attending(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    participant_id: RowId,
    form: FormDep,
) -> Response:
    person = get_row(session, event=event, model=Participant, row_id=participant_id)
    active = checked(form, "active")
    events.update_participant(session, participant=person, data=ParticipantUpdate(active=active))
    message = (
        _("{name} attends: they will be planned.")
        if active
        else _("{name} does not attend: they stay listed but are not planned.")
    )
    return _changed(request, session, account, event, message.format(name=person.name))


@router.get("/{participant_id}/remove")
def confirm_remove(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    participant_id: RowId,
) -> Response:
    person = get_row(session, event=event, model=Participant, row_id=participant_id)
    if is_htmx(request):
        return _show(request, session, account, event, partial=ROW, p=person, confirming=person.id)
    return confirm(
        request,
        account=account,
        event=event,
        section="participants",
        question=_("Remove {name} ({code})?").format(name=person.name, code=person.code),
        consequence=_(
            "Their pinned seats, absences, needs, offers and places in groups are removed too."
        ),
        action=f"/events/{event.id}/participants/{person.id}/remove",
        cancel=_url(event, person),
    )


@router.post("/{participant_id}/remove")
def remove_participant(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    participant_id: RowId,
) -> Response:
    person = get_row(session, event=event, model=Participant, row_id=participant_id)
    message = _("Removed {name} ({code}).").format(name=person.name, code=person.code)
    events.remove_participant(session, participant=person)
    return _changed(request, session, account, event, message)
